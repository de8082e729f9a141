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

from ..core import explain, formatting
from ..core.batching import check_batch_size
from ..core.errors import InputError, ModelUnavailable, at_position
from ..core.explain import Explanation, Method, check_method
from ..core.inputs import prepare_each
from ..core.similarity import check_dim, truncate_dim

Progress = Callable[[int, int], None]  # (done, total)

MAPS_NEED_LOCAL = ("where-it-matches maps need the model in this process (the local transformers backend, "
                   "the app without --embedder-url/--reranker-url): a server returns only pooled vectors and scores")


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
    """What both kinds of model have: a name, load info, a default batch size, maps of a pair."""

    name: str = ""
    info: LoadInfo
    batch_size: int = 1

    def close(self) -> None:
        """Release what the model holds outside this process (connections); nothing by default."""

    def explain_pair(self, query: Any, document: Any, method: Method, option: Any) -> Explanation:
        """Where the pair's score comes from (``Embedder.explain`` / ``Reranker.explain``;
        ``option``: the MRL size or the reranker's instruction). A backend that cannot look inside
        the model says so."""
        del query, document, method, option
        raise ModelUnavailable(MAPS_NEED_LOCAL)

    def masked_scores(self, query: Any, document: Any, masks: np.ndarray, option: Any = None) -> np.ndarray:
        """The pair's score once per row of ``masks`` (bool [n, tokens of the mapped visual], in
        the order of ``Explanation.grid``), the masked tokens replaced by the visual's mean token:
        what the deletion / insertion test measures. ``option``: the MRL size or the reranker's
        instruction (None: full size, default instruction). float64 [n]."""
        del query, document, masks, option
        raise ModelUnavailable(MAPS_NEED_LOCAL)

    def timed_explanation(self, query: Any, document: Any, method: Any, option: Any) -> Explanation:
        chosen = check_method(method)
        started = time.perf_counter()
        found = self.explain_pair(explain.bounded(query), explain.bounded(document), chosen, option)
        found.seconds = time.perf_counter() - started
        if not (math.isfinite(found.score) and np.isfinite(found.grid).all()):
            raise RuntimeError(f"{self.name} produced non-finite values; try dtype float32")
        return found

    def enter_forked_worker(self) -> None:
        """Called first in a worker process forked from the one that loaded the model (ZeroGPU's
        GPU workers), before the model runs there; nothing by default."""

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

    def text_tokens(self, text: str) -> int | None:
        """How many tokens ``text`` alone takes (no prompt around it), where the backend holds the
        tokenizer; None where it does not (a server)."""
        del text
        return None

    @abstractmethod
    def embed_prepared(self, prepared: list[Any], dim: int, batch_size: int,
                       progress: Progress | None) -> Batch:
        """Vectors of prepared inputs: float [n, d] with ``dim <= d <= full_dim``, in input order
        (normalised or not: the caller cuts and normalises)."""

    def explain(self, query: Any, document: Any, dim: int | None = None, method: str = "occlusion") -> Explanation:
        """Where the similarity of ``query`` and ``document`` (official input dicts, one with an
        image or video) comes from: ``grid`` over the mapped visual's merged tokens (the
        document's if it has one), ``words`` of the text side (the query's text if any),
        ``score`` as ``embed`` gives it at ``dim`` (a video explained at up to
        ``explain.MAX_FRAMES`` frames). ``method``: "occlusion" (faithful) or "gradient" (fast)."""
        return self.timed_explanation(query, document, method, self.check_dim(dim))

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

    def explain(self, query: Any, document: Any, instruction: str | None = None,
                method: str = "occlusion") -> Explanation:
        """Where the reranker's relevance of ``document`` to ``query`` comes from, as
        :meth:`Embedder.explain` (``score`` as ``rerank`` gives it with ``instruction``)."""
        return self.timed_explanation(query, document, method, formatting.reranker_instruction(instruction))

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
