"""The fps / max-frames controls of Similarity and Gallery search, and the videos that would not
fit the embedder's context sampled down to fit (said in the cost line) instead of refused."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..core import config
from ..core.items import Item
from ..core.media import check_video_options, kind_of_file
from ..core.video_fit import fit, probe
from .strings import translate_notes


def options(fps: Any, max_frames: Any) -> tuple[float, int]:
    """The controls' values, checked (empty: the defaults); InputError names a bad one."""
    return check_video_options(None if fps in (None, "") else fps,
                               None if max_frames in (None, "") else max_frames)


def fitted(items: list[Item], fps: Any = None, max_frames: Any = None) -> tuple[list[Item], list[str]]:
    """``items`` with each video sampled at ``fps`` / ``max_frames``, fewer frames where that would
    pass the context; and one note per video sampled down."""
    rate, frames = options(fps, max_frames)
    custom = (rate, frames) != (config.VIDEO_DEFAULT_FPS, config.VIDEO_DEFAULT_MAX_FRAMES)
    out, notes = [], []
    for item in items:
        if not item.path or kind_of_file(item.path) != "video":
            out.append(item)
            continue
        shape = probe(item.path)
        result = fit(shape, rate, frames) if shape else None
        if result and result.max_frames is not None:
            notes.append(f"{item.name} sampled down to {result.frames_after} frames "
                         f"({result.tokens_before:,} → {result.tokens_after:,} tokens) to fit the model's "
                         f"{config.EMBED_MAX_LENGTH:,}")
            out.append(dataclasses.replace(item, fps=rate, max_frames=result.max_frames))
        else:
            out.append(dataclasses.replace(item, fps=rate, max_frames=frames) if custom else item)
    return out, notes


def with_notes(outputs: tuple, notes: list[str]) -> tuple:
    """A handler's outputs with the sampling notes added to its cost line (the second output)."""
    if not notes:
        return outputs
    return (outputs[0], outputs[1] + "  \n🎞️ " + translate_notes(notes).html(), *outputs[2:])
