"""Start-up with a saved index: the sample gallery and the examples are answered from it at once,
and the index is confirmed by the model once it has loaded."""

from __future__ import annotations

import contextlib
import time

from conftest import example_args

from qwen3vl_demo.ui.examples import SEARCH_EXAMPLES, SIMILARITY_EXAMPLES, embedding_inputs

SIMILARITY_NAMES = ["query_text", "query_files", "query_instruction", "document_text", "document_files",
                    "pair_text", "pair_image", "document_instruction", "one_document"]
SEARCH_NAMES = ["query_text", "query_image", "query_video", "instruction", "k"]


def test_a_restart_answers_every_example_from_the_saved_index(start_app, tmp_path) -> None:
    cache = tmp_path / "cache"
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
    with start_app(tmp_path / "first", cache) as app:  # builds and saves the index
        with contextlib.closing(app.client()) as client:
            first = client.predict(api_name="/status")["gallery"]
    assert first["source"].startswith("computed") and first["confirmed"] is True

    with start_app(tmp_path / "second", cache) as app:
        with contextlib.closing(app.client()) as client:
            gallery = client.predict(api_name="/status")["gallery"]
            assert gallery["source"] == "disk cache" and gallery["examples"] == len(embedding_inputs())
            for row in SIMILARITY_EXAMPLES:  # the first requests this process serves
                *_, result = client.predict(**example_args(row, SIMILARITY_NAMES), dim=64,
                                            api_name="/similarity")
                inputs = len(result["queries"]) + len(result["documents"])
                assert result["cost"]["cached_inputs"] == inputs, row[0]
                assert result["cost"]["tokens"] == {}  # nothing was embedded now
            for row in SEARCH_EXAMPLES:
                *_, result = client.predict(**example_args(row[:5], SEARCH_NAMES), rerank=False, dim=64,
                                            api_name="/search")
                assert result["cost"]["cached_inputs"] == 1 + result["gallery_size"], row
            deadline = time.monotonic() + 60
            while not gallery.get("confirmed") and time.monotonic() < deadline:
                time.sleep(0.2)
                gallery = client.predict(api_name="/status")["gallery"]
            assert gallery["confirmed"] is True and gallery["source"] == "disk cache"  # the probe agreed


def test_the_header_says_a_saved_index_is_confirmed_once_the_model_is_up() -> None:
    from qwen3vl_demo.ui.header import header_html

    loading = {"state": "loading", "model": "Qwen/Qwen3-VL-Embedding-2B"}
    gallery = {"state": "ready", "items": 24, "source": "disk cache", "seconds": 0.4, "confirmed": False}
    status = {"embedding": loading, "reranker": dict(loading), "gallery": gallery}
    assert "disk cache · 0.4 s · checked when the model is up" in header_html(status)
    gallery["confirmed"] = True
    assert "checked when" not in header_html(status)


def _status_until(client, check, timeout_s: float = 180.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        status = client.predict(api_name="/status")
        if check(status) or time.monotonic() > deadline:
            return status
        time.sleep(0.5)


def test_retry_through_the_page_loads_the_fixed_model_and_indexes_the_gallery(
        start_app, embedder_path, tmp_path) -> None:
    """The embedder's folder is missing at start: both the model and the gallery fail. Once the
    folder is there, the Retry button's event loads it and the gallery is indexed (not left failed,
    with every search embedding the samples itself)."""
    missing = tmp_path / "embedding-model"
    with start_app(tmp_path, embedder=str(missing), wait_for_models=False) as app:
        with contextlib.closing(app.client()) as client:
            failed = _status_until(client, lambda s: s["embedding"]["state"] == "failed"
                                   and s["gallery"]["state"] == "failed" and s["reranker"]["state"] == "ready")
            assert failed["gallery"]["state"] == "failed", failed
            missing.symlink_to(embedder_path)  # the fault fixed
            client.predict(api_name="/retry_loading")
            status = _status_until(client, lambda s: s["gallery"]["state"] in ("ready", "failed")
                                   and s["embedding"]["state"] != "loading" and s["gallery"].get("confirmed"))
            assert status["embedding"]["state"] == "ready" and status["gallery"]["state"] == "ready", status
            *_, result = client.predict(**example_args(SEARCH_EXAMPLES[0][:5], SEARCH_NAMES), rerank=False,
                                        dim=64, api_name="/search")
            assert result["cost"]["cached_inputs"] >= result["gallery_size"]  # served from the index
