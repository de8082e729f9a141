"""Image and video reading against qwen-vl-utils 0.0.14 (installed as a reference) and PyAV."""

from __future__ import annotations

import random
from pathlib import Path

import av
import numpy as np
import pytest
import torch
from conftest import ASSETS
from PIL import Image
from qwen_vl_utils import vision_process as qvu

from qwen3vl_demo import InputError
from qwen3vl_demo.core import config, media

CYCLING = ASSETS / "videos" / "cycling.mp4"  # 96 frames at 8 fps, 320x240
BATHROOMS = ASSETS / "videos" / "bathrooms.mp4"  # 90 frames at 10 fps


# --- linspace_indices -----------------------------------------------------------------------------
def _torch_indices(start: int, end: int, count: int) -> list[int]:
    return torch.linspace(start, end, count).round().long().tolist()


def test_linspace_indices_matches_torch_exhaustive_small():
    mismatches = [
        (total, n)
        for total in range(1, 260)
        for n in range(1, 80)
        if media.linspace_indices(0, total - 1, n) != _torch_indices(0, total - 1, n)
    ]
    assert not mismatches, mismatches[:10]


def test_linspace_indices_matches_torch_large_and_offset():
    rng = random.Random(11)
    pairs = [(total, n) for total in (1000, 4321, 86_400, 216_000) for n in (2, 4, 63, 64, 100, 768)]
    pairs += [(rng.randint(2, 200_000), rng.randint(2, 768)) for _ in range(300)]
    for total, n in pairs:
        assert media.linspace_indices(0, total - 1, n) == _torch_indices(0, total - 1, n), (total, n)
    for start, end, n in [(5, 95, 12), (10, 11, 4), (100, 1000, 33), (7, 7, 3)]:
        assert media.linspace_indices(start, end, n) == _torch_indices(start, end, n)


# --- frame_count ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("total", "video_fps", "fps", "max_frames", "expected"),
    [
        (96, 8.0, 1.0, 64, 12),  # cycling.mp4: 12 s at 1 fps
        (96, 8.0, 2.0, 64, 24),
        (96, 8.0, 2.0, 10, 10),  # max_frames caps
        (96, 8.0, 2.0, 9, 8),  # ... floored to even
        (96, 8.0, 0.1, 64, 4),  # at least 4
        (96, 8.0, 8.0, 768, 96),  # every frame
        (96, 8.0, 30.0, 768, 96),  # never more than the clip has
        (90, 10.0, 1.1, 64, 8),  # 9.9 -> floored to even
        (90, 10.0, 2.0, 8, 8),
        (5, 25.0, 1.0, 64, 4),
        (3, 25.0, 1.0, 64, 2),  # too short for 4: all it has, even
        (1, 25.0, 1.0, 64, 2),  # one frame: repeated to fill the temporal patch
    ],
)
def test_frame_count_rules(total, video_fps, fps, max_frames, expected):
    count = media.frame_count(total, video_fps, fps, max_frames)
    assert count == expected
    assert count % 2 == 0


def test_frame_count_matches_qwen_vl_utils():
    rng = random.Random(5)
    for _ in range(2000):
        total = rng.randint(2, 20_000)
        video_fps = rng.choice([8.0, 10.0, 23.976, 24.0, 25.0, 29.97, 30.0, 60.0, 1.0, 0.5])
        fps = rng.choice([0.1, 0.5, 1.0, 2.0, 3.3, 8.0, 30.0])
        max_frames = rng.randint(2, 768)
        ele = {"fps": fps, "max_frames": max_frames}
        expected = qvu.smart_nframes(ele, total_frames=total, video_fps=video_fps)
        assert media.frame_count(total, video_fps, fps, max_frames) == expected, (ele, total, video_fps)


