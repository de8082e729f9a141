"""PDFs (and later several files as one document) through the running app: the API and a real
browser upload. Runs against the session's live app on the tiny fixtures (conftest ``live_app``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ASSETS, SHOTS, LiveApp, shots
from gradio_client import handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from qwen3vl_demo.ui.tabs.pdf_search import PDF_EXAMPLES

FIGURES = ASSETS / "pdf" / "figures.pdf"
PAGES = [f"figures.pdf · p.{n}" for n in range(1, 6)]


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
        shots.show_pdf_search(tab)  # the section opened, its example run
        captions = tab.locator("#pdf-results .caption-label").all_text_contents()
        assert len(captions) == 3 and all(" · figures.pdf · p." in c for c in captions), captions
        tab.locator("#pdf-search").scroll_into_view_if_needed()
        shots.screenshot(tab, SHOTS / "pdf-search.png", full_page=False)
    finally:
        tab.close()


# --- several files as one document ---------------------------------------------------------------------
PHOTOS = [str(ASSETS / "images" / f"img_{n}.jpg") for n in (6, 7, 9)]


def test_a_group_is_one_official_input_with_a_list_of_images() -> None:
    from qwen3vl_demo.core.items import Item, group_item, items_from_files

    group = group_item(items_from_files(PHOTOS))
    assert group.kind == "group" and group.label == "3 images: img_6.jpg …"
    assert group.to_input("Find it.") == {"image": PHOTOS, "instruction": "Find it."}
    assert Item.from_dict(group.to_dict()) == group  # survives the session's state
    video = str(ASSETS / "videos" / "cycling.mp4")
    mixed = group_item(items_from_files([PHOTOS[0], video]))
    assert mixed.label == "1 image + 1 video: img_6.jpg …"
    assert mixed.to_input(fps=1.0, max_frames=None) == {"image": [PHOTOS[0]], "video": [video], "fps": 1.0}


def test_a_group_refuses_text_and_too_many_files() -> None:
    from qwen3vl_demo.core.errors import InputError
    from qwen3vl_demo.core.items import MAX_PARTS, group_item, items_from_files, make_item

    with pytest.raises(InputError, match="images and videos only"):
        group_item([make_item("a caption"), *items_from_files(PHOTOS)])
    with pytest.raises(InputError, match=f"at most {MAX_PARTS} files; 9 were given"):
        group_item(items_from_files(PHOTOS * 3))


def test_a_pdf_as_one_document_keeps_its_first_pages_with_a_note() -> None:
    from qwen3vl_demo.core.items import MAX_PARTS
    from qwen3vl_demo.ui import forms

    notes: list[str] = []
    [group] = forms.file_items([str(FIGURES), *PHOTOS], 32, notes, as_one=True)
    assert group.label == "8 images: figures.pdf · p.1 …" and len(group.parts) == MAX_PARTS
    assert notes == ["figures.pdf has 5 pages; the first 5 were taken (limit 32 pages per PDF and the request's "
                     "item limit)"] or notes == []


def test_one_document_scores_as_the_official_list_of_images(api, embedder) -> None:
    """The app's 'one document made of these files' is exactly load_embedder(...).embed([{"image": [...]}])."""
    import numpy as np

    query = "A bathroom with a shower."
    *_, result = api.predict(query, [], "", "", [handle_file(p) for p in PHOTOS], "", None, "", 64, None, None, True,
                             api_name="/similarity")
    assert result["documents"] == ["3 images: img_6.jpg …"]
    vectors = embedder.embed([{"text": query}, {"image": PHOTOS}], dim=64)
    assert result["scores"][0][0] == pytest.approx(float(np.dot(vectors[0], vectors[1])), abs=1e-4)


def test_reranker_and_gallery_take_one_document_of_several_files(live_app: LiveApp) -> None:
    session = live_app.client()
    try:
        *_, ranked = session.predict("A bathroom.", None, "", "A kitchen.", [handle_file(p) for p in PHOTOS], True,
                                     api_name="/rerank")
        assert sorted(r["label"] for r in ranked["results"]) == ["3 images: img_6.jpg …", "A kitchen."]
        view, info, _ = session.predict(files=[handle_file(p) for p in PHOTOS], one_document=True,
                                        api_name="/gallery_add")
        assert "1 of yours" in info and view[-1]["caption"] == "⭐ 3 images: img_6.jpg …"
        with Image.open(view[-1]["image"]["path"]) as strip:  # a strip of three thumbnails
            assert strip.width > 2.5 * strip.height
        assert session.predict(api_name="/gallery_list")[-1] == {"label": "3 images: img_6.jpg …",
                                                                 "kind": "group", "origin": "user"}
    finally:
        session.close()


@pytest.mark.browser
def test_several_files_uploaded_as_one_document_in_the_browser(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        tab.get_by_label("Text queries — one per line").fill("A bathroom with a shower.")
        tab.locator("#sim-doc-files input[type=file]").set_input_files(PHOTOS)
        tab.wait_for_function("() => ['img_6', 'img_7', 'img_9'].every(n => "
                              "document.querySelector('#sim-doc-files').textContent.includes(n))", timeout=60_000)
        tab.locator("#sim-one-document input").check()
        tab.locator("#sim-button").click()
        tab.locator("#sim-plot .heatmap-label").first.wait_for(timeout=120_000)
        shots.wait_idle(tab, "#sim-plot")
        ticks = tab.locator("#sim-plot .xtick text").all_text_contents()
        assert ticks == ["D1 · 3 images: img_6.jpg …"], ticks
        shots.screenshot(tab, SHOTS / "similarity-group.png")
    finally:
        tab.close()
