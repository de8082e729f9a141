"""The precisions a CPU can run at real size, side by side: float32, exact (the checkpoint's bfloat16
weights, float32 products) and int8 (fast mode), on whatever CPU this runs on.

    python -m qwen3vl_demo.bench --shape 2b --lean                        # about 30 minutes on 2 quiet cores
    QWEN3VL_CPU_FEATURES=avx2,fma3 python -m qwen3vl_demo.bench --shape 2b --lean   # decide as on a laptop
    python -m qwen3vl_demo.tools.lean_bench --shape 2b --turns float32,exact,int8   # only the timings in turns

Each path is measured in its own child process, one after another (so each one's resident memory and
load peak are its own): load time, resident memory after loading, the peak of the whole run (load
included), a text query (median of 5 lengths, twice each), a photo (best of 2), a document page
(once; ``--skip-page`` leaves it out), and the vectors of 5 queries, the 12 sample photos and the
page. Fidelity is against float32's vectors: the lowest cosine per kind and the top-10 (and top-3)
agreement of searching the photos with the queries. The bfloat16 / float32 matrix-product ceiling
of this CPU is measured first, in the same run, with where the exact path's text time goes
(``upcast_costs``), and the load average is printed with each row (on a shared machine rows
measured one after another are only as comparable as the loads they ran under). So the speed
ratios the targets are about come last: float32 and exact loaded together (where they fit) and
timed in turns, each input on one then the other.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..core.openmp import wait_passively
from .shape_bench import PAGE, PHOTO, PHOTOS, QUERIES, fresh, matmul_ceiling, release, rss_gib, seconds

PATHS = ("float32", "exact", "int8")
NAMES = {"float32": "float32", "exact": "bf16 weights, float32 compute (exact)", "int8": "int8 (fast mode)"}


def measure(shape: str, dtype: str, page: bool) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """One path's row and vectors, in this process (``--one``)."""
    from ..backends.loader import load_embedder

    floor = rss_gib()
    load_average = os.getloadavg()[0]
    started = time.perf_counter()
    model = load_embedder(f"random-{shape}", device="cpu", dtype=dtype)
    row = {"load_s": time.perf_counter() - started, "resident_gib": rss_gib() - floor}
    texts = [seconds(lambda q=q: model.embed([{"text": q}])) for q in QUERIES * 2]
    row["text_s"] = statistics.median(texts)
    row["photo_s"] = min(seconds(fresh(model, {"image": PHOTO})) for _ in range(2))
    vectors = {"queries": model.embed([{"text": q, "instruction": "Find images."} for q in QUERIES]),
               "photos": model.embed([{"image": p} for p in PHOTOS])}
    if page:
        started = time.perf_counter()
        vectors["page"] = fresh(model, {"image": PAGE})()
        row["page_s"] = time.perf_counter() - started
    row["after_gib"] = rss_gib() - floor
    row["peak_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20 - floor
    row["load_average"] = (load_average + os.getloadavg()[0]) / 2
    row["storage"] = model.info.storage
    return row, vectors


def run_one(shape: str, dtype: str, page: bool) -> tuple[dict | None, dict[str, np.ndarray], str]:
    """``measure`` in a child process: (row, vectors, "") or (None, {}, why it was not measured)."""
    out = Path(tempfile.mkdtemp(prefix="qwen3vl-lean-")) / "vectors.npz"
    command = [sys.executable, "-m", "qwen3vl_demo.tools.lean_bench", "--one", dtype, "--shape", shape,
               "--out", str(out)] + ([] if page else ["--skip-page"])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, {}, last[:400]
    row = json.loads(done.stdout.strip().splitlines()[-1])
    with np.load(out) as data:
        vectors = {key: data[key] for key in data.files}
    return row, vectors, ""


def side_by_side(shape: str, page: bool, dtypes: tuple[str, ...] = ("float32", "exact")) -> dict[str, dict]:
    """Text (median), photo (best of 2) and page times of ``dtypes`` loaded together and measured
    in turns (A B, then B A...), so that the machine's load changes hit all alike: the ratios the
    targets are about. Raises ModelLoadError where they do not fit together."""
    from ..backends.loader import load_embedder

    models = {dtype: load_embedder(f"random-{shape}", device="cpu", dtype=dtype) for dtype in dtypes}
    times: dict[str, dict[str, list[float]]] = {dtype: {"text": [], "photo": [], "page": []} for dtype in dtypes}
    inputs = [("text", {"text": q}) for q in QUERIES * 2] + [("photo", {"image": PHOTO})] * 2
    inputs += [("page", {"image": PAGE})] if page else []
    for turn, (kind, item) in enumerate(inputs):
        for dtype in dtypes if turn % 2 == 0 else dtypes[::-1]:
            times[dtype][kind].append(seconds(fresh(models[dtype], item)))
    release("embedding")
    return {dtype: {"text_s": statistics.median(found["text"]), "photo_s": min(found["photo"]),
                    **({"page_s": found["page"][0]} if found["page"] else {})} for dtype, found in times.items()}


def agreement(exact: dict[str, np.ndarray], other: dict[str, np.ndarray], k: int) -> float:
    """How much of each query's top-k over the photos is the same set, on average."""
    shared = [len(set(np.argsort(-(exact["photos"] @ q))[:k]) & set(np.argsort(-(other["photos"] @ p))[:k])) / k
              for q, p in zip(exact["queries"], other["queries"], strict=True)]
    return float(np.mean(shared))


def fidelity_text(exact: dict[str, np.ndarray], other: dict[str, np.ndarray]) -> str:
    if not exact:
        return "(no float32 row to compare with)"
    cosines = {key: float(np.min(np.sum(exact[key] * other[key], axis=1))) for key in exact if key in other}
    if all(np.array_equal(exact[key], other[key]) for key in exact):
        return "bit-identical"
    kinds = ", ".join(f"{key} {value:.5f}" for key, value in cosines.items())
    return f"min cos {kinds}; top-10 {agreement(exact, other, 10):.2f}, top-3 {agreement(exact, other, 3):.2f}"


def table(rows: dict[str, dict], vectors: dict[str, dict[str, np.ndarray]]) -> list[str]:
    lines = [f"{'path':<40} {'resident':>9} {'peak':>9} {'load':>7} {'text':>7} {'photo':>7} {'page':>7} "
             f"{'load avg':>8}  fidelity to float32"]
    for dtype, row in rows.items():
        page = f"{row['page_s']:6.1f}s" if "page_s" in row else "      -"
        lines.append(f"{NAMES[dtype]:<40} {row['resident_gib']:6.2f}GiB {row['peak_gib']:6.2f}GiB "
                     f"{row['load_s']:6.1f}s {row['text_s']:6.2f}s {row['photo_s']:6.1f}s {page} "
                     f"{row['load_average']:8.1f}  "
                     f"{'-' if dtype == 'float32' else fidelity_text(vectors.get('float32', {}), vectors[dtype])}")
    base = rows.get("float32")
    for dtype in ("exact", "int8"):
        if base and dtype in rows:
            row = rows[dtype]
            ratios = [f"resident {row['resident_gib'] / base['resident_gib']:.2f}",
                      f"peak {row['peak_gib'] / base['peak_gib']:.2f}", *time_ratios(row, base)]
            lines.append(f"# {NAMES[dtype]} / float32, each alone: " + ", ".join(ratios))
    return lines


def time_ratios(row: dict[str, float], base: dict[str, float]) -> list[str]:
    return [f"{kind} {row[f'{kind}_s'] / base[f'{kind}_s']:.2f}" for kind in ("text", "photo", "page")
            if f"{kind}_s" in row and f"{kind}_s" in base]


def upcast_costs(tokens: int = 20, layers: int = 2, rounds: int = 15) -> str:
    """Where the exact path's text time goes: the linear layers of ``layers`` 2B decoder layers at a
    text query's ``tokens``, with float32 weights, with a fresh float32 copy of each bfloat16
    weight per call, upcast in tiles of rows by each thread its own rows (the app's way where
    OpenMP waits passively), by tiles torch's threads share (the app's way otherwise), and upcast
    whole into the buffer (the upcast alone and the product from the buffer alone besides).
    Interleaved, best of ``rounds``. At 260 tokens (a photo's) the same ways."""
    import torch
    import torch.nn.functional as F

    from ..backends.lean import UpcastBuffer
    from ..core.openmp import waits_passively

    shapes = [(2048, 2048), (1024, 2048), (1024, 2048), (2048, 2048), (6144, 2048), (6144, 2048), (2048, 6144)]
    weights = [(torch.randn(n, k) * 0.02).bfloat16() for _ in range(layers) for n, k in shapes]
    copies = [w.float() for w in weights]
    own_rows, shared = (UpcastBuffer(max(w.numel() for w in weights), torch.device("cpu"), split_rows=split)
                        for split in (True, False))
    inputs = {k: torch.randn(tokens, k) for _, k in shapes}
    app = "own rows" if waits_passively() else "shared"
    ways = {"float32 weights": lambda: [F.linear(inputs[w.shape[1]], w) for w in copies],
            "fresh float32 copy per call": lambda: [F.linear(inputs[w.shape[1]], w.float()) for w in weights],
            "tiles, each thread its own rows": lambda: [own_rows.linear(inputs[w.shape[1]], w, None) for w in weights],
            "tiles shared by torch's threads": lambda: [shared.linear(inputs[w.shape[1]], w, None) for w in weights],
            "whole weight in the buffer": lambda: [F.linear(inputs[w.shape[1]], shared.upcast(w)) for w in weights],
            "  of which the upcast": lambda: [shared.upcast(w) for w in weights],
            "  of which the product": lambda: [F.linear(inputs[w.shape[1]], shared.data[: w.numel()].view(w.shape))
                                              for w in weights]}
    best = dict.fromkeys(ways, float("inf"))
    for _ in range(rounds):
        for name, way in ways.items():
            best[name] = min(best[name], seconds(way))
    base = best["float32 weights"]
    return (f"# where the exact path's time goes ({layers} 2B decoder layers' linear products at {tokens} "
            f"tokens, best of {rounds}, {torch.get_num_threads()} threads; the app's: {app}): "
            + "; ".join(f"{name.strip()} {t * 1000:.1f} ms ({t / base:.2f}x)" for name, t in best.items()))


def say_lines(*lines: str) -> None:
    print(*lines, sep="\n", flush=True)


def run_lean(shape: str, page: bool = True, say: Callable[..., None] = say_lines,
             turns: tuple[str, ...] = ()) -> None:
    """The table, said line by line (each path's row as soon as it is measured); with ``turns``,
    only those paths loaded together and timed in turns (the ratios, without the rows alone)."""
    from ..backends import local
    from ..backends.presets import ensure_preset

    native = local.fast_bfloat16_cpu()
    simulated = f" (as {os.environ[local.memory_policy.ENV_CPU_FEATURES]!r} says)" if (
        local.memory_policy.ENV_CPU_FEATURES in os.environ) else ""
    say(f"# this CPU{simulated}: native bfloat16 {native or 'none'}; --dtype auto runs "
        f"{local.requested('auto', 'cpu')[0].value} here", matmul_ceiling(), upcast_costs(),
        upcast_costs(tokens=260, rounds=5))
    ensure_preset(f"random-{shape}", "embedding")
    if turns:
        say_turns(shape, page, turns, say)
        return
    rows, vectors = {}, {}
    for dtype in PATHS:
        row, found, why = run_one(shape, dtype, page)
        if row is None:
            say(f"# {NAMES[dtype]}: not measured: {why}")
            continue
        rows[dtype], vectors[dtype] = row, found
        say(f"# {NAMES[dtype]}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                               for k, v in row.items()))
    say(*table(rows, vectors))
    say_turns(shape, page, ("float32", "exact"), say)


def say_turns(shape: str, page: bool, dtypes: tuple[str, ...], say: Callable[..., None]) -> None:
    """``side_by_side`` of ``dtypes`` (float32 first: the baseline), with each one's ratios to it."""
    from ..core.errors import ModelLoadError

    try:
        turns = side_by_side(shape, page, dtypes)
    except ModelLoadError as exc:
        say(f"# {' and '.join(dtypes)} side by side: not measured, they do not fit together here ({exc})")
        return
    say(f"# {', '.join(dtypes)} loaded together, timed in turns (load average {os.getloadavg()[0]:.1f}): "
        + ", ".join(f"{dtype} " + " ".join(f"{k} {v:.2f}s" for k, v in found.items())
                    for dtype, found in turns.items()))
    for dtype in dtypes[1:]:
        say(f"# {NAMES[dtype]} / {dtypes[0]}, in turns: " + ", ".join(time_ratios(turns[dtype], turns[dtypes[0]]))
            + ("  (targets: text <= 1.3, photo and page <= 1.0; resident <= 0.55 above)" if dtype == "exact" else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", default="2b", choices=["2b", "8b"])
    parser.add_argument("--one", choices=PATHS, help="measure this path alone, in this process (a child's job)")
    parser.add_argument("--out", help="with --one: where to write the vectors (npz)")
    parser.add_argument("--skip-page", action="store_true", help="leave the document page out (about 2 min a path)")
    parser.add_argument("--turns", help="only these paths (comma-separated, float32 first) loaded together and "
                        "timed in turns, e.g. float32,exact,int8")
    wait_passively()  # as the app does, before torch loads OpenMP (core/openmp.py)
    args = parser.parse_args(argv)
    if args.one:
        row, vectors = measure(args.shape, args.one, not args.skip_page)
        np.savez(args.out, **vectors)
        print(json.dumps(row))
        return 0
    run_lean(args.shape, not args.skip_page, turns=tuple(args.turns.split(",")) if args.turns else ())
    return 0


if __name__ == "__main__":
    sys.exit(main())

