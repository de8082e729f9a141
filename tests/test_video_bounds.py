"""Video memory bombs: frame size and visual tokens are checked from the stream before decoding,
and frames far larger than needed are shrunk as they are decoded, so one video adds well under
1 GB whatever its file claims."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from qwen3vl_demo import InputError
from qwen3vl_demo.core import config, media

ROOT = Path(__file__).resolve().parents[1]


def _mjpeg_clip(path: Path, width: int, height: int, frames: int, rate: int = 2) -> Path:
    """A small file of huge frames: one flat JPEG frame encoded once and muxed ``frames`` times."""
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("mjpeg", rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuvj420p"
        frame = av.VideoFrame(width, height, "yuvj420p")
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.pts = 0
        first = (list(stream.encode(frame)) + list(stream.encode()))[0]
        data = bytes(first)
        for i in range(frames):
            packet = av.Packet(data)
            packet.stream, packet.pts, packet.dts = stream, i, i
            packet.time_base, packet.is_keyframe = first.time_base, True
            container.mux(packet)
    return path


def _peak_rss_increase_mb(path: Path, fps: float, max_frames: int) -> dict:
    """Load the video in a fresh interpreter; its peak RSS increase (MB) and the outcome."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux's /proc to measure peak memory")
    script = textwrap.dedent(f"""
        import json, sys
        from qwen3vl_demo.core import media
        from qwen3vl_demo import InputError
        import av, numpy, PIL.Image

        def peak_kb():  # this process's high-water mark (ru_maxrss would include the parent's)
            with open("/proc/self/status") as status:
                return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))

        before = peak_kb()
        try:
            clip = media.load_video({str(path)!r}, fps={fps}, max_frames={max_frames})
            outcome = {{"frames": list(clip.frames.shape), "size": list(clip.size)}}
        except InputError as exc:
            outcome = {{"error": str(exc)}}
        after = peak_kb()
        outcome["increase_mb"] = (after - before) / 1024
        print(json.dumps(outcome))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_frames_above_the_pixel_limit_are_refused_before_decoding(tmp_path):
    path = _mjpeg_clip(tmp_path / "huge.mkv", 8200, 8200, 2)
    with pytest.raises(InputError, match=r"8200x8200 frames, above the 64 megapixel limit"):
        media.load_video(str(path))
    with pytest.raises(InputError, match="megapixel limit"):
        media.first_frame(str(path))


@pytest.mark.optional  # measured through Linux's /proc: skipped elsewhere
@pytest.mark.slow  # decodes 8000x8000 frames in a child process
def test_eight_frames_of_8000x8000_stay_under_a_gigabyte(tmp_path):
    path = _mjpeg_clip(tmp_path / "bomb.mkv", 8000, 8000, 8)
    assert path.stat().st_size < 20_000_000  # a small file claiming 1.5 GB of RGB frames
    outcome = _peak_rss_increase_mb(path, fps=2.0, max_frames=64)
    assert outcome["increase_mb"] < 1024, outcome
    # read, not refused: 8 frames shrunk to their target size as they were decoded
    height, width = outcome["size"]
    assert outcome["frames"] == [8, height, width, 3]
    assert height * width <= config.VIDEO_FRAME_MAX_PIXELS


@pytest.mark.optional  # measured through Linux's /proc: skipped elsewhere
def test_too_many_visual_tokens_are_refused_before_decoding(tmp_path):
    path = _mjpeg_clip(tmp_path / "long.mkv", 1280, 720, 192, rate=30)
    outcome = _peak_rss_increase_mb(path, fps=30.0, max_frames=768)
    assert "visual tokens, more than the models' 10240" in outcome["error"], outcome
    # the old path decoded and kept all 192 frames (~530 MB, twice over) before refusing
    assert outcome["increase_mb"] < 150, outcome


def test_ordinary_frames_keep_the_official_pixels(tmp_path):
    plan = media.plan_frames("hd.mp4", 1920, 1080, 16)
    assert plan.shrink_to is None  # full HD is decoded whole and resized by torchvision as before
    assert media.plan_frames("uhd.mp4", 4096, 2160, 4).shrink_to is not None


def test_a_frame_larger_than_declared_is_refused():
    class Frame:
        width, height = 4000, 4000

    plan = media.FramePlan("liar.mp4", 64, 48, None)
    with pytest.raises(InputError, match="4000x4000 frame in a stream declared 64x48"):
        plan.array(Frame())


def test_shrunk_frames_match_torchvision_within_one_level(tmp_path):
    """Shrinking as decoded (Pillow) against the official torchvision resize of the whole frame."""
    torch = pytest.importorskip("torch")
    import torchvision.transforms.functional as TF
    from PIL import Image
    from torchvision.transforms import InterpolationMode

    rng = np.random.default_rng(0)
    small = Image.fromarray(rng.integers(0, 255, (90, 160, 3), np.uint8))
    full = np.asarray(small.resize((4000, 2250), Image.Resampling.BILINEAR))
    plan = media.plan_frames("uhd.mp4", 4000, 2250, 8)
    height, width = plan.shrink_to
    ours = np.asarray(Image.fromarray(full).resize((width, height), Image.Resampling.BICUBIC))
    official = TF.resize(torch.from_numpy(full.copy()).permute(2, 0, 1), [height, width],
                         interpolation=InterpolationMode.BICUBIC, antialias=True)
    assert np.abs(official.permute(1, 2, 0).numpy().astype(int) - ours).max() <= 1
