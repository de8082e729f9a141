"""Where it matches through the real page (headless Chromium on the live app): the visitor's own
photo and query, the map drawn over the photo as the model saw it, in the Similarity and the
Reranker tab, and the map's score equal to what the tab itself shows; the visitor's own PDF, a
page card clicked and that page's map; a score of the heatmap clicked and that pair's map; a bad
file among the visitor's named in the message. Screenshots at 1280x800 and 390x844 go to
``artifacts/screenshots/where-it-matches-*.png`` (256 colours); with QWEN3VL_UPDATE_DOCS_SHOTS=1 to
``docs/screenshots`` instead, which the documentation shows (a test run leaves the tree clean)."""

from __future__ import annotations

import os
import re

import pytest
from conftest import ASSETS, ROOT, SHOTS, LiveApp, shots, wait_files
from gradio_client import handle_file

from qwen3vl_demo.core import config
from qwen3vl_demo.ui.examples import QUERY_INSTRUCTION

pytestmark = pytest.mark.browser
DOCS_SHOTS = ROOT / "docs" / "screenshots" if os.environ.get("QWEN3VL_UPDATE_DOCS_SHOTS") else SHOTS
TIMEOUT_MS = 180_000


def own_photo(tmp_path, name: str = "my_ride.jpg", sample: str = "img_0.jpg") -> str:
    target = tmp_path / name
    target.write_bytes((ASSETS / "images" / sample).read_bytes())
    return str(target)


def open_view(tab, prefix: str) -> None:
    tab.locator(f"#{prefix}-explain").get_by_text("🔎 Where it matches").click()


def show_map(tab, prefix: str, name: str) -> str:
    """Press the open view's button, wait for the map; screenshots at both sizes; the line saying
    how the map was made."""
    tab.locator(f"#{prefix}-explain-button").click()
    return shown_map(tab, prefix, name)


def shown_map(tab, prefix: str, name: str, top: str | None = None) -> str:
    """Wait for the view's map (no message beside its button); screenshots at both sizes (the
    element ``top`` at the top of the picture, else the map in its middle); the line saying how the
    map was made."""
    how = tab.locator(f"#{prefix}-explain-how")
    how.get_by_text("passes").wait_for(timeout=TIMEOUT_MS)
    tab.locator(f"#{prefix}-explain-map img").first.wait_for(timeout=TIMEOUT_MS)
    assert tab.locator(f"#{prefix}-explain-status").inner_text().strip() == ""
    for width, height in ((1280, 800), (390, 844)):
        tab.set_viewport_size({"width": width, "height": height})
        tab.wait_for_timeout(500)
        if top:
            tab.locator(top).evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)")
        else:
            tab.locator(f"#{prefix}-explain-map").evaluate("e => e.scrollIntoView({block: 'center'})")
        shots.compress(shots.screenshot(tab, DOCS_SHOTS / f"where-it-matches-{name}-{width}.png", full_page=False))
    tab.set_viewport_size({"width": 1280, "height": 800})
    return how.inner_text()


def shown_score(how: str) -> float:
    """The score at the head of the line on how the map was made (``similarity 0.4257 · …``)."""
    return float(re.search(r"(?:similarity|relevance) (-?[0-9.]+)", how).group(1))


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


def broken_file(tmp_path, name: str) -> str:
    target = tmp_path / name
    target.write_bytes(b"this is not what its name says " * 64)
    return str(target)


def open_pdf_section(tab) -> None:
    shots.select_tab(tab, "🔎 Gallery search")
    tab.locator("#pdf-search").get_by_text("Pages of one PDF").first.click()


def words_of(tab, prefix: str, word: str | None = None):
    """The view's weighed words (not its label), holding ``word`` if given."""
    return tab.locator(f"#{prefix}-explain-words [data-testid='highlighted-text:textfield']", has_text=word)


def wait_value(tab, selector: str, value: int) -> None:
    """Until the input ``selector`` holds ``value`` (set by an event after the one awaited)."""
    tab.wait_for_function("([sel, v]) => document.querySelector(sel).value === v", arg=[selector, str(value)],
                          timeout=30_000)


def set_number(tab, selector: str, value: int) -> None:
    """Type ``value`` into the number field ``selector`` and leave it, until the field holds it: a
    field just rendered (the view's accordion opened a moment ago) may still receive its first
    value from the page after a quick fill, and a press would then map document 1."""
    field = tab.locator(selector)
    for _ in range(5):
        field.fill(str(value))
        field.press("Tab")
        tab.wait_for_timeout(300)
        if field.input_value() == str(value):
            return
    raise AssertionError(f"{selector} kept {field.input_value()!r}, not {value}")


def message(tab, status: str) -> str:
    """The English text of the message beside a button, once there is one."""
    shown = tab.locator(f"{status} .l10n[lang=en]")
    shown.wait_for(timeout=TIMEOUT_MS)
    return shown.inner_text()


