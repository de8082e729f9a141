"""Parity with the official implementation, on its committed outputs (``tests/golden/public.json``).

    python -m qwen3vl_demo.tools.parity

Runs every golden case through ``load_embedder`` / ``load_reranker`` on the test checkpoints (float32,
CPU): each embedding case alone and all of them in one batch, every reranker score. Prints the cases
out of tolerance and the summary table README quotes; exits 1 if any case is out of tolerance.
``tests/test_parity.py`` asserts the same checks.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core.config import ASSETS_DIR
from . import fixtures

COSINE_MIN = 0.9999  # against the golden embedding, every case, alone and batched
SCORE_TOLERANCE = 1e-3  # |score - golden score|, every reranker score
MEDIA_KEYS = ("image", "video")


@dataclass(frozen=True)
class Check:
    """One comparison with the goldens: ``value`` is a cosine (``alone``, ``batched``) or a score's
    difference (``scores``)."""

    case: str
    kind: str
    value: float

    @property
    def passed(self) -> bool:
        return self.value <= SCORE_TOLERANCE if self.kind == "scores" else self.value >= COSINE_MIN


def with_media(obj: dict, assets: Path = ASSETS_DIR) -> dict:
    """A golden input with its media paths (relative to ``assets``) made absolute."""
    obj = dict(obj)
    for key in MEDIA_KEYS:
        if key in obj:
            value = obj[key]
            obj[key] = [str(assets / v) for v in value] if isinstance(value, list) else str(assets / value)
    return obj


def cosine(a: Any, b: Any) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def embedding_checks(embedder: Any, cases: list[dict]) -> list[Check]:
    """Each case embedded alone, then all in one batch, against its golden vector."""
    items = [with_media(case["input"]) for case in cases]
    checks = [Check(case["name"], "alone", cosine(embedder.embed([item])[0], case["embedding"]))
              for case, item in zip(cases, items, strict=True)]
    batch = embedder.embed(items)
    return checks + [Check(case["name"], "batched", cosine(row, case["embedding"]))
                     for case, row in zip(cases, batch, strict=True)]


def reranker_checks(reranker: Any, cases: list[dict]) -> list[Check]:
    checks = []
    for case in cases:
        data = case["input"]
        scores = reranker.rerank(with_media(data["query"]), [with_media(d) for d in data["documents"]],
                                 instruction=data.get("instruction"))
        checks += [Check(f"{case['name']} document {i}", "scores", abs(float(got) - want))
                   for i, (got, want) in enumerate(zip(scores, case["scores"], strict=True))]
    return checks


def summary_table(checks: list[Check]) -> list[str]:
    """The parity table (markdown), as README and docs/faithfulness.md show it."""
    vectors = [c for c in checks if c.kind != "scores"]
    scores = [c for c in checks if c.kind == "scores"]
    return [
        "| check | result |",
        "|---|---|",
        f"| embeddings, each case alone and all in one batch ({len(vectors)} checks) | "
        f"min cosine {min(c.value for c in vectors):.6f} (tolerance {COSINE_MIN}) |",
        f"| reranker scores ({len(scores)} scores) | max difference {max(c.value for c in scores):.5f} "
        f"(tolerance {SCORE_TOLERANCE:g}) |",
    ]


def main() -> int:
    from ..backends.loader import load_embedder, load_reranker

    golden = json.loads(fixtures.GOLDEN.read_text())
    embedder = load_embedder(fixtures.checkpoint("embedding"), device="cpu", dtype="float32")
    reranker = load_reranker(fixtures.checkpoint("reranker"), device="cpu", dtype="float32")
    checks = embedding_checks(embedder, golden["embedding"]) + reranker_checks(reranker, golden["reranker"])
    for check in checks:
        if not check.passed:
            print(f"FAIL {check.case} ({check.kind}): {check.value:.6f}")
    print("\n".join(summary_table(checks)))
    return 0 if all(check.passed for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
