"""How faithful and how costly where-it-matches maps are, per method.

``python -m qwen3vl_demo.tools.explain_bench`` (fixtures): the deletion / insertion test on sample
pairs for both models. Deletion removes the tokens a map ranks highest first (replaced by the
image's mean token) and follows the score down; insertion starts from every token removed and puts
the top ones back. Each curve's area (score averaged over 0..100% of tokens, 8 steps) is compared
with the same curve for random orders (4 draws): a faithful map has a lower deletion area and a
higher insertion area than random.

``--shape 2b``: time per map at the published 2B shape (preset ``random-2b``; each 4.3 GB
checkpoint is built once) for the embedder and the reranker in bfloat16 and float32, each against
scoring the same pair once as its tab does (one ``embed`` of each side / one ``rerank``: the
baseline, measured in the same run, same model and dtype), on a small photo so the run stays short.
Each part runs alone with ``--models``, ``--dtypes`` and ``--methods`` (one model resident at a
time: the 2B reranker in float32 needs about 9 GB), e.g.

    python -m qwen3vl_demo.tools.explain_bench --shape 2b --models reranker --dtypes float32
    python -m qwen3vl_demo.tools.explain_bench --shape tiny --time   # the same table on the fixtures
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..core import config, explain

IMAGES = config.ASSETS_DIR / "images"
PAIRS = [
    ({"text": "a motorbike on a mountain road"}, {"image": str(IMAGES / "img_0.jpg")}),
    ({"text": "a train and a cyclist"}, {"image": str(IMAGES / "img_2.jpg")}),
    ({"text": "a kitchen with a window"}, {"image": str(IMAGES / "img_3.jpg")}),
    ({"image": str(IMAGES / "img_8.jpg")}, {"image": str(IMAGES / "img_2.jpg")}),
]
STEPS, DRAWS = 8, 4


def curves(model: Any, query: dict, document: dict, grid: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    """Deletion and insertion areas of the map's order and of random orders (mean of ``DRAWS``)."""
    out = {}
    for name, insert in (("deletion", False), ("insertion", True)):
        ranked = model.masked_scores(query, document, explain.ranked_masks(grid, STEPS, insert))
        random = [model.masked_scores(query, document, explain.order_masks(rng.permutation(grid.size), STEPS, insert))
                  for _ in range(DRAWS)]
        out[name] = explain.area(ranked)
        out[f"{name}_random"] = float(np.mean([explain.area(r) for r in random]))
    return out


def faithfulness(models: dict[str, Any]) -> list[str]:
    """One line per model and method: mean areas over ``PAIRS`` and how often the map beat random."""
    lines = ["| model | method | deletion area (map / random) | insertion area (map / random) | "
             "pairs where deletion < random | s per map |", "|---|---|---|---|---|---|"]
    for kind, model in models.items():
        for method in ("occlusion", "gradient"):
            rows, times = [], []
            for query, document in PAIRS:
                found = model.explain(query, document, method=method)
                times.append(found.seconds)
                rows.append(curves(model, query, document, found.grid, np.random.default_rng(0)))
            mean = {key: statistics.mean(r[key] for r in rows) for key in rows[0]}
            wins = sum(r["deletion"] < r["deletion_random"] for r in rows)
            lines.append(f"| {kind} | {method} | {mean['deletion']:.4f} / {mean['deletion_random']:.4f} | "
                         f"{mean['insertion']:.4f} / {mean['insertion_random']:.4f} | {wins} of {len(rows)} | "
                         f"{statistics.median(times):.2f} |")
    return lines


def small_photo(directory: Path) -> str:
    """A copy of a sample photo at 192x128 (6x4 = 24 merged tokens) so a 2B map stays short here."""
    from PIL import Image

    path = directory / "photo_192x128.png"
    Image.open(IMAGES / "img_0.jpg").convert("RGB").resize((192, 128)).save(path)
    return str(path)


TIMED_PAIR = ({"text": "a motorbike on a mountain road"}, "photo_192x128.png")
METHODS = ("gradient", "occlusion")


def load(kind: str, checkpoint: str, dtype: str) -> Any:
    from ..backends import loader

    load_model = loader.load_embedder if kind == "embedding" else loader.load_reranker
    return load_model(checkpoint, device="cpu", dtype=dtype)


