"""What the app does, without the UI: model slots that load in the background, the shared
embedding cache, and the three operations (similarity, gallery search, rerank).

Results are plain dataclasses with ``to_json()`` so the API returns JSON-friendly data.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import config
from .cache import (
    PROBE_TEXT,
    DiskIndex,
    EmbeddingCache,
    FileHasher,
    content_key,
    library_versions,
    model_signature,
)
from .errors import InputError, ModelUnavailable
from .formatting import embedding_instruction
from .gallery import Item, sample_items
from .similarity import check_dim, similarity_matrix, top_k, truncate_dim

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
        self.options = load_options
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
            self.instance = self._load(self.model, **self.options)
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
                 api_key: str | None = None, preload: Sequence[tuple[Item, str | None]] = ()) -> None:
        """``preload``: (item, instruction) pairs kept in the saved index with the samples (the
        examples' inputs), so they are answered without the model."""
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
        self.preload = list(preload)
        self.index_state: dict[str, Any] = {"state": "waiting", "items": len(self.samples)}
        self._indexed = threading.Event()
        self._unconfirmed: tuple[list[tuple], np.ndarray] | None = None  # read, probe not yet compared
        self._saved_dim: int | None = None  # the embedder's size, known from the saved index
        self._index_reader: threading.Thread | None = None
        self._busy = 0  # operations for users running now (background work waits for none)
        self._busy_lock = threading.Lock()

    def read_saved_index(self) -> None:
        """Start reading the saved index in the background (no model needed; once). A server's
        index is read once the server answers."""
        if self._index_reader is None and not self.embedder.options.get("url"):
            self._index_reader = threading.Thread(target=self.preload_index, name="read-index", daemon=True)
            self._index_reader.start()

    def start(self) -> None:
        """Read the saved index, load the embedder, confirm or build the index while the reranker
        loads, then give the reranker the gallery's vision features. Loads run one at a time: on a
        small machine two loads at once only compete for the same cores."""
        self.read_saved_index()
        slots = [slot for slot in (self.embedder, self.reranker) if slot.begin()]

        def run_all() -> None:
            for slot in slots:
                slot.run()
                if slot is self.embedder:
                    threading.Thread(target=self.index_samples, name="index", daemon=True).start()
            self._indexed.wait()
            self.remember_sample_visuals()

        threading.Thread(target=run_all, name="load-models", daemon=True).start()

    def status(self) -> dict[str, Any]:
        slots = {"embedding": self.embedder.describe(), "reranker": self.reranker.describe()}
        on_cuda = any(str(s.get("device", "")).startswith("cuda") for s in slots.values())
        return {**slots, "gallery": dict(self.index_state), "memory": memory_usage(on_cuda),
                "cached_embeddings": len(self.cache)}

    # --- The saved index: the sample gallery and the examples' inputs ----------------------------
    def _index_plan(self) -> tuple[list[tuple], list[tuple[Item, str | None]], str]:
        """The saved index's keys, its entries (item, instruction) and its fingerprint, all known
        before the model loads."""
        by_key: dict[tuple, tuple[Item, str | None]] = {}
        for item, instruction in [(sample, None) for sample in self.samples] + self.preload:
            key = content_key(item.to_input(instruction), self.embedder.model, self.hasher)
            if key is not None:
                by_key.setdefault(key, (item, instruction))
        keys, entries = list(by_key), list(by_key.values())
        options = self.embedder.options
        fingerprint = DiskIndex.fingerprint([
            self.embedder.model, model_signature(self.embedder.model), f"url={options.get('url')}",
            f"device={options.get('device') or 'auto'}", f"dtype={options.get('dtype') or 'auto'}",
            *library_versions(), *map(repr, keys)])
        return keys, entries, fingerprint

    def preload_index(self) -> bool:
        """Put the saved index in the cache if its fingerprint and checksum hold; no model needed,
        so the gallery and the examples answer while the model loads. The probe saved with it is
        compared once the model is up (``index_samples``), and a mismatch rebuilds the index."""
        started = time.perf_counter()
        try:
            keys, _, fingerprint = self._index_plan()
            found = self.disk.read(fingerprint, [repr(k) for k in keys])
        except Exception:  # noqa: BLE001 - then the index is built once the model is up
            return False
        if found is None:
            return False
        vectors, probe = found
        for key, vector in zip(keys, vectors, strict=True):
            self.cache.put(key, vector)
        self._saved_dim = int(vectors.shape[1])
        self._unconfirmed = (keys, probe)
        self._set_index_state("ready", started, source="disk cache", confirmed=False)
        self._indexed.set()
        return True

    def index_samples(self, progress: Progress = _no_progress) -> dict[str, Any]:
        """Make sure the saved index is in the cache and right: read it (if not done yet), then
        compare its probe with one embedded by the model now; build and save it if it is missing,
        stale, corrupt or its probe differs."""
        started = time.perf_counter()
        if self._index_reader is not None:
            self._index_reader.join()  # its result, not a second read racing with it
        if self._unconfirmed is None:
            self.preload_index()
        try:
            model = self.embedder.get()
            probe = model.embed([{"text": PROBE_TEXT}])[0]
            if self._unconfirmed is not None:
                keys, stored = self._unconfirmed
                self._unconfirmed = None
                if self.disk.confirm(stored, probe):
                    self.index_state = {**self.index_state, "confirmed": True}
                    return self.index_state
                self._forget(keys)
            self._build_index(model, probe, started, progress)
        except Exception as exc:  # noqa: BLE001 - searches then embed the samples on demand
            self.index_state = {"state": "failed", "items": len(self.samples), "error": str(exc)}
        finally:
            self._indexed.set()
        return self.index_state

    def _build_index(self, model: Any, probe: np.ndarray, started: float, progress: Progress) -> None:
        problem = self.disk.last_problem
        self._set_index_state("indexing", started)
        keys, entries, fingerprint = self._index_plan()
        groups: dict[str | None, list[int]] = {}  # one embed_items call per instruction
        for i, (_, instruction) in enumerate(entries):
            groups.setdefault(instruction, []).append(i)
        vectors = np.zeros((len(entries), model.full_dim), dtype=np.float32)
        for instruction, indices in groups.items():
            what = "gallery item" if instruction is None else "example input"
            vectors[indices] = self.embed_items([entries[i][0] for i in indices], instruction, None, what,
                                                progress)
        self.disk.save(fingerprint, [repr(k) for k in keys], vectors, probe)
        self._set_index_state("ready", started, source=f"computed ({problem})", confirmed=True)

    def _set_index_state(self, state: str, started: float, **details: Any) -> None:
        self.index_state = {"state": state, "items": len(self.samples), "examples": len(self.preload),
                            **details, "seconds": round(time.perf_counter() - started, 2),
                            "after_start_s": round(seconds_since_start(), 2)}

    def _forget(self, keys: list[tuple]) -> None:
        """Drop vectors found stale, and every list embedded from them."""
        self.cache.discard(keys)
        with self._memo_lock:
            self._matrices.clear()

    # --- The reranker's vision features of the samples ----------------------------------------------
    def remember_sample_visuals(self) -> int:
        """While the app is idle, run the reranker's vision tower over the sample gallery's images
        and videos, so reranking gallery results skips it; returns how many it encoded. Not on
        ZeroGPU (a GPU is attached only during requests), nor for a reranker served by vLLM, nor
        for a full-size model on the CPU (tens of seconds per image there: a request arriving
        meanwhile would wait for the image in progress)."""
        if os.environ.get("SPACES_ZERO_GPU") or self.reranker.state != "ready":
            return 0
        info = getattr(self.reranker.instance, "info", None)
        if info is not None and info.device == "cpu" and info.parameters >= TINY_PARAMETERS:
            return 0
        remember = getattr(self.reranker.instance, "remember_visuals", None)
        if remember is None:
            return 0
        return remember([item.to_input() for item in self.samples if item.path], self._wait_until_idle)

    @contextlib.contextmanager
    def _working(self) -> Iterator[None]:
        """Marks an operation for users as running (background work waits for none)."""
        with self._busy_lock:
            self._busy += 1
        try:
            yield
        finally:
            with self._busy_lock:
                self._busy -= 1

    def _wait_until_idle(self) -> None:
        while self._busy:
            time.sleep(0.05)

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
        against its files' sizes and modification times, so a warm search costs one forward. Before
        the model has loaded, what the saved index holds is served without waiting for it.
        """
        model, full_dim = self._embedder_and_size()
        size = check_dim(dim, full_dim)
        if not items:
            return np.zeros((0, size), dtype=np.float32)
        memo_key = (self.embedder.model, embedding_instruction(instruction), tuple(_stamp(i) for i in items))
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

    def full_dim(self) -> int:
        """The embedder's full size: from the saved index while the model loads, else from the
        model (waiting for it)."""
        return self._embedder_and_size()[1]

    def _embedder_and_size(self) -> tuple[Any | None, int]:
        """The embedder, or None while it loads if the saved index says its size."""
        if self.embedder.state != "ready" and self._saved_dim is not None:
            return None, self._saved_dim
        model = self.embedder.get()
        return model, model.full_dim

    def _embed_uncached(self, model: Any | None, items: Sequence[Item], instruction: str | None, what: str,
                        progress: Progress, cost: Cost | None = None) -> np.ndarray:
        """Full-size embeddings through the per-item cache (``model``: None until one is missing)."""
        inputs = [item.to_input(instruction) for item in items]
        keys = [content_key(obj, self.embedder.model, self.hasher) for obj in inputs]
        vectors: list[np.ndarray | None] = [self.cache.get(k) for k in keys]
        missing = [i for i, v in enumerate(vectors) if v is None]
        if cost is not None:
            cost.cached += len(items) - len(missing)
        if missing:
            if model is None:
                progress(0.0, f"Waiting for the {self.embedder.kind} model to load")
                model = self.embedder.get()
            progress(0.0, f"Embedding {len(missing)} {what}{'s' if len(missing) > 1 else ''}")
            stats: dict[str, Any] = {}
            try:
                with self._working():
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
            with self._working():
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


def seconds_since_start() -> float:
    """Seconds since this process started, by the OS's clock (interpreter start-up included)."""
    import psutil

    return time.time() - psutil.Process().create_time()


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
