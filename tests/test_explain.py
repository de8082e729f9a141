"""Where it matches, on the tiny fixtures: a map's score is the pair's real score; removing the
cells a map ranks highest lowers the score more than removing as many random cells (both
methods, several pairs, both models); grids have the model's token grid for odd image sizes,
pages and videos; every word is weighed; bad input gets a clear message."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import ASSETS
from PIL import Image

from qwen3vl_demo.core import explain, media
from qwen3vl_demo.core.errors import InputError, ModelUnavailable

IMAGE = str(ASSETS / "images" / "img_0.jpg")
OTHER_IMAGE = str(ASSETS / "images" / "img_2.jpg")
PAGE = str(ASSETS / "documents" / "doc_0.jpg")
VIDEO = str(ASSETS / "videos" / "cycling.mp4")
METHODS = ["occlusion", "gradient"]
STEPS = 8  # points of the deletion curve (0 .. all tokens removed)
DRAWS = 4  # random orders averaged


def pair_score(model, query: dict, document: dict, option=None) -> float:
    if hasattr(model, "rerank"):
        return model.rerank(query, [document], option)[0]
    q, d = model.embed([query], option)[0], model.embed([document], option)[0]
    return float(q @ d)


@pytest.fixture(scope="module")
def models(embedder, reranker):
    return {"embedding": embedder, "reranker": reranker}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("kind", "query", "document"), [
    ("embedding", {"text": "a motorbike on a mountain road"}, {"image": IMAGE}),
    ("embedding", {"image": OTHER_IMAGE}, {"image": IMAGE, "text": "a photo"}),
    ("reranker", {"text": "a motorbike on a mountain road"}, {"image": IMAGE}),
])
def test_the_maps_score_is_the_pairs_score(models, kind, query, document, method):
    model = models[kind]
    found = model.explain(query, document, method=method)
    assert found.method == method and found.model == kind and found.side == "document"
    assert found.score == pytest.approx(pair_score(model, query, document), abs=1e-6)
    assert found.grid.dtype == np.float32 and np.isfinite(found.grid).all() and np.abs(found.grid).max() > 0
    assert found.seconds > 0 and found.forwards >= 2 and method in found.how()


def test_an_mrl_size_scores_the_pair_at_that_size(embedder):
    query, document = {"text": "a road"}, {"image": IMAGE}
    found = embedder.explain(query, document, dim=64, method="gradient")
    assert found.score == pytest.approx(pair_score(embedder, query, document, 64), abs=1e-6)


def test_the_rerankers_instruction_is_the_one_scored(reranker):
    query, document = {"text": "a road"}, {"image": IMAGE}
    instruction = "Find the picture that matches."
    found = reranker.explain(query, document, instruction=instruction, method="gradient")
    assert found.score == pytest.approx(reranker.rerank(query, [document], instruction)[0], abs=1e-7)
    assert found.score != pytest.approx(reranker.rerank(query, [document])[0], abs=1e-7)


def deletion_areas(model, query, document, grid: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """The area under the score as the map's top tokens are removed first, and the mean area over
    random orders of removal."""
    ranked = model.masked_scores(query, document, explain.ranked_masks(grid, STEPS))
    rng = np.random.default_rng(seed)
    randoms = [model.masked_scores(query, document, explain.order_masks(rng.permutation(grid.size), STEPS))
               for _ in range(DRAWS)]
    return explain.area(ranked), float(np.mean([explain.area(r) for r in randoms]))


PAIRS = {
    "embedding": [({"text": "a motorbike on a mountain road"}, {"image": IMAGE}),
                  ({"image": OTHER_IMAGE}, {"image": IMAGE}),
                  ({"text": "a train and a cyclist"}, {"image": OTHER_IMAGE})],
    "reranker": [({"text": "a motorbike on a mountain road"}, {"image": IMAGE}),
                 ({"text": "a train and a cyclist"}, {"image": OTHER_IMAGE}),
                 ({"image": OTHER_IMAGE}, {"image": IMAGE})],
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kind", list(PAIRS))
def test_removing_the_top_cells_first_lowers_the_score_more_than_random_cells(models, kind, method):
    """The standard deletion test on several pairs (random weights: one pair may go the other way,
    so the map must win on most pairs and on average)."""
    model = models[kind]
    areas = []
    for query, document in PAIRS[kind]:
        found = model.explain(query, document, method=method)
        ranked, random = deletion_areas(model, query, document, found.grid)
        areas.append((ranked, random))
    wins = sum(ranked < random for ranked, random in areas)
    assert wins >= 2 and np.mean([r for r, _ in areas]) < np.mean([r for _, r in areas]), (
        f"{method} on {kind}: deletion areas (map, random) {areas}")


def test_masked_scores_with_nothing_removed_is_the_score(embedder):
    query, document = {"text": "a road"}, {"image": IMAGE}
    found = embedder.explain(query, document, method="gradient")
    none = np.zeros((1, found.grid.size), dtype=bool)
    assert embedder.masked_scores(query, document, none)[0] == pytest.approx(found.score, abs=1e-5)
    with pytest.raises(InputError, match=f"the mapped visual has {found.grid.size}"):
        embedder.masked_scores(query, document, np.zeros((1, 3), dtype=bool))


def grid_of(path: str) -> tuple[int, int]:
    image = media.load_image(path)
    return image.height // 32, image.width // 32


@pytest.mark.parametrize("size", [(333, 517), (97, 1201), (1000, 45)])
def test_the_grid_is_the_models_token_grid_for_odd_image_sizes(embedder, tmp_path, size):
    width, height = size
    path = tmp_path / f"odd_{width}x{height}.png"
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (height, width, 3), dtype=np.uint8)).save(path)
    found = embedder.explain({"text": "noise"}, {"image": str(path)}, method="gradient")
    assert found.shape == grid_of(str(path))
    assert found.seen.shape[:2] == (found.shape[0] * 32, found.shape[1] * 32)


def test_a_page_gets_its_token_grid_and_coarser_occlusion_cells(embedder):
    found = embedder.explain({"text": "the total"}, {"image": PAGE}, method="occlusion")
    rows, cols = grid_of(PAGE)
    assert found.shape == (rows, cols)
    cells = -(-rows // found.cell[0]) * -(-cols // found.cell[1])
    assert found.cell != (1, 1) and cells <= explain.MAX_CELLS
    assert found.forwards == cells + 1 + len(found.words)


@pytest.mark.parametrize("method", METHODS)
def test_a_video_gets_frames_by_rows_by_columns(reranker, method):
    found = reranker.explain({"text": "cycling"}, {"video": VIDEO}, method=method)
    clip = media.load_video(VIDEO, None, explain.MAX_FRAMES)
    assert found.kind == "video"
    assert found.shape == (clip.groups, clip.size[0] // 32, clip.size[1] // 32)
    assert found.seen.shape == (clip.groups, *clip.size, 3)
    assert sorted(found.frame_order()) == list(range(clip.groups))
    assert found.score == pytest.approx(reranker.rerank({"text": "cycling"}, [{"video": VIDEO, "max_frames": 16}])[0],
                                        abs=1e-7)


def test_the_query_is_mapped_when_the_document_is_text(embedder):
    found = embedder.explain({"image": IMAGE}, {"text": "a motorbike"}, method="gradient")
    assert found.side == "query" and found.words_side == "document"
    assert [w.word for w in found.words] == ["a", "motorbike"]


def test_every_word_is_weighed_short_and_long_texts(embedder):
    short = "a motorbike on a mountain road"
    found = embedder.explain({"text": short}, {"image": IMAGE}, method="gradient")
    assert [w.word for w in found.words] == short.split()
    assert any(w.weight != 0 for w in found.words)
    long = " ".join(f"word{i}" for i in range(80))
    found = embedder.explain({"text": long}, {"image": IMAGE}, method="gradient")
    assert [w.word for w in found.words] == long.split()
    assert found.forwards == 2 + len(explain.word_groups(80))  # grouped: bounded


def huge_png(path: Path) -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
                     + chunk(b"IEND", b""))
    return str(path)


def test_bad_inputs_get_a_clear_message(embedder, reranker, tmp_path):
    with pytest.raises(InputError, match="needs an image, a page or a video on one side"):
        embedder.explain({"text": "a"}, {"text": "b"})
    with pytest.raises(InputError, match=r"^document: .*above the 64 megapixel limit"):
        embedder.explain({"text": "a"}, {"image": huge_png(tmp_path / "huge.png")})
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 this is not a picture")
    with pytest.raises(InputError, match=r"^document: .*broken\.jpg"):
        reranker.explain({"text": "a"}, {"image": str(broken)})
    with pytest.raises(InputError, match="method must be one of"):
        embedder.explain({"text": "a"}, {"image": IMAGE}, method="attention")
    with pytest.raises(InputError, match=r"^query: "):
        embedder.explain("a string", {"image": IMAGE})
    with pytest.raises(InputError, match="dim"):
        embedder.explain({"text": "a"}, {"image": IMAGE}, dim=3)


def test_a_server_backend_says_maps_need_the_local_model():
    from qwen3vl_demo.backends.base import MAPS_NEED_LOCAL
    from qwen3vl_demo.backends.vllm import RemoteEmbedder, RemoteReranker

    for cls in (RemoteEmbedder, RemoteReranker):
        backend = cls.__new__(cls)  # no server needed: the refusal comes before any request
        with pytest.raises(ModelUnavailable, match="need the model in this process"):
            backend.explain_pair({"text": "a"}, {"image": IMAGE}, explain.Method.OCCLUSION, None)
    assert "--embedder-url" in MAPS_NEED_LOCAL


def test_cells_and_words_arithmetic():
    assert explain.plan_cell(1, 11, 20) == (2, 2)
    assert explain.plan_cell(1, 4, 4) == (1, 1)
    assert explain.plan_cell(16, 10, 10, 64) == (5, 5)
    masks = explain.cell_masks(2, 3, 3, (2, 2))
    assert masks.shape == (8, 18) and (masks.sum(0) == 1).all()  # every token in exactly one cell
    assert explain.without_words("a  big red  car", explain.word_spans("a  big red  car"), range(1, 3)) == "a car"
    assert explain.bounded({"video": "x.mp4", "max_frames": 64})["max_frames"] == explain.MAX_FRAMES
    assert explain.bounded({"video": "x.mp4", "max_frames": 8})["max_frames"] == 8
    assert explain.bounded({"image": "x.png"}) == {"image": "x.png"}


def test_the_engine_remembers_a_map_by_content_and_runs_it_through_the_compute_boundary(
        embedder_path, reranker_path, tmp_path):
    import pickle
    import shutil

    from qwen3vl_demo.core.items import make_item
    from qwen3vl_demo.service.compute import ExplainRequest, execute
    from qwen3vl_demo.service.engine import Engine

    engine = Engine(embedder_path, reranker_path, device="cpu", samples=[], disk_cache=str(tmp_path / "disk"))
    copy = tmp_path / "same_photo.jpg"
    shutil.copy(IMAGE, copy)
    query = make_item("a motorbike")
    first, remembered = engine.explain(query, make_item(path=IMAGE), "embedding", "gradient")
    assert not remembered
    again, remembered = engine.explain(query, make_item(path=str(copy)), "embedding", "gradient")
    assert remembered and again is first  # the same content under another name: no model ran
    other, remembered = engine.explain(query, make_item(path=IMAGE), "embedding", "gradient",
                                       query_instruction="Find photos of this.")
    assert not remembered and other.score != first.score  # another instruction: another map
    _, remembered = engine.explain(query, make_item(path=IMAGE), "reranker", "gradient")
    assert not remembered
    result = execute(engine.embedder.get(), ExplainRequest({"text": "a motorbike"}, {"image": IMAGE},
                                                          method="gradient"))
    back = pickle.loads(pickle.dumps(result))  # what a ZeroGPU worker sends back
    assert np.array_equal(back.values, first.grid) and back.stats["explanation"].score == first.score
    refused = execute(engine.embedder.get(), ExplainRequest({"text": "a"}, {"text": "b"}))
    assert refused.refusal is not None and "needs an image" in refused.refusal.cause


def test_the_bench_times_each_model_dtype_and_method_alone(embedder_path, capsys):
    """``--shape 2b`` runs each part alone on a quiet machine; the same table on the fixtures here."""
    del embedder_path  # the fixtures built
    from qwen3vl_demo.tools import explain_bench

    assert explain_bench.main(["--shape", "tiny", "--time", "--models", "reranker", "--dtypes", "float32",
                               "--methods", "gradient"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| reranker")]
    assert len(rows) == 1 and "| float32 |" in rows[0] and "not run" in rows[0]  # occlusion was not asked
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert cells[3].endswith(" s") and cells[5].endswith("x")  # the gradient map, and its ratio to the baseline
    with pytest.raises(SystemExit, match="--dtypes: choose from bfloat16, float32"):
        explain_bench.main(["--time", "--dtypes", "float16"])