def score_pair(model: Any, query: dict, document: dict) -> None:
    """The pair scored as its tab scores it (the baseline a map is timed against)."""
    if hasattr(model, "rerank"):
        model.rerank(query, [document])
    else:
        model.embed([query]), model.embed([document])


def timed_row(kind: str, dtype: str, model: Any, query: dict, document: dict, methods: list[str],
              repeats: int = 1) -> str:
    """One table row: the pair scored cold (vision cache cleared), then each method's map, cold too;
    each the median of ``repeats`` runs."""
    score_pair(model, query, document)  # warm: weights paged in

    def cold(run: Any) -> tuple[float, Any]:
        times, result = [], None
        for _ in range(repeats):
            model.vision_cache.clear()
            started = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - started)
        return statistics.median(times), result

    baseline, _ = cold(lambda: score_pair(model, query, document))
    runs = {method: cold(lambda m=method: model.explain(query, document, method=m)) for method in methods}
    maps = {method: seconds for method, (seconds, _) in runs.items()}
    passes = str(runs["occlusion"][1].forwards) if "occlusion" in runs else ""
    seconds = [f"{maps[m]:.2f} s" if m in maps else "not run" for m in METHODS]
    ratios = [f"{maps[m] / baseline:.1f}x" if m in maps else "" for m in METHODS]
    return f"| {kind} | {dtype} | {baseline:.2f} s | {' | '.join(seconds)} | {' | '.join(ratios)} | {passes} |"


def timing(checkpoints: dict[str, str], dtypes: list[str], methods: list[str], directory: Path,
           repeats: int = 1) -> list[str]:
    """Seconds per map against scoring the pair once, per model and dtype, each row printed as it
    is measured; one model resident at a time (a 2B reranker in float32 is about 9 GB)."""
    query, document = TIMED_PAIR[0], {"image": small_photo(directory)}
    lines = ["| model | dtype | score the pair (baseline) | gradient map | occlusion map | gradient / baseline | "
             "occlusion / baseline | occlusion passes |", "|---|---|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    from ..backends import loader

    for kind, checkpoint in checkpoints.items():
        for dtype in dtypes:
            model = load(kind, checkpoint, dtype)
            lines.append(timed_row(kind, dtype, model, query, document, methods, repeats))
            print(lines[-1], flush=True)
            del model
            loader.forget(kind)  # the next one's weights in its place, not beside it
            gc.collect()
    return lines


def choices(value: str, allowed: tuple[str, ...], what: str) -> list[str]:
    """A comma-separated flag as a list, each checked against ``allowed``."""
    picked = [v.strip() for v in value.split(",") if v.strip()]
    wrong = [v for v in picked if v not in allowed]
    if not picked or wrong:
        raise SystemExit(f"--{what}: choose from {', '.join(allowed)} (got {value!r})")
    return picked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=["tiny", "2b"], default="tiny",
                        help="tiny: the test fixtures (faithfulness, or --time); 2b: time per map at the 2B shape")
    parser.add_argument("--time", action="store_true", help="time maps instead of the faithfulness test "
                        "(always so with --shape 2b); on the fixtures it checks this script in seconds")
    parser.add_argument("--models", default="embedding,reranker", help="timing: embedding, reranker or both")
    parser.add_argument("--dtypes", default="bfloat16,float32", help="timing: bfloat16, float32 or both")
    parser.add_argument("--methods", default="gradient,occlusion", help="timing: gradient, occlusion or both")
    parser.add_argument("--repeats", type=int, default=1, help="timing: the median of this many cold runs each")
    args = parser.parse_args(argv)
    from . import fixtures  # the project's own test checkpoints, built on first use

    if args.shape == "tiny" and not args.time:
        from ..backends.loader import load_embedder, load_reranker

        models = {"embedding": load_embedder(fixtures.checkpoint("embedding"), device="cpu"),
                  "reranker": load_reranker(fixtures.checkpoint("reranker"), device="cpu")}
        print("\n".join(faithfulness(models)))
        return 0
    kinds = choices(args.models, ("embedding", "reranker"), "models")
    checkpoints = {kind: "random-2b" if args.shape == "2b" else fixtures.checkpoint(kind) for kind in kinds}
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        timing(checkpoints, choices(args.dtypes, ("bfloat16", "float32"), "dtypes"),
               choices(args.methods, METHODS, "methods"), Path(directory), max(1, args.repeats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
