"""What the app does, without the UI: model slots that load in the background, the shared
embedding cache, and the three operations (similarity, gallery search, rerank).

Results are plain dataclasses with ``to_json()`` so the API returns JSON-friendly data.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import config
from .cache import PROBE_TEXT, DiskIndex, EmbeddingCache, FileHasher, content_key, model_signature
from .errors import InputError, ModelUnavailable
from .formatting import embedding_instruction
from .gallery import Item, sample_items
from .similarity import similarity_matrix, top_k, truncate_dim

Progress = Callable[[float, str], None]
TINY_PARAMETERS = 100_000_000  # fewer parameters than this: a random-weight test model
MATRIX_MEMO = 32  # whole embedded lists kept (galleries of different sessions, instructions)


def _no_progress(fraction: float, message: str) -> None:
    del fraction, message


class ModelSlot:
    """One model that loads in a background thread through the shared loader."""

    def __init__(self, kind: str, model: str, load: Callable[..., Any], **load_options: Any) -> None:
        self.kind = kind
        self.model = model
        self._load = load
        self._options = load_options
        self.state = "idle"  # idle -> loading -> ready | failed
        self.error = ""
        self.attempts = 0  # load attempts (a retry after a failure is another)
        self.instance: Any = None
        self._done = threading.Event()
        self._lock = threading.Lock()

    def begin(self) -> bool:
        """Mark the slot as loading; False if it is already loading or loaded."""
        with self._lock:
            if self.state in ("loading", "ready"):
                return False
            self.state, self.error = "loading", ""
            self._done.clear()
            return True

    def start(self) -> None:
        """Begin loading (again, after a failure) in a background thread; returns at once."""
        if self.begin():
            threading.Thread(target=self.run, name=f"load-{self.kind}", daemon=True).start()

    def run(self) -> None:
        """Load now, in this thread (after ``begin``)."""
        self.attempts += 1
        try:
            self.instance = self._load(self.model, **self._options)
            self.state = "ready"
        except Exception as exc:  # noqa: BLE001 - shown to the user; the app keeps serving
            self.error = str(exc) or type(exc).__name__
            self.state = "failed"
        finally:
            self._done.set()

    def get(self, timeout: float = 900.0) -> Any:
        """The loaded model; waits while it loads, raises ModelUnavailable if it failed."""
        if self.state == "idle":
            self.start()
        self._done.wait(timeout)
        if self.state == "ready":
            return self.instance
        if self.state == "loading":
            raise ModelUnavailable(f"The {self.kind} model {self.model} is still loading; try again shortly.")
        raise ModelUnavailable(
            f"The {self.kind} model {self.model} could not be loaded: {self.error}. "
            "Use 'Retry loading' in the header, or restart with --tiny to run offline."
        )

    def describe(self) -> dict[str, Any]:
        info = getattr(self.instance, "info", None)
        data: dict[str, Any] = {"kind": self.kind, "model": self.model, "state": self.state,
                                "attempts": self.attempts}
        if self.error:
            data["error"] = self.error
        if info is not None:
            data.update(device=info.device, dtype=info.dtype, attention=info.attention,
                        load_seconds=round(info.seconds, 2), parameters=info.parameters,
                        random_weights=0 < info.parameters < TINY_PARAMETERS)
        if self.kind == "embedding" and self.instance is not None:
            data["full_dim"] = self.instance.full_dim
        for remote in ("server_model", "max_model_len"):  # models served by vLLM
            if getattr(self.instance, remote, None) is not None:
                data[remote] = getattr(self.instance, remote)
        return data


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

    def to_json(self) -> dict[str, Any]:
        return {"seconds": {"prepare": round(self.prepare_s, 4), "model": round(self.model_s, 4),
                            "similarity": round(self.similarity_s, 6)},
                "tokens": {k: {"total": t, "visual": v} for k, (t, v) in self.tokens.items()},
                "cached_inputs": self.cached}

    def summary(self) -> str:
        """One line for the UI."""
        parts = [f"⏱️ prepare {self.prepare_s:.2f} s · model {self.model_s:.2f} s · similarity "
                 f"{self.similarity_s * 1000:.1f} ms"]
        if self.tokens:
            shown = [f"{label} {total}" + (f" ({visual} visual)" if visual else "")
                     for label, (total, visual) in list(self.tokens.items())[:12]]
            more = len(self.tokens) - len(shown)
            parts.append("🔤 tokens: " + ", ".join(shown) + (f" and {more} more" if more > 0 else ""))
        if self.cached:
            parts.append(f"♻️ {self.cached} from the cache")
        return " · ".join(parts)


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

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query.label,
            "reranked": self.reranked,
            "dim": self.dim,
            "gallery_size": self.gallery_size,
            "seconds": round(self.seconds, 3),
            "cost": self.cost.to_json(),
            "results": [
                {"label": h.item.label, "kind": h.item.kind, "origin": h.item.origin,
                 "embedding_rank": h.rank, "embedding_score": round(h.score, 6),
                 "rerank_rank": h.rerank_rank,
                 "rerank_score": None if h.rerank_score is None else round(h.rerank_score, 6),
                 "move": h.move}
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


class Engine:
    """The app's models and operations; one per process, shared by all sessions."""

    def __init__(self, embedder: str, reranker: str, device: str | None = None,
                 dtype: str | None = None, cache_entries: int = 4096,
                 samples: Sequence[Item] | None = None, disk_cache: str | None = None,
                 embedder_url: str | None = None, reranker_url: str | None = None,
                 api_key: str | None = None) -> None:
        from . import loader

        options = {"device": device, "dtype": dtype}
        self.embedder = ModelSlot("embedding", embedder, loader.load_embedder, **options,
                                  url=embedder_url, api_key=api_key)  # url: a vLLM server
        self.reranker = ModelSlot("reranker", reranker, loader.load_reranker, **options,
                                  url=reranker_url, api_key=api_key)
        self.cache = EmbeddingCache(cache_entries)
        self._matrices: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._memo_lock = threading.Lock()
        self.hasher = FileHasher()
        self.samples = list(sample_items() if samples is None else samples)
        self.disk = DiskIndex(disk_cache or config.cache_dir() / "embeddings")
        self.index_state: dict[str, Any] = {"state": "waiting", "items": len(self.samples)}
        self._indexed = threading.Event()

    def start(self) -> None:
        """Load the embedder, then index the sample gallery (from disk when a valid cache file
        exists) while the reranker loads. Loads run one at a time: on a small machine two loads at
        once only compete for the same cores and memory."""
        slots = [slot for slot in (self.embedder, self.reranker) if slot.begin()]

        def run_all() -> None:
            for slot in slots:
                slot.run()
                if slot is self.embedder:
                    threading.Thread(target=self.index_samples, name="index", daemon=True).start()

        threading.Thread(target=run_all, name="load-models", daemon=True).start()

    def status(self) -> dict[str, Any]:
        slots = {"embedding": self.embedder.describe(), "reranker": self.reranker.describe()}
        on_cuda = any(str(s.get("device", "")).startswith("cuda") for s in slots.values())
        return {**slots, "gallery": dict(self.index_state), "memory": memory_usage(on_cuda),
                "cached_embeddings": len(self.cache)}

    # --- The sample gallery's index --------------------------------------------------------------
    def index_samples(self, progress: Progress = _no_progress) -> dict[str, Any]:
        """Put the sample gallery's embeddings in the cache: from the disk cache if it is valid,
        else by embedding them (and saving the file for the next start)."""
        started = time.perf_counter()
        self.index_state = {"state": "indexing", "items": len(self.samples)}
        try:
            model = self.embedder.get()
            inputs = [item.to_input() for item in self.samples]
            keys = [content_key(obj, model.name, self.hasher) for obj in inputs]
            names = [repr(k) for k in keys]
            info = model.info
            fingerprint = DiskIndex.fingerprint(
                [model.name, model_signature(info.path), info.dtype, info.device.split(":")[0], *names])
            probe = model.embed([{"text": PROBE_TEXT}])[0]
            vectors = self.disk.load(fingerprint, names, probe)
            source = "disk cache"
            if vectors is None:
                source = f"computed ({self.disk.last_problem})"
                vectors = self.embed_items(self.samples, None, None, "gallery item", progress)
                self.disk.save(fingerprint, names, vectors, probe)
            for key, vector in zip(keys, vectors, strict=True):
                self.cache.put(key, vector)
            self.index_state = {"state": "ready", "items": len(self.samples), "source": source,
                                "seconds": round(time.perf_counter() - started, 2)}
        except Exception as exc:  # noqa: BLE001 - searches then embed the samples on demand
            self.index_state = {"state": "failed", "items": len(self.samples), "error": str(exc)}
        finally:
            self._indexed.set()
        return self.index_state

    def wait_for_index(self, timeout: float = 900.0) -> None:
        """Block until the sample gallery is indexed (or indexing failed)."""
        pending = self.index_state["state"] in ("indexing", "waiting")
        if pending and self.embedder.state in ("loading", "ready"):
            self._indexed.wait(timeout)

    # --- Embedding with the cache ----------------------------------------------------------------
    def embed_items(self, items: Sequence[Item], instruction: str | None, dim: int | None,
                    what: str = "item", progress: Progress = _no_progress,
                    cost: Cost | None = None) -> np.ndarray:
        """Embeddings of ``items`` (float32 [n, dim]); cached ones are not recomputed.

        A list embedded before (the gallery, typically) is served whole from a small memo, checked
        against its files' sizes and modification times, so a warm search costs one forward.
        """
        model = self.embedder.get()
        size = model.check_dim(dim)
        memo_key = (model.name, embedding_instruction(instruction), tuple(_stamp(i) for i in items))
        with self._memo_lock:
            matrix = self._matrices.get(memo_key)
            if matrix is not None:
                self._matrices.move_to_end(memo_key)
        if matrix is None:
            matrix = self._embed_uncached(model, items, instruction, what, progress, cost)
            with self._memo_lock:
                self._matrices[memo_key] = matrix
                while len(self._matrices) > MATRIX_MEMO:
                    self._matrices.popitem(last=False)
        elif cost is not None:
            cost.cached += len(items)
        return truncate_dim(matrix, size) if size < matrix.shape[1] else matrix

    def _embed_uncached(self, model: Any, items: Sequence[Item], instruction: str | None, what: str,
                        progress: Progress, cost: Cost | None = None) -> np.ndarray:
        """Full-size embeddings through the per-item cache."""
        inputs = [item.to_input(instruction) for item in items]
        keys = [content_key(obj, model.name, self.hasher) for obj in inputs]
        vectors: list[np.ndarray | None] = [self.cache.get(k) for k in keys]
        missing = [i for i, v in enumerate(vectors) if v is None]
        if cost is not None:
            cost.cached += len(items) - len(missing)
        if missing:
            progress(0.0, f"Embedding {len(missing)} {what}{'s' if len(missing) > 1 else ''}")
            stats: dict[str, Any] = {}
            try:
                fresh = model.embed([inputs[i] for i in missing], progress=lambda done, total: progress(
                    done / total, f"Embedded {done} of {total} {what}s"), stats=stats)
            except InputError as exc:  # renumber to the caller's list, 1-based
                bad = None if exc.index is None else missing[exc.index] + 1
                raise InputError(exc.cause, bad, what) from None
            for i, vector in zip(missing, fresh, strict=True):
                vectors[i] = vector
                self.cache.put(keys[i], vector)
            if cost is not None:
                cost.add([f"{what} {i + 1}" for i in missing], stats)
        if not items:
            return np.zeros((0, model.full_dim), dtype=np.float32)
        return np.stack(vectors)  # type: ignore[arg-type]

    # --- Operations ------------------------------------------------------------------------------
    def similarity(self, queries: Sequence[Item], documents: Sequence[Item],
                   query_instruction: str | None, document_instruction: str | None,
                   dim: int | None = None, progress: Progress = _no_progress) -> SimilarityResult:
        _check_count(queries, config.MAX_QUERIES, "queries")
        _check_count(documents, config.MAX_DOCUMENTS, "documents")
        started, cost = time.perf_counter(), Cost()
        q = self.embed_items(queries, query_instruction, dim, "query", progress, cost)
        d = self.embed_items(documents, document_instruction, dim, "document", progress, cost)
        matrix, cost.similarity_s = _timed(lambda: similarity_matrix(q, d))
        return SimilarityResult(list(queries), list(documents), matrix, q.shape[1],
                                time.perf_counter() - started, cost)

    def search(self, query: Item, gallery: Sequence[Item], instruction: str | None, k: int,
               dim: int | None = None, rerank: bool = False, rerank_instruction: str | None = None,
               progress: Progress = _no_progress) -> SearchResult:
        k = _check_top_k(k)
        started = time.perf_counter()
        if any(item.origin == "sample" for item in gallery) and self.index_state["state"] != "ready":
            progress(0.0, "Indexing the sample gallery (first start only)…")
            self.wait_for_index()
        cost = Cost()
        q = self.embed_items([query], instruction, dim, "query", progress, cost)
        g = self.embed_items(gallery, None, dim, "gallery item", progress, cost)
        scores, cost.similarity_s = _timed(lambda: similarity_matrix(q, g)[0])
        best = top_k(scores, k)
        hits = [Hit(gallery[i], float(scores[i]), rank + 1) for rank, i in enumerate(best)]
        if rerank and hits:
            progress(0.9, f"Reranking the top {len(hits)}")
            rr = self.rerank([h.item for h in hits], query, rerank_instruction)
            cost.prepare_s += rr.cost.prepare_s
            cost.model_s += rr.cost.model_s
            cost.tokens.update({f"rerank {k}": v for k, v in rr.cost.tokens.items()})
            for position, index in enumerate(rr.order):
                hits[index].rerank_score = rr.scores[index]
                hits[index].rerank_rank = position + 1
            hits = [hits[i] for i in rr.order]
        return SearchResult(query, hits, bool(rerank and hits), q.shape[1],
                            time.perf_counter() - started, len(gallery), cost)

    def rerank(self, documents: Sequence[Item], query: Item, instruction: str | None = None,
               progress: Progress = _no_progress) -> RerankResult:
        _check_count(documents, config.MAX_RERANK_DOCUMENTS, "documents")
        model = self.reranker.get()
        started = time.perf_counter()
        progress(0.0, f"Scoring {len(documents)} documents")
        stats: dict[str, Any] = {}
        try:
            scores = model.rerank(query.to_input(), [d.to_input() for d in documents],
                                  instruction=instruction or None, progress=lambda done, total: progress(
                                      done / total, f"Scored {done} of {total} documents"), stats=stats)
        except InputError as exc:
            index = None if exc.index is None else exc.index + 1
            raise InputError(exc.cause, index, "query" if index is None else "document") from None
        order = top_k(np.asarray(scores), len(scores))
        cost = Cost()
        cost.add([f"pair {i + 1}" for i in range(len(documents))], stats)
        return RerankResult(query, list(documents), scores, time.perf_counter() - started, order, cost)


