"""The app in headless Chromium: header, each tab's first example, the about page, an error toast.

Runs against the session's live app (conftest ``live_app``); the steps are those of
``scripts/screenshots.py``, and each one leaves a screenshot in ``artifacts/screenshots/``.
Chromium is the system one (/usr/bin/chromium); without it these tests skip, or fail under CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ASSETS, SHOTS, LiveApp, example_args, shots, wait_files
from gradio_client import handle_file

from qwen3vl_demo.core import config

pytestmark = pytest.mark.browser

QUERY_INSTRUCTION = "Retrieve images or text relevant to the user's query."
SCORE = re.compile(r"^-?\d\.\d\d$")


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
        assert re.match(rf"^#{position} · \d\.\d{{3}} (=|▲ \d+|▼ \d+)( · 🎞️ video)?$", caption), caption
    assert page.locator("#search-table [role=grid]").get_attribute("aria-rowcount") == "6"  # header + 5

    cards, _, _, _, result = api.predict(query_text="A woman playing with her dog on a beach at sunset.",
                                   query_image=None, query_video=None, instruction=QUERY_INSTRUCTION,
                                   k=5, rerank=True, dim=64, api_name="/search")
    assert captions == [card["caption"] for card in cards]
    assert result["reranked"] is True


# How the search results fill their boxes: the gallery's empty height under its last card, whether
# it scrolls inside itself, and the table's columns that end past the table's right edge.
RESULTS_FIT = """() => {
  const gallery = document.querySelector('#search-results'), wrap = gallery.querySelector('.grid-wrap');
  const cards = [...gallery.querySelectorAll('.gallery-item')], table = document.querySelector('#search-table');
  const edge = table.getBoundingClientRect().right;
  return {cards: cards.length,
          empty_below: Math.round(gallery.getBoundingClientRect().bottom - cards.at(-1).getBoundingClientRect().bottom),
          inner_scroll: wrap.scrollHeight > wrap.clientHeight + 1,
          past_edge: [...table.querySelectorAll('thead th')].filter(th => th.getBoundingClientRect().right > edge + 1)
                       .map(th => th.innerText.trim())};
}"""


def test_search_results_are_sized_by_k_and_the_table_fits_at_1280(browser, live_app: LiveApp) -> None:
    """Top-5 at 1280x800: the gallery ends under its one row of cards (no empty area), every table
    column ("moved" too) inside the table's box; top-20: four rows, the gallery grown, no scroll inside it."""
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.show_search(tab)
        fit = tab.evaluate(RESULTS_FIT)
        assert fit["cards"] == 5 and fit["empty_below"] < 40 and fit["past_edge"] == [], fit
        assert not fit["inner_scroll"], fit
        tab.get_by_label("number input for Top-k").fill("20")
        tab.get_by_label("number input for Top-k").press("Enter")
        tab.locator("#search-button").click()
        tab.wait_for_function("() => document.querySelectorAll('#search-results .gallery-item').length === 20",
                              timeout=120_000)
        shots.wait_idle(tab, "#search-results")
        fit = tab.evaluate(RESULTS_FIT)
        assert fit["empty_below"] < 40 and not fit["inner_scroll"] and fit["past_edge"] == [], fit
        assert tab.locator("#search-table [role=grid]").get_attribute("aria-rowcount") == "21"
        shots.screenshot(tab, SHOTS / "search-top20.png")
    finally:
        tab.close()


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
        status = tab.locator("#sim-status").get_by_text("at least one query")
        status.wait_for(timeout=30_000)
        assert status.is_visible() and tab.get_by_test_id("toast-body").count() == 0

        plot = shots.show_similarity(tab)  # the page still works
        assert plot.locator(".heatmap-label").count() == 3 * 7
        assert tab.locator("#sim-status").inner_text().strip() == ""  # the next run clears the message
    finally:
        tab.close()


def own_copies(tmp_path: Path, names: dict[str, str]) -> list[str]:
    """The visitor's own files: sample photos copied under names of their own (``new: sample``)."""
    paths = []
    for new, sample in names.items():
        target = tmp_path / new
        target.write_bytes((ASSETS / "images" / sample).read_bytes())
        paths.append(str(target))
    return paths


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] < page.viewport_size["height"] and box["y"] + box["height"] > 0


