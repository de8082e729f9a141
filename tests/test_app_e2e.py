"""End to end: the real ``app.py`` in a subprocess, driven through its public API with gradio_client.

Every number the API returns is checked against the model layer run in this process on the same
tiny checkpoints (``embedder`` / ``reranker`` from conftest). The server (``live_app``) starts
once per test session; each ``Client`` is its own session, as a browser tab would be.
"""

from __future__ import annotations

import base64
import csv
import json
import re
from collections.abc import Callable
from concurrent.futures import wait
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ASSETS, LiveApp, english
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from qwen3vl_demo.core import config
from qwen3vl_demo.core.items import sample_items, snippet

TOL = 1e-4  # the API vs the model layer in this process (observed: ~1e-7)
IMAGE = ASSETS / "images" / "img_8.jpg"
PAIR_IMAGE = ASSETS / "images" / "img_9.jpg"
QUERY_IMAGE = ASSETS / "images" / "img_3.jpg"
VIDEO = ASSETS / "videos" / "cycling.mp4"
QUERY_INSTRUCTION = "Retrieve images or text relevant to the user's query."
# Not the default instruction: a handler that dropped it would give different scores.
DOC_INSTRUCTION = "Find a video that contains the following visual content."
BEACH = "A woman playing with her dog on a beach at sunset."


@pytest.fixture(scope="module")
def client(live_app: LiveApp, tmp_path_factory: pytest.TempPathFactory):
    session = live_app.client(tmp_path_factory.mktemp("downloads"))
    yield session
    session.close()


@pytest.fixture(scope="module")
def full_dim(embedder) -> int:
    assert embedder.full_dim == 64, "these tests assume the 64-dim tiny fixture"
    return embedder.full_dim


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bad")
    fake = root / "fake.jpg"
    fake.write_text("this is a text file, not a JPEG\n")
    notes = root / "notes.txt"
    notes.write_text("plain text\n")
    return {"fake_jpg": fake, "txt": notes}


@pytest.fixture(scope="module")
def samples():
    return sample_items()


@pytest.fixture(scope="module")
def sample_vectors(embedder, samples, full_dim) -> np.ndarray:
    """The bundled gallery embedded directly (no instruction, as the app embeds gallery items)."""
    return embedder.embed([item.to_input(None) for item in samples], dim=full_dim)


def similarity(client, *, queries: str = "", query_files: list | None = None,
               query_instruction: str = QUERY_INSTRUCTION, documents: str = "",
               document_files: list | None = None, pair_text: str = "", pair_image: Any = None,
               document_instruction: str = DOC_INSTRUCTION, dim: float = 64) -> tuple:
    return client.predict(query_text=queries, query_files=query_files or [],
                          query_instruction=query_instruction, document_text=documents,
                          document_files=document_files or [], pair_text=pair_text,
                          pair_image=pair_image, document_instruction=document_instruction, dim=dim,
                          api_name="/similarity")


def search(client, query: str = "", *, image: Any = None, video: Any = None,
           instruction: str = QUERY_INSTRUCTION, k: float = 5, rerank: bool = True, dim: float = 64) -> tuple:
    return client.predict(query_text=query, query_image=image, query_video=video, instruction=instruction,
                          k=k, rerank=rerank, dim=dim, api_name="/search")


def rerank(client, query: str = "", *, query_file: Any = None,
           instruction: str = config.RERANK_DEFAULT_INSTRUCTION, documents: str = "",
           document_files: list | None = None) -> tuple:
    return client.predict(query_text=query, query_file=query_file, instruction=instruction,
                          document_text=documents, document_files=document_files or [], api_name="/rerank")


