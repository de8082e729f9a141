"""Where it matches through the real page (headless Chromium on the live app): the visitor's own
photo and query, the map drawn over the photo as the model saw it, in the Similarity and the
Reranker tab, and the map's score equal to what the tab itself shows. Screenshots at 1280x800 and
390x844 go to ``docs/screenshots/where-it-matches-*.png``."""

from __future__ import annotations

import pytest
from conftest import ASSETS, ROOT, LiveApp, shots
from gradio_client import handle_file

from qwen3vl_demo.core import config
from qwen3vl_demo.ui.examples import QUERY_INSTRUCTION

pytestmark = pytest.mark.browser
DOCS_SHOTS = ROOT / "docs" / "screenshots"
TIMEOUT_MS = 180_000


def own_photo(tmp_path, name: str = "my_ride.jpg") -> str:
    target = tmp_path / name
    target.write_bytes((ASSETS / "images" / "img_0.jpg").read_bytes())
    return str(target)


def open_view(tab, prefix: str) -> None:
    tab.locator(f"#{prefix}-explain").get_by_text("🔎 Where it matches").click()


def show_map(tab, prefix: str, name: str) -> str:
    """Press the open view's button, wait for the map; screenshots at both sizes; the line saying
    how the map was made."""
    tab.locator(f"#{prefix}-explain-button").click()
    tab.locator(f"#{prefix}-explain-map img").first.wait_for(timeout=TIMEOUT_MS)
    how = tab.locator(f"#{prefix}-explain-how")
    how.get_by_text("passes").wait_for(timeout=TIMEOUT_MS)
    assert tab.locator(f"#{prefix}-explain-status").inner_text().strip() == ""
    centre = "e => e.scrollIntoView({block: 'center'})"
    tab.locator(f"#{prefix}-explain-map").evaluate(centre)
    tab.wait_for_timeout(500)
    shots.screenshot(tab, DOCS_SHOTS / f"where-it-matches-{name}-1280.png", full_page=False)
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.wait_for_timeout(500)
    tab.locator(f"#{prefix}-explain-map").evaluate(centre)
    shots.screenshot(tab, DOCS_SHOTS / f"where-it-matches-{name}-390.png", full_page=False)
    tab.set_viewport_size({"width": 1280, "height": 800})
    return how.inner_text()


def map_size(tab, prefix: str) -> tuple[int, int]:
    return tuple(tab.locator(f"#{prefix}-explain-map img").first.evaluate("i => [i.naturalWidth, i.naturalHeight]"))


def test_the_visitors_photo_and_query_get_a_map_in_similarity(browser, live_app: LiveApp, tmp_path) -> None:
    photo = own_photo(tmp_path)
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        tab.locator("#sim-queries textarea").fill("a motorbike on a mountain road")
        tab.locator("#sim-doc-files input[type=file]").set_input_files([photo])
        tab.locator("#sim-doc-files").get_by_text("my_ride.jpg").first.wait_for(timeout=60_000)
        open_view(tab, "sim")
        how = show_map(tab, "sim", "similarity")
        assert "occlusion" in how and "11x20 token grid" in how, how
        assert map_size(tab, "sim") == (640, 352)  # the photo as the model saw it: 20 x 11 tokens of 32 px
        words = tab.locator("#sim-explain-words").inner_text()
        assert all(word in words for word in ("motorbike", "mountain", "road")), words
        client = live_app.client()
        try:  # the map's score is the one the Similarity tab computes for the pair
            shown = client.predict("a motorbike on a mountain road", [], QUERY_INSTRUCTION, "", [handle_file(photo)],
                                   "", None, config.EMBED_DEFAULT_INSTRUCTION, None, None, None, False,
                                   api_name="/similarity")
        finally:
            client.close()
        score = float(how.split("similarity ")[1].split(" ")[0])
        assert score == pytest.approx(shown[-1]["scores"][0][0], abs=1e-4)
    finally:
        tab.close()


def test_the_visitors_photo_and_query_get_a_map_in_the_reranker(browser, live_app: LiveApp, tmp_path) -> None:
    photo = own_photo(tmp_path, "trip.jpg")
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.select_tab(tab, "⚖️ Reranker")
        tab.locator("#rerank-query textarea").fill("a motorbike on a mountain road")
        tab.locator("#rerank-files input[type=file]").set_input_files([photo])
        tab.locator("#rerank-files").get_by_text("trip.jpg").first.wait_for(timeout=60_000)
        open_view(tab, "rerank")
        tab.locator("#rerank-explain-method").get_by_text("Gradient").click()
        how = show_map(tab, "rerank", "reranker")
        assert "gradient" in how and "relevance" in how, how
        assert map_size(tab, "rerank") == (640, 352)
        # a second look at the same pair costs nothing
        tab.locator("#rerank-explain-button").click()
        tab.locator("#rerank-explain-how").get_by_text("remembered").wait_for(timeout=TIMEOUT_MS)
    finally:
        tab.close()


def run_example(tab, url: str, tab_name: str, prefix: str) -> str:
    """Open ``tab_name``, its view, press the one-click example; the line on how the map was made."""
    shots.open_app(tab, url)
    shots.select_tab(tab, tab_name)
    open_view(tab, prefix)
    tab.locator(f"#{prefix}-explain-example").click()
    tab.locator(f"#{prefix}-explain-map img").first.wait_for(timeout=TIMEOUT_MS)
    how = tab.locator(f"#{prefix}-explain-how")
    how.get_by_text("passes").wait_for(timeout=TIMEOUT_MS)
    return how.inner_text()


def test_one_click_example_in_gallery_search_maps_the_sample(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser)
    try:
        how = run_example(tab, live_app.url, "🔎 Gallery search", "search")
        assert "occlusion" in how and "similarity" in how
        assert "clean" in tab.locator("#search-explain-words").inner_text()
    finally:
        tab.close()


def test_one_click_example_in_moments_maps_the_best_windows_frames(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser)
    try:
        text = run_example(tab, live_app.url, "⏱️ Moments", "moments")
        grid = text.split("over the ")[1].split(" token grid")[0]
        assert "occlusion" in text and grid.count("x") == 2, text  # frames x rows x columns
        groups = int(grid.split("x")[0])
        assert tab.locator("#moments-explain-map img").count() == groups  # every frame group, strongest first
        tab.locator("#moments-explain-map").evaluate("e => e.scrollIntoView({block: 'center'})")
        tab.wait_for_timeout(500)
        shots.screenshot(tab, DOCS_SHOTS / "where-it-matches-moments-1280.png", full_page=False)
    finally:
        tab.close()


def test_the_explain_endpoint_names_what_was_wrong(live_app: LiveApp) -> None:
    from gradio_client.exceptions import AppError

    image = handle_file(str(ASSETS / "images" / "img_0.jpg"))
    client = live_app.client()
    try:
        for args, message in [(("a", None, "b", None, "embedding", "occlusion", None, ""), "needs an image"),
                              (("a", None, "", image, "clip", "occlusion", None, ""), "model must be"),
                              (("a", None, "", image, "embedding", "attention", None, ""), "method must be one of"),
                              (("a", None, "", image, "embedding", "gradient", "abc", ""), "Embedding size")]:
            with pytest.raises(AppError, match=message):
                client.predict(*args, api_name="/explain")
        found = client.predict("a bike", None, "", image, "reranker", "gradient", None, "", api_name="/explain")
        assert found["model"] == "reranker" and len(found["grid"]) == found["shape"][0] == 11
    finally:
        client.close()
