"""What the app does, without the UI: a thin facade over the model slots, the shared embedding
cache, the saved index of the samples, and the three operations (similarity, gallery search,
rerank). One engine per process, shared by all sessions; results are plain data (``results``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from ..backends import loader
from ..backends.presets import configured_size
from ..core import config
from ..core.errors import InputError
from ..core.explain import Explanation
from ..core.formatting import embedding_instruction
from ..core.items import Item, sample_items
from ..core.similarity import check_dim, similarity_matrix, top_k, truncate_dim
from .compute import EmbedRequest, GpuBudget, InProcess, RerankRequest, Runner, ZeroGPU
from .explain import ExplainMemo, explain_items
from .metrics import memory_usage
from .results import Cost, Hit, RerankResult, SearchResult, SimilarityResult
from .saved_index import DiskIndex, Progress, SampleIndex, no_progress
from .slots import TINY_PARAMETERS, BusyCount, ModelSlot
from .store import VIEWER_KEYS, EmbeddingCache, FileHasher, ListMemo, content_key, remember_viewed
from .turns import Cancelled, LongJob

RETRY_INTERVAL_S = 10.0  # the least time between two retries of failed model loads
MATRIX_MEMO = 32  # whole embedded lists kept (galleries of different sessions, instructions)


class Engine:
    """The app's models and operations; one per process, shared by all sessions."""

    def __init__(self, embedder: str, reranker: str, device: str | None = None,
                 dtype: str | None = None, cache_entries: int = 4096,
                 samples: Sequence[Item] | None = None, disk_cache: str | None = None,
                 embedder_url: str | None = None, reranker_url: str | None = None,
                 api_key: str | None = None, preload: Sequence[tuple[Item, str | None]] = (),
                 gpu: Callable[..., Any] | None = None, gpu_budget: GpuBudget | None = None) -> None:
        """``preload``: (item, instruction) pairs kept in the saved index with the samples (the
        examples' inputs), so they are answered without the model. ``gpu``: ZeroGPU's
        ``spaces.GPU`` where the app runs there (every model call then runs in a GPU worker, see
        ``compute``), None to run the models in this process."""
        options = {"device": device, "dtype": dtype}
        self.embedder = ModelSlot("embedding", embedder, loader.load_embedder, **options,
                                  url=embedder_url, api_key=api_key)  # url: a vLLM server
        self.reranker = ModelSlot("reranker", reranker, loader.load_reranker, **options,
                                  url=reranker_url, api_key=api_key)
        self.cache = EmbeddingCache(cache_entries)
        self.lists = ListMemo(MATRIX_MEMO)
        self.hasher = FileHasher()
        self.samples = list(sample_items() if samples is None else samples)
        self.busy = BusyCount()
        slots = {"embedding": self.embedder, "reranker": self.reranker}
        self.runner: Runner = (InProcess(slots, self.busy) if gpu is None
                               else ZeroGPU(slots, self.busy, gpu, gpu_budget))
        self.index = SampleIndex(self.embedder, self.samples, preload,
                                 DiskIndex(disk_cache or config.cache_dir() / "embeddings"),
                                 self.hasher, self.cache, self.lists, self.runner.background_tokens)
        self.maps = ExplainMemo()  # where-it-matches maps by content
        self._bundled: frozenset[tuple] | None = None  # cache keys of the samples and examples
        self._last_retry = -RETRY_INTERVAL_S

    @property
    def disk(self) -> DiskIndex:
        return self.index.disk

    @property
    def index_state(self) -> dict[str, Any]:
        return self.index.state

    def read_saved_index(self) -> None:
        """Start reading the saved index in the background (no model needed; once)."""
        self.index.read_in_background()

    def start(self) -> None:
        """Read the saved index, load the embedder, confirm or build the index, and only then load
        the reranker (at once if a visitor asks for it first: ``ModelSlot.get``): on a small
        machine two loads, or a load and the indexing, only compete for the same cores, and the
        reranker's memory is not taken while nobody reranks. Then give the reranker the gallery's
        vision features."""
        self.read_saved_index()
        embedder_first = self.embedder.begin()

        def run_all() -> None:
            if embedder_first:
                self.embedder.run()
                threading.Thread(target=self.index_samples, name="index", daemon=True).start()
                self.index.wait_settled()
            if self.reranker.begin():
                self.reranker.run()
            self.reranker.wait()
            self.remember_sample_visuals()

        threading.Thread(target=run_all, name="load-models", daemon=True).start()

    def start_before_launch(self) -> None:
        """On ZeroGPU: load both models now, in this thread (the main one, the only thread where
        ZeroGPU emulates CUDA, and whose models it moves to each GPU worker), then confirm or build
        the sample gallery's index through GPU calls, all before ``launch()``; no background
        threads touch a model. A model that fails is reported in the header as usual."""
        self.read_saved_index()
        for slot in (self.embedder, self.reranker):
            if slot.begin():
                slot.run()
        if self.embedder.state == "ready":
            self.index_samples()

    def retry(self) -> list[str]:
        """Load again the models that failed (what the Retry button does), then index the gallery
        again if its indexing failed with them; the kinds started. At most once per
        ``RETRY_INTERVAL_S`` (anyone can press Retry: a load is expensive)."""
        now = time.monotonic()
        if not self.runner.can_reload or now - self._last_retry < RETRY_INTERVAL_S:
            return []
        slots = [slot for slot in (self.embedder, self.reranker) if slot.state == "failed" and slot.begin()]
        if not slots:
            return []
        self._last_retry = now
        others = [slot for slot in (self.embedder, self.reranker) if slot not in slots]

        def run_all() -> None:
            for other in others:  # one load at a time (two threads importing transformers race)
                if other.state == "loading":
                    other.wait()
            for slot in slots:
                slot.run()
                if slot is self.embedder and slot.state == "ready" and not self.index.ready:
                    self.index_samples()
            if self.reranker.state == "ready" and self.index.ready:
                self.remember_sample_visuals()

        threading.Thread(target=run_all, name="retry-models", daemon=True).start()
        return [slot.kind for slot in slots]

    def index_samples(self, progress: Progress = no_progress) -> dict[str, Any]:
        """Confirm the saved index with the model, or build it (see ``SampleIndex``)."""
        return self.index.confirm_or_build(
            lambda items, instruction, what, report: self.embed_items(items, instruction, None, what, report,
                                                                      background=True),
            self.fresh_vector, progress)

    def fresh_vector(self, text: str) -> np.ndarray:
        """The full-size embedding of ``text`` computed now, never from or into a cache (the saved
        index's probe): float32 [full_dim]."""
        return self.runner.run(EmbedRequest(({"text": text},)), background=True).check().values[0]

    def status(self) -> dict[str, Any]:
        slots = {"embedding": self.embedder.describe(), "reranker": self.reranker.describe()}
        on_cuda = any(str(s.get("device", "")).startswith("cuda") for s in slots.values())
        return {**slots, "gallery": dict(self.index.state), "memory": memory_usage(on_cuda),
                "cached_embeddings": len(self.cache), "compute": type(self.runner).__name__,
                "can_retry": self.runner.can_reload, "turns": self.runner.activity()}

    def long_job(self, what: str, within: LongJob | None = None) -> AbstractContextManager[LongJob]:
        """The current visitor's one long job for a job of several model calls (``Runner.long_job``):
        hand it to each call (``job=``) so they run as its part."""
        return self.runner.long_job(what, within)

    def remember_sample_visuals(self) -> int:
        """While the app is idle, run the reranker's vision tower over the sample gallery's images
        and videos, so reranking gallery results skips it; returns how many it encoded. Not where
        a model's memory does not last between calls (ZeroGPU), nor for a full-size model on the CPU
        (tens of seconds per image there: a request arriving meanwhile would wait for the image in
        progress); a backend that keeps no vision features encodes none."""
        if not self.runner.keeps_model_memory or self.reranker.state != "ready":
            return 0
        model = self.reranker.instance
        if model.info.device == "cpu" and model.info.parameters >= TINY_PARAMETERS:
            return 0
        return model.remember_visuals([item.to_input() for item in self.samples if item.path],
                                      self.busy.wait_until_idle)

    # --- Embedding with the cache ----------------------------------------------------------------
    def embed_items(self, items: Sequence[Item], instruction: str | None, dim: int | None,
                    what: str = "item", progress: Progress = no_progress,
                    cost: Cost | None = None, background: bool = False, job: LongJob | None = None) -> np.ndarray:
        """Embeddings of ``items`` (float32 [n, dim]); cached ones are not recomputed.
        ``background``: work nobody waits for (indexing), which gives way to users' requests;
        ``job``: the long job (``long_job``) this is part of.

        A list embedded before (the gallery, typically) is served whole from a small memo, checked
        against its files' sizes and modification times, so a warm search costs one forward. Before
        the model has loaded, what the saved index holds is served without waiting for it.
        """
        loaded, full_dim = self._embedder_and_size()
        size = check_dim(dim, full_dim)
        if not items:
            return np.zeros((0, size), dtype=np.float32)
        memo_key = self.lists.key(self.embedder.model, embedding_instruction(instruction), items)
        matrix = self.lists.get(memo_key) if self._visible(items, instruction) else None
        if matrix is None:
            matrix = self._embed_uncached(loaded, items, instruction, what, progress, cost, background, job)
            self.lists.put(memo_key, matrix)
        elif cost is not None:
            cost.cached += len(items)
        return truncate_dim(matrix, size) if size < matrix.shape[1] else matrix

    def embed_fresh(self, items: Sequence[Item], instruction: str | None, what: str = "item",
                    cost: Cost | None = None, **video: Any) -> np.ndarray:
        """Full-size embeddings computed now, whatever the cache holds (for views that time the
        model), then kept in the cache like any other; ``video``: fps and max_frames of videos."""
        inputs = [item.to_input(instruction, **video) for item in items]
        vectors = self._run_embedder(inputs, what, no_progress, cost)
        keys = [content_key(obj, self.embedder.model, self.hasher) for obj in inputs]
        for key, vector in zip(keys, vectors, strict=True):
            self.cache.put(key, vector)
        remember_viewed(keys)
        return vectors

    def full_dim(self) -> int:
        """The embedder's full size: from the saved index while the model loads, else from the
        model (waiting for it)."""
        return self._embedder_and_size()[1]

    def known_full_dim(self) -> int | None:
        """The embedder's full size without waiting for it: the loaded model's, else the saved
        index's, else what the configured model says (None when nothing tells)."""
        if self.embedder.state == "ready":
            return self.embedder.instance.full_dim
        if self.index.saved_dim is not None:
            return self.index.saved_dim
        return configured_size(self.embedder.model)

    def _embedder_and_size(self) -> tuple[bool, int]:
        """Whether the embedder is loaded (False while it loads if the saved index says its size)
        and its full size."""
        if self.embedder.state != "ready" and self.index.saved_dim is not None:
            return False, self.index.saved_dim
        return True, self.embedder.get().full_dim

    def _embed_uncached(self, loaded: bool, items: Sequence[Item], instruction: str | None, what: str,
                        progress: Progress, cost: Cost | None = None, background: bool = False,
                        job: LongJob | None = None) -> np.ndarray:
        """Full-size embeddings through the per-item cache (``loaded``: whether the embedder is,
        else it is waited for once an item is missing)."""
        inputs = [item.to_input(instruction) for item in items]
        keys = [content_key(obj, self.embedder.model, self.hasher) for obj in inputs]
        allowed = self._allowed()
        vectors: list[np.ndarray | None] = [self.cache.get(k) if allowed(k) else None for k in keys]
        missing = [i for i, v in enumerate(vectors) if v is None]
        if cost is not None:
            cost.cached += len(items) - len(missing)
        if missing:
            if not loaded:
                progress(0.0, f"Waiting for the {self.embedder.kind} model to load")
                self.embedder.get()
            fresh = self._run_embedder([inputs[i] for i in missing], what, progress, cost, missing, background, job)
            for i, vector in zip(missing, fresh, strict=True):
                vectors[i] = vector
                self.cache.put(keys[i], vector)
        remember_viewed(keys)
        return np.stack(vectors)  # type: ignore[arg-type]

    def _allowed(self) -> Callable[[tuple | None], bool]:
        """Which cache keys the current visitor may be served: what they embedded themselves and
        the bundled samples and examples (everything, outside a visitor's request)."""
        viewer = VIEWER_KEYS.get()
        if viewer is None:
            return lambda key: True
        if self._bundled is None:
            self._bundled = frozenset(self.index.plan()[0])
        bundled = self._bundled
        return lambda key: key in viewer or key in bundled

    def _visible(self, items: Sequence[Item], instruction: str | None) -> bool:
        """Whether every item of a remembered list may be served to the current visitor."""
        if VIEWER_KEYS.get() is None:
            return True
        allowed = self._allowed()
        return all(allowed(content_key(item.to_input(instruction), self.embedder.model, self.hasher))
                   for item in items)

    def _run_embedder(self, inputs: list[dict[str, Any]], what: str, progress: Progress,
                      cost: Cost | None, positions: Sequence[int] | None = None,
                      background: bool = False, job: LongJob | None = None) -> np.ndarray:
        """The embedder on ``inputs`` through the compute boundary, as a user's operation or
        (``background``) giving way to them; ``positions``: where each input stands in the
        caller's list (0-based), for messages and costs, 1-based."""
        positions = list(range(len(inputs))) if positions is None else list(positions)
        progress(0.0, f"Embedding {len(inputs)} {what}{'s' if len(inputs) > 1 else ''}")
        try:
            result = self.runner.run(EmbedRequest(tuple(inputs)), lambda done, total, note="": progress(
                done / total, note or f"Embedded {done} of {total} {what}s"), background, job).check()
        except Cancelled:
            raise
        except InputError as exc:  # renumber to the caller's list, 1-based
            bad = None if exc.index is None else positions[exc.index] + 1
            raise InputError(exc.cause, bad, what) from None
        if cost is not None:
            cost.add([f"{what} {i + 1}" for i in positions], result.stats)
        return result.values

    # --- Operations ------------------------------------------------------------------------------
    def similarity(self, queries: Sequence[Item], documents: Sequence[Item],
                   query_instruction: str | None, document_instruction: str | None,
                   dim: int | None = None, progress: Progress = no_progress) -> SimilarityResult:
        check_count(queries, config.MAX_QUERIES, "queries")
        check_count(documents, config.MAX_DOCUMENTS, "documents")
        started, cost = time.perf_counter(), Cost()
        q = self.embed_items(queries, query_instruction, dim, "query", progress, cost)
        d = self.embed_items(documents, document_instruction, dim, "document", progress, cost)
        matrix, cost.similarity_s = timed(lambda: similarity_matrix(q, d))
        return SimilarityResult(list(queries), list(documents), matrix, q.shape[1],
                                time.perf_counter() - started, cost)

    def search(self, query: Item, gallery: Sequence[Item], instruction: str | None, k: int,
               dim: int | None = None, rerank: bool = False, rerank_instruction: str | None = None,
               progress: Progress = no_progress) -> SearchResult:
        k = check_top_k(k)
        started = time.perf_counter()
        gallery, skipped = self._indexed_so_far(gallery, progress)
        cost = Cost()
        q = self.embed_items([query], instruction, dim, "query", progress, cost)
        g = self.embed_items(gallery, None, dim, "gallery item", progress, cost)
        scores, cost.similarity_s = timed(lambda: similarity_matrix(q, g)[0])
        best = top_k(scores, k)
        same = self.content_of(query)
        hits = [Hit(gallery[i], float(scores[i]), rank + 1,
                    is_query=same is not None and self.content_of(gallery[i]) == same)
                for rank, i in enumerate(best)]
        if rerank and hits:
            progress(0.9, f"Reranking the top {len(hits)}")
            reranked = self.rerank(query, [h.item for h in hits], rerank_instruction)
            cost.absorb(reranked.cost, "rerank ")
            for position, index in enumerate(reranked.order):
                hits[index].rerank_score = reranked.scores[index]
                hits[index].rerank_rank = position + 1
            hits = [hits[i] for i in reranked.order]
        return SearchResult(query, hits, bool(rerank and hits), q.shape[1],
                            time.perf_counter() - started, len(gallery), cost, not_indexed_yet=skipped)

    def content_of(self, item: Item) -> tuple | None:
        """What ``item`` is, whatever its path or label: its text and its files' bytes (the cache's
        key without instruction or video sampling); equal for the query and the same item in the
        gallery. None if it cannot be told (an item without text or a file)."""
        key = content_key(item.to_input(None), "", self.hasher)
        return None if key is None or not (key[1] or key[2]) else key[1:3]

    def _indexed_so_far(self, gallery: Sequence[Item], progress: Progress) -> tuple[list[Item], int]:
        """The gallery to search now: while the samples are being indexed, those done so far (and
        how many are left out), so a visitor need not wait for the whole index; before indexing
        has started, all of them once it is done."""
        if not any(item.origin == "sample" for item in gallery) or self.index.ready:
            return list(gallery), 0
        if self.index.state["state"] == "indexing":
            known = self.index.indexed(gallery)
            kept = [item for item, ok in zip(gallery, known, strict=True) if ok or item.origin != "sample"]
            return kept, len(gallery) - len(kept)
        progress(0.0, "Indexing the sample gallery (first start only)…")
        self.index.wait()
        return list(gallery), 0

    def rerank(self, query: Item, documents: Sequence[Item], instruction: str | None = None,
               progress: Progress = no_progress, job: LongJob | None = None) -> RerankResult:
        """The reranker's score of each document for ``query``, as ``rank(query, documents)`` in
        sentence-transformers; the result keeps document order and gives the order best first.
        ``job``: the long job (``long_job``) this is part of."""
        check_count(documents, config.MAX_RERANK_DOCUMENTS, "documents")
        started = time.perf_counter()
        progress(0.0, f"Scoring {len(documents)} documents")
        request = RerankRequest(query.to_input(), tuple(d.to_input() for d in documents), instruction or None)
        try:
            result = self.runner.run(request, lambda done, total, note="": progress(
                done / total, note or f"Scored {done} of {total} documents"), job=job).check()
        except Cancelled:
            raise
        except InputError as exc:
            index = None if exc.index is None else exc.index + 1
            raise InputError(exc.cause, index, "query" if index is None else "document") from None
        scores = [float(score) for score in result.values]
        order = top_k(np.asarray(scores), len(scores))
        cost = Cost()
        cost.add([f"pair {i + 1}" for i in range(len(documents))], result.stats)
        return RerankResult(query, list(documents), scores, time.perf_counter() - started, order, cost)


    def explain(self, query: Item, document: Item, model: str = "embedding", method: str = "occlusion",
                option: Any = None, query_instruction: str | None = None,
                document_instruction: str | None = None) -> tuple[Explanation, bool]:
        """Where the pair's score comes from (``service.explain``): (the map, whether it was
        remembered). ``option``: the MRL size (embedding) or the instruction (reranker)."""
        if model == "embedding" and option is not None:
            option = check_dim(option, self.full_dim())
        return explain_items(self.runner, self.maps, self.hasher, query, document, model, method, option,
                             query_instruction, document_instruction)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def check_count(items: Sequence[Any], limit: int, what: str) -> None:
    if len(items) > limit:
        raise InputError(f"{len(items)} {what} given; the limit is {limit}")


def check_top_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, float, np.integer)) or int(k) != k:
        raise InputError(f"top-k must be an integer, got {k!r}")
    if not 1 <= int(k) <= config.MAX_TOP_K:
        raise InputError(f"top-k must be between 1 and {config.MAX_TOP_K}, got {k}")
    return int(k)
