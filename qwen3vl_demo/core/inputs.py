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
from .errors import at_position

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
