"""The saved index: embeddings of the sample gallery and of the examples' inputs, kept on disk.

Read before the model loads (fingerprint, checksum and norms checked), so the gallery and the
examples answer while the model is still loading; confirmed by a probe embedding once it is up,
and rebuilt when anything about it is off.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.inputs import estimated_tokens
from ..core.items import Item
from .metrics import seconds_since_start
from .slots import ModelSlot
from .store import EmbeddingCache, FileHasher, ListMemo, content_key

DISK_FORMAT = 2
# Tokens of one run of the index build in this process: texts and photos batched, pages alone, so
# search covers more items sooner and a visitor's request waits at most one run.
RUN_TOKENS = 1024
PROBE_TEXT = "qwen3vl_demo disk cache probe: a red bicycle leaning on a wall."


def library_versions() -> list[str]:
    """The versions of what computes the embeddings (read from package metadata: no import)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("torch", "transformers"):
        try:
            found.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            found.append(f"{package}=none")
    return found


def model_signature(path: str) -> str:
    """What identifies a checkpoint's weights cheaply: its config and weight files' names and sizes."""
    digest = hashlib.sha256()
    root = os.path.expanduser(path)
    if os.path.isdir(root):
        for name in sorted(os.listdir(root)):
            full = os.path.join(root, name)
            if name == "config.json":
                with open(full, "rb") as handle:
                    digest.update(handle.read())
            elif name.endswith((".safetensors", ".bin")):
                digest.update(f"{name}:{os.path.getsize(full)}".encode())
    else:
        digest.update(root.encode())
    return digest.hexdigest()


class DiskIndex:
    """Full-size embeddings of a fixed list of items, saved as ``.npz`` and checked before use.

    A file is used only if its fingerprint (format, model, weights, settings, library versions,
    the items' content hashes) matches, its checksum matches and every vector is finite and
    unit-length (``read``: no model needed, so the app can use it while the model loads). It is
    confirmed when a probe text embedded by the loaded model matches the probe stored with it
    (``confirm``), so changed weights or numerics are caught even when the fingerprint is not.
    """

    def __init__(self, directory: os.PathLike | str) -> None:
        self.directory = os.fspath(directory)
        self.last_problem = ""

    def path_for(self, fingerprint: str) -> str:
        return os.path.join(self.directory, f"gallery-{fingerprint[:24]}.npz")

    @staticmethod
    def fingerprint(parts: list[str]) -> str:
        return hashlib.sha256("\n".join([f"format={DISK_FORMAT}", *parts]).encode()).hexdigest()

    def read(self, fingerprint: str, keys: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """Everything checked but the probe, which needs the model: (vectors [len(keys), dim], the
        stored probe [dim]), or None (``last_problem`` says why)."""
        path = self.path_for(fingerprint)
        if not os.path.exists(path):
            self.last_problem = "no cache file"
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                vectors = np.asarray(data["vectors"], dtype=np.float32)
                stored_keys = [str(k) for k in data["keys"]]
                stored_probe = np.asarray(data["probe"], dtype=np.float32)
                stored_fingerprint = str(data["fingerprint"])
                checksum = str(data["checksum"])
        except Exception as exc:  # noqa: BLE001 - whatever fails to read is not trusted
            self.last_problem = f"unreadable ({type(exc).__name__})"
            return None
        self.last_problem = self._check(fingerprint, keys, vectors, stored_keys, stored_probe,
                                        stored_fingerprint, checksum)
        return None if self.last_problem else (vectors, stored_probe)

    def confirm(self, stored_probe: np.ndarray, probe: np.ndarray) -> bool:
        """Whether the probe embedded now matches the one saved with the file (``last_problem``
        says so when it does not)."""
        same = stored_probe.shape == probe.shape and float(stored_probe @ probe) >= 0.999999
        self.last_problem = "" if same else "probe embedding differs (weights or numerics changed)"
        return same

    @staticmethod
    def _check(fingerprint: str, keys: list[str], vectors: np.ndarray, stored_keys: list[str],
               stored_probe: np.ndarray, stored_fingerprint: str, checksum: str) -> str:
        if stored_fingerprint != fingerprint or stored_keys != keys:
            return "stale (different model, settings or files)"
        if vectors.ndim != 2 or vectors.shape[0] != len(keys) or stored_probe.shape != (vectors.shape[1],):
            return "wrong shape"
        if hashlib.sha256(vectors.tobytes()).hexdigest() != checksum:
            return "checksum mismatch (corrupt)"
        if not np.isfinite(vectors).all() or not np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3):
            return "vectors not finite or not normalised"
        return ""

    def save(self, fingerprint: str, keys: list[str], vectors: np.ndarray, probe: np.ndarray) -> str:
        """Write atomically (temp file, then rename); returns the path."""
        os.makedirs(self.directory, exist_ok=True)
        path = self.path_for(fingerprint)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        temp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp.npz"
        np.savez(temp, vectors=vectors, keys=np.array(keys), probe=np.asarray(probe, np.float32),
                 fingerprint=np.array(fingerprint),
                 checksum=np.array(hashlib.sha256(vectors.tobytes()).hexdigest()))
        os.replace(temp, path)
        return path


