"""One input with its media read, and a list of inputs prepared on a few threads.

What both backends do before a model sees anything: validate the input (``formatting.parse_input``),
read and sample its images and videos (``media``), then build whatever the backend sends.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PIL import Image

from . import formatting, media
from .errors import InputError, at_position

PREPARE_THREADS = min(4, os.cpu_count() or 1)  # threads that decode and tokenise a list's items


@dataclass
class LoadedMedia:
    """An input's texts with its images and videos already read and sampled."""

    texts: list[str]
    images: list[Image.Image]
    videos: list[media.VideoClip]

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.videos), len(self.images)

    def layouts(self) -> list[formatting.VideoLayout]:
        return [formatting.VideoLayout(v.timestamps(), v.tokens_per_group) for v in self.videos]


def load_media(parsed: formatting.MultimodalInput) -> LoadedMedia:
    images = [media.load_image(src) for src in parsed.images]
    videos = [media.load_video(src, parsed.fps, parsed.max_frames) for src in parsed.videos]
    return LoadedMedia(parsed.texts, images, videos)


def prepare_each(build: Callable[[Any], Any], items: Sequence[Any], what: str = "item") -> list[Any]:
    """``build`` over ``items``, in order, on a few threads: decoding and resizing release the GIL,
    so a list of images is read about twice as fast on two cores. A bad item's InputError names its
    position; the first bad one in the list is raised, as a plain loop would."""
    if len(items) < 2 or not any(has_media(item) for item in items):  # text alone holds the GIL
        return [at_position(build, item, i, what) for i, item in enumerate(items)]
    with ThreadPoolExecutor(max_workers=PREPARE_THREADS) as pool:
        futures = [pool.submit(at_position, build, item, i, what) for i, item in enumerate(items)]
        return [future.result() for future in futures]


def has_media(item: Any) -> bool:
    """Whether an official input dict names an image or a video."""
    return isinstance(item, dict) and any(item.get(key) is not None for key in ("image", "video"))



def estimated_tokens(item: Any) -> int:
    """About how many tokens an official input dict costs the model, from its text's length and its
    files' headers alone (nothing decoded): to order work and to ask for GPU time. A malformed
    input counts as a short text (its error comes when it is embedded)."""
    try:
        parsed = formatting.parse_input(item)
    except InputError:
        return 16
    tokens = 16 + sum(len(text) for text in parsed.texts) // 4
    tokens += sum(media.estimated_visual_tokens(os.fspath(image)) for image in parsed.images if is_file_name(image))
    for video in parsed.videos:
        if isinstance(video, list):  # one video given as its frames: two frames make a temporal group
            first = video[0] if video else None
            tokens += (media.estimated_visual_tokens(os.fspath(first)) if is_file_name(first) else 0) * len(video) // 2
        elif is_file_name(video):
            tokens += media.estimated_visual_tokens(os.fspath(video), parsed.fps, parsed.max_frames)
    return tokens


def is_file_name(value: Any) -> bool:
    return isinstance(value, (str, os.PathLike)) and bool(os.fspath(value))
