"""Which files each visitor's session brought or was given, deleted when the session ends.

Uploads land in one shared folder named by content, so two visitors who upload the same file
share one copy: a file is deleted only when no session that still runs has used it. Files that
must outlive every session (the examples, the bundled samples) are never deleted. What a session
uploaded but never used in an event is not known here; the hourly age sweep removes it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

RESULTS_ROOT = Path(tempfile.gettempdir()) / "qwen3vl-results"
RESULTS_MAX_AGE_S = 600  # Gradio copies each download into its own cache as the result is sent


class SessionFiles:
    """Paths used per session, deleted by :meth:`end` once no running session uses them.

    ``root`` is the only folder files are deleted from; ``kept(path)`` says whether a path must
    stay (examples, defaults)."""

    def __init__(self, root: str, kept: Callable[[str], bool] = lambda path: False) -> None:
        self.root = os.path.realpath(root) + os.sep
        self.kept = kept
        self._used_by: dict[str, set[str]] = {}  # real path -> the sessions that used it
        self._lock = threading.Lock()

    def note(self, session: str | None, paths: Iterable[str]) -> None:
        """Record that ``session`` used ``paths`` (those outside ``root`` are ignored)."""
        if not session:
            return
        with self._lock:
            for path in paths:
                real = os.path.realpath(path)
                if real.startswith(self.root):
                    self._used_by.setdefault(real, set()).add(session)

    def used(self, session: str) -> list[str]:
        """The files ``session`` has used that are still recorded (sorted)."""
        with self._lock:
            return sorted(path for path, sessions in self._used_by.items() if session in sessions)

    def end(self, session: str | None) -> list[str]:
        """Forget ``session``; delete the files no other running session uses. Returns them."""
        if not session:
            return []
        with self._lock:
            orphans = []
            for path, sessions in list(self._used_by.items()):
                sessions.discard(session)
                if not sessions:
                    del self._used_by[path]
                    orphans.append(path)
        deleted = [path for path in orphans if not self.kept(path) and _delete(path, self.root)]
        return deleted

    def __len__(self) -> int:
        return len(self._used_by)


def _delete(path: str, root: str) -> bool:
    """Remove ``path`` and its folder if that is left empty (uploads sit one folder deep)."""
    try:
        os.remove(path)
    except OSError:
        return False
    folder = os.path.dirname(path)
    if folder + os.sep != root:
        with contextlib.suppress(OSError):
            os.rmdir(folder)  # only if empty
    return True


def file_paths(value: Any) -> Iterator[str]:
    """Every ``"path"`` of a file payload (``{"path": …}``) anywhere inside ``value``."""
    if isinstance(value, dict):
        path = value.get("path")
        if isinstance(path, str):
            yield path
        for inner in value.values():
            if isinstance(inner, (dict, list, tuple)):
                yield from file_paths(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from file_paths(inner)


def fresh_folder(prefix: str) -> Path:
    """A new folder for one result's files (CSV/JSON downloads, an embeddings export) under
    ``RESULTS_ROOT``, where folders older than ``RESULTS_MAX_AGE_S`` are removed first: disk use
    stays bounded by the requests of the last few minutes."""
    RESULTS_ROOT.mkdir(exist_ok=True)
    cutoff = time.time() - RESULTS_MAX_AGE_S
    for folder in RESULTS_ROOT.iterdir():
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=RESULTS_ROOT))