# --- The index's life in the app ----------------------------------------------------------------
Progress = Callable[[float, str], None]
# (items, instruction, what, progress) -> full-size vectors [n, full_dim], through the shared cache
EmbedItems = Callable[[list[Item], "str | None", str, Progress], np.ndarray]


def no_progress(fraction: float, message: str) -> None:
    del fraction, message


class SampleIndex:
    """The sample gallery and the examples' inputs in the shared cache: read from disk before the
    model loads, then confirmed by a probe embedding, or built and saved when missing, stale,
    corrupt or contradicted by the probe. ``state`` is what the header shows."""

    def __init__(self, embedder: ModelSlot, samples: Sequence[Item], preload: Sequence[tuple[Item, str | None]],
                 disk: DiskIndex, hasher: FileHasher, cache: EmbeddingCache, lists: ListMemo,
                 run_tokens: int = RUN_TOKENS) -> None:
        """``run_tokens``: the most tokens one run of the build embeds (a run is one model call)."""
        self.embedder = embedder
        self.run_tokens = run_tokens
        self.samples = list(samples)
        self.preload = list(preload)
        self.disk = disk
        self.hasher, self.cache, self.lists = hasher, cache, lists
        self.state: dict[str, Any] = {"state": "waiting", "items": len(self.samples)}
        self.saved_dim: int | None = None  # the embedder's size, known from the saved index
        self._done = threading.Event()
        self._unconfirmed: tuple[list[tuple], np.ndarray] | None = None  # read, probe not yet compared
        self._reader: threading.Thread | None = None

    def read_in_background(self) -> None:
        """Start reading the saved index (no model needed; once). A server's index is read once the
        server answers."""
        if self._reader is None and not self.embedder.options.get("url"):
            self._reader = threading.Thread(target=self.read, name="read-index", daemon=True)
            self._reader.start()

    def plan(self) -> tuple[list[tuple], list[tuple[Item, str | None]], str]:
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

    def read(self) -> bool:
        """Put the saved index in the cache if its fingerprint and checksum hold; no model needed,
        so the gallery and the examples answer while the model loads. The probe saved with it is
        compared once the model is up (``confirm_or_build``), and a mismatch rebuilds the index."""
        started = time.perf_counter()
        try:
            keys, _, fingerprint = self.plan()
            found = self.disk.read(fingerprint, [repr(k) for k in keys])
        except Exception:  # noqa: BLE001 - then the index is built once the model is up
            return False
        if found is None:
            return False
        vectors, probe = found
        for key, vector in zip(keys, vectors, strict=True):
            self.cache.put(key, vector)
        self.saved_dim = int(vectors.shape[1])
        self._unconfirmed = (keys, probe)
        self._set_state("ready", started, source="disk cache", confirmed=False)
        self._done.set()
        return True

    def confirm_or_build(self, embed: EmbedItems, embed_probe: Callable[[str], np.ndarray],
                         progress: Progress = no_progress) -> dict[str, Any]:
        """Make sure the saved index is in the cache and right: read it (if not done yet), then
        compare its probe with one embedded by the model now (``embed_probe(text)``: a full-size
        vector computed now, never cached); build and save it (with ``embed``) if it is missing,
        stale, corrupt or its probe differs."""
        started = time.perf_counter()
        if self._reader is not None:
            self._reader.join()  # its result, not a second read racing with it
        if self._unconfirmed is None:
            self.read()
        try:
            probe = embed_probe(PROBE_TEXT)
            if self._unconfirmed is not None:
                keys, stored = self._unconfirmed
                self._unconfirmed = None
                if self.disk.confirm(stored, probe):
                    self.state = {**self.state, "confirmed": True}
                    return self.state
                self._forget(keys)
            self._build(embed, len(probe), probe, started, progress)
        except Exception as exc:  # noqa: BLE001 - searches then embed the samples on demand
            self.state = {"state": "failed", "items": len(self.samples), "error": str(exc)}
        finally:
            self._done.set()
        return self.state

    def _build(self, embed: EmbedItems, full_dim: int, probe: np.ndarray, started: float,
               progress: Progress) -> None:
        """Embed the entries cheapest first (texts, photos, videos, then document pages), in small
        runs, so search has the most items soonest and the header can say what is left; the
        examples' pages (a PDF's) come after the gallery's, so the whole gallery is searchable
        minutes sooner at real size."""
        problem = self.disk.last_problem
        keys, entries, fingerprint = self.plan()
        costs = [estimated_cost(item) for item, _ in entries]
        sample_ids = {id(sample) for sample in self.samples}
        gallery_left = {i for i, (item, _) in enumerate(entries) if id(item) in sample_ids}  # not indexed yet
        # Where one call takes many entries (ZeroGPU: a GPU lease each), those of one instruction go
        # together, so the whole build is a few calls; here, cheapest first across instructions.
        by_instruction = self.run_tokens > RUN_TOKENS
        first_seen = {instruction: n for n, (_, instruction) in reversed(list(enumerate(entries)))}
        order = sorted(range(len(entries)), key=lambda i: (
            costs[i] > self.run_tokens and i not in gallery_left,
            first_seen[entries[i][1]] if by_instruction else 0, costs[i], i))
        vectors = np.zeros((len(entries), full_dim), dtype=np.float32)
        done, spent = 0, 0
        building = time.perf_counter()
        for run in cost_runs(order, entries, costs, self.run_tokens):
            left = sum(costs[i] for i in order[done:])
            rate = (time.perf_counter() - building) / spent if spent else None
            self._set_state("indexing", started, done=done, total=len(entries), gallery_done=not gallery_left,
                            eta_s=None if rate is None else round(rate * left, 1))
            gallery_left.difference_update(run)
            item_list, instruction = [entries[i][0] for i in run], entries[run[0]][1]
            what = "gallery item" if instruction is None else "example input"
            vectors[run] = embed(item_list, instruction, what, progress)
            done, spent = done + len(run), spent + sum(costs[i] for i in run)
        self.disk.save(fingerprint, [repr(k) for k in keys], vectors, probe)
        self._set_state("ready", started, source=f"computed ({problem})", confirmed=True)

    def indexed(self, items: Sequence[Item]) -> list[bool]:
        """Whether each item's vector (without instruction, as the gallery is embedded) is cached."""
        return [content_key(item.to_input(), self.embedder.model, self.hasher) in self.cache for item in items]

    def _set_state(self, state: str, started: float, **details: Any) -> None:
        self.state = {"state": state, "items": len(self.samples), "examples": len(self.preload),
                      **details, "seconds": round(time.perf_counter() - started, 2),
                      "after_start_s": round(seconds_since_start(), 2)}

    def _forget(self, keys: list[tuple]) -> None:
        """Drop vectors found stale, and every list embedded from them."""
        self.cache.discard(keys)
        self.lists.clear()

    @property
    def ready(self) -> bool:
        return self.state["state"] == "ready"

    def wait(self, timeout: float = 900.0) -> None:
        """Block until the sample gallery is indexed (or indexing failed)."""
        pending = self.state["state"] in ("indexing", "waiting")
        if pending and self.embedder.state in ("loading", "ready"):
            self._done.wait(timeout)

    def wait_settled(self) -> None:
        """Until this index has been read, confirmed or built (or that failed), however long."""
        self._done.wait()




def estimated_cost(item: Item) -> int:
    """About how many tokens an item costs, from file headers alone."""
    return estimated_tokens(item.to_input())


def cost_runs(order: Sequence[int], entries: Sequence[tuple[Item, str | None]],
              costs: Sequence[int], run_tokens: int = RUN_TOKENS) -> list[list[int]]:
    """``order`` cut into runs of one instruction and at most ``run_tokens`` (one entry at least)."""
    runs: list[list[int]] = []
    used = run_tokens
    for i in order:
        if runs and entries[runs[-1][0]][1] == entries[i][1] and used + costs[i] <= run_tokens:
            runs[-1].append(i)
            used += costs[i]
        else:
            runs.append([i])
            used = costs[i]
    return runs