def _stamp(item: Item) -> tuple:
    """An item with its file's size and modification time: a cheap guard against edits in place."""
    if not item.path:
        return (item,)
    try:
        stat = os.stat(item.path)
    except OSError:
        return (item, None)
    return (item, stat.st_size, stat.st_mtime_ns)


def memory_usage(on_cuda: bool = False) -> dict[str, float]:
    """Resident memory of this process and, when a model runs on CUDA, GPU memory (GiB)."""
    import psutil

    usage = {"process_rss_gib": round(psutil.Process().memory_info().rss / 2**30, 2)}
    if on_cuda:  # only then: torch is fully imported by a loaded model
        import torch

        usage["cuda_allocated_gib"] = round(torch.cuda.memory_allocated() / 2**30, 2)
        usage["cuda_peak_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
    return usage


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def _check_count(items: Sequence[Any], limit: int, what: str) -> None:
    if len(items) > limit:
        raise InputError(f"{len(items)} {what} given; the limit is {limit}")


def _check_top_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, float, np.integer)) or int(k) != k:
        raise InputError(f"top-k must be an integer, got {k!r}")
    if not 1 <= int(k) <= config.MAX_TOP_K:
        raise InputError(f"top-k must be between 1 and {config.MAX_TOP_K}, got {k}")
    return int(k)
