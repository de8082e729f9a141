"""Where a score comes from: the plain data of a "where it matches" map, and the arithmetic of
occlusion cells, word groups and the deletion / insertion test. No torch here.

A map holds one value per merged visual token of the mapped image as the model saw it (rows x
columns; frames x rows x columns for a video, a frame being one temporal group of two sampled
frames). Higher means the region raises the score: for occlusion, the score minus the score with
that region's tokens replaced by the mean of the image's tokens; for gradient, the gradient of the
score times (the token minus that mean), the first-order estimate of the same difference.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from .errors import InputError


class Method(str, Enum):
    """How a map is made."""

    OCCLUSION = "occlusion"  # one forward per region: faithful by construction
    GRADIENT = "gradient"  # one forward and one backward: a first-order estimate


def check_method(method: Any) -> Method:
    """``method`` as a Method; InputError naming the choices otherwise."""
    try:
        return Method(method)
    except ValueError:
        raise InputError(f"method must be one of {[m.value for m in Method]}, got {method!r}") from None


# Bounds: a map costs one forward of the pair per occlusion cell and per word group.
MAX_CELLS = 64  # occlusion cells per map (a larger token grid is cut into coarser cells)
MAX_WORD_GROUPS = 32  # a longer text's words are dropped in consecutive groups
MAX_FRAMES = 16  # sampled frames of a video explained (8 temporal groups)
MAX_EXPLAIN_TOKENS = 400_000  # forwards x prompt tokens for one map; cells coarsened to fit


@dataclass(frozen=True)
class VisualTarget:
    """Which visual of a prompt a map is about: the ``index``-th image (or video) of its prompt."""

    kind: str  # "image" or "video"
    index: int


@dataclass(frozen=True)
class WordWeight:
    """One word of the text side and how much it moves the score (score minus score without it)."""

    word: str
    weight: float


@dataclass
class Explanation:
    """Where a pair's score comes from.

    ``grid``: float32 [rows, cols] (image) or [frames, rows, cols] (video), one value per merged
    visual token of the mapped input (``side``), higher meaning it raises the score. ``words``:
    the text side's words in order with their weights (empty without a text side). ``score``: the
    pair's similarity or relevance, as ``embed`` / ``rerank`` give it. ``seen``: the image (or one
    frame per temporal group) as the model saw it, uint8 [H, W, 3] or [frames, H, W, 3].
    """

    grid: np.ndarray
    words: list[WordWeight]
    score: float
    method: str
    seconds: float
    model: str = "embedding"  # or "reranker"
    side: str = "document"  # which input the grid maps: "query" or "document"
    words_side: str = ""  # which input the words come from ("" without a text side)
    kind: str = "image"  # or "video"
    cell: tuple[int, int] = (1, 1)  # occlusion cell in tokens (rows, cols); (1, 1) for gradient
    forwards: int = 0  # forward passes the map cost (a backward counts as one more)
    seen: np.ndarray | None = field(default=None, repr=False)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.grid.shape)

    def how(self) -> str:
        """One line saying how the map was made and what it cost."""
        cells = "" if self.cell == (1, 1) else f" in cells of {self.cell[0]}x{self.cell[1]} tokens"
        what = {Method.OCCLUSION.value: f"occlusion (each region{cells} replaced by the image's mean token)",
                Method.GRADIENT.value: "gradient x input on the visual tokens (one forward, one backward)"}
        grid = "x".join(str(n) for n in self.grid.shape)
        words = f"; words by dropping each ({len(self.words)} words)" if self.words else ""
        return (f"{what.get(self.method, self.method)} over the {grid} token grid{words}: "
                f"{self.forwards} passes, {self.seconds:.2f} s")

    def frame_order(self) -> list[int]:
        """A video's frames, the ones whose regions raise the score most first ([0] for an image)."""
        if self.grid.ndim == 2:
            return [0]
        peaks = self.grid.reshape(self.grid.shape[0], -1).max(axis=1)
        return [int(i) for i in np.argsort(-peaks, kind="stable")]


def bounded(item: Any) -> Any:
    """An input dict as a map explains it: a video sampled at no more than ``MAX_FRAMES`` frames
    (its own ``max_frames`` if lower); anything else as it is."""
    if not isinstance(item, dict) or item.get("video") in (None, "", []):
        return item
    asked = item.get("max_frames")
    frames = MAX_FRAMES if not isinstance(asked, int) or isinstance(asked, bool) else min(asked, MAX_FRAMES)
    return {**item, "max_frames": frames}


