"""Embeddings cached by content, shared by all sessions, and whole embedded lists remembered.

Keys: model, content (file bytes hash or the text), instruction and video settings. Full-size
vectors are stored; other MRL sizes are cut from them, never recomputed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

import numpy as np

from ..core.formatting import embedding_instruction
from ..core.items import Item

# The cache keys the visitor behind the current request has embedded (None: no visitor, the Python
# API). The shared cache stays shared, but a hit on what only another visitor embedded is not used
# (it is computed again: same vector, same cost line, same timing), so nobody can tell from the
# cost line or the time what someone else embedded.
VIEWER_KEYS: ContextVar[dict[tuple, None] | None] = ContextVar("viewer_keys", default=None)
MAX_VIEWER_KEYS = 4096  # per visitor; beyond it the oldest are forgotten (then computed again)


@contextlib.contextmanager
def viewing_as(keys: dict[tuple, None]) -> Iterator[None]:
    """Run the block as the visitor whose embedded keys (an ordered set) are ``keys``."""
    token = VIEWER_KEYS.set(keys)
    try:
        yield
    finally:
        VIEWER_KEYS.reset(token)


def remember_viewed(keys: Sequence[tuple | None]) -> None:
    """Note that the current visitor has now embedded ``keys``."""
    viewer = VIEWER_KEYS.get()
    if viewer is None:
        return
    for key in keys:
        if key is not None:
            viewer[key] = None
    while len(viewer) > MAX_VIEWER_KEYS:
        viewer.pop(next(iter(viewer)))


class FileHasher:
    """sha256 of file contents, remembered by (path, size, mtime) so files are read once."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def __call__(self, path: str) -> str:
        try:
            stat = os.stat(path)
        except OSError:
            return f"missing:{path}"  # the model layer reports the missing file
        key = (os.path.abspath(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key in self._known:
                return self._known[key]
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        with self._lock:
            self._known[key] = digest.hexdigest()
        return self._known[key]


def _source_key(value: Any, hasher: FileHasher) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_source_key(v, hasher) for v in value)
    if isinstance(value, (str, os.PathLike)):
        return "file:" + hasher(os.fspath(value))
    return None  # PIL images and other objects: not cacheable


def content_key(obj: dict[str, Any], model: str, hasher: FileHasher) -> tuple | None:
    """The cache key of one official input dict, or None if it cannot be cached."""
    if not isinstance(obj, dict):
        return None
    texts = obj.get("text")
    media = []
    for field in ("image", "video"):
        if obj.get(field) is not None:
            key = _source_key(obj[field], hasher)
            if key is None or (isinstance(key, tuple) and None in key):
                return None
            media.append((field, key))
    text_key = tuple(texts) if isinstance(texts, (list, tuple)) else texts
    instruction = obj.get("instruction")
    instruction = embedding_instruction(instruction if isinstance(instruction, str) else None)
    video_options = (obj.get("fps"), obj.get("max_frames")) if obj.get("video") is not None else ()
    return (model, text_key, tuple(media), instruction, video_options)


class EmbeddingCache:
    """A bounded LRU of full-size embeddings: key -> float32 [full_dim]."""

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple | None) -> np.ndarray | None:
        if key is None:
            return None
        with self._lock:
            vector = self._entries.get(key)
            if vector is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return vector

    def put(self, key: tuple | None, vector: np.ndarray) -> None:
        if key is None:
            return
        with self._lock:
            self._entries[key] = np.asarray(vector, dtype=np.float32)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def discard(self, keys: list[tuple]) -> None:
        """Forget these entries (vectors found to be stale)."""
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: tuple | None) -> bool:
        return key is not None and key in self._entries


class ListMemo:
    """Whole embedded lists (galleries of different sessions, under different instructions) by
    their items and the files' sizes and modification times: a warm search over a gallery costs
    one query forward, not a cache lookup per item. Bounded, least recently used first out."""

    def __init__(self, max_lists: int = 32) -> None:
        self.max_lists = max_lists
        self._lists: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(model: str, instruction: str, items: Sequence[Item]) -> tuple:
        return (model, instruction, tuple(stamp(i) for i in items))

    def get(self, key: tuple) -> np.ndarray | None:
        with self._lock:
            matrix = self._lists.get(key)
            if matrix is not None:
                self._lists.move_to_end(key)
            return matrix

    def put(self, key: tuple, matrix: np.ndarray) -> None:
        with self._lock:
            self._lists[key] = matrix
            while len(self._lists) > self.max_lists:
                self._lists.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._lists.clear()


def stamp(item: Item) -> tuple:
    """An item with its file's size and modification time: a cheap guard against edits in place."""
    if not item.path:
        return (item,)
    try:
        status = os.stat(item.path)
    except OSError:
        return (item, None)
    return (item, status.st_size, status.st_mtime_ns)
