"""Vision-tower outputs remembered by content, so an image or video is encoded once.

A reranked image query is encoded once for all its pairs, and gallery items reranked again for
another query skip the vision tower. Bounded in bytes, least recently used first out.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch


@dataclass
class VisionFeatures:
    """The vision tower's output for one image or video: what the language model receives."""

    grid: torch.Tensor  # (t, h, w) in patches
    embeds: torch.Tensor  # [visual tokens, hidden]
    deepstack: list[torch.Tensor]  # one [visual tokens, hidden] per deepstack layer

    @property
    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in (self.embeds, *self.deepstack))


class VisionCache:
    """Vision-tower outputs by content key, least recently used first out, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[str, VisionFeatures] = OrderedDict()

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0

    def get(self, key: str) -> VisionFeatures:
        self._entries.move_to_end(key)
        return self._entries[key]

    def put(self, key: str, features: VisionFeatures) -> None:
        if key in self._entries or self.max_bytes <= 0:  # a zero budget keeps nothing
            return
        self._entries[key] = features
        self.bytes += features.nbytes
        while self.bytes > self.max_bytes and len(self._entries) > 1:
            _, dropped = self._entries.popitem(last=False)
            self.bytes -= dropped.nbytes


def chunks(entries: list[tuple[str, Any]], tokens: Callable[[Any], int], budget: int) -> list[list[tuple[str, Any]]]:
    """``entries`` in order, cut into runs of at most ``budget`` visual tokens (one entry at least)."""
    runs: list[list[tuple[str, Any]]] = []
    used = budget
    for entry in entries:
        size = tokens(entry[1])
        if used + size > budget:
            runs.append([])
            used = 0
        runs[-1].append(entry)
        used += size
    return runs


def content_key(kind: str, item: Any) -> str:
    """A digest of the exact pixels the vision tower will see (memoised on the object)."""
    cached = getattr(item, "_qwen3vl_key", None)
    if cached is None:
        digest = hashlib.blake2b(digest_size=20)
        if kind == "image":
            digest.update(f"image {item.mode} {item.size}".encode())
            digest.update(item.tobytes())
        else:
            digest.update(f"video {item.frames.shape} {item.size} {item.indices} {item.fps}".encode())
            digest.update(np.ascontiguousarray(item.frames).data)
        cached = digest.hexdigest()
        item._qwen3vl_key = cached
    return cached