def plotly_array(value: Any) -> np.ndarray:
    """A plotly JSON array: a plain list, or plotly 6's typed array {dtype, bdata, shape}."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = [int(n) for n in str(value.get("shape", len(array))).split(",")]
        return array.reshape(shape)
    return np.asarray(value, dtype=float)


def with_instruction(inputs: list[dict], instruction: str) -> list[dict]:
    """What ``Item.to_input(instruction)`` builds: the key only when the instruction is non-empty."""
    return [{**obj, "instruction": instruction} if instruction else dict(obj) for obj in inputs]


# --- status ---------------------------------------------------------------------------------------
def test_status_reports_both_models_ready_on_cpu(client, live_app: LiveApp, full_dim: int) -> None:
    status = client.predict(api_name="/status")
    for key, path in (("embedding", live_app.embedder), ("reranker", live_app.reranker)):
        slot = status[key]
        assert slot["state"] == "ready", slot
        assert slot["device"] == "cpu"
        assert slot["dtype"] == "float32"
        assert slot["model"] == Path(path).name  # a local directory by its name: no server paths
        assert slot["random_weights"] is True
        assert slot["load_seconds"] >= 0
    assert status["embedding"]["full_dim"] == full_dim
    assert status["memory"]["process_rss_gib"] > 0
    assert "cuda_allocated_gib" not in status["memory"]
    if "gallery" in status:  # the sample gallery, indexed in the background after the embedder loads
        assert status["gallery"]["state"] == "ready", status["gallery"]
        assert status["gallery"]["items"] == 24


def test_status_refresh_and_retry_loading_show_the_loaded_models(client, full_dim: int) -> None:
    # The client leaves out the retry button's update (buttons are not API values).
    header, about, timer, *sliders = client.predict(api_name="/status_refresh")
    for role, name in (("Embedding", "tiny-qwen3vl-embedding"), ("Reranker", "tiny-qwen3vl-reranker")):
        assert re.search(rf"class='pill ready' data-role='{role.lower()}'>🟢 <b>{role}</b> {name} · cpu · float32 · "
                         "loaded in", english(header))
    assert "Random-weight test model" in header
    assert "tiny-qwen3vl-embedding` | ready | cpu | float32" in english(about)
    assert "tiny-qwen3vl-reranker` | ready | cpu | float32" in english(about)
    assert timer["active"] is False  # both settled: the page stops polling
    assert len(sliders) == 3  # Similarity, Gallery search, Export
    for slider in sliders:  # the MRL sliders end at the model's full size
        assert slider["maximum"] == full_dim
        assert "value" not in slider  # they started there (the size was known early): a choice stays

    loaded = client.predict(api_name="/status")
    header, about, timer = client.predict(api_name="/retry_loading")
    assert header.count("🟢") == 2 and "banner error" not in header
    after = client.predict(api_name="/status")
    for key in ("embedding", "reranker"):  # retry reloads only failed models: none here
        assert after[key]["state"] == "ready"
        assert after[key]["load_seconds"] == loaded[key]["load_seconds"]


# --- similarity -----------------------------------------------------------------------------------
def test_similarity_matches_the_model_layer(client, embedder, full_dim: int) -> None:
    queries = [BEACH, "Cyclists riding in a green city bike lane."]
    pair_text = "A bathroom sink under a mirror."
    figure, cost, table, downloads, result = similarity(
        client, queries="\n".join(queries), documents="A dog runs on the sand.\n\n",
        document_files=[handle_file(IMAGE), handle_file(VIDEO)], pair_text=pair_text,
        pair_image=handle_file(PAIR_IMAGE), dim=full_dim,
    )
    # Documents in the app's order: text lines, then files, then the pair.
    doc_inputs = [{"text": "A dog runs on the sand."}, {"image": str(IMAGE)}, {"video": str(VIDEO)},
                  {"text": pair_text, "image": str(PAIR_IMAGE)}]
    q = embedder.embed(with_instruction([{"text": t} for t in queries], QUERY_INSTRUCTION), dim=full_dim)
    d = embedder.embed(with_instruction(doc_inputs, DOC_INSTRUCTION), dim=full_dim)
    expected = q @ d.T

    assert result["dim"] == full_dim
    assert result["queries"] == [snippet(q) for q in queries]  # labels: one line of <= 40 characters
    assert result["documents"][:3] == ["A dog runs on the sand.", "img_8.jpg", "cycling.mp4"]
    assert result["documents"][3].endswith("+ img_9.jpg")
    scores = np.asarray(result["scores"])
    assert scores.shape == (2, 4)
    np.testing.assert_allclose(scores, expected, atol=TOL)

    # The same numbers in the heatmap, the table and the CSV download.
    trace = json.loads(figure["plot"])["data"][0]
    assert trace["type"] == "heatmap"
    np.testing.assert_allclose(plotly_array(trace["z"]), expected, atol=TOL)
    assert trace["text"] == [[f"{v:.2f}" for v in row] for row in scores]
    assert table["headers"][0] == "query" and len(table["headers"]) == 5
    np.testing.assert_allclose([row[1:] for row in table["data"]], expected, atol=TOL + 5e-5)
    csv_path, json_path = downloads
    assert json.loads(Path(json_path).read_text())["scores"] == result["scores"]
    assert "model" in cost and "tokens" in cost and result["cost"]["tokens"]
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == table["headers"]
    np.testing.assert_allclose([[float(v) for v in row[1:]] for row in rows[1:]], expected, atol=TOL + 5e-5)

    # The document instruction reached the model: without it the scores differ.
    d_default = embedder.embed(doc_inputs[:2], dim=full_dim)
    assert np.abs(q @ d_default.T - expected[:, :2]).max() > 1e-3


def test_similarity_without_instructions_and_with_an_image_query(client, embedder, full_dim: int) -> None:
    """Empty instructions are not passed on (the model's default applies); image queries follow text."""
    *_, result = similarity(client, queries="A kitchen with a window.",
                            query_files=[handle_file(QUERY_IMAGE)], query_instruction="",
                            documents="Wooden spoons on a table.\nA train.", document_instruction="",
                            dim=full_dim)
    q = embedder.embed([{"text": "A kitchen with a window."}, {"image": str(QUERY_IMAGE)}], dim=full_dim)
    d = embedder.embed([{"text": "Wooden spoons on a table."}, {"text": "A train."}], dim=full_dim)
    assert result["queries"] == ["A kitchen with a window.", "img_3.jpg"]
    np.testing.assert_allclose(result["scores"], q @ d.T, atol=TOL)


# --- search ---------------------------------------------------------------------------------------
def test_search_with_rerank_matches_the_model_layer(client, embedder, reranker, samples, sample_vectors,
                                                    full_dim: int) -> None:
    cards, _, table, _, result = search(client, BEACH, k=5, rerank=True, dim=full_dim)

    query = embedder.embed([{"text": BEACH, "instruction": QUERY_INSTRUCTION}], dim=full_dim)[0]
    scores = sample_vectors @ query
    best = np.argsort(-scores, kind="stable")[:5].tolist()
    rerank_scores = reranker.rerank({"text": BEACH}, [samples[i].to_input() for i in best])

    assert result["gallery_size"] == len(samples) == 24
    assert result["reranked"] is True and result["dim"] == full_dim
    hits = result["results"]
    assert len(hits) == 5
    by_similarity = sorted(hits, key=lambda h: h["embedding_rank"])
    assert [h["embedding_rank"] for h in by_similarity] == [1, 2, 3, 4, 5]
    assert [h["label"] for h in by_similarity] == [samples[i].label for i in best]
    np.testing.assert_allclose([h["embedding_score"] for h in by_similarity], scores[best], atol=TOL)
    np.testing.assert_allclose([h["rerank_score"] for h in by_similarity], rerank_scores, atol=TOL)

    # Final order: by rerank score, best first, with ranks and moves consistent.
    final = [h["rerank_score"] for h in hits]
    assert final == sorted(final, reverse=True)
    assert [h["rerank_rank"] for h in hits] == [1, 2, 3, 4, 5]
    assert [h["move"] for h in hits] == [h["embedding_rank"] - h["rerank_rank"] for h in hits]

    assert len(cards) == 5 and len(table["data"]) == 5
    for position, (card, hit) in enumerate(zip(cards, hits, strict=True), start=1):
        assert card["caption"].startswith(f"#{position} · {hit['rerank_score']:.3f}")
        assert Path(card["image"]).is_file()  # the preview was served and downloaded


def test_search_by_image_without_rerank(client, embedder, samples, sample_vectors, full_dim: int) -> None:
    instruction = "Find images that show the same kind of scene."
    query_image = ASSETS / "images" / "img_2.jpg"
    cards, _, _, _, result = search(client, image=handle_file(query_image), instruction=instruction, k=3,
                                  rerank=False, dim=full_dim)
    query = embedder.embed([{"image": str(query_image), "instruction": instruction}], dim=full_dim)[0]
    scores = sample_vectors @ query
    best = np.argsort(-scores, kind="stable")[:3].tolist()

    assert result["query"] == "img_2.jpg" and result["reranked"] is False
    assert [h["label"] for h in result["results"]] == [samples[i].label for i in best]
    np.testing.assert_allclose([h["embedding_score"] for h in result["results"]], scores[best], atol=TOL)
    assert all(h["rerank_score"] is None and h["move"] == 0 for h in result["results"])
    # the query is a sample: that result is marked as the query itself, the others are not
    itself = [samples[j].name == "img_2.jpg" for j in best]
    assert any(itself) and [h["is_query"] for h in result["results"]] == itself
    assert [c["caption"] for c in cards] == [f"#{i + 1}{' 🎯' if itself[i] else ''} · {scores[j]:.3f}"
                                             for i, j in enumerate(best)]


# --- rerank ---------------------------------------------------------------------------------------
def test_rerank_matches_the_model_layer(client, reranker) -> None:
    instruction = "Given a caption, determine if the image matches the description."
    lines = ["A woman shares a moment with her dog on the sand at dusk.", "A city street at night."]
    photos = [IMAGE, ASSETS / "images" / "img_1.jpg"]
    figure, _, table, _, result = rerank(client, BEACH, instruction=instruction, documents="\n".join(lines),
                                   document_files=[handle_file(p) for p in photos])
    documents = [{"text": t} for t in lines] + [{"image": str(p)} for p in photos]
    expected = reranker.rerank({"text": BEACH}, documents, instruction=instruction)

    hits = result["results"]
    assert result["query"] == snippet(BEACH)
    assert sorted(h["index"] for h in hits) == [0, 1, 2, 3]
    assert [h["rank"] for h in hits] == [1, 2, 3, 4]
    got = [h["score"] for h in hits]
    assert got == sorted(got, reverse=True)
    np.testing.assert_allclose(got, [expected[h["index"]] for h in hits], atol=TOL)
    assert [h["kind"] for h in sorted(hits, key=lambda h: h["index"])] == ["text", "text", "image", "image"]
    assert [row[3] for row in table["data"]] == pytest.approx(got, abs=TOL)
    bars = json.loads(figure["plot"])["data"][0]
    assert bars["type"] == "bar"
    np.testing.assert_allclose(plotly_array(bars["x"]), got, atol=TOL)

    # The instruction reached the model: the default one gives other scores.
    default = reranker.rerank({"text": BEACH}, [{"text": lines[0]}])
    assert abs(default[0] - expected[0]) > 1e-4


def test_rerank_with_an_image_query_and_the_default_instruction(client, reranker) -> None:
    documents = ["Wooden spoons laid out on a table.", "A train passing by."]
    query_image = ASSETS / "images" / "img_4.jpg"
    *_, result = rerank(client, query_file=handle_file(query_image), instruction="",
                        documents="\n".join(documents))
    expected = reranker.rerank({"image": str(query_image)}, [{"text": t} for t in documents])
    assert result["query"] == "img_4.jpg"
    np.testing.assert_allclose([h["score"] for h in sorted(result["results"], key=lambda h: h["index"])],
                               expected, atol=TOL)


# --- per-session gallery --------------------------------------------------------------------------
def test_gallery_additions_stay_in_their_session(live_app: LiveApp, full_dim: int) -> None:
    mine, other = live_app.client(), live_app.client()
    kayak = "A red kayak on a calm lake."
    try:
        samples_only = mine.predict(api_name="/gallery_list")
        assert len(samples_only) == 24 and {i["origin"] for i in samples_only} == {"sample"}

        view, info, text_box = mine.predict(text=f"{kayak}\nA snowy mountain hut.",
                                            api_name="/gallery_add_text")
        assert text_box == ""  # the box is cleared
        assert "**26 items**" in info and "2 of yours" in info
        assert [c["caption"] for c in view[-2:]] == [f"⭐ {kayak}", "⭐ A snowy mountain hut."]
        view, info, _ = mine.predict(files=[handle_file(QUERY_IMAGE)], api_name="/gallery_add")
        assert "**27 items**" in info and view[-1]["caption"] == "⭐ img_3.jpg"
        listed = mine.predict(api_name="/gallery_list")
        assert listed[:24] == samples_only
        assert listed[24:] == [{"label": kayak, "kind": "text", "origin": "user"},
                               {"label": "A snowy mountain hut.", "kind": "text", "origin": "user"},
                               {"label": "img_3.jpg", "kind": "image", "origin": "user"}]

        # A new session sees only the samples.
        assert other.predict(api_name="/gallery_list") == samples_only

        # Search covers this session's items: the same text, embedded the same way, scores 1.
        *_, found = search(mine, kayak, instruction="", k=1, rerank=False, dim=full_dim)
        assert found["gallery_size"] == 27
        assert found["results"][0]["label"] == kayak and found["results"][0]["origin"] == "user"
        assert found["results"][0]["embedding_score"] == pytest.approx(1.0, abs=TOL)
        *_, elsewhere = search(other, kayak, instruction="", k=1, rerank=False, dim=full_dim)
        assert elsewhere["gallery_size"] == 24 and elsewhere["results"][0]["origin"] == "sample"

        view, info, _ = mine.predict(which="A snowy mountain hut.", api_name="/gallery_remove")
        assert "Removed A snowy mountain hut." in info and "**26 items**" in info
        assert [c["caption"] for c in view[-2:]] == [f"⭐ {kayak}", "⭐ img_3.jpg"]
        view, info = mine.predict(api_name="/gallery_clear")
        assert len(view) == 24 and "0 of yours" in info
        assert mine.predict(api_name="/gallery_list") == samples_only
    finally:
        mine.close()
        other.close()


def test_gallery_add_leaves_out_a_text_file_renamed_jpg_and_adds_the_rest(live_app: LiveApp, bad_files) -> None:
    session = live_app.client()
    try:
        view, info, _ = session.predict(files=[handle_file(bad_files["fake_jpg"]), handle_file(QUERY_IMAGE)],
                                        api_name="/gallery_add")
        assert re.search(r"Left out 1: .*fake\.jpg is not a readable image", info), info
        assert f"Added 1: {QUERY_IMAGE.name}" in info and "1 of yours" in info
        assert len(view) == 24 + 1
        _, info, _ = session.predict(text=" \n ", api_name="/gallery_add_text")
        assert "type some text to add" in info and "1 of yours" in info  # nothing lost
    finally:
        session.close()


# --- bad input: a clear message, and the server keeps serving --------------------------------------
Files = dict[str, Path]


def case(name: str, call: Callable[[Any, Files], Any], message: str, **options: Any) -> Any:
    return pytest.param(name, call, message, id=name, **options)


BAD_INPUTS = [
    case("similarity-no-query", lambda c, f: similarity(c, documents="a doc"),
         r"add at least one query"),
    case("similarity-no-document", lambda c, f: similarity(c, queries="q"),
         r"add at least one document"),
    case("similarity-dim-63", lambda c, f: similarity(c, queries="q", documents="d", dim=63),
         r"Value 63 is less than minimum value 64|dim must be between 64 and 64, got 63"),
    case("similarity-dim-65", lambda c, f: similarity(c, queries="q", documents="d", dim=65),
         r"Value 65 is greater than maximum value 64|dim must be between 64 and 64, got 65"),
    case("similarity-too-many-queries", lambda c, f: similarity(c, queries="\n".join("q" * 9), documents="d"),
         r"9 queries given; the limit is 8"),
    case("similarity-pair-without-image",
         lambda c, f: similarity(c, queries="q", documents="d", pair_text="p"),
         r"pair has text but no image"),
    case("similarity-text-file-renamed-jpg",
         lambda c, f: similarity(c, queries="q", documents="a doc",
                                 document_files=[handle_file(f["fake_jpg"])]),
         r"document 2: fake\.jpg is not a readable image"),
    case("similarity-txt-upload",
         lambda c, f: similarity(c, queries="q", document_files=[handle_file(f["txt"])]),
         r"Invalid file type"),
    case("search-top-k-0", lambda c, f: search(c, "q", k=0),
         r"Value 0 is less than minimum value 1|top-k must be between"),
    case("search-top-k-21", lambda c, f: search(c, "q", k=21),
         r"Value 21 is greater than maximum value 20|top-k must be between"),
    case("search-no-query", lambda c, f: search(c, "  "),
         r"type a query, or give an image or a video"),
    case("search-image-and-video", lambda c, f: search(c, image=handle_file(IMAGE), video=handle_file(VIDEO)),
         r"one image or one video as the query, not both"),
    case("search-image-given-as-video", lambda c, f: search(c, video=handle_file(f["fake_jpg"])),
         r"Invalid file type.*video"),
    case("rerank-no-document", lambda c, f: rerank(c, "q"),
         r"add at least one document"),
    case("rerank-no-query", lambda c, f: rerank(c, documents="d"),
         r"type a query, or give an image or a video"),
    case("rerank-text-file-renamed-jpg",
         lambda c, f: rerank(c, "q", documents="d", document_files=[handle_file(f["fake_jpg"])]),
         r"document 2: fake\.jpg is not a readable image"),
    case("gallery-add-txt", lambda c, f: c.predict(files=[handle_file(f["txt"])], api_name="/gallery_add"),
         r"Invalid file type"),
    case("search-text-file-renamed-jpg-as-image", lambda c, f: search(c, image=handle_file(f["fake_jpg"])),
         r"query 1: fake\.jpg is not a readable image"),
    case("similarity-pair-image-not-an-image",
         lambda c, f: similarity(c, queries="q", pair_image=handle_file(f["fake_jpg"])),
         r"document 1: fake\.jpg is not a readable image"),
]


@pytest.mark.parametrize(("name", "call", "message"), BAD_INPUTS)
def test_bad_input_is_refused_with_a_message_and_the_server_keeps_serving(
        client, bad_files: Files, name: str, call: Callable, message: str, full_dim: int) -> None:
    with pytest.raises(AppError) as raised:
        call(client, bad_files)
    assert re.search(message, str(raised.value)), f"{name}: {raised.value}"
    *_, result = similarity(client, queries="a quick check", documents="still serving", dim=full_dim)
    assert np.asarray(result["scores"]).shape == (1, 1)


def test_concurrent_sessions_all_get_their_answer(live_app: LiveApp, client, full_dim: int) -> None:
    """Model calls share one queue (a few at once, taking turns at the model); simultaneous requests all complete."""
    *_, first = similarity(client, queries="q one\nq two", documents="d one\nd two", dim=full_dim)
    sessions = [live_app.client() for _ in range(3)]
    try:
        jobs = [s.submit(query_text="q one\nq two", query_files=[], query_instruction=QUERY_INSTRUCTION,
                         document_text="d one\nd two", document_files=[], pair_text="", pair_image=None,
                         document_instruction=DOC_INSTRUCTION, dim=full_dim, api_name="/similarity")
                for s in sessions]
        wait(jobs, timeout=120)
        for job in jobs:
            np.testing.assert_allclose(job.result(timeout=1)[-1]["scores"], first["scores"], atol=1e-6)
    finally:
        for session in sessions:
            session.close()


def test_exports_are_written_where_old_result_folders_are_pruned(client, full_dim: int, tmp_path) -> None:
    """Each export writes one folder; folders older than the results' age limit go at the next
    one, so exports do not pile up on the server's disk."""
    import os
    import time

    from qwen3vl_demo.service.session_files import RESULTS_MAX_AGE_S, RESULTS_ROOT

    RESULTS_ROOT.mkdir(exist_ok=True)
    stale = RESULTS_ROOT / f"export-stale-{os.getpid()}"
    stale.mkdir()
    (stale / "gallery-embeddings-64d.npz").write_bytes(b"old")
    old = time.time() - RESULTS_MAX_AGE_S - 60
    os.utime(stale, (old, old))
    before = {p.name for p in RESULTS_ROOT.glob("export-*")}
    path = client.predict(full_dim, api_name="/export_gallery")
    exported = np.load(path)
    assert exported["embeddings"].shape[1] == full_dim
    assert not stale.exists()
    made = {p.name for p in RESULTS_ROOT.glob("export-*")} - before
    assert len(made) == 1 and any((RESULTS_ROOT / name).glob("gallery-embeddings-*.npz") for name in made)
