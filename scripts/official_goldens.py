"""The golden outputs the parity tests compare with, computed by the official implementation.

Runs the code of QwenLM/Qwen3-VL-Embedding (``src/models``: ``Qwen3VLEmbedder``, ``Qwen3VLReranker``)
as published, float32 on the CPU, on the test checkpoints, for every case of a golden file, and
writes the results in the same format. Run it in an environment of its own with the official
versions (transformers 4.57.3, qwen-vl-utils 0.0.14, decord 0.6.0): ``scripts/regenerate-goldens.sh``
sets one up and runs this. Standalone on purpose: it imports nothing of this project.

    python scripts/official_goldens.py --fixtures DIR [--official CHECKOUT] [--cases JSON] [--out JSON]
                                       [--check JSON]

``--official``: a checkout of https://github.com/QwenLM/Qwen3-VL-Embedding (cloned into a temporary
folder when left out). ``--cases``: the file whose cases' inputs are used (default: the committed
``tests/golden/public.json``); media paths in the inputs are relative to ``--assets``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL_REPOSITORY = "https://github.com/QwenLM/Qwen3-VL-Embedding"
COSINE_MIN, SCORE_TOLERANCE = 0.9999, 1e-3
PINNED = {"transformers": "4.57.3", "qwen-vl-utils": "0.0.14", "decord": "0.6.0"}


class ErrorRecords(logging.Handler):
    """Errors logged while the goldens are computed: any one makes the run fail."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


def with_media(obj: dict, assets: Path) -> dict:
    """An input with its media paths made absolute (the cases keep them relative to assets/)."""
    obj = dict(obj)
    for key in ("image", "video"):
        if key in obj:
            value = obj[key]
            obj[key] = [str(assets / v) for v in value] if isinstance(value, list) else str(assets / value)
    return obj


def cosine(a, b) -> float:
    import numpy as np

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def embedding_goldens(embedder, cases: list[dict], assets: Path) -> list[dict]:
    """Each case alone, then all of them in one batch (how far batching moves each)."""
    inputs = [with_media(case["input"], assets) for case in cases]
    alone = [embedder.process([item])[0].tolist() for item in inputs]
    batched = embedder.process(inputs).tolist()
    return [{"name": case["name"], "input": case["input"], "embedding": vector,
             "batch_vs_single_cos": cosine(vector, row)}
            for case, vector, row in zip(cases, alone, batched, strict=True)]


def reranker_goldens(reranker, cases: list[dict], assets: Path) -> list[dict]:
    results = []
    for case in cases:
        data = dict(case["input"])
        data["query"] = with_media(data["query"], assets)
        data["documents"] = [with_media(d, assets) for d in data["documents"]]
        results.append({"name": case["name"], "input": case["input"], "scores": reranker.process(data)})
    return results


def compare(golden: dict, reference: dict) -> bool:
    """Print how far ``golden`` is from ``reference`` case by case; True within the tolerances the
    project is held to (cosine >= 0.9999, |score difference| <= 1e-3)."""
    import numpy as np

    worst_cosine, worst_score = 1.0, 0.0
    for mine, theirs in zip(golden["embedding"], reference["embedding"], strict=True):
        value = cosine(mine["embedding"], theirs["embedding"])
        worst_cosine = min(worst_cosine, value)
        print(f"  {mine['name']:40s} cosine {value:.9f}")
    for mine, theirs in zip(golden["reranker"], reference["reranker"], strict=True):
        gap = float(np.abs(np.subtract(mine["scores"], theirs["scores"])).max())
        worst_score = max(worst_score, gap)
        print(f"  {mine['name']:40s} largest score difference {gap:.2e}")
    within = worst_cosine >= COSINE_MIN and worst_score <= SCORE_TOLERANCE
    print(f"worst cosine {worst_cosine:.9f}, worst score difference {worst_score:.2e}: "
          f"{'within' if within else 'OUTSIDE'} the tolerances")
    return within


def official_checkout(path: Path | None, scratch: Path) -> Path:
    if path is not None:
        return path
    target = scratch / "Qwen3-VL-Embedding"
    subprocess.run(["git", "clone", "--depth", "1", OFFICIAL_REPOSITORY, str(target)], check=True)
    return target


def provenance(official: Path) -> dict:
    """What produced the file: the official commit and the versions that matter."""
    commit = subprocess.run(["git", "-C", str(official), "rev-parse", "HEAD"], capture_output=True, text=True)
    versions = {name: importlib.metadata.version(name) for name in ("torch", *PINNED)}
    return {"produced_by": "scripts/official_goldens.py", "official_repository": OFFICIAL_REPOSITORY,
            "official_commit": commit.stdout.strip() or "unknown", "versions": versions,
            "dtype": "float32", "device": "cpu"}


def check_versions(allow_other: bool) -> None:
    wrong = {name: importlib.metadata.version(name) for name, want in PINNED.items()
             if importlib.metadata.version(name) != want}
    if wrong and not allow_other:
        sys.exit(f"official versions needed {PINNED}, found {wrong} (--allow-other-versions to go on)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, required=True,
                        help="folder holding tiny-qwen3vl-embedding/ and tiny-qwen3vl-reranker/")
    parser.add_argument("--official", type=Path, default=None, help="checkout of QwenLM/Qwen3-VL-Embedding")
    parser.add_argument("--cases", type=Path, default=ROOT / "tests" / "golden" / "public.json")
    parser.add_argument("--assets", type=Path, default=ROOT / "assets")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "golden" / "public.json")
    parser.add_argument("--check", type=Path, default=None,
                        help="a golden file to compare the result with (exit 1 outside the tolerances)")
    parser.add_argument("--allow-other-versions", action="store_true")
    args = parser.parse_args(argv)
    check_versions(args.allow_other_versions)
    cases = json.loads(args.cases.read_text())
    reference = json.loads(args.check.read_text()) if args.check else None  # read before --out may replace it
    assets = args.assets.resolve()  # the official code prefixes "file://": relative paths fail
    errors = ErrorRecords()
    logging.getLogger().addHandler(errors)
    os.environ.setdefault("FORCE_QWENVL_VIDEO_READER", "decord")  # the official setup's video reader
    with tempfile.TemporaryDirectory() as scratch:
        official = official_checkout(args.official, Path(scratch))
        sys.path.insert(0, str(official / "src"))
        import torch
        from models.qwen3_vl_embedding import Qwen3VLEmbedder
        from models.qwen3_vl_reranker import Qwen3VLReranker

        torch.manual_seed(0)
        embedder = Qwen3VLEmbedder(str(args.fixtures / "tiny-qwen3vl-embedding"), dtype=torch.float32)
        reranker = Qwen3VLReranker(str(args.fixtures / "tiny-qwen3vl-reranker"), dtype=torch.float32)
        golden = {"about": provenance(official),
                  "embedding": embedding_goldens(embedder, cases["embedding"], assets),
                  "reranker": reranker_goldens(reranker, cases["reranker"], assets)}
    if errors.messages:  # the official code logs a failed media read and goes on with "NULL"
        sys.exit("the official implementation reported errors:\n" + "\n".join(errors.messages))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}: {len(golden['embedding'])} embedding and {len(golden['reranker'])} reranker cases")
    if reference is not None and not compare(golden, reference):
        sys.exit(1)


if __name__ == "__main__":
    main()