def test_a_bad_file_in_an_upload_is_left_out_by_name_and_the_rest_added(browser, live_app: LiveApp, tmp_path) -> None:
    """Through the browser's own upload: a good image and a text file named .jpg together; the good
    one is added, the bad one named and left out, the gallery kept, the upload box emptied, and the
    next upload works."""
    broken = tmp_path / "holiday.jpg"
    broken.write_text("<html>not an image</html>")
    good, later = own_copies(tmp_path, {"my_cat.jpg": "img_3.jpg", "my_street.jpg": "img_5.jpg"})
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.select_tab(tab, "🔎 Gallery search")
        tab.get_by_text("The gallery — add your own images, videos and texts").click()
        upload = tab.locator("#gallery-upload input[type=file]")
        upload.set_input_files([good, str(broken)])
        info = tab.locator("#gallery-info")
        info.get_by_text("Left out 1").wait_for(timeout=60_000)
        assert "holiday.jpg is not a readable image" in info.inner_text()
        assert "Added 1: my_cat.jpg" in info.inner_text() and "25 items" in info.inner_text()
        assert tab.locator("#gallery-view img").count() == 25  # nothing blanked
        wait_files(tab, "#gallery-upload", 0)  # the box is emptied
        assert tab.get_by_test_id("toast-body").count() == 0
        shots.screenshot(tab, SHOTS / "upload-error.png", full_page=False)
        upload.set_input_files([later])  # the next upload is not held up by the bad file
        info.get_by_text("Added 1: my_street.jpg").wait_for(timeout=60_000)
        assert "26 items" in info.inner_text() and "Left out" not in info.inner_text()
    finally:
        tab.close()


def test_rerank_ranks_the_visitors_own_images_twice_and_keeps_a_result_on_an_error(
        browser, live_app: LiveApp, tmp_path) -> None:
    """Three of the visitor's own photos, no text documents: all three ranked, again on a second
    press; a refused run shows its message by the button, the last ranking kept, the log one line."""
    paths = own_copies(tmp_path, {"beach_day.jpg": "img_8.jpg", "my_kitchen.jpg": "img_1.jpg",
                                  "bikes.jpg": "img_5.jpg"})
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.select_tab(tab, "⚖️ Reranker")
        tab.locator("#rerank-query textarea").fill("A dog on a beach.")
        tab.locator("#rerank-files input[type=file]").set_input_files(paths)
        wait_files(tab, "#rerank-files", 3)
        for _ in range(2):
            tab.locator("#rerank-button").click()
            tab.locator("#rerank-plot .trace.bars .point").first.wait_for(timeout=120_000)
            shots.wait_idle(tab, "#rerank-plot")
            assert tab.locator("#rerank-plot .trace.bars .point").count() == 3
            table = tab.locator("#rerank-table").inner_text()
            assert all(name in table for name in ("beach_day.jpg", "my_kitchen.jpg", "bikes.jpg")), table
            assert tab.locator("#rerank-status").inner_text().strip() == ""
            tab.wait_for_timeout(800)  # the smooth scroll
            assert in_view(tab, "#rerank-plot")  # scrolled to the result
        lines_before = len(live_app.log_tail(10**6).splitlines())
        tab.locator("#rerank-query textarea").fill("")
        tab.locator("#rerank-button").click()
        status = tab.locator("#rerank-status")
        status.get_by_text("type a query").wait_for(timeout=60_000)
        assert tab.get_by_test_id("toast-body").count() == 0  # by the button, not in a corner
        assert tab.locator("#rerank-plot .trace.bars .point").count() == 3  # the last good result stays
        new_log = live_app.log_tail(10**6).splitlines()[lines_before:]
        assert "Traceback" not in "\n".join(new_log) and any("type a query" in line for line in new_log)
        shots.screenshot(tab, SHOTS / "error.png", full_page=False)
    finally:
        tab.close()


def test_similarity_of_the_visitors_own_images_scrolls_to_the_heatmap(browser, live_app: LiveApp, tmp_path) -> None:
    paths = own_copies(tmp_path, {"one.jpg": "img_1.jpg", "two.jpg": "img_3.jpg"})
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        tab.locator("#sim-queries textarea").fill("a kitchen\na cat")
        tab.locator("#sim-doc-files input[type=file]").set_input_files(paths)
        wait_files(tab, "#sim-doc-files", 2)
        tab.locator("#sim-button").click()
        tab.locator("#sim-plot .heatmap-label").first.wait_for(timeout=120_000)
        assert tab.locator("#sim-plot .heatmap-label").count() == 2 * 2
        tab.wait_for_timeout(800)  # the smooth scroll
        assert in_view(tab, "#sim-plot")
    finally:
        tab.close()