# --- smart_resize ---------------------------------------------------------------------------------
BOUNDS = [  # (min_pixels, max_pixels, factor)
    (config.IMAGE_MIN_PIXELS, config.IMAGE_MAX_PIXELS, 32),
    (config.VIDEO_FRAME_MIN_PIXELS, config.VIDEO_FRAME_MAX_PIXELS, 32),
    (config.FRAME_IMAGE_MIN_PIXELS, config.FRAME_IMAGE_MAX_PIXELS, 32),
    (*media.frame_pixel_bounds(6, config.FRAME_LIST_TOTAL_PIXELS), 32),
    (*media.frame_pixel_bounds(64, config.FRAME_LIST_TOTAL_PIXELS), 32),
    # frame-list frames: qwen-vl-utils' fetch_image with its defaults at factor 64 (see media.py)
    (4 * 64**2, 16384 * 64**2, 64),
]


@pytest.mark.parametrize(
    "bounds", BOUNDS, ids=["image", "video_file", "frame_image", "list6", "list64", "factor64"]
)
def test_smart_resize_matches_qwen_vl_utils(bounds):
    min_pixels, max_pixels, factor = bounds
    rng = random.Random(42)
    sizes = [(1, 1), (32, 32), (28, 28), (240, 320), (1080, 1920), (4000, 3000), (20, 4000), (4000, 20),
             (8192, 8192), (33, 47), (100, 20_000)]
    for _ in range(2000):
        h = rng.choice([rng.randint(1, 100), rng.randint(1, 2000), rng.randint(1, 12_000)])
        w = rng.choice([rng.randint(1, 100), rng.randint(1, 2000), rng.randint(1, 12_000)])
        if max(h, w) / min(h, w) <= 200:
            sizes.append((h, w))
    for h, w in sizes:
        want = qvu.smart_resize(h, w, factor=factor, min_pixels=min_pixels, max_pixels=max_pixels)
        got = media.smart_resize(h, w, min_pixels, max_pixels, factor)
        assert got == want, (h, w, bounds)
        assert got[0] % factor == 0 and got[1] % factor == 0


def test_frame_list_frame_bounds_are_qwen_vl_utils_defaults_at_factor_64():
    assert config.FRAME_IMAGE_FACTOR == 64
    assert config.FRAME_IMAGE_MIN_PIXELS == qvu.IMAGE_MIN_TOKEN_NUM * 64**2
    assert config.FRAME_IMAGE_MAX_PIXELS == qvu.IMAGE_MAX_TOKEN_NUM * 64**2


def test_smart_resize_refuses_extreme_aspect_ratio():
    for h, w in [(20, 6400), (6400, 20), (1, 201)]:
        with pytest.raises(ValueError):
            qvu.smart_resize(h, w, factor=32, min_pixels=4096, max_pixels=1_843_200)
        with pytest.raises(InputError, match="aspect ratio"):
            media.smart_resize(h, w, 4096, 1_843_200)
    assert media.smart_resize(1, 200, 4096, 1_843_200) == qvu.smart_resize(1, 200, 32, 4096, 1_843_200)


def test_load_image_size_and_mode(tmp_path):
    path = tmp_path / "big.png"
    Image.new("RGBA", (3000, 2000), (10, 20, 30, 0)).save(path)
    image = media.load_image(path)
    assert image.mode == "RGB"
    assert (image.height, image.width) == qvu.smart_resize(2000, 3000, 32, config.IMAGE_MIN_PIXELS,
                                                          config.IMAGE_MAX_PIXELS)
    assert image.getpixel((5, 5)) == (255, 255, 255)  # transparent -> white


def test_load_image_matches_qwen_vl_utils_fetch_image():
    for name in ("images/img_0.jpg", "documents/doc_3.jpg", "images/example_0.jpeg"):
        path = ASSETS / name
        ours = media.load_image(path)
        theirs = qvu.fetch_image(
            {"image": str(path), "min_pixels": config.IMAGE_MIN_PIXELS,
             "max_pixels": config.IMAGE_MAX_PIXELS},
            image_patch_size=16,
        )
        assert ours.size == theirs.size
        assert np.array_equal(np.asarray(ours), np.asarray(theirs)), name


