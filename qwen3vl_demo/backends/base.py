"""The contract every backend keeps: what an embedder and a reranker take, return and report.

A backend implements one batch method (``embed_prepared`` / ``score_prepared``) and how one input
is made ready for it (``prepare`` / ``prepare_query`` + ``prepare_document``). Everything else is
here, once: the type and range checks, the MRL cut and normalisation, the non-finite check, the
timers and the per-item statistics the app shows as costs. No torch here.

Shapes: ``embed`` returns float32 [n_items, dim] with L2-normalised rows; ``rerank`` returns one
float in (0, 1) per document, in document order.
"""

from __future__ import annotations

import contextlib
import math
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import formatting
from ..core.batching import check_batch_size
from ..core.errors import InputError, at_position
from ..core.inputs import prepare_each
from ..core.similarity import check_dim, truncate_dim

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class LoadInfo:
    """What the app shows about a loaded model."""

    model: str
    path: str
    device: str
    dtype: str
    attention: str
    seconds: float
    parameters: int
    dtype_reason: str = ""  # why this dtype (the CPU's bfloat16 support, asked for, CUDA...)
    storage: str = ""  # what the weights are held in (bfloat16 for exact float32 results, int8...)
    memory: str = ""  # the memory check before loading: "needs 5.0 GiB, 12.3 GiB free before loading"


@dataclass
class Batch:
    """What a backend's batch method returns: one value per prepared input (a vector or a score)
    and, where the backend knows them, each input's prompt tokens."""

    values: Any  # float [n, d] vectors, or n scores
    tokens: list[int] = field(default_factory=list)


def record(stats: dict[str, Any] | None, prepared: Sequence[Any], batch: Batch, prepare_s: float,
           model_s: float) -> None:
    """The seconds spent preparing and in the model, each input's tokens and visual tokens."""
    if stats is not None:
        stats.update(prepare_s=prepare_s, model_s=model_s, tokens=list(batch.tokens),
                     visual_tokens=[p.visual_tokens for p in prepared])


class Backend:
    """What both kinds of model have: a name, load info, a default batch size."""

    name: str = ""
    info: LoadInfo
    batch_size: int = 1

    def close(self) -> None:
        """Release what the model holds outside this process (connections); nothing by default."""

    def in_background(self, others_waiting: Callable[[], bool], wait: Callable[[], None]) -> AbstractContextManager:
        """A block whose calls give way to others' while ``others_waiting()`` (by ``wait()``ing)
        where the backend can pause mid-call; by default they simply run."""
        del others_waiting, wait
        return contextlib.nullcontext()


class Embedder(Backend, ABC):
    """Qwen3-VL-Embedding: last-token pooling, L2-normalised, any MRL size from 64 to ``full_dim``."""

    full_dim: int

    def check_dim(self, dim: Any) -> int:
        """``dim`` as an int in 64..full_dim (None: full); InputError otherwise."""
        return check_dim(dim, self.full_dim)

    @abstractmethod
    def prepare(self, item: Any) -> Any:
        """One official input dict made ready for ``embed_prepared`` (media read, prompt built);
        the result has ``visual_tokens``. InputError if the input is bad."""

    @abstractmethod
    def embed_prepared(self, prepared: list[Any], dim: int, batch_size: int,
                       progress: Progress | None) -> Batch:
        """Vectors of prepared inputs: float [n, d] with ``dim <= d <= full_dim``, in input order
        (normalised or not: the caller cuts and normalises)."""

    def embed(self, items: Sequence[Any], dim: int | None = None, batch_size: int | None = None,
              progress: Progress | None = None, stats: dict[str, Any] | None = None) -> np.ndarray:
        """Embeddings of ``items``: float32 [len(items), dim or full], rows L2-normalised.

        ``progress(done, total)``, if given, is called as items are done; ``stats``, if given,
        receives the seconds spent preparing (decoding, resizing, tokenising) and in the model, and
        each item's tokens and visual tokens.
        """
        size = self.check_dim(dim)
        if isinstance(items, dict):
            raise InputError("embed takes a list of inputs; wrap the dict in a list")
        workers = check_batch_size(batch_size, self.batch_size)
        started = time.perf_counter()
        prepared = prepare_each(self.prepare, items)
        if not prepared:
            return np.zeros((0, size), dtype=np.float32)
        ready = time.perf_counter()
        batch = self.embed_prepared(prepared, size, workers, progress)
        record(stats, prepared, batch, ready - started, time.perf_counter() - ready)
        vectors = np.asarray(batch.values, dtype=np.float32)
        if not np.isfinite(vectors).all():
            raise RuntimeError(f"{self.name} produced non-finite values; try dtype float32")
        return truncate_dim(vectors, size)


class Reranker(Backend, ABC):
    """Qwen3-VL-Reranker: sigmoid of the yes-minus-no logit at the final position."""

    @abstractmethod
    def prepare_query(self, query: Any) -> Any:
        """The query made ready to pair with each document; InputError if it is bad."""

    @abstractmethod
    def prepare_document(self, query: Any, document: Any, instruction: str) -> Any:
        """One (query, document) pair made ready for ``score_prepared``; the result has
        ``visual_tokens`` (the pair's)."""

    @abstractmethod
    def score_prepared(self, query: Any, prepared: list[Any], instruction: str, batch_size: int,
                       progress: Progress | None) -> Batch:
        """Scores in (0, 1) of prepared pairs, in document order."""

    def rerank(self, query: Any, documents: Sequence[Any], instruction: str | None = None,
               batch_size: int | None = None, progress: Progress | None = None,
               stats: dict[str, Any] | None = None) -> list[float]:
        """Relevance of each document to ``query``, in document order, each in (0, 1).

        ``progress`` and ``stats`` as for :meth:`Embedder.embed` (tokens and visual tokens per pair).
        """
        instruction = formatting.reranker_instruction(instruction)
        if isinstance(documents, dict):
            raise InputError("documents must be a list of inputs; wrap the dict in a list")
        size = check_batch_size(batch_size, self.batch_size)
        started = time.perf_counter()
        ready_query = at_position(self.prepare_query, query, None, "query")
        prepared = prepare_each(lambda d: self.prepare_document(ready_query, d, instruction), documents,
                                "document")
        if not prepared:
            return []
        ready = time.perf_counter()
        batch = self.score_prepared(ready_query, prepared, instruction, size, progress)
        record(stats, prepared, batch, ready - started, time.perf_counter() - ready)
        scores = [float(s) for s in batch.values]
        if not all(math.isfinite(s) for s in scores):
            raise RuntimeError(f"{self.name} produced non-finite scores; try dtype float32")
        return scores

    def rank(self, query: Any, documents: Sequence[Any], instruction: str | None = None,
             top_k: int | None = None, **options: Any) -> list[dict[str, Any]]:
        """The documents best first, as sentence-transformers' ``CrossEncoder.rank`` returns them:
        ``[{"corpus_id": index, "score": score}, ...]``, the first ``top_k`` (all if None)."""
        scores = self.rerank(query, documents, instruction, **options)
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return [{"corpus_id": i, "score": scores[i]} for i in order[:top_k]]

    def remember_visuals(self, items: Sequence[Any], wait_until_idle: Callable[[], None] = lambda: None) -> int:
        """Encode the images and videos of ``items`` ahead of use where the backend can keep them;
        returns how many it encoded (none by default)."""
        del items, wait_until_idle
        return 0