def test_a_long_video_of_the_visitors_is_sampled_down_not_refused(browser, live_app: LiveApp, tmp_path) -> None:
    """A 2-minute 640x480 clip (64 frames at the defaults: more tokens than the model takes) with two
    photos: all three scored, the cost line says the clip was sampled down."""
    from test_video_fit import write_clip

    clip = write_clip(tmp_path / "my_holiday.mp4", 120)
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        tab.locator("#sim-queries textarea").fill("a day at the beach")
        files = [str(clip), *own_copies(tmp_path, {"a.jpg": "img_1.jpg", "b.jpg": "img_3.jpg"})]
        tab.locator("#sim-doc-files input[type=file]").set_input_files(files)
        wait_files(tab, "#sim-doc-files", 3)
        tab.locator("#sim-button").click()
        tab.locator("#sim-plot .heatmap-label").first.wait_for(timeout=180_000)
        assert tab.locator("#sim-plot .heatmap-label").count() == 3
        cost = tab.locator("#sim-cost").inner_text()
        assert "my_holiday.mp4 sampled down to 48 frames" in cost, cost
        assert tab.locator("#sim-status").inner_text().strip() == ""
    finally:
        tab.close()


def test_on_a_phone_the_columns_stack_and_nothing_scrolls_sideways(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser, shots.PHONE)
    try:
        shots.open_app(tab, live_app.url)
        for name in ("🔥 Similarity", "🔎 Gallery search", "⚖️ Reranker", "🔬 Inside the embeddings", "ℹ️ About"):
            shots.select_tab(tab, name)
            tab.wait_for_timeout(300)
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= shots.PHONE["width"], (name, width)
        plot = shots.show_similarity(tab)  # an example on the phone: the heatmap below the inputs
        queries = tab.locator("#sim-queries").bounding_box()
        documents = tab.locator("#sim-doc-files").bounding_box()
        assert documents["y"] > queries["y"] + queries["height"] - 1  # stacked, not side by side
        assert plot.locator(".heatmap-label").count() == 3 * 7
        assert tab.evaluate("document.documentElement.scrollWidth") <= shots.PHONE["width"]
    finally:
        tab.close()


# What sticks out of a phone's screen: the page's own sideways scroll, anything visible past the
# screen's edge that is not inside a box scrolling sideways within the screen, and plot text
# (axis labels, bar names and values) cut off by its plot's edge.
OFF_SCREEN = """() => {
  const width = window.innerWidth, out = [];
  const describe = (e, r) => `${e.tagName}#${e.id}.${String(e.className.baseVal ?? e.className).slice(0, 30)} ` +
    `[${Math.round(r.left)}, ${Math.round(r.right)}] ${(e.textContent || '').trim().slice(0, 40)}`;
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || (r.left >= -1 && r.right <= width + 1)) continue;
    if (!e.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (e.closest('.visually-hidden, #js-plotly-tester')) continue;  // Gradio's tab measuring; plotly's
    let box = e.parentElement, scrolls = false;
    for (; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') {
        const b = box.getBoundingClientRect();
        scrolls = b.left >= -1 && b.right <= width + 1;
        break;
      }
    }
    if (!scrolls) out.push(describe(e, r));
  }
  for (const svg of document.querySelectorAll('.js-plotly-plot .main-svg')) {
    if (!svg.checkVisibility()) continue;
    const b = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (r.width && text.textContent.trim() && (r.left < b.left - 1 || r.right > b.right + 1))
        out.push('cut off by its plot: ' + describe(text, r));
    }
  }
  return {scroll_width: document.scrollingElement.scrollWidth, width, out: out.slice(0, 10)};
}"""


def off_screen(tab) -> dict:
    return tab.evaluate(OFF_SCREEN)


