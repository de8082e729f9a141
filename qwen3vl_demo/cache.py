"""Embeddings cached by content, shared by all sessions.

Keys: model, content (file bytes hash or the text), instruction and video settings. Full-size
vectors are stored; other MRL sizes are cut from them, never recomputed.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from .formatting import embedding_instruction


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


# --- Embeddings of the bundled gallery, kept on disk ----------------------------------------------
DISK_FORMAT = 2
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
        same = stored_probe.shape == probe.shape and float(stored_probe @ probe) >= 0.9999
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
