"""Where it matches, for the app: a pair of items explained through the compute boundary, each
map remembered by content (the same pair, method and options a second time costs nothing)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from ..core.errors import InputError
from ..core.explain import Explanation, check_method
from ..core.items import Item
from .compute import ExplainRequest, Runner
from .store import FileHasher, content_key

MEMO_ENTRIES = 64  # maps kept (each a few KB of grid and the image as the model saw it, ~1-5 MB)


class ExplainMemo:
    """Explanations by the content of their request, least recently used first out."""

    def __init__(self, max_entries: int = MEMO_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Explanation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple | None) -> Explanation | None:
        with self._lock:
            if key is None or key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: tuple | None, found: Explanation) -> None:
        if key is None:
            return
        with self._lock:
            self._entries[key] = found
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def request_key(request: ExplainRequest, hasher: FileHasher) -> tuple | None:
    """What the map depends on: both inputs' texts and file contents, instructions, video sampling,
    the model, the method and the option; None where a file cannot be read (not remembered)."""
    sides = [content_key(obj, request.model, hasher) for obj in (request.query, request.document)]
    if None in sides:
        return None
    return (*sides, request.method, request.option)


def explain_items(runner: Runner, memo: ExplainMemo, hasher: FileHasher, query: Item, document: Item,
                  model: str, method: str, option: Any = None, query_instruction: str | None = None,
                  document_instruction: str | None = None) -> tuple[Explanation, bool]:
    """The map of (query, document) by ``model`` ("embedding": ``option`` the MRL size; "reranker":
    the instruction) and whether it was remembered. The embedder's instructions go into the inputs."""
    if model not in ("embedding", "reranker"):
        raise InputError(f"model must be 'embedding' or 'reranker', got {model!r}")
    check_method(method)
    embedding = model == "embedding"
    request = ExplainRequest(query.to_input(query_instruction if embedding else None),
                             document.to_input(document_instruction if embedding else None), model, method, option)
    key = request_key(request, hasher)
    found = memo.get(key)
    if found is not None:
        return found, True
    result = runner.run(request).check()
    found = result.stats["explanation"]
    memo.put(key, found)
    return found, False
