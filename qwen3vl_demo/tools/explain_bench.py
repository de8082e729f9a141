"""How faithful and how costly where-it-matches maps are, per method.

``python -m qwen3vl_demo.tools.explain_bench`` (fixtures): the deletion / insertion test on sample
pairs for both models. Deletion removes the tokens a map ranks highest first (replaced by the
image's mean token) and follows the score down; insertion starts from every token removed and puts
the top ones back. Each curve's area (score averaged over 0..100% of tokens, 8 steps) is compared
with the same curve for random orders (4 draws): a faithful map has a lower deletion area and a
higher insertion area than random.

``--shape 2b``: time per map at the published 2B shape (preset ``random-2b``, the embedder; its
4.3 GB checkpoint is built once) in bfloat16 and float32, each against one ``embed`` of the same
pair (the baseline, measured in the same run), on a small photo so the run stays short.
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


def at_2b(dtypes: list[str], directory: Path) -> list[str]:
    """Seconds per map at the 2B shape against one embed of the pair, per dtype."""
    from ..backends import loader

    query, document = {"text": "a motorbike on a mountain road"}, {"image": small_photo(directory)}
    lines = ["| dtype | embed pair (baseline) | gradient map | occlusion map | gradient / baseline | "
             "occlusion / baseline | occlusion passes |", "|---|---|---|---|---|---|---|"]
    for dtype in dtypes:
        model = loader.load_embedder("random-2b", device="cpu", dtype=dtype)
        model.embed([query, document])  # warm: weights paged in
        model.vision_cache.clear()
        started = time.perf_counter()
        model.embed([query]), model.embed([document])
        baseline = time.perf_counter() - started
        model.vision_cache.clear()
        gradient = model.explain(query, document, method="gradient")
        model.vision_cache.clear()
        occlusion = model.explain(query, document, method="occlusion")
        ratios = f"{gradient.seconds / baseline:.1f}x | {occlusion.seconds / baseline:.1f}x"
        lines.append(f"| {dtype} | {baseline:.2f} s | {gradient.seconds:.2f} s | {occlusion.seconds:.2f} s | "
                     f"{ratios} | {occlusion.forwards} |")
        print(lines[-1], flush=True)
        del model
        loader.forget("embedding")  # the next dtype's weights in its place, not beside it
        gc.collect()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=["tiny", "2b"], default="tiny")
    parser.add_argument("--dtypes", default="bfloat16,float32")
    args = parser.parse_args(argv)
    if args.shape == "tiny":
        from ..backends.loader import load_embedder, load_reranker
        from . import fixtures  # the project's own test checkpoints, built on first use

        models = {"embedding": load_embedder(fixtures.checkpoint("embedding"), device="cpu"),
                  "reranker": load_reranker(fixtures.checkpoint("reranker"), device="cpu")}
        print("\n".join(faithfulness(models)))
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as directory:
            print("\n".join(at_2b(args.dtypes.split(","), Path(directory))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