def test_on_a_phone_no_result_scrolls_the_page_sideways_or_is_cut_off(browser, live_app: LiveApp) -> None:
    """Each tab's result at 390x844: tables scroll inside their own box, plot labels stay inside
    their plot (the reranker's bar names too), table words stay whole, the page never scrolls sideways."""
    tab = shots.new_page(browser, shots.PHONE)
    try:
        shots.open_app(tab, live_app.url)
        for step in (shots.show_similarity, shots.show_search, shots.show_rerank, shots.show_instruction_ab,
                     shots.show_map, shots.show_evaluate, shots.show_about):
            step(tab)
            tab.wait_for_timeout(300)
            found = off_screen(tab)
            assert found["scroll_width"] <= found["width"] == shots.PHONE["width"], (step.__name__, found)
            assert found["out"] == [], (step.__name__, found["out"])
            if step is shots.show_search:
                cell = tab.locator("#search-table td").nth(1)
                style = cell.evaluate("c => [getComputedStyle(c).wordBreak, getComputedStyle(c).overflowWrap]")
                assert style == ["normal", "normal"]  # words whole; the box scrolls instead
            if step is shots.show_rerank:
                names = tab.locator("#rerank-plot .annotation-text").all_text_contents()
                assert len(names) == 5 and names[0].startswith("1. ")  # each bar named, inside the plot
        shots.select_tab(tab, "⏱️ Moments")
        tab.wait_for_timeout(300)
        assert off_screen(tab)["out"] == []
    finally:
        tab.close()


# Every visible upload box whose "Drop File Here - or - Click to Upload" is cut by the box's edge
# or hidden under the box's label: (box id, the text's [top, bottom], the box's [label bottom, bottom]).
CLIPPED_UPLOAD_TEXT = """() => {
  const out = [];
  for (const text of document.querySelectorAll('[data-testid=upload-text]')) {
    if (!text.checkVisibility()) continue;
    const button = text.closest('button'), block = button.parentElement;
    const label = block.querySelector('[data-testid=block-label]');
    const words = [...text.childNodes].find(n => n.nodeType === 3 && n.textContent.includes('Drop'));
    const range = document.createRange();
    range.setStartBefore(words);
    range.setEndAfter(text.lastChild);
    const r = range.getBoundingClientRect(), b = button.getBoundingClientRect();
    const under = label ? label.getBoundingClientRect().bottom : b.top;
    if (r.top < under - 1 || r.bottom > b.bottom + 1)
      out.push([block.id, Math.round(r.top), Math.round(r.bottom), Math.round(under), Math.round(b.bottom)]);
  }
  return out;
}"""
UPLOAD_VIEWS = (("🔥 Similarity",), ("🔎 Gallery search",), ("⚖️ Reranker",), ("⏱️ Moments",),
                ("🔬 Inside the embeddings", "📏 Sizes & quantization"),
                ("🔬 Inside the embeddings", "🔀 Instruction A/B"),
                ("🔬 Inside the embeddings", "🎞️ Video inspector"), ("📊 Evaluate",))


@pytest.mark.parametrize("viewport", [shots.VIEWPORT, shots.PHONE], ids=["1280", "390"])
def test_every_upload_box_shows_its_whole_click_to_upload(browser, live_app: LiveApp, viewport) -> None:
    """Each empty upload box of every tab (the gallery's and the PDF's inside their sections too)
    shows "Drop File Here - or - Click to Upload" whole, below its label, at 1280x800 and 390x844."""
    tab = shots.new_page(browser, viewport)
    try:
        shots.open_app(tab, live_app.url)
        seen, clipped = set(), []
        for view in UPLOAD_VIEWS:
            for name in view:
                shots.select_tab(tab, name)
            if view == ("🔎 Gallery search",):
                tab.get_by_text("The gallery — add your own images, videos and texts").click()
                tab.get_by_text("Pages of one PDF — rank the pages").click()
            tab.wait_for_timeout(400)
            clipped += tab.evaluate(CLIPPED_UPLOAD_TEXT)
            seen |= set(tab.locator("[data-testid=upload-text]").evaluate_all(
                "ts => ts.filter(t => t.checkVisibility()).map(t => t.closest('button').parentElement.id)"))
        assert clipped == []
        assert {"rerank-query-file", "ab-file", "storage-file", "moments-query-image", "pdf-file",
                "gallery-upload", "eval-file", "inspector-file"} <= seen, seen
    finally:
        tab.close()


