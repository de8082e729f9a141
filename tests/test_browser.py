"""The app in headless Chromium: header, each tab's first example, the about page, an error toast.

Runs against the session's live app (conftest ``live_app``); the steps are those of
``scripts/screenshots.py``, and each one leaves a screenshot in ``artifacts/screenshots/``.
Chromium is the system one (/usr/bin/chromium); without it these tests skip, or fail under CI.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ASSETS, ROOT, LiveApp, example_args
from gradio_client import handle_file

from qwen3vl_demo.core import config

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "screenshots"
_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
shots = sys.modules.setdefault("screenshots", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(shots)

QUERY_INSTRUCTION = "Retrieve images or text relevant to the user's query."
SCORE = re.compile(r"^-?\d\.\d\d$")


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(shots.CHROMIUM).exists():
        message = f"Chromium not found at {shots.CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return shots.CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = shots.launch(playwright, chromium)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def page(browser, live_app: LiveApp):
    """One visitor's tab, kept across the tests of this module (as a person would click through)."""
    tab = shots.new_page(browser)
    shots.open_app(tab, live_app.url)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def api(live_app: LiveApp):
    session = live_app.client()
    yield session
    session.close()


def test_header_shows_both_models_ready(page) -> None:
    header = page.locator("#status-header")
    for role, name in (("Embedding", "tiny-qwen3vl-embedding"), ("Reranker", "tiny-qwen3vl-reranker")):
        pill = shots.model_pill(page, role)
        assert pill.is_visible()
        assert re.search(rf"{role} {name} · cpu · float32 · loaded in", pill.inner_text())
    assert "Random-weight test model" in header.inner_text()
    assert page.get_by_role("button", name="↻ Retry loading").is_hidden()  # nothing failed
    shots.screenshot(page, SHOTS / "header.png", full_page=False)


def test_similarity_example_renders_the_heatmap(page, api) -> None:
    from qwen3vl_demo.ui.examples import SIMILARITY_EXAMPLES

    plot = shots.show_similarity(page)
    shots.screenshot(page, SHOTS / "similarity.png")
    labels = plot.locator(".heatmap-label").all_text_contents()
    assert plot.locator("svg.main-svg").count() >= 1
    assert len(labels) == 3 * 7 and all(SCORE.match(t) for t in labels), labels
    ticks = plot.locator(".xtick text").all_text_contents()
    assert any("cycling.mp4" in t for t in ticks) and len(ticks) == 7, ticks
    assert plot.locator(".layer-above image, .imagelayer image").count() == 5  # thumbnails over columns
    assert "Cosine similarity · 64 dims" in plot.locator(".gtitle").text_content()

    # The cells show the scores the API returns for the same inputs (the full size: 64 here).
    names = ["query_text", "query_files", "query_instruction", "document_text", "document_files",
             "pair_text", "pair_image", "document_instruction", "one_document"]
    *_, result = api.predict(**example_args(SIMILARITY_EXAMPLES[0], names), dim=64, api_name="/similarity")
    np.testing.assert_allclose(sorted(float(t) for t in labels), sorted(np.ravel(result["scores"])),
                               atol=0.0051)


def test_search_example_shows_five_captioned_results(page, api) -> None:
    results = shots.show_search(page)
    shots.screenshot(page, SHOTS / "search.png")
    assert results.locator("img").count() == 5
    captions = results.locator(".caption-label").all_text_contents()
    assert len(captions) == 5
    for position, caption in enumerate(captions, start=1):
        assert re.match(rf"^#{position} · \d\.\d{{3}} (=|▲ \d+|▼ \d+)$", caption), caption
    assert page.locator("#search-table [role=grid]").get_attribute("aria-rowcount") == "6"  # header + 5

    cards, _, _, _, result = api.predict(query_text="A woman playing with her dog on a beach at sunset.",
                                   query_image=None, query_video=None, instruction=QUERY_INSTRUCTION,
                                   k=5, rerank=True, dim=64, api_name="/search")
    assert captions == [card["caption"] for card in cards]
    assert result["reranked"] is True