def test_the_visitors_own_pdf_gets_the_map_of_a_page(browser, live_app: LiveApp, tmp_path) -> None:
    """A bad file first (named in both messages), then the visitor's own PDF: the best page picked
    for the map after the search, a click on another page's card picks that page, and its map's
    score is the one on the card (reranked: the reranker's relevance); pressed again, remembered."""
    report = tmp_path / "my_report.pdf"
    report.write_bytes((ASSETS / "pdf" / "figures.pdf").read_bytes())
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        open_pdf_section(tab)
        tab.locator("#pdf-query textarea").fill("A bar chart comparing the accuracy of several models.")
        tab.locator("#pdf-file input[type=file]").set_input_files([broken_file(tmp_path, "scan.pdf")])
        wait_files(tab, "#pdf-file", 1)
        open_view(tab, "pdf")
        tab.locator("#pdf-explain-button").click()
        assert "scan.pdf is not a readable PDF" in message(tab, "#pdf-explain-status")
        tab.locator("#pdf-file button[aria-label='Clear']").first.click()
        tab.locator("#pdf-file input[type=file]").set_input_files([str(report)])
        tab.locator('#pdf-file td[aria-label="my_report.pdf"]').wait_for(timeout=60_000)
        tab.locator("#pdf-button").click()
        cards = tab.locator("#pdf-results .caption-label")
        cards.first.wait_for(timeout=TIMEOUT_MS)
        captions = [cards.nth(i).inner_text() for i in range(cards.count())]
        pages = [int(re.search(r"p\.(\d+)$", c).group(1)) for c in captions]
        wait_value(tab, "#pdf-explain-document input", pages[0])  # the best page, ready to map
        tab.locator("#pdf-results .thumbnail-item").nth(1).click()
        tab.keyboard.press("Escape")  # the card's preview closed
        wait_value(tab, "#pdf-explain-document input", pages[1])
        tab.locator("#pdf-explain-button").click()
        how = shown_map(tab, "pdf", "pdf")
        assert "relevance" in how and "occlusion" in how, how
        card_score = float(re.search(r"· (-?[0-9.]+)", captions[1]).group(1))  # "#2 · 0.518 ▲ 1 · …"
        assert shown_score(how) == pytest.approx(card_score, abs=6e-4), (how, captions)
        assert "37x48 token grid" in how and map_size(tab, "pdf") == (48 * 32, 37 * 32)  # the page as seen
        words = words_of(tab, "pdf").inner_text()
        assert all(word in words for word in ("bar", "chart", "accuracy")), words
        tab.locator("#pdf-explain-button").click()  # the same page again: nothing runs
        tab.locator("#pdf-explain-how").get_by_text("remembered").wait_for(timeout=TIMEOUT_MS)
        assert shown_score(tab.locator("#pdf-explain-how").inner_text()) == shown_score(how)
    finally:
        tab.close()


def test_a_click_on_a_heatmap_score_maps_that_pair(browser, live_app: LiveApp, tmp_path) -> None:
    """A broken photo among the visitor's: the heatmap refused naming it, its document # refused in
    the view naming it too, and the good photo beside it still mapped. Removed, the heatmap is
    drawn; a click on a score maps that pair at that score; the same score clicked again is
    remembered; another score, another pair."""
    photos = [own_photo(tmp_path), broken_file(tmp_path, "blurry.jpg"), own_photo(tmp_path, "train.jpg", "img_2.jpg")]
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        tab.locator("#sim-queries textarea").fill("a motorbike on a mountain road\na red train")
        tab.locator("#sim-doc-files input[type=file]").set_input_files(photos)
        wait_files(tab, "#sim-doc-files", 3)
        tab.locator("#sim-button").click()
        assert "blurry.jpg is not a readable image" in message(tab, "#sim-status")
        open_view(tab, "sim")
        set_number(tab, "#sim-explain-document input", 2)
        tab.locator("#sim-explain-button").click()
        assert "blurry.jpg" in message(tab, "#sim-explain-status")
        set_number(tab, "#sim-explain-document input", 3)
        tab.locator("#sim-explain-button").click()
        tab.locator("#sim-explain-how").get_by_text("passes").wait_for(timeout=TIMEOUT_MS)
        assert tab.locator("#sim-explain-status").inner_text().strip() == ""
        tab.locator('#sim-doc-files tr:has(td[aria-label="blurry.jpg"]) button.label-clear-button').click()
        wait_files(tab, "#sim-doc-files", 2)
        tab.locator("#sim-button").click()
        cell = tab.locator("#sim-explain-cells [data-testid=cell-1-2]")  # query 2, document 2
        cell.wait_for(timeout=TIMEOUT_MS)
        cell.click()
        words_of(tab, "sim", "train").wait_for(timeout=TIMEOUT_MS)  # this pair's map
        how = shown_map(tab, "sim", "heatmap", top="#sim-explain-cells")
        assert (tab.locator("#sim-explain-query input").input_value(),
                tab.locator("#sim-explain-document input").input_value()) == ("2", "2")
        assert shown_score(how) == pytest.approx(float(cell.inner_text()), abs=6e-4), how
        cell.click()  # pressed twice: the same map, nothing run
        tab.locator("#sim-explain-how").get_by_text("remembered").wait_for(timeout=TIMEOUT_MS)
        other = tab.locator("#sim-explain-cells [data-testid=cell-0-1]")
        other.click()
        words_of(tab, "sim", "motorbike").wait_for(timeout=TIMEOUT_MS)
        tab.locator("#sim-explain-how").get_by_text("passes").wait_for(timeout=TIMEOUT_MS)
        assert shown_score(tab.locator("#sim-explain-how").inner_text()) == pytest.approx(
            float(other.inner_text()), abs=6e-4)
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


def test_one_click_example_in_pages_of_one_pdf_maps_the_bar_chart_page(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        open_pdf_section(tab)
        open_view(tab, "pdf")
        tab.locator("#pdf-explain-example").click()
        how = tab.locator("#pdf-explain-how")
        how.get_by_text("passes").wait_for(timeout=TIMEOUT_MS)
        assert "similarity" in how.inner_text() and "28x63 token grid" in how.inner_text()  # page 2 as seen
        assert "chart" in words_of(tab, "pdf").inner_text()
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
        shots.compress(shots.screenshot(tab, DOCS_SHOTS / "where-it-matches-moments-1280.png", full_page=False))
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
