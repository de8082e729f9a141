"""A video that would pass the embedder's context is sampled down to fit (core.video_fit), and the
estimate from the stream header alone matches what the loader then reads."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from qwen3vl_demo.core import config
from qwen3vl_demo.core.items import Item
from qwen3vl_demo.core.media import load_video, video_tokens
from qwen3vl_demo.core.video_fit import PROMPT_MARGIN, TIMESTAMP_TOKENS, fit, probe, tokens_for
from qwen3vl_demo.ui import video_options


def write_clip(path: Path, seconds: int, rate: int = 2, size: tuple[int, int] = (640, 480)) -> Path:
    """A plain clip of ``seconds`` at ``rate`` fps (few frames, so it is quick to write)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for n in range(seconds * rate):
            array = np.full((size[1], size[0], 3), (n * 7) % 256, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(array, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_clip(tmp_path_factory.mktemp("clips") / "two_minutes.mp4", 120)


def test_a_two_minute_clip_is_sampled_down_to_fit(long_clip: Path) -> None:
    shape = probe(str(long_clip))
    assert shape is not None and (shape.height, shape.width) == (480, 640) and shape.total_frames == 240
    result = fit(shape, 1.0, 64)
    assert result.frames_before == 64 and result.tokens_before > config.EMBED_MAX_LENGTH - PROMPT_MARGIN
    assert result.max_frames == result.frames_after == 48  # 24 groups of 300 tokens + timestamps
    assert result.tokens_after <= config.EMBED_MAX_LENGTH - PROMPT_MARGIN
    assert tokens_for(shape, 50) > config.EMBED_MAX_LENGTH - PROMPT_MARGIN  # the most that fits
    clip = load_video(str(long_clip), 1.0, result.max_frames)  # what the models will then read
    assert len(clip.frames) == 48
    assert video_tokens(clip) + clip.groups * TIMESTAMP_TOKENS == result.tokens_after


def test_a_clip_that_fits_is_left_as_asked(tmp_path: Path) -> None:
    short = write_clip(tmp_path / "short.mp4", 10)
    items, notes = video_options.fitted([Item("video", path=str(short)), Item("text", text="a")])
    assert notes == [] and items[0].max_frames is None and items[0].to_input() == {"video": str(short)}
    items, _ = video_options.fitted([Item("video", path=str(short))], 2, 8)  # the tab's controls
    assert items[0].to_input() == {"video": str(short), "fps": 2.0, "max_frames": 8}


def test_the_note_names_the_video_and_the_inputs_carry_the_fewer_frames(long_clip: Path) -> None:
    items, notes = video_options.fitted([Item("video", path=str(long_clip))])
    assert items[0].to_input()["max_frames"] == 48
    assert len(notes) == 1 and notes[0].startswith("two_minutes.mp4 sampled down to 48 frames")
