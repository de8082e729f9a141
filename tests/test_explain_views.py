"""Where it matches in the tabs, without a browser: a page of one PDF picked by its number (or its
card) and scored as its card shows it, the map's score equal to the page search's; a clicked score
of the heatmap gives its pair; the scores to click are coloured as the heatmap colours them."""

from __future__ import annotations

import gradio as gr
import numpy as np
import pandas as pd
import pytest
from conftest import ASSETS

from qwen3vl_demo.core.errors import InputError
from qwen3vl_demo.core.pdf import page_label, page_number
from qwen3vl_demo.ui import plots
from qwen3vl_demo.ui.paths import generated_dir
from qwen3vl_demo.ui.tabs import explain_view, pdf_search

FIGURES = str(ASSETS / "pdf" / "figures.pdf")
QUERY = "A bar chart comparing the accuracy of several models."


def test_a_page_is_picked_by_its_number_and_scored_by_the_model_its_card_shows() -> None:
    reranked = pdf_search.page_pick(QUERY, FIGURES, pdf_search.PAGE_INSTRUCTION, 3, True, None, 2)
    assert reranked.model == "reranker" and reranked.option is None and reranked.query_instruction is None
    assert reranked.document.title == "figures.pdf · p.2" and reranked.query.text == QUERY
    by_similarity = pdf_search.page_pick(QUERY, FIGURES, pdf_search.PAGE_INSTRUCTION, 3, False, None, 5)
    assert by_similarity.model == "embedding" and by_similarity.query_instruction == pdf_search.PAGE_INSTRUCTION
    assert by_similarity.document.title == "figures.pdf · p.5"
    example = pdf_search.page_example()
    assert example.document.title == f"figures.pdf · p.{pdf_search.EXAMPLE_PAGE}" and example.model == "embedding"


def test_a_bad_page_or_file_gets_a_message_naming_it() -> None:
    with pytest.raises(InputError, match=r"page # must be between 1 and 5, got 6"):
        pdf_search.page_pick(QUERY, FIGURES, "", 3, False, None, 6)
    uploads = generated_dir()  # a folder the app takes files from, as it takes the visitor's uploads
    notes = uploads / "notes.txt"
    notes.write_text("not a PDF")
    with pytest.raises(InputError, match=r"give one PDF file \(notes.txt\)"):
        pdf_search.page_pick(QUERY, str(notes), "", 3, False, None, 1)
    broken = uploads / "scan.pdf"
    broken.write_bytes(b"this is not a PDF " * 64)
    with pytest.raises(InputError, match=r"scan\.pdf is not a readable PDF"):
        pdf_search.page_pick(QUERY, str(broken), "", 3, False, None, 1)
    with pytest.raises(InputError, match="type a query"):
        pdf_search.page_pick("", FIGURES, "", 3, False, None, 1)


def test_a_page_card_gives_its_page_number() -> None:
    assert page_number(page_label("my · report.pdf", 12)) == 12
    assert page_number("photo.jpg") is None and page_number("") is None
    result = {"results": [{"label": "report.pdf · p.3"}, {"label": "report.pdf · p.1"}, {"label": "a.jpg"}]}
    assert pdf_search.shown_page(result, 0) == 3 and pdf_search.shown_page(result, 1) == 1
    for index in (2, 3, -1, None):  # no page there: the number is left as it is
        assert isinstance(pdf_search.shown_page(result, index), type(gr.skip()))
    assert isinstance(pdf_search.shown_page(None, 0), type(gr.skip()))


def test_a_clicked_score_gives_its_query_and_document_numbers() -> None:
    assert explain_view.cell_numbers(gr.SelectData(None, {"index": [1, 2], "value": 0.3})) == (2, 2)
    query, document = explain_view.cell_numbers(gr.SelectData(None, {"index": [0, 0], "value": "Q1 · a dog"}))
    assert query == 1 and isinstance(document, type(gr.skip()))  # a query's label: that query, the same document


def test_the_scores_to_click_are_coloured_as_the_heatmap_colours_them() -> None:
    table = {"headers": ["query", "D1 · beach.jpg", "D2 · a city street"],
             "data": [["Q1 · a dog on a beach with a ball", 0.61, 0.12], ["Q2 · a red bicycle", 0.2, 0.33]]}
    for given in (table, pd.DataFrame(table["data"], columns=table["headers"])):  # as built, as Gradio gives it
        styled = explain_view.coloured_scores(given)
        assert list(styled.data.columns) == ["", "D1", "D2"]
        assert styled.data.iloc[0, 0].startswith("Q1 · a dog") and len(styled.data.iloc[0, 0]) <= 15
        html = styled.to_html()
        assert "background-color: rgb(37, 125, 152)" in html and "background-color: rgb(176, 242, 188)" in html
    assert explain_view.coloured_scores({"headers": ["query"], "data": []}) is None
    assert isinstance(explain_view.shown_scores({"headers": ["query"], "data": []}), type(gr.skip()))  # kept as is
    assert explain_view.shown_scores(table)["visible"] is True  # hidden until the first scores
    colours = plots.cell_colours(np.array([[0.61, 0.12], [0.2, 0.33]]))
    assert colours[0][0] == ("rgb(37, 125, 152)", "#ffffff") and colours[0][1] == ("rgb(176, 242, 188)", "#1e293b")
    assert plots.cell_colours(np.full((1, 2), 0.5))[0][0] == plots.cell_colours(np.array([[0.0, 0.5, 1.0]]))[0][1]


def test_a_pages_map_scores_what_the_page_search_shows(embedder_path, reranker_path, tmp_path) -> None:
    from qwen3vl_demo.service.engine import Engine

    engine = Engine(embedder_path, reranker_path, device="cpu", samples=[], disk_cache=str(tmp_path / "disk"))
    pages = pdf_search.pages_of(FIGURES)
    found = engine.search(explain_view.make_item(QUERY), pages, pdf_search.PAGE_INSTRUCTION, len(pages))
    shown = {hit.item.title: hit.score for hit in found.hits}
    pick = pdf_search.page_pick(QUERY, FIGURES, pdf_search.PAGE_INSTRUCTION, 3, False, None, 2)
    page_map, _ = engine.explain(pick.query, pick.document, pick.model, "gradient", pick.option,
                                 pick.query_instruction, pick.document_instruction)
    assert page_map.score == pytest.approx(shown["figures.pdf · p.2"], abs=1e-5)
    assert page_map.grid.shape == (28, 63) and page_map.model == "embedding"  # the page's own token grid