# The Evaluate tab's result as laid out: the plots' boxes, metric cells and headers whose text is
# cut (ellipsis) or wraps onto a second line, and whether the upload box's label is cut.
EVALUATE_FIT = """() => {
  const box = s => document.querySelector(s).getBoundingClientRect();
  const lines = e => { const range = document.createRange(); range.selectNodeContents(e);
    return new Set([...range.getClientRects()].filter(r => r.width > 1).map(r => Math.round(r.top))).size; };
  const past = e => e.getBoundingClientRect().right > e.closest('th, .body-cell').getBoundingClientRect().right + 1;
  const cut = e => e.scrollWidth > e.clientWidth + 1 || lines(e) > 1 || past(e);
  // each cell's own text span (the cell also holds Gradio's empty spacer nodes and sort button)
  const cells = [...document.querySelectorAll(
    '#eval-metrics thead th span.header, #eval-metrics .body-cell span.text')];
  const label = document.querySelector('#eval-file [data-testid=block-label]');
  return {sizes: box('#eval-sizes'), depths: box('#eval-depths'),
          cut_cells: cells.filter(cut).map(c => c.innerText.trim()).slice(0, 5), cells: cells.length,
          label_cut: label.scrollWidth > label.clientWidth + 1 ||
                     label.getBoundingClientRect().right > box('#eval-file button[aria-label=Clear]').left};
}"""


def test_evaluate_on_a_phone_stacks_its_plots_and_keeps_numbers_whole(browser, live_app: LiveApp) -> None:
    """Evaluate's example at 390x844: the two metric plots one above the other, every number and
    header of the metrics table whole on one line (the table scrolls in its own box, not the page),
    the upload box's label whole beside its clear button; at 1280x800 the plots side by side."""
    tab = shots.new_page(browser, shots.PHONE)
    try:
        shots.open_app(tab, live_app.url)
        shots.show_evaluate(tab)
        tab.wait_for_timeout(400)
        fit = tab.evaluate(EVALUATE_FIT)
        assert fit["cells"] > 6 and fit["cut_cells"] == [] and not fit["label_cut"], fit
        assert fit["depths"]["y"] >= fit["sizes"]["y"] + fit["sizes"]["height"] - 1, fit  # stacked
        assert off_screen(tab)["out"] == []  # the wide table scrolls inside its box
        shots.screenshot(tab, SHOTS / "evaluate-390.png", full_page=False,
                         element=tab.locator("#eval-metrics"))
        tab.set_viewport_size(shots.VIEWPORT)
        tab.wait_for_timeout(600)
        fit = tab.evaluate(EVALUATE_FIT)
        assert abs(fit["depths"]["y"] - fit["sizes"]["y"]) < 2 and fit["depths"]["x"] > fit["sizes"]["x"], fit
        assert fit["cut_cells"] == [] and not fit["label_cut"], fit
    finally:
        tab.close()


def test_the_size_sliders_start_at_the_models_size(live_app: LiveApp) -> None:
    """The page as first sent (before any status refresh) already has the embedder's size, so a
    search typed while the models load asks for a size the model has."""
    import json
    import urllib.request

    with urllib.request.urlopen(live_app.url.rstrip("/") + "/config", timeout=30) as response:
        page = json.load(response)
    sliders = [c["props"] for c in page["components"] if c.get("type") == "slider"
               and "Embedding size" in str(c["props"].get("label"))]
    assert len(sliders) >= 3  # Similarity, Gallery search, Export
    assert all(s["maximum"] == 64 and s["value"] == 64 for s in sliders), sliders


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


def test_the_map_labels_its_query_stars_and_says_how_many_query_lines_it_shows(page) -> None:
    shots.select_tab(page, "🔬 Inside the embeddings")
    shots.select_tab(page, "🗺️ Map")
    lines = [f"query line number {n}" for n in range(1, config.MAX_QUERIES + 3)]
    page.get_by_label("Queries to place on the map — one per line (optional)").fill("\n".join(lines))
    page.get_by_role("button", name="Draw the map").click()
    note = page.locator("#map-note")
    note.get_by_text("query lines are shown").wait_for(timeout=shots.TIMEOUT_MS)
    shots.wait_idle(page, "#map-plot")
    assert f"{config.MAX_QUERIES} of your {len(lines)} query lines are shown" in note.inner_text()
    labels = page.locator("#map-plot .scatterlayer .textpoint").all_text_contents()
    assert sorted(labels) == sorted(lines[: config.MAX_QUERIES])  # each star named
    frames = page.locator("#map-plot .shapelayer path").count()
    assert frames == page.locator("#map-plot .layer-above image").count() >= 12  # every thumbnail framed