# --- Occlusion cells ---------------------------------------------------------------------------
def plan_cell(frames: int, rows: int, cols: int, max_cells: int = MAX_CELLS) -> tuple[int, int]:
    """The smallest cell (rows, cols of tokens, kept near square) whose count over the grid
    (frames x cells per frame) is at most ``max_cells`` (at least one cell per frame)."""
    per_frame = max(1, max_cells // max(frames, 1))
    for size in range(1, max(rows, cols) + 1):
        for cell in ((size, size), (size, size + 1), (size + 1, size)):
            if math.ceil(rows / cell[0]) * math.ceil(cols / cell[1]) <= per_frame:
                return min(cell[0], rows), min(cell[1], cols)
    return rows, cols


def cell_masks(frames: int, rows: int, cols: int, cell: tuple[int, int]) -> np.ndarray:
    """One boolean token mask per cell: [n_cells, frames * rows * cols], tokens in the model's
    order (frame, row, column)."""
    masks = []
    for f in range(frames):
        for r in range(0, rows, cell[0]):
            for c in range(0, cols, cell[1]):
                mask = np.zeros((frames, rows, cols), dtype=bool)
                mask[f, r:r + cell[0], c:c + cell[1]] = True
                masks.append(mask.reshape(-1))
    return np.stack(masks)


def spread(values: np.ndarray, masks: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Cell values given back to every token of their cell: float32 ``shape``."""
    grid = np.zeros(int(np.prod(shape)), dtype=np.float32)
    for value, mask in zip(values, masks, strict=True):
        grid[mask] = value
    return grid.reshape(shape)


# --- Words -------------------------------------------------------------------------------------
def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word (a run of non-space characters) of ``text`` is: [(start, end), ...]."""
    return [m.span() for m in re.finditer(r"\S+", text)]


def word_groups(n_words: int, max_groups: int = MAX_WORD_GROUPS) -> list[range]:
    """Word indices cut into at most ``max_groups`` consecutive groups (one word each if they fit)."""
    if n_words == 0:
        return []
    size = math.ceil(n_words / max_groups)
    return [range(start, min(start + size, n_words)) for start in range(0, n_words, size)]


def without_words(text: str, spans: list[tuple[int, int]], group: range) -> str:
    """``text`` with the words of ``group`` removed (and the spaces around them closed up)."""
    kept = [text[s:e] for i, (s, e) in enumerate(spans) if i not in group]
    return " ".join(kept)


def word_weights(text: str, groups: list[range], drops: list[float]) -> list[WordWeight]:
    """Each word with its group's score drop (every word of ``text``, in order)."""
    spans = word_spans(text)
    weights = [0.0] * len(spans)
    for group, drop in zip(groups, drops, strict=True):
        for i in group:
            weights[i] = float(drop)
    return [WordWeight(text[s:e], w) for (s, e), w in zip(spans, weights, strict=True)]


# --- The deletion / insertion test ---------------------------------------------------------------
def ranked_masks(grid: np.ndarray, steps: int, insert: bool = False) -> np.ndarray:
    """Token masks of what is removed at each of ``steps`` + 1 fractions (0 .. 1) of the tokens,
    highest-ranked first: deletion removes the top ones; insertion (``insert``) removes all but
    the top ones. [steps + 1, n_tokens]."""
    order = np.argsort(-grid.reshape(-1), kind="stable")
    return order_masks(order, steps, insert)


def order_masks(order: np.ndarray, steps: int, insert: bool = False) -> np.ndarray:
    """As ``ranked_masks`` for tokens taken in ``order``."""
    n = len(order)
    masks = np.zeros((steps + 1, n), dtype=bool)
    for step in range(steps + 1):
        top = order[:round(n * step / steps)]
        masks[step, top] = True
    return ~masks if insert else masks


def area(scores: np.ndarray) -> float:
    """Mean of a curve sampled at evenly spaced fractions (trapezoid rule): the area under it."""
    scores = np.asarray(scores, dtype=np.float64)
    return float(((scores[1:] + scores[:-1]) / 2).mean()) if len(scores) > 1 else float(scores[0])
