"""Hostile and unusual media: each is either read the sensible way or refused with a message."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from qwen3vl_demo import InputError
from qwen3vl_demo.core import media

IMAGE_CASES_SIZE = (96, 64)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def _photo() -> Image.Image:
    rng = np.random.default_rng(3)
    return Image.fromarray(rng.integers(0, 255, (IMAGE_CASES_SIZE[1], IMAGE_CASES_SIZE[0], 3), np.uint8))


def test_cmyk_jpeg_is_converted_to_rgb(embedder, tmp_path):
    cmyk = tmp_path / "cmyk.jpg"
    _photo().convert("CMYK").save(cmyk, quality=95)
    reference = tmp_path / "reference.png"
    Image.open(cmyk).convert("RGB").save(reference)
    got, expected = embedder.embed([{"image": str(cmyk)}, {"image": str(reference)}])
    assert _cos(got, expected) > 0.9999


def test_sixteen_bit_png_is_scaled_not_clipped(embedder, tmp_path):
    gradient = np.tile(np.linspace(0, 65535, 96, dtype=np.uint16), (64, 1))
    deep = tmp_path / "deep.png"
    Image.fromarray(gradient).save(deep)
    assert Image.open(deep).mode.startswith("I")
    eight_bit = tmp_path / "eight.png"
    Image.fromarray((gradient / 257).round().astype(np.uint8)).convert("RGB").save(eight_bit)
    got, expected = embedder.embed([{"image": str(deep)}, {"image": str(eight_bit)}])
    assert _cos(got, expected) > 0.999
    assert np.asarray(media.open_image(str(deep))).max() == 255  # clipping would give a white image


def test_animated_gif_uses_its_first_frame(embedder, tmp_path):
    frames = [Image.new("RGB", (64, 64), color) for color in ("red", "green", "blue")]
    animated = tmp_path / "animated.gif"
    frames[0].save(animated, save_all=True, append_images=frames[1:], duration=100, loop=0)
    first = tmp_path / "first.png"
    Image.open(animated).convert("RGB").save(first)
    got, expected = embedder.embed([{"image": str(animated)}, {"image": str(first)}])
    assert _cos(got, expected) > 0.9999


def test_thirty_thousand_pixel_decompression_bomb_is_refused_before_decoding(tmp_path):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    with pytest.raises(InputError, match=r"900,000,000 pixels\) above the 64 megapixel limit"):
        media.load_image(str(bomb))


def _clip(path, seconds: float, fps: int, gop: int, size: tuple[int, int] = (32, 24), vfr: bool = False):
    import fractions

    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = *size, "yuv420p"
        stream.options = {"g": str(gop), "preset": "ultrafast"}
        stream.codec_context.time_base = fractions.Fraction(1, 1000)
        pts = 0
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(np.full((size[1], size[0], 3), (i * 5) % 256, np.uint8), "rgb24")
            frame.pts, frame.time_base = pts, fractions.Fraction(1, 1000)
            pts += (1000 // fps) if not vfr else (20 if i % 3 else 90)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def test_thirty_minute_clip_is_capped_and_read_by_seeking(tmp_path, monkeypatch):
    path = _clip(tmp_path / "long.mp4", seconds=30 * 60, fps=2, gop=60)

    def never(*args, **kwargs):
        raise AssertionError("a long clip must not be decoded from the start")

    monkeypatch.setattr(media, "_decode_in_order", never)
    clip = media.load_video(str(path))
    assert len(clip.frames) == 64 and clip.total_frames == 3600
    assert clip.indices == media.linspace_indices(0, 3599, 64)
    assert clip.timestamps()[-1] > 29 * 60  # the samples span the whole half hour


def test_variable_frame_rate_clip_is_sampled_by_frame_index(embedder, tmp_path):
    path = _clip(tmp_path / "vfr.mp4", seconds=6, fps=10, gop=10, vfr=True)
    clip = media.load_video(str(path), fps=2.0)
    assert len(clip.frames) % 2 == 0 and len(clip.frames) >= 4
    assert np.isfinite(embedder.embed([{"video": str(path), "fps": 2.0}])).all()


def test_unsupported_container_is_refused(tmp_path):
    fake = tmp_path / "clip.mkv"
    fake.write_bytes(b"\x1a\x45\xdf\xa3" + b"\x00" * 200)  # an EBML magic number and nothing else
    with pytest.raises(InputError, match=r"clip\.mkv (is not a readable video|has no video stream|contains no)"):
        media.load_video(str(fake))
