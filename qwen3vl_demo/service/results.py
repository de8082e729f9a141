"""What an operation returns: plain data with ``to_json()`` (what the API returns), no UI text.

Shapes: ``SimilarityResult.scores`` is [n_queries, n_documents]; search hits and rerank orders are
best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.items import Item


@dataclass
class Cost:
    """What one operation cost: seconds per stage and the tokens of each input computed now
    (inputs served from the cache cost nothing and are counted as cached)."""

    prepare_s: float = 0.0  # decoding, resizing, tokenising
    model_s: float = 0.0
    similarity_s: float = 0.0
    tokens: dict[str, tuple[int, int]] = field(default_factory=dict)  # label -> (total, visual)
    cached: int = 0

    def add(self, labels: Sequence[str], stats: dict[str, Any]) -> None:
        self.prepare_s += stats.get("prepare_s", 0.0)
        self.model_s += stats.get("model_s", 0.0)
        for label, total, visual in zip(labels, stats.get("tokens", []), stats.get("visual_tokens", []),
                                        strict=False):
            self.tokens[label] = (total, visual)

    def absorb(self, other: Cost, prefix: str) -> None:
        """Add another operation's cost (its inputs' labels prefixed) to this one."""
        self.prepare_s += other.prepare_s
        self.model_s += other.model_s
        self.tokens.update({prefix + label: value for label, value in other.tokens.items()})

    def to_json(self) -> dict[str, Any]:
        return {"seconds": {"prepare": round(self.prepare_s, 4), "model": round(self.model_s, 4),
                            "similarity": round(self.similarity_s, 6)},
                "tokens": {k: {"total": t, "visual": v} for k, (t, v) in self.tokens.items()},
                "cached_inputs": self.cached}


@dataclass
class SimilarityResult:
    """Scores of every query against every document: ``scores`` is [n_queries, n_docs]."""

    queries: list[Item]
    documents: list[Item]
    scores: np.ndarray
    dim: int
    seconds: float
    cost: Cost = field(default_factory=Cost)

    def to_json(self) -> dict[str, Any]:
        return {
            "queries": [q.label for q in self.queries],
            "documents": [d.label for d in self.documents],
            "scores": np.round(self.scores.astype(float), 6).tolist(),
            "dim": self.dim,
            "seconds": round(self.seconds, 3),
            "cost": self.cost.to_json(),
        }


@dataclass
class Hit:
    item: Item
    score: float
    rank: int  # 1-based rank by embedding similarity
    rerank_score: float | None = None
    rerank_rank: int | None = None
    is_query: bool = False  # the query itself, in the gallery (the same text or the same file's bytes)

    @property
    def move(self) -> int:
        """Places gained (+) or lost (-) by reranking."""
        return 0 if self.rerank_rank is None else self.rank - self.rerank_rank


@dataclass
class SearchResult:
    """Top-k of the gallery for one query, in final order (reranked if asked)."""

    query: Item
    hits: list[Hit]
    reranked: bool
    dim: int
    seconds: float
    gallery_size: int = 0
    cost: Cost = field(default_factory=Cost)
    not_indexed_yet: int = 0  # samples left out: the gallery was still being indexed

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query.label,
            "reranked": self.reranked,
            "dim": self.dim,
            "gallery_size": self.gallery_size,
            "not_indexed_yet": self.not_indexed_yet,
            "seconds": round(self.seconds, 3),
            "cost": self.cost.to_json(),
            "results": [
                {"label": h.item.label, "kind": h.item.kind, "origin": h.item.origin,
                 "embedding_rank": h.rank, "embedding_score": round(h.score, 6),
                 "rerank_rank": h.rerank_rank,
                 "rerank_score": None if h.rerank_score is None else round(h.rerank_score, 6),
                 "move": h.move, "is_query": h.is_query}
                for h in self.hits
            ],
        }


@dataclass
class RerankResult:
    """Documents sorted by reranker score, best first."""

    query: Item
    documents: list[Item]
    scores: list[float]
    seconds: float
    order: list[int] = field(default_factory=list)
    cost: Cost = field(default_factory=Cost)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query.label,
            "seconds": round(self.seconds, 3),
            "cost": self.cost.to_json(),
            "results": [
                {"rank": r + 1, "index": i, "label": self.documents[i].label,
                 "kind": self.documents[i].kind, "score": round(self.scores[i], 6)}
                for r, i in enumerate(self.order)
            ],
        }
