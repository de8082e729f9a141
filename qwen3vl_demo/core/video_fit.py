"""Videos that would not fit the embedder's context, sampled down until they do.

A clip's visual tokens follow from its stream header alone (frame count, frame rate, size) and the
sampling rules of ``media`` (qwen-vl-utils'): no frame is decoded here. When the tokens at the
asked fps / max_frames pass the budget, the largest even frame count that fits is chosen instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import config
from .media import frame_count, frame_pixel_bounds, smart_resize, visual_tokens

# The prompt around a video: template, instruction, text, and one timestamp ("<12.5 seconds>") per
# temporal group; what is left of the context is the video's.
PROMPT_MARGIN = 512
TIMESTAMP_TOKENS = 8


@dataclass(frozen=True)
class VideoShape:
    """What a video's header says: frames in the file, their rate, and their size in pixels."""

    total_frames: int
    fps: float
    height: int
    width: int


@dataclass(frozen=True)
class Fit:
    """How one video is sampled: ``max_frames`` to ask for (None: as asked) and the tokens before
    and after (``before == after`` when it already fitted)."""

    max_frames: int | None
    frames_before: int
    frames_after: int
    tokens_before: int
    tokens_after: int


def probe(path: str) -> VideoShape | None:
    """The stream header of ``path``; None when it cannot be read (the loader then says why)."""
    import av

    try:
        with av.open(path) as container:
            stream = container.streams.video[0]
            rate = float(stream.average_rate or stream.guessed_rate or 0)
            total = int(stream.frames or 0)
            if not total and container.duration and rate:
                total = int(container.duration / 1_000_000 * rate)
            height, width = stream.codec_context.height, stream.codec_context.width
    except (av.FFmpegError, IndexError, OSError, ValueError):
        return None
    if total <= 0 or rate <= 0 or height <= 0 or width <= 0:
        return None
    return VideoShape(total, rate, height, width)


def tokens_for(shape: VideoShape, frames: int) -> int:
    """Visual tokens plus timestamps of ``frames`` sampled frames of ``shape``."""
    height, width = smart_resize(shape.height, shape.width,
                                 *frame_pixel_bounds(frames, config.VIDEO_FILE_TOTAL_PIXELS))
    groups = frames // config.FRAME_FACTOR
    return groups * (visual_tokens(height, width) + TIMESTAMP_TOKENS)


def fit(shape: VideoShape, fps: float, max_frames: int, budget: int = config.EMBED_MAX_LENGTH - PROMPT_MARGIN) -> Fit:
    """The most frames (even, at least 2) of ``shape`` at ``fps`` whose tokens fit ``budget``."""
    asked = frame_count(shape.total_frames, shape.fps, fps, max_frames)
    before = tokens_for(shape, asked)
    frames, tokens = asked, before
    while tokens > budget and frames > config.FRAME_FACTOR:
        frames -= config.FRAME_FACTOR
        tokens = tokens_for(shape, frames)
    return Fit(None if frames == asked else frames, asked, frames, before, tokens)