# --- video files ----------------------------------------------------------------------------------
def _decode_all(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


@pytest.fixture(scope="module")
def cycling_frames() -> np.ndarray:
    return _decode_all(CYCLING)


def test_load_video_file_defaults(cycling_frames):
    clip = media.load_video(str(CYCLING))
    assert len(cycling_frames) == 96
    assert clip.total_frames == 96
    assert clip.fps == 8.0
    assert len(clip.frames) == 12
    assert clip.indices == _torch_indices(0, 95, 12)
    assert clip.indices == [0, 9, 17, 26, 35, 43, 52, 60, 69, 78, 86, 95]
    assert clip.frames.dtype == np.uint8
    assert clip.frames.shape == (12, 240, 320, 3)
    assert np.array_equal(clip.frames, cycling_frames[clip.indices])
    bounds = media.frame_pixel_bounds(12, config.VIDEO_FILE_TOTAL_PIXELS)
    assert clip.size == qvu.smart_resize(240, 320, 32, *bounds)
    assert clip.groups == 6
    pairs = zip(clip.indices[::2], clip.indices[1::2], strict=True)
    assert clip.timestamps() == pytest.approx([(a / 8 + b / 8) / 2 for a, b in pairs])


@pytest.mark.parametrize(
    ("fps", "max_frames", "count"), [(2.0, 8, 8), (0.25, 64, 4), (3.0, 64, 36), (2.0, 7, 6)]
)
def test_load_video_file_options(cycling_frames, fps, max_frames, count):
    clip = media.load_video(CYCLING, fps=fps, max_frames=max_frames)
    assert len(clip.frames) == count
    assert clip.indices == _torch_indices(0, 95, count)
    assert np.array_equal(clip.frames, cycling_frames[clip.indices])


def test_load_video_other_clip():
    clip = media.load_video(BATHROOMS, fps=2.0, max_frames=8)
    assert (clip.total_frames, clip.fps, len(clip.frames)) == (90, 10.0, 8)
    assert clip.indices == _torch_indices(0, 89, 8)
    assert np.array_equal(clip.frames, _decode_all(BATHROOMS)[clip.indices])


def _write_clip(path: Path, n_frames: int, rate: int = 10, size=(64, 48)) -> list[np.ndarray]:
    rng = np.random.default_rng(n_frames)
    frames = []
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for _ in range(n_frames):
            blocks = rng.integers(0, 256, (size[1] // 16, size[0] // 16, 3), np.uint8)
            array = np.repeat(np.repeat(blocks, 16, 0), 16, 1)
            frames.append(array)
            for packet in stream.encode(av.VideoFrame.from_ndarray(array, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return frames


def test_one_frame_clip_gives_two_frames(tmp_path):
    path = tmp_path / "one.mp4"
    _write_clip(path, 1)
    clip = media.load_video(path)
    assert clip.total_frames == 1
    assert len(clip.frames) == 2
    assert clip.indices == [0, 0]
    assert np.array_equal(clip.frames[0], clip.frames[1])
    assert np.array_equal(clip.frames[0], _decode_all(path)[0])
    assert clip.groups == 1


def test_short_clip_gives_even_frames(tmp_path):
    path = tmp_path / "three.mp4"
    _write_clip(path, 3)
    clip = media.load_video(path)
    assert len(clip.frames) == 2
    assert clip.indices == _torch_indices(0, 2, 2) == [0, 2]
    assert np.array_equal(clip.frames, _decode_all(path)[[0, 2]])


# --- frame lists ----------------------------------------------------------------------------------
def _solid_frames(n: int, size=(96, 64)) -> list[Image.Image]:
    return [Image.new("RGB", size, (i * 20 % 256, 255 - i * 20 % 256, (i * 53) % 256)) for i in range(n)]


def test_frame_list_of_five_becomes_six():
    frames = _solid_frames(5)
    clip = media.load_video(frames)
    assert len(clip.frames) == 6
    assert np.array_equal(clip.frames[5], clip.frames[4])
    for i in range(5):
        assert tuple(clip.frames[i][0, 0]) == frames[i].getpixel((0, 0))
    assert clip.indices == list(range(6))
    assert clip.fps == config.FRAME_LIST_SAMPLE_FPS == 2.0
    # Group k holds frames 2k and 2k+1 at 2 fps: (k + k + 0.5) / 2 seconds.
    assert clip.timestamps() == [0.25, 1.25, 2.25]
    assert clip.groups == 3


@pytest.mark.parametrize(
    ("height", "width", "n"), [(300, 500, 5), (64, 96, 4), (720, 1280, 3), (50, 3000, 2)]
)
def test_frame_list_matches_qwen_vl_utils(height, width, n):
    """Sizes and pixels as qwen-vl-utils' fetch_video makes them from a list of frames."""
    from qwen3vl_demo.backends.local import Qwen3VLBase

    rng = np.random.default_rng(9)
    frames = [Image.fromarray(rng.integers(0, 256, (height, width, 3), np.uint8)) for _ in range(n)]
    clip = media.load_video(frames)
    video, metadata = qvu.fetch_video(
        {"video": frames, "total_pixels": config.FRAME_LIST_TOTAL_PIXELS},
        image_patch_size=16, return_video_metadata=True,
    )
    assert tuple(video.shape[-2:]) == clip.size
    assert len(video) == len(clip.frames) == n + n % 2
    assert metadata["frames_indices"] == clip.indices
    assert metadata["fps"] == clip.fps
    ours = Qwen3VLBase._video_pixels(None, clip)
    assert ours.shape == video.shape
    assert torch.allclose(ours, video, atol=1e-3)


def test_frame_list_longer_than_max_frames_is_evenly_subsampled():
    frames = _solid_frames(10)
    clip = media.load_video(frames, max_frames=4)
    kept = np.linspace(0, 9, 4).astype(int).tolist()
    assert kept == [0, 3, 6, 9]
    assert len(clip.frames) == 4
    for row, index in enumerate(kept):
        assert tuple(clip.frames[row][0, 0]) == frames[index].getpixel((0, 0))


def test_frame_list_of_paths(tmp_path):
    paths = []
    for i, frame in enumerate(_solid_frames(3)):
        paths.append(str(tmp_path / f"f{i}.png"))
        frame.save(paths[-1])
    clip = media.load_video(paths)
    assert len(clip.frames) == 4
    assert clip.timestamps() == [0.25, 1.25]


# --- options --------------------------------------------------------------------------------------
def test_check_video_options():
    assert media.check_video_options(None, None) == (1.0, 64)
    assert media.check_video_options(2, 8.0) == (2.0, 8)
    for fps in (0, -1, 31, float("inf"), float("nan")):
        with pytest.raises(InputError, match="fps"):
            media.check_video_options(fps, None)
    for max_frames in (1, 769, 2.5, True, "8"):
        with pytest.raises(InputError, match="max_frames"):
            media.check_video_options(None, max_frames)


# --- seeking to the sampled frames ---------------------------------------------------------------------
def _numbered_clip(path, frames: int = 240, gop: int = 12, fps: int = 24):
    """A clip whose frame i shows the gray level (i * 7) % 256, with a keyframe every ``gop``."""
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.options = {"g": str(gop), "keyint_min": str(gop), "sc_threshold": "0", "crf": "0"}
        for i in range(frames):
            image = np.full((48, 64, 3), (i * 7) % 256, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def test_seeking_decodes_the_same_frames_as_decoding_in_order(tmp_path):
    import av

    path = _numbered_clip(tmp_path / "numbered.mp4")
    indices = media.linspace_indices(0, 239, 16)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        table = media._frame_table(container, stream)
        assert table.complete and len(table.pts) == 240 and len(table.keyframes) == 20
        plan = media.plan_frames("numbered.mp4", 64, 48, len(indices))
        seeking = media._decode_by_seeking(container, stream, indices, plan, table)
    with av.open(str(path)) as container:
        in_order = media._decode_in_order(container, container.streams.video[0], indices, plan)
    np.testing.assert_array_equal(seeking, in_order)
    # and they are the frames asked for (gray level encodes the index; lossless encoding)
    levels = seeking[:, 24, 32, 0].astype(int)
    assert np.all(np.abs(levels - np.array([(i * 7) % 256 for i in indices])) <= 2)


def test_load_video_uses_seeking_and_keeps_repeated_indices(tmp_path):
    path = _numbered_clip(tmp_path / "short.mp4", frames=48, gop=6)
    clip = media.load_video(str(path), fps=1.0, max_frames=64)
    assert clip.indices == media.linspace_indices(0, 47, 4) and len(clip.frames) == 4