def test_rerank_example_draws_sorted_bars(page, api) -> None:
    plot = shots.show_rerank(page)
    shots.screenshot(page, SHOTS / "rerank.png")
    bars = plot.locator(".trace.bars .point")
    assert bars.count() == 5
    values = [float(t) for t in plot.locator(".bartext").all_text_contents()]
    assert values == sorted(values, reverse=True)

    *_, result = api.predict(
        query_text="A woman playing with her dog on a beach at sunset.", query_file=None,
        instruction=config.RERANK_DEFAULT_INSTRUCTION,
        document_text="A woman shares a moment with her dog on the sand at dusk.\nA city street at night.\n"
                      "Dogs are loyal companions.",
        document_files=[handle_file(ASSETS / "images" / "img_8.jpg"),
                        handle_file(ASSETS / "images" / "img_1.jpg")],
        api_name="/rerank")
    assert values == [round(hit["score"], 3) for hit in result["results"]]


def test_about_lists_the_fixture_models(page) -> None:
    about = shots.show_about(page)
    shots.screenshot(page, SHOTS / "about.png")
    table = about.locator("table").first.inner_text()
    for name in ("tiny-qwen3vl-embedding", "tiny-qwen3vl-reranker"):
        row = next(line for line in table.splitlines() if name in line)
        assert "ready" in row and "cpu" in row and "float32" in row, row


def test_an_error_shows_a_message_and_the_page_keeps_working(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        tab.locator("#sim-button").click()  # no queries, no documents
        toast = tab.get_by_test_id("toast-body").filter(has_text="at least one query")
        toast.wait_for(timeout=30_000)
        assert toast.is_visible()
        assert "add at least one query" in toast.inner_text()
        shots.screenshot(tab, SHOTS / "error.png", full_page=False)

        plot = shots.show_similarity(tab)  # the page still works
        assert plot.locator(".heatmap-label").count() == 3 * 7
    finally:
        tab.close()


def test_a_broken_upload_is_refused_by_name_and_the_gallery_is_kept(browser, live_app: LiveApp, tmp_path) -> None:
    """Through the browser's own upload: a good image is added, then a text file named .jpg is
    refused with a message naming it, and the visitor's gallery still holds the good image."""
    broken = tmp_path / "holiday.jpg"
    broken.write_text("<html>not an image</html>")
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.select_tab(tab, "🔎 Gallery search")
        tab.get_by_text("The gallery — add your own images, videos and texts").click()
        tab.locator("#gallery-upload input[type=file]").set_input_files(str(ASSETS / "images" / "img_3.jpg"))
        tab.get_by_text("1 of yours").wait_for(timeout=60_000)
        tab.locator("#gallery-upload input[type=file]").set_input_files(str(broken))
        toast = tab.get_by_test_id("toast-body").filter(has_text="holiday.jpg")
        toast.wait_for(timeout=60_000)
        assert "is not a readable image" in toast.inner_text()
        assert tab.get_by_text("25 items").is_visible()  # 24 samples + the good upload, nothing lost
        shots.screenshot(tab, SHOTS / "upload-error.png", full_page=False)
    finally:
        tab.close()


# --- the "Inside the embeddings" views -------------------------------------------------------------------
def test_sizes_and_quantization_view_renders(page) -> None:
    plot = shots.show_storage(page)
    shots.screenshot(page, SHOTS / "storage.png")
    bars = plot.locator(".trace.bars .point").count()
    assert bars >= 3  # float at each size the model has, int8, binary
    table = page.locator("#storage-table").inner_text()
    assert "int8" in table and "binary" in table and "float" in table


def test_instruction_ab_view_renders(page) -> None:
    plot = shots.show_instruction_ab(page)
    shots.screenshot(page, SHOTS / "instruction-ab.png")
    assert plot.locator(".scatterlayer .trace").count() >= 6  # one line per item shown
    assert "rank A" in page.locator("#ab-table").inner_text()


def test_map_view_renders(page) -> None:
    plot = shots.show_map(page)
    shots.screenshot(page, SHOTS / "map.png")
    assert plot.locator(".scatterlayer .point").count() == 24 + 2  # the samples and the two queries
    assert plot.locator("image").count() >= 12  # thumbnails on image and video points


def test_video_inspector_shows_the_sampled_frames(page) -> None:
    frames = shots.show_video(page)
    shots.screenshot(page, SHOTS / "video.png")
    captions = frames.locator(".caption-label").all_text_contents()
    assert len(captions) == 12 and captions[0].startswith("frame 1 · group 1 · 0.6 s")
    assert "840 visual tokens" in page.get_by_text("visual tokens").first.inner_text()
