"""The peer users would pick: sentence-transformers, side by side with this project.

    python -m qwen3vl_demo.tools.st_peer                                   # the test fixtures
    python -m qwen3vl_demo.tools.st_peer --embedder random-2b --reranker random-2b   # 2B shape

Answers "why not just use sentence-transformers?" with numbers. The peer is loaded the way a user
would load it (``SentenceTransformer(dir)``, ``CrossEncoder(dir).rank``) from the configuration the
Hub repos' "Integrate with Sentence Transformers" PRs add (``st_config/``: a feature-extraction
Transformer with lasttoken Pooling and Normalize, the instructions as prompts, i.e. system
messages; for the reranker a causal Transformer with a yes/no LogitScore, a sigmoid, and a chat
template that writes the official ``<Instruct>/<Query>/<Document>`` prompt), written next to
symlinked weights in the cache. Then:

- parity: every golden case of ``tests/golden/public.json`` through the peer, as a user would map
  it (the input dict as it is, its ``instruction`` as the prompt): cosine to the official embedding,
  or the largest reranker score difference, and the cases that raise. Ours next to it.
- speed and memory: the sample gallery embedded (and a mixed rerank) by each side in its own child
  process with the same settings (threads, dtype, device): resident memory after loading, peak
  resident memory, and the median of repeated calls, with ratios.

Needs ``pip install sentence-transformers==6.2.0`` (not a requirement of the project). Videos need
torchcodec and FFmpeg in the peer (transformers decodes video files only with torchcodec); without
them those cases are reported as raising and the speed runs use the items both sides can take.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core import config
from . import fixtures
from .parity import COSINE_MIN, SCORE_TOLERANCE, cosine, with_media

CONFIG_DIR = Path(__file__).with_name("st_config")
ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = {"embedding": COSINE_MIN, "reranker": SCORE_TOLERANCE}  # the project's parity tolerances


def available() -> bool:
    """Whether sentence-transformers is installed (the peer rows run only then)."""
    return importlib.util.find_spec("sentence_transformers") is not None


# --- The peer as a user loads it ------------------------------------------------------------------
def peer_dir(model: str, kind: str) -> Path:
    """A folder that ``SentenceTransformer(...)`` (kind ``embedder``) or ``CrossEncoder(...)`` (kind
    ``reranker``) loads: the checkpoint's files symlinked, plus the sentence-transformers files of
    ``st_config/<kind>`` (which replace any file of the same name, e.g. the reranker's chat template).
    ``model``: a local directory, a hub id or a preset (``tiny``, ``random-2b``), as for the app."""
    from ..backends.loader import resolve_model

    source = Path(resolve_model(model, "embedding" if kind == "embedder" else kind)).resolve()
    key = hashlib.sha256(f"{source}|{kind}".encode()).hexdigest()[:12]
    target = config.cache_dir() / "st-peer" / f"{kind}-{key}"
    if target.exists():
        shutil.rmtree(target)  # rebuilt each time: cheap (symlinks), and never stale
    target.mkdir(parents=True)
    ours = {p.relative_to(CONFIG_DIR / kind) for p in (CONFIG_DIR / kind).rglob("*") if p.is_file()}
    for path in source.iterdir():
        if path.is_file() and Path(path.name) not in ours:
            (target / path.name).symlink_to(path)
    for relative in ours:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CONFIG_DIR / kind / relative, target / relative)
    pooling = target / "1_Pooling" / "config.json"
    if pooling.exists():  # the embedding width is the text model's hidden size (64 tiny, 2048 at 2B)
        settings = json.loads(pooling.read_text())
        hidden = json.loads((source / "config.json").read_text())["text_config"]["hidden_size"]
        pooling.write_text(json.dumps({**settings, "embedding_dimension": hidden}, indent=4))
    return target


def load_peer(model: str, kind: str, device: str = "cpu", dtype: str = "float32") -> Any:
    """``SentenceTransformer`` or ``CrossEncoder`` loaded from :func:`peer_dir`, in ``dtype``."""
    import torch
    from sentence_transformers import CrossEncoder, SentenceTransformer

    cls = SentenceTransformer if kind == "embedder" else CrossEncoder
    return cls(str(peer_dir(model, kind)), device=device,
               model_kwargs={"dtype": getattr(torch, dtype)}, local_files_only=True)


def peer_input(obj: dict) -> tuple[Any, dict]:
    """An official input as a user hands it to sentence-transformers: a dict of its ``text``/``image``/
    ``video`` keys as they are (sentence-transformers' multimodal input; a one-key dict is read as that
    value, a list under ``image`` as several images), and the keyword arguments of the call: the
    instruction as the prompt, ``fps``/``max_frames`` as video processor settings."""
    value = {k: v for k, v in obj.items() if k in ("text", "image", "video")}
    kwargs: dict[str, Any] = {}
    if obj.get("instruction"):
        kwargs["prompt"] = obj["instruction"]
    video = {k: obj[k] for k in ("fps", "max_frames") if obj.get(k) is not None}
    if video:
        kwargs["processing_kwargs"] = {"video": video}
    return value, kwargs


# --- Parity on the golden cases -------------------------------------------------------------------
@dataclass
class Case:
    """One golden case: ``value`` is the cosine (embedding) or the largest score difference
    (reranker), None where it raised (``error`` says what)."""

    kind: str
    name: str
    ours: float | None
    peer: float | None
    error: str = ""

    def passes(self, value: float | None) -> bool:
        if value is None:
            return False
        return value >= TOLERANCE["embedding"] if self.kind == "embedding" else value <= TOLERANCE["reranker"]


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:90]}" if str(exc) else type(exc).__name__


def embedding_parity(golden: list[dict], ours: Any, peer: Any, assets: Path) -> list[Case]:
    """Each embedding case alone, through ours (``embed``) and the peer (``encode``)."""
    cases = []
    for case in golden:
        item = with_media(case["input"], assets)
        our_cos = cosine(ours.embed([item])[0], case["embedding"])
        value, kwargs = peer_input(item)
        try:
            peer_cos, error = cosine(peer.encode([value], **kwargs)[0], case["embedding"]), ""
        except Exception as exc:  # noqa: BLE001 - a raising case is a result here, reported as such
            peer_cos, error = None, _error(exc)
        cases.append(Case("embedding", case["name"], our_cos, peer_cos, error))
    return cases


def reranker_parity(golden: list[dict], ours: Any, peer: Any, assets: Path) -> list[Case]:
    """Each reranker case: ours ``rerank``, the peer ``rank`` (scores put back in document order);
    where the peer raises on the whole list, each document alone says which ones raise."""
    cases = []
    for case in golden:
        spec = case["input"]
        query, documents = with_media(spec["query"], assets), [with_media(d, assets) for d in spec["documents"]]
        reference = np.asarray(case["scores"])
        mine = np.asarray(ours.rerank(query, documents, instruction=spec.get("instruction")))
        kwargs = {"prompt": spec["instruction"]} if spec.get("instruction") else {}
        peer_query = peer_input(query)[0]
        try:
            ranked = peer.rank(peer_query, [peer_input(d)[0] for d in documents], **kwargs)
            scores = np.empty(len(documents))
            for entry in ranked:
                scores[entry["corpus_id"]] = entry["score"]
            diff, error = float(np.max(np.abs(scores - reference))), ""
        except Exception as exc:  # noqa: BLE001 - reported, as above
            diff, error = None, _error(exc)
            alone = []
            for i, document in enumerate(documents):
                try:
                    score = peer.predict([(peer_query, peer_input(document)[0])], **kwargs)[0]
                    alone.append(f"{abs(float(score) - reference[i]):.4f}")
                except Exception:  # noqa: BLE001 - reported, as above
                    alone.append("raises")
            error += f"; each document alone: {', '.join(alone)}"
        cases.append(Case("reranker", case["name"], float(np.max(np.abs(mine - reference))), diff, error))
    return cases


def parity(embedder: str, reranker: str, device: str = "cpu") -> list[Case]:
    """All golden cases, ours and the peer, on the fixtures (the goldens exist only for them)."""
    from ..backends.loader import load_embedder, load_reranker

    golden = json.loads(fixtures.GOLDEN.read_text())
    assets = ROOT / "assets"
    cases = embedding_parity(golden["embedding"], load_embedder(embedder, device=device),
                             load_peer(embedder, "embedder", device), assets)
    return cases + reranker_parity(golden["reranker"], load_reranker(reranker, device=device),
                                   load_peer(reranker, "reranker", device), assets)


def parity_lines(cases: list[Case]) -> list[str]:
    """The per-case table, then one summary line per model."""
    lines = [f"{'golden case':<42} {'ours':>9} {'peer':>9}  peer"]
    for case in cases:
        measure = "cosine" if case.kind == "embedding" else "max |score diff|"
        peer = "raises" if case.peer is None else f"{case.peer:9.6f}"
        verdict = "ok" if case.passes(case.peer) else f"FAILS ({case.error or measure})"
        lines.append(f"{case.kind[:3]} {case.name:<38} {case.ours:9.6f} {peer:>9}  {verdict}")
    for kind in ("embedding", "reranker"):
        some = [c for c in cases if c.kind == kind]
        lines.append(f"# {kind}: ours passes {sum(c.passes(c.ours) for c in some)}/{len(some)}, "
                     f"the peer {sum(c.passes(c.peer) for c in some)}/{len(some)} "
                     f"({sum(c.peer is None for c in some)} raise)")
    return lines


# --- Speed and memory, each side in its own process ------------------------------------------------
def workload(with_videos: bool, photos_only: bool = False) -> tuple[list[dict], dict, list[dict]]:
    """The sample gallery (without its videos where the peer cannot decode them; only its photos
    with ``photos_only``, for a run at real size that fits in minutes), and a rerank: a text
    query over 8 texts and 8 of the gallery's images."""
    from ..core.items import sample_items

    items = [item.to_input() for item in sample_items()]
    if not with_videos:
        items = [item for item in items if "video" not in item]
    if photos_only:
        items = [item for item in items if "image" in item and "/images/" in str(item["image"]).replace("\\", "/")]
    texts = ["A cyclist rides down a green bike lane.", "Kitchen sink.", "Wooden spoons on a table.",
             "A bathroom with a glass shower."]
    documents = [{"text": f"{t} ({i})"} for i, t in enumerate(texts * 2)] + [i for i in items if "image" in i][:8]
    return items, {"text": "A person riding a bicycle in the city."}, documents


def peer_decodes_video() -> bool:
    """transformers decodes video files only through torchcodec (and FFmpeg under it)."""
    try:
        from torchcodec.decoders import VideoDecoder  # noqa: F401
    except (ImportError, OSError, RuntimeError):  # missing, or present without a usable FFmpeg
        return False
    return True


def visual_tokens(items: list[dict], max_pixels: int) -> int:
    """Visual tokens of the images in ``items`` resized under ``max_pixels`` (32x32 pixels a token)."""
    from PIL import Image
    from transformers.models.qwen2_vl.image_processing_qwen2_vl import smart_resize

    total = 0
    for item in items:
        if "image" in item:
            with Image.open(item["image"]) as image:
                width, height = image.size
            h, w = smart_resize(height, width, factor=config.PIXEL_FACTOR, min_pixels=config.IMAGE_MIN_PIXELS,
                                max_pixels=max_pixels)
            total += h * w // config.PIXEL_FACTOR**2
    return total


def work_line(args: argparse.Namespace) -> str:
    """How much visual work each side does on the gallery's images: the peer's processor caps an
    image at its checkpoint's ``size.longest_edge`` pixels, the official code at 1800 tokens."""
    from ..backends.loader import resolve_model

    processor = json.loads((Path(resolve_model(args.embedder, "embedding")) / "preprocessor_config.json").read_text())
    cap = int(processor.get("size", {}).get("longest_edge") or processor.get("max_pixels"))
    items = workload(args.videos, args.photos)[0]
    ours, peer = visual_tokens(items, config.IMAGE_MAX_PIXELS), visual_tokens(items, cap)
    return (f"# visual tokens of the gallery's images: ours {ours} (the official cap, 1800 an image), the peer "
            f"{peer} (its processor's cap, {cap // config.PIXEL_FACTOR**2} an image): the peer "
            + ("does the same vision work" if ours == peer else
               f"does {peer / ours:.0%} of the vision work, reading large pages at a lower resolution"))


def _rss_mib() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def measure_side(side: str, args: argparse.Namespace) -> dict[str, Any]:
    """In this (child) process: load ``side`` (``ours`` or ``peer``), then time repeated calls.
    Ours has its vision-feature memory emptied before each call, so both sides do the same work."""
    from .measure import PeakMemory, cold, release_memory

    items, query, documents = workload(args.videos, args.photos)
    started = time.perf_counter()
    if side == "ours":
        from ..backends.loader import load_embedder, load_reranker

        embedder = load_embedder(args.embedder, device=args.device, dtype=args.dtype)
        reranker = load_reranker(args.reranker, device=args.device, dtype=args.dtype)
        embed = lambda: cold(embedder, True).embed(items)  # noqa: E731
        embed_again = lambda: embedder.embed(items)  # noqa: E731  (what the app does: features kept)
        rerank = lambda: cold(reranker, True).rerank(query, documents)  # noqa: E731
    else:
        encoder = load_peer(args.embedder, "embedder", args.device, args.dtype)
        cross = load_peer(args.reranker, "reranker", args.device, args.dtype)
        embed = embed_again = lambda: encoder.encode([peer_input(i)[0] for i in items])
        rerank = lambda: cross.rank(peer_input(query)[0], [peer_input(d)[0] for d in documents])  # noqa: E731
    result: dict[str, Any] = {"load_s": time.perf_counter() - started, "items": len(items)}
    release_memory()
    result["resident_mib"] = _rss_mib()
    for name, call in (("embed", embed), ("embed_again", embed_again), ("rerank", rerank)):
        started = time.perf_counter()
        with PeakMemory(args.device) as memory:
            call()
        result[f"{name}_first_s"] = time.perf_counter() - started
        result[f"{name}_peak_extra_mib"] = memory.peak_bytes / 2**20
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        result[f"{name}_s"] = statistics.median(times)
    result["peak_resident_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_side(side: str, args: argparse.Namespace) -> dict[str, Any]:
    """:func:`measure_side` in a fresh child process with this one's settings and environment."""
    command = [sys.executable, "-m", "qwen3vl_demo.tools.st_peer", "--child", side, "--embedder", args.embedder,
               "--reranker", args.reranker, "--device", args.device, "--dtype", args.dtype,
               "--repeats", str(args.repeats)] + (["--videos"] if args.videos else []) + (
                   ["--photos"] if args.photos else [])
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"the {side} run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


SPEED_ROWS = (
    ("load both models", "load_s", "s"),
    ("resident after loading both", "resident_mib", "MiB"),
    ("peak resident, whole run", "peak_resident_mib", "MiB"),
    ("embed the gallery: first call", "embed_first_s", "s"),
    ("embed the gallery: peak extra memory", "embed_peak_extra_mib", "MiB"),
    ("embed the gallery: repeated call (median)", "embed_s", "s"),
    ("  ... ours keeping its vision features (app)", "embed_again_s", "s"),
    ("rerank 8 texts + 8 images: first call", "rerank_first_s", "s"),
    ("rerank 8 texts + 8 images: repeated (median)", "rerank_s", "s"),
)


def speed_lines(ours: dict[str, Any], peer: dict[str, Any]) -> list[str]:
    """One line per measure: ours, the peer, and peer / ours (above 1: ours is better)."""
    lines = [f"{'measure (' + str(ours['items']) + ' gallery items)':<46} {'ours':>11} {'peer':>11}  peer/ours"]
    for label, key, unit in SPEED_ROWS:
        shown = (lambda v: f"{v * 1000:8.1f} ms") if unit == "s" else (lambda v: f"{v:7.1f} MiB")
        ratio = peer[key] / ours[key] if ours[key] else float("inf")
        lines.append(f"{label:<46} {shown(ours[key]):>11} {shown(peer[key]):>11}  {ratio:6.2f}x")
    return lines


def report(args: argparse.Namespace) -> list[str]:
    """The whole comparison as printable lines."""
    import torch

    lines = [f"# sentence-transformers {version()} (peer) vs qwen3vl_demo · {args.dtype} on {args.device} · "
             f"torch {torch.__version__}, {torch.get_num_threads()} threads"]
    if args.parity:
        lines += parity_lines(parity(args.parity_embedder, args.parity_reranker, args.device))
    if not args.videos:
        lines.append("# the peer cannot read video files here (no torchcodec/FFmpeg): speed runs without "
                     "the gallery's videos")
    lines.append(f"# embedder {_shown(args.embedder)} · reranker {_shown(args.reranker)} · each side in its own "
                 f"process, {args.repeats} repeats a call; {args.rounds} rounds alternating the sides, the best kept")
    return [*lines, work_line(args), *speed_lines(*alternate(args))]


def alternate(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ours and the peer, one after the other, ``args.rounds`` times; each measure's lowest value
    over the rounds (on a shared machine the load changes between runs: the best run is the one
    least disturbed, for both sides alike)."""
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "peer": []}
    for _ in range(args.rounds):
        for side in runs:
            runs[side].append(run_side(side, args))
    ours, peer = ({key: min(run[key] for run in runs[side]) for key in runs[side][0]} for side in runs)
    return ours, peer


def version() -> str:
    from importlib.metadata import version as installed

    return installed("sentence-transformers")


def _shown(model: str) -> str:
    """A local checkpoint relative to the project (no machine paths in reports); others as they are."""
    return os.path.relpath(model, ROOT) if os.path.isdir(model) else model


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedder", default=config.env_default("embedder"), help="model for the speed runs: "
                        "directory, hub id or preset (random-2b) [QWEN3VL_EMBEDDER, else the test checkpoint]")
    parser.add_argument("--reranker", default=config.env_default("reranker"),
                        help="[QWEN3VL_RERANKER, else the test checkpoint]")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"],
                        help="both sides load in this dtype (float32: our API's exact default on a CPU)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each side, alternating")
    parser.add_argument("--no-parity", dest="parity", action="store_false",
                        help="skip the golden cases (they run on the fixtures whatever --embedder says)")
    parser.add_argument("--videos", action="store_true", default=None,
                        help="include the gallery's videos (default: when the peer can decode them)")
    parser.add_argument("--photos", action="store_true",
                        help="the gallery's photos only (a run at 2B shape in minutes, not an hour)")
    parser.add_argument("--child", choices=["ours", "peer"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.videos = peer_decodes_video() if args.videos is None else args.videos
    args.parity_embedder = fixtures.checkpoint("embedding")
    args.parity_reranker = fixtures.checkpoint("reranker")
    args.embedder = args.embedder or args.parity_embedder
    args.reranker = args.reranker or args.parity_reranker
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not available():
        print("# sentence-transformers is not installed: pip install sentence-transformers==6.2.0")
        return 1
    if args.child:
        print(json.dumps(measure_side(args.child, args)))
        return 0
    print(*report(args), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def bench_lines(embedder: str, reranker: str, device: str | None, repeats: int) -> list[str]:
    """The peer section of ``python -m qwen3vl_demo.bench``; one line saying why when it cannot run."""
    if not available():
        return ["# peer (sentence-transformers) skipped: not installed; pip install sentence-transformers==6.2.0"]
    args = parse_args(["--embedder", embedder, "--reranker", reranker, "--device", device or "cpu",
                       "--repeats", str(repeats)])
    return report(args)
