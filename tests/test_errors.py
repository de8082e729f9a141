"""Bad input raises InputError naming the item and the cause; awkward but valid input works.

Hostile files are generated in tmp_path with Pillow and PyAV.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from pathlib import Path

import av
import numpy as np
import pytest
from conftest import ASSETS
from PIL import Image

from qwen3vl_demo import InputError
from qwen3vl_demo.core.formatting import RESERVED_TOKENS

IMAGE = ASSETS / "images" / "img_0.jpg"
VIDEO = ASSETS / "videos" / "cycling.mp4"
GOOD = [{"text": "A cyclist rides down a green bike lane."}, {"image": str(ASSETS / "images" / "img_8.jpg")}]


# --- hostile files --------------------------------------------------------------------------------
def _audio_only(path: Path) -> Path:
    """A real container with one audio stream and no video stream."""
    container = av.open(str(path), "w")
    codec = "aac" if path.suffix == ".mp4" else "pcm_s16le"
    stream = container.add_stream(codec, rate=16000)
    stream.layout = "mono"
    samples = (np.sin(np.arange(16000) / 5.0) * 8000).astype(np.int16)[None]
    frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
    frame.sample_rate = 16000
    for packet in stream.encode(frame):
        container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
    container.close()
    return path


def _faststart_copy(path: Path) -> Path:
    """cycling.mp4 remuxed with its index first, so a truncated copy still opens."""
    with av.open(str(VIDEO)) as source, av.open(str(path), "w", options={"movflags": "faststart"}) as out:
        stream = out.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)
    return path


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims a huge size: the pixel limit must refuse it before decoding."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    files = {}
    files["missing"] = root / "missing.jpg"
    files["empty"] = root / "empty.jpg"
    files["empty"].write_bytes(b"")
    files["text_as_jpg"] = root / "notes.jpg"
    files["text_as_jpg"].write_text("this is not an image\n" * 20)
    data = IMAGE.read_bytes()
    files["truncated_jpg"] = root / "truncated.jpg"
    files["truncated_jpg"].write_bytes(data[: int(len(data) * 0.3)])
    data = VIDEO.read_bytes()
    files["truncated_mp4"] = root / "truncated.mp4"
    files["truncated_mp4"].write_bytes(data[: int(len(data) * 0.2)])
    files["garbage_mp4"] = root / "garbage.mp4"
    files["garbage_mp4"].write_bytes(np.random.default_rng(0).integers(0, 256, 50_000, np.uint8).tobytes())
    whole = _faststart_copy(root / "whole.mp4").read_bytes()
    files["half_mp4"] = root / "half.mp4"
    files["half_mp4"].write_bytes(whole[: len(whole) // 2])
    files["bomb_png"] = _png_header_only(root / "bomb.png", 20000, 20000)
    files["audio_wav"] = _audio_only(root / "sound.wav")
    files["audio_mp4"] = _audio_only(root / "sound.mp4")
    files["wide_png"] = root / "wide.png"
    Image.new("RGB", (6400, 20), (200, 30, 30)).save(files["wide_png"])
    files["tall_png"] = root / "tall.png"
    Image.new("RGB", (10, 2500), (30, 30, 200)).save(files["tall_png"])
    return files


BAD_MEDIA = [
    # (case, key, file, cause regex)
    ("missing", "image", "missing", r"not found.*missing\.jpg"),
    ("empty", "image", "empty", r"empty.*empty\.jpg"),
    ("text_as_jpg", "image", "text_as_jpg", r"notes\.jpg.*not a readable image"),
    ("truncated_jpg", "image", "truncated_jpg", r"truncated\.jpg.*(damaged|truncated)"),
    ("missing_video", "video", "missing", r"not found"),
    ("empty_video", "video", "empty", r"empty"),
    ("truncated_mp4", "video", "truncated_mp4", r"truncated\.mp4.*(not a readable video|damaged|truncated)"),
    ("garbage_mp4", "video", "garbage_mp4", r"garbage\.mp4.*(not a readable video|damaged)"),
    ("half_mp4", "video", "half_mp4", r"half\.mp4 is damaged or truncated: frame \d+ of 96 does not decode"),
    ("bomb_png", "image", "bomb_png", r"bomb\.png is \(400,000,000 pixels\) above the 64 megapixel limit"),
    ("audio_wav", "video", "audio_wav", r"sound\.wav has no video stream"),
    ("audio_mp4", "video", "audio_mp4", r"sound\.mp4 has no video stream"),
    ("aspect_wide", "image", "wide_png", r"aspect ratio 320:1.*200"),
    ("aspect_tall", "image", "tall_png", r"aspect ratio 250:1.*200"),
]

BAD_VALUES = [
    # (case, bad item, cause regex)
    ("int_image", {"image": 5}, r"unsupported image type int"),
    ("dict_image", {"image": {"path": "a.jpg"}}, r"unsupported image type dict"),
    ("int_video", {"video": 3}, r"unsupported video type int"),
    ("dict_text", {"text": {"a": 1}}, r"text must be a string"),
    ("int_text", {"text": ["ok", 7]}, r"text must be a string"),
    ("string_item", "a cat", r"expected a dict.*got str"),
    ("list_item", [{"text": "a"}], r"expected a dict.*got list"),
    ("none_item", None, r"expected a dict.*got NoneType"),
    ("unknown_key", {"txt": "a cat"}, r"unknown key.*'txt'"),
    ("unknown_key_mixed", {"text": "a", "images": "b.jpg"}, r"unknown key.*'images'"),
    ("instruction_type", {"text": "a", "instruction": 3}, r"instruction must be a string"),
    ("fps_zero", {"video": str(VIDEO), "fps": 0}, r"fps must be in"),
    ("fps_negative", {"video": str(VIDEO), "fps": -1.0}, r"fps must be in"),
    ("fps_huge", {"video": str(VIDEO), "fps": 1000}, r"fps must be in"),
    ("fps_nan", {"video": str(VIDEO), "fps": math.nan}, r"fps must be in"),
    ("fps_text", {"video": str(VIDEO), "fps": "fast"}, r"fps must be a number"),
    ("max_frames_one", {"video": str(VIDEO), "max_frames": 1}, r"max_frames must be between"),
    ("max_frames_zero", {"video": str(VIDEO), "max_frames": 0}, r"max_frames must be between"),
    ("max_frames_huge", {"video": str(VIDEO), "max_frames": 100_000}, r"max_frames must be between"),
    ("max_frames_fraction", {"video": str(VIDEO), "max_frames": 4.5}, r"max_frames must be an integer"),
    ("max_frames_bool", {"video": str(VIDEO), "max_frames": True}, r"max_frames must be an integer"),
    ("empty_frame_list", {"video": [[]]}, r"frames is empty"),
    ("mixed_frame_sizes", {"video": [Image.new("RGB", (64, 64)), Image.new("RGB", (96, 64))]},
     r"same size"),
    ("url_image", {"image": "https://example.com/cat.jpg"}, r"URLs are not fetched"),
] + [
    (f"reserved_{token}", {"text": f"hello {token} world"}, re.escape(token))
    for token in RESERVED_TOKENS
]


def _check(exc_info, where: str, cause: str) -> None:
    message = str(exc_info.value)
    assert message.startswith(f"{where}: "), message
    assert re.search(cause, message), (cause, message)


def _item(hostile, key, name):
    return {key: str(hostile[name])}


# --- embed ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("case", "key", "name", "cause"), BAD_MEDIA, ids=[c[0] for c in BAD_MEDIA])
def test_embed_bad_media(embedder, hostile, case, key, name, cause):
    with pytest.raises(InputError) as info:
        embedder.embed([*GOOD, _item(hostile, key, name)])
    assert info.value.index == 2
    _check(info, "item 2", cause)


@pytest.mark.parametrize(("case", "item", "cause"), BAD_VALUES, ids=[c[0] for c in BAD_VALUES])
def test_embed_bad_values(embedder, case, item, cause):
    with pytest.raises(InputError) as info:
        embedder.embed([GOOD[0], item, GOOD[1]])
    assert info.value.index == 1
    _check(info, "item 1", cause)


def test_embed_first_bad_item_is_named(embedder, hostile):
    with pytest.raises(InputError) as info:
        embedder.embed([GOOD[0], {"image": 5}, GOOD[1], {"image": str(hostile["missing"])}])
    _check(info, "item 1", "unsupported image type")


def test_embed_dict_instead_of_list(embedder):
    with pytest.raises(InputError, match="list"):
        embedder.embed({"text": "a cat"})


@pytest.mark.parametrize("dim", [63, 65, 0, -64, 10**6])
def test_dim_out_of_range(embedder, dim):
    with pytest.raises(InputError, match=rf"dim must be between 64 and {embedder.full_dim}"):
        embedder.embed(GOOD, dim=dim)
    assert embedder.full_dim == 64


@pytest.mark.parametrize("dim", [1.5, 64.0, "64", True, [64]])
def test_dim_wrong_type(embedder, dim):
    with pytest.raises(InputError, match="dim must be an integer"):
        embedder.embed(GOOD, dim=dim)


def test_dim_accepts_numpy_integer(embedder):
    assert embedder.embed(GOOD[:1], dim=np.int64(64)).shape == (1, 64)


# --- rerank --------------------------------------------------------------------------------------
QUERY = {"text": "A person riding a bicycle."}


@pytest.mark.parametrize(("case", "key", "name", "cause"), BAD_MEDIA, ids=[c[0] for c in BAD_MEDIA])
def test_rerank_bad_media_document(reranker, hostile, case, key, name, cause):
    with pytest.raises(InputError) as info:
        reranker.rerank(QUERY, [*GOOD, _item(hostile, key, name)])
    assert info.value.index == 2
    _check(info, "document 2", cause)


@pytest.mark.parametrize(
    ("case", "key", "name", "cause"),
    [c for c in BAD_MEDIA
     if c[0] in ("missing", "truncated_jpg", "truncated_mp4", "audio_wav", "aspect_wide")],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_rerank_bad_media_query(reranker, hostile, case, key, name, cause):
    with pytest.raises(InputError) as info:
        reranker.rerank(_item(hostile, key, name), GOOD)
    assert info.value.index is None
    _check(info, "query", cause)


@pytest.mark.parametrize(("case", "item", "cause"), BAD_VALUES, ids=[c[0] for c in BAD_VALUES])
def test_rerank_bad_values_document(reranker, case, item, cause):
    with pytest.raises(InputError) as info:
        reranker.rerank(QUERY, [GOOD[0], item])
    _check(info, "document 1", cause)


@pytest.mark.parametrize(
    ("case", "item", "cause"),
    [c for c in BAD_VALUES if c[0] in ("int_image", "string_item", "unknown_key", "fps_zero",
                                       "reserved_<|image_pad|>")],
    ids=lambda v: v if isinstance(v, str) and not v.startswith(("^", "(")) else "",
)
def test_rerank_bad_values_query(reranker, case, item, cause):
    with pytest.raises(InputError) as info:
        reranker.rerank(item, GOOD)
    _check(info, "query", cause)


def test_rerank_bad_instruction_and_documents(reranker):
    with pytest.raises(InputError, match="instruction must be a string"):
        reranker.rerank(QUERY, GOOD, instruction=5)
    with pytest.raises(InputError, match="list"):
        reranker.rerank(QUERY, {"text": "a single dict"})


# --- recovery ------------------------------------------------------------------------------------
def test_embedder_still_correct_after_errors(embedder, hostile):
    before = embedder.embed(GOOD)
    for bad in ({"image": str(hostile["truncated_jpg"])}, {"video": str(hostile["truncated_mp4"])},
                {"image": 5}, "nonsense"):
        with pytest.raises(InputError):
            embedder.embed([*GOOD, bad])
    after = embedder.embed(GOOD)
    assert np.abs(after - before).max() < 1e-6


def test_reranker_still_correct_after_errors(reranker, hostile):
    before = reranker.rerank(QUERY, GOOD)
    for bad in ({"image": str(hostile["truncated_jpg"])}, {"video": str(hostile["audio_wav"])}):
        with pytest.raises(InputError):
            reranker.rerank(QUERY, [*GOOD, bad])
        with pytest.raises(InputError):
            reranker.rerank(bad, GOOD)
    after = reranker.rerank(QUERY, GOOD)
    np.testing.assert_allclose(after, before, atol=1e-6, rtol=0)


# --- awkward but valid images --------------------------------------------------------------------
def _cos(a, b) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_exif_orientation_is_applied(embedder, tmp_path):
    upright = Image.open(IMAGE).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    rotated_path = tmp_path / "rotated.jpg"
    upright.save(rotated_path, exif=exif, quality=95)
    stored = Image.open(rotated_path)
    stored.load()
    raw = stored.convert("RGB")  # the stored pixels, EXIF ignored
    transposed = raw.transpose(Image.Transpose.ROTATE_270)  # what a viewer shows
    assert transposed.size == (raw.height, raw.width)
    transposed.save(tmp_path / "transposed.png")
    raw.save(tmp_path / "raw.png")
    with_exif, upright_vec, raw_vec = embedder.embed(
        [{"image": str(rotated_path)}, {"image": str(tmp_path / "transposed.png")},
         {"image": str(tmp_path / "raw.png")}]
    )
    assert _cos(with_exif, upright_vec) > 0.9999
    assert _cos(with_exif, raw_vec) < 0.999
    # A PIL image with EXIF orientation is treated the same as the file.
    from_pil = embedder.embed([{"image": Image.open(rotated_path)}])[0]
    assert _cos(from_pil, upright_vec) > 0.9999


def test_transparent_pixels_go_on_white(embedder, tmp_path):
    rng = np.random.default_rng(3)
    rgb = rng.integers(0, 256, (256, 320, 3), dtype=np.uint8)
    alpha = np.full((256, 320), 255, dtype=np.uint8)
    alpha[:, :160] = 0  # left half fully transparent (random colours underneath)
    alpha[:128, 160:] = 100  # a partly transparent block
    rgba = Image.fromarray(np.dstack([rgb, alpha]), "RGBA")
    rgba.save(tmp_path / "rgba.png")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    composited = Image.alpha_composite(white, rgba).convert("RGB")
    composited.save(tmp_path / "composited.png")
    naive = rgba.convert("RGB")  # alpha dropped: the random colours show
    vec_path, vec_pil, vec_white, vec_naive = embedder.embed(
        [{"image": str(tmp_path / "rgba.png")}, {"image": rgba},
         {"image": str(tmp_path / "composited.png")}, {"image": naive}]
    )
    assert _cos(vec_path, vec_white) > 0.9999
    assert _cos(vec_pil, vec_white) > 0.9999
    assert _cos(vec_path, vec_naive) < 0.999


def test_palette_and_greyscale_images(embedder, tmp_path):
    base = Image.open(IMAGE).convert("RGB").resize((128, 96))
    base.convert("L").save(tmp_path / "grey.png")
    base.convert("P").save(tmp_path / "palette.gif")
    vectors = embedder.embed(
        [{"image": str(tmp_path / "grey.png")}, {"image": str(tmp_path / "palette.gif")}]
    )
    assert np.isfinite(vectors).all()


# --- long text -----------------------------------------------------------------------------------
def _long_text(chars: int = 200_000) -> str:
    vocabulary = ["river", "stone", "quickly", "blue", "世界", "数据", "42,"]
    words = np.random.default_rng(5).choice(vocabulary, chars)
    return " ".join(words)[:chars]


@pytest.mark.slow  # an 8192-token forward
def test_long_text_is_cut_to_max_length(embedder):
    text = _long_text()
    assert len(text) == 200_000
    prepared = embedder.prepare({"text": text})
    assert embedder.max_length - 32 <= len(prepared.ids) <= embedder.max_length == 8192
    tail = embedder.tokenizer.convert_ids_to_tokens(prepared.ids[-5:])
    assert [embedder.tokenizer.decode([i]) for i in prepared.ids[-5:]] == [
        "<|im_end|>", "\n", "<|im_start|>", "assistant", "\n"
    ], tail
    # The start of the text survives; the instruction and template are intact.
    decoded = embedder.tokenizer.decode(prepared.ids)
    assert decoded.startswith("<|im_start|>system\nRepresent the user's input.<|im_end|>\n<|im_start|>user\n"
                              + text[:200])
    vector = embedder.embed([{"text": text}])
    assert vector.shape == (1, 64) and np.isfinite(vector).all()
    assert abs(np.linalg.norm(vector) - 1) < 1e-5


def test_long_text_with_image_keeps_the_image(embedder):
    prepared = embedder.prepare({"text": _long_text(60_000), "image": str(IMAGE)})
    assert len(prepared.ids) <= embedder.max_length
    pad = embedder.tokenizer.convert_tokens_to_ids("<|image_pad|>")
    assert prepared.ids.count(pad) == prepared.visual_tokens > 0
    assert embedder.tokenizer.decode(prepared.ids[-5:]) == "<|im_end|>\n<|im_start|>assistant\n"


@pytest.mark.slow  # 10,240-token forwards
def test_long_query_and_document_rerank(reranker):
    text = _long_text(60_000)
    scores = reranker.rerank({"text": text}, [{"text": text}, {"text": "short"}])
    assert len(scores) == 2
    assert all(0 < s < 1 for s in scores)


# --- dim (MRL) -----------------------------------------------------------------------------------
def test_dim_full_is_normalised(embedder):
    items = [*GOOD, {"text": "一个女人在海滩上和她的狗玩耍。"}, {}]
    full = embedder.embed(items)
    assert full.dtype == np.float32
    assert not np.isnan(full).any()
    np.testing.assert_allclose(np.linalg.norm(full, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(embedder.embed(items, dim=64), full, atol=1e-6)
    np.testing.assert_allclose(embedder.embed(items, dim=None), full, atol=1e-6)


@pytest.mark.parametrize("dim", [8, 32, 48])
def test_dim_truncates_and_renormalises(embedder, monkeypatch, dim):
    """embed(dim=d) == the full vectors cut to d and renormalised.

    The tiny model's full size (64) is the real models' minimum, so the minimum is lowered here to
    reach the truncation path; the path itself is the one used for 2048 -> 256 on the real models.
    """
    from qwen3vl_demo.core import config

    items = [*GOOD, {"text": "一个女人在海滩上和她的狗玩耍。"}, {}]
    full = embedder.embed(items)
    monkeypatch.setattr(config, "MIN_EMBED_DIM", 8)
    cut = embedder.embed(items, dim=dim)
    assert cut.shape == (len(items), dim)
    assert cut.dtype == np.float32
    assert not np.isnan(cut).any()
    expected = full[:, :dim] / np.linalg.norm(full[:, :dim], axis=1, keepdims=True)
    np.testing.assert_allclose(cut, expected, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(cut, axis=1), 1.0, atol=1e-5)
    assert np.linalg.norm(full[:, :dim], axis=1).max() < 0.999  # so the unit norms above mean something
    with pytest.raises(InputError, match="dim must be between 8 and 64"):
        embedder.embed(items, dim=7)


def test_empty_list(embedder):
    out = embedder.embed([])
    assert out.shape == (0, 64)
    assert embedder.embed([], dim=64).shape == (0, 64)
