"""PDFs (and later several files as one document) through the running app: the API and a real
browser upload. Runs against the session's live app on the tiny fixtures (conftest ``live_app``)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from conftest import ASSETS, ROOT, LiveApp
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from qwen3vl_demo.ui.tabs.pdf_search import PDF_EXAMPLES

FIGURES = ASSETS / "pdf" / "figures.pdf"
PAGES = [f"figures.pdf · p.{n}" for n in range(1, 6)]
SHOTS = ROOT / "artifacts" / "screenshots"
_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
shots = sys.modules.setdefault("screenshots", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(shots)


@pytest.fixture(scope="module")
def api(live_app: LiveApp):
    session = live_app.client()
    yield session
    session.close()


def similarity(api, document_files: list, query: str = "A bar chart.") -> dict:
    *_, result = api.predict(query, [], "", "", document_files, "", None, "", 64, api_name="/similarity")
    return result


def test_a_pdf_document_is_one_document_per_page(api) -> None:
    result = similarity(api, [handle_file(str(FIGURES)), handle_file(str(ASSETS / "images" / "img_8.jpg"))])
    assert result["documents"] == [*PAGES, "img_8.jpg"]
    assert len(result["scores"][0]) == 6


def test_a_pdf_page_scores_as_its_rendered_image(api, tmp_path: Path) -> None:
    """A page is embedded as the PNG it was rendered to: the same picture uploaded as an image
    scores the same (what the model sees is the page image, nothing else)."""
    from qwen3vl_demo.core.pdf import pdf_pages

    page = pdf_pages(str(FIGURES), tmp_path).items[1]
    pdf_row = similarity(api, [handle_file(str(FIGURES))])["scores"][0]
    image_row = similarity(api, [handle_file(page.path)])["scores"][0]
    assert image_row[0] == pytest.approx(pdf_row[1], abs=1e-5)


def test_reranker_takes_pdf_pages(api) -> None:
    *_, result = api.predict("A bar chart.", None, "", "", [handle_file(str(FIGURES))], api_name="/rerank")
    assert sorted(r["label"] for r in result["results"]) == sorted(PAGES)


def test_pages_of_one_pdf_are_ranked_and_reranked(api) -> None:
    query, _, instruction, k, rerank = PDF_EXAMPLES[0]
    cards, _, table, _, result = api.predict(query, handle_file(str(FIGURES)), instruction, k, rerank,
                                             api_name="/search_pdf")
    assert result["reranked"] is True and result["gallery_size"] == 5
    assert len(result["results"]) == 3 and {r["label"] for r in result["results"]} <= set(PAGES)
    assert all(card["caption"].endswith(tuple(PAGES)) for card in cards)  # each card says its page
    assert [row[1].split(" ", 1)[1] for row in table["data"]] == [r["label"] for r in result["results"]]


def test_pages_search_refuses_a_file_that_is_not_a_pdf_or_none(api) -> None:
    with pytest.raises(AppError, match=r"\.pdf"):  # Gradio checks the widget's file type first
        api.predict("a chart", handle_file(str(ASSETS / "images" / "img_8.jpg")), "", 3, False,
                    api_name="/search_pdf")
    with pytest.raises(AppError, match=r"give one PDF file \(none given\)"):
        api.predict("a chart", None, "", 3, False, api_name="/search_pdf")


def test_gallery_takes_a_pdf_as_its_pages(live_app: LiveApp) -> None:
    session = live_app.client()
    try:
        view, info, _ = session.predict(files=[handle_file(str(FIGURES))], api_name="/gallery_add")
        assert "5 of yours" in info
        assert [c["caption"] for c in view[-5:]] == [f"⭐ {p}" for p in PAGES]
        listed = session.predict(api_name="/gallery_list")
        assert [i["label"] for i in listed[-5:]] == PAGES
    finally:
        session.close()


@pytest.mark.parametrize("content, message", [
    (b"%PDF-1.7\nnot really", r"bad\.pdf is not a readable PDF"),
    (b"", r"empty"),
])
def test_a_bad_pdf_gets_a_message_and_the_app_keeps_serving(api, tmp_path: Path, content: bytes,
                                                             message: str) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    with pytest.raises(AppError, match=message):
        similarity(api, [handle_file(str(bad))])
    assert similarity(api, [handle_file(str(FIGURES))])["documents"] == PAGES


# --- in the browser --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not Path(shots.CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {shots.CHROMIUM}")
        pytest.skip(f"Chromium not found at {shots.CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = shots.launch(playwright, shots.CHROMIUM)
        yield instance
        instance.close()


@pytest.mark.browser
def test_a_pdf_uploaded_through_the_page_becomes_heatmap_columns(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        tab.get_by_label("Text queries — one per line").fill("A bar chart comparing models.")
        tab.locator("#sim-doc-files input[type=file]").set_input_files(str(FIGURES))
        tab.locator("#sim-doc-files").get_by_text("figures.pdf").wait_for(timeout=60_000)
        tab.locator("#sim-button").click()
        tab.locator("#sim-plot .heatmap-label").first.wait_for(timeout=120_000)
        shots.wait_idle(tab, "#sim-plot")
        ticks = tab.locator("#sim-plot .xtick text").all_text_contents()
        assert [t.split(" · ", 1)[1] for t in ticks] == PAGES, ticks
        shots.screenshot(tab, SHOTS / "similarity-pdf.png")
    finally:
        tab.close()


@pytest.mark.browser
def test_pages_of_one_pdf_example_in_the_browser(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.select_tab(tab, "🔎 Gallery search")
        tab.get_by_text("Pages of one PDF — rank the pages").click()
        shots.run_example(tab, "Bar chart in figures.pdf")
        tab.locator("#pdf-results .caption-label").first.wait_for(timeout=120_000)
        shots.wait_idle(tab, "#pdf-results")
        shots.wait_images(tab, "#pdf-results")
        captions = tab.locator("#pdf-results .caption-label").all_text_contents()
        assert len(captions) == 3 and all(" · figures.pdf · p." in c for c in captions), captions
        tab.locator("#pdf-search").scroll_into_view_if_needed()
        shots.screenshot(tab, SHOTS / "pdf-search.png", full_page=False)
    finally:
        tab.close()
