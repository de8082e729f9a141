"""Pages of one PDF: rank the pages of a single uploaded document for a text query (the
ColPali-demo use), optionally reranked. A section of the Gallery search tab."""

from __future__ import annotations

import os
from typing import Any

import gradio as gr

from ...core import config
from ...core.errors import InputError
from ...core.items import Item, make_item
from ...core.pdf import MAX_PAGES_PER_FILE, is_pdf, page_number
from .. import forms
from ..common import (
    UPLOAD_HEIGHT,
    AppContext,
    as_example,
    connect,
    example_run,
    reporter,
    show_notes,
    status_line,
    user_errors,
)
from ..l10n import t
from ..outputs import SEARCH_COLUMN_WIDTHS, SEARCH_HEADERS, search_outputs
from ..previews import upload_strip
from . import explain_view
from .explain_view import Pick, chosen

PAGE_INSTRUCTION = "Find a document image that matches the given query."
FIGURES = str(config.ASSETS_DIR / "pdf" / "figures.pdf")
PDF_EXAMPLES = [["A bar chart comparing the accuracy of several models.", FIGURES, PAGE_INSTRUCTION, 3, True]]
EXAMPLE_PAGE = 2  # the page of figures.pdf with the bar charts


def pages_of(pdf: Any, notes: list[str] | None = None) -> list[Item]:
    """The pages of the one PDF given (its first pages, said in ``notes``), one image item each;
    InputError naming what was given instead."""
    path = forms.one_file(pdf)
    if not path or not is_pdf(path):
        raise InputError(f"give one PDF file ({os.path.basename(path) or 'none given'})")
    return forms.file_items([path], MAX_PAGES_PER_FILE, notes)


def page_pick(query_text: str, pdf: Any, instruction: str, k: Any, rerank: bool, query_no: Any,
              page_no: Any) -> Pick:
    """Page # of the PDF for the query, scored as its card shows it: by the reranker when the pages
    are reranked, else by the embedder (full size, the query's instruction)."""
    del k, query_no  # one query; any page, in the results or not
    query = forms.query_item(query_text, None)
    page = chosen(pages_of(pdf), page_no, "page")
    if rerank:
        return Pick(query, page, model="reranker")
    return Pick(query, page, None, forms.instruction(instruction, "query"), model="embedding")


def page_example() -> Pick:
    """The example's query and the bar-chart page of the bundled PDF, by the embedder."""
    page = pages_of(FIGURES)[EXAMPLE_PAGE - 1]
    return Pick(make_item(PDF_EXAMPLES[0][0]), page, None, PAGE_INSTRUCTION, model="embedding")


def shown_page(result: dict | None, index: Any) -> Any:
    """The page number of the ``index``-th card of a search's JSON result; skip if there is none."""
    hits = (result or {}).get("results") or []
    if not isinstance(index, int) or not 0 <= index < len(hits):
        return gr.skip()
    number = page_number(str(hits[index].get("label", "")))
    return gr.skip() if number is None else number


def best_page(result: dict | None) -> Any:
    """After a search, the best page is the one the map is for."""
    return shown_page(result, 0)


def clicked_page(result: dict | None, event: gr.SelectData) -> Any:
    """A click on a page card picks that page for the map."""
    return shown_page(result, event.index)


def handlers(ctx: AppContext):
    """The section's one handler, ``search_pdf``."""

    @user_errors
    def search_pdf(query_text: str, pdf: Any, instruction: str, k: float, rerank: bool,
                   progress: gr.Progress = gr.Progress()) -> tuple:
        """Rank the pages of one PDF for a text query (each page embedded as an image), optionally reranked.

        Args:
            query_text: what to find
            pdf: the PDF (its first 32 pages are used)
            instruction: instruction for the query (empty: the default)
            k: how many pages, 1 to 20
            rerank: rerank the top-k pages with Qwen3-VL-Reranker
        """
        query = forms.query_item(query_text, None)
        notes: list[str] = []
        pages = pages_of(pdf, notes)
        show_notes(notes)
        result = ctx.engine.search(query, pages, forms.instruction(instruction, "query"),
                                   min(forms.dim_value(k) or config.DEFAULT_TOP_K, len(pages)), None,
                                   bool(rerank), None, reporter(progress))
        return search_outputs(result)

    return search_pdf


def create_section(ctx: AppContext) -> None:
    """The accordion's widgets, example and event (inside the Gallery search tab)."""
    search_pdf = handlers(ctx)
    with gr.Accordion(t("Pages of one PDF — rank the pages of a document (first {pages} pages)",
                        pages=MAX_PAGES_PER_FILE),
                      open=False, elem_id="pdf-search"):
        with gr.Row():
            with gr.Column(scale=2):
                text = gr.Textbox(label=t("What to find"), lines=2, elem_id="pdf-query")
                pdf = gr.File(label=t("A PDF"), file_types=[".pdf"], height=UPLOAD_HEIGHT, elem_id="pdf-file")
                upload_strip(pdf, "pdf-file")
                instruction = gr.Dropdown(ctx.presets, value=PAGE_INSTRUCTION, allow_custom_value=True,
                                          label=t("Query instruction"))
                with gr.Row():
                    k = gr.Slider(1, config.MAX_TOP_K, value=3, step=1, label=t("Top-k pages"))
                    rerank = gr.Checkbox(value=True, label=t("Rerank the top-k"))
                button = gr.Button(t("Search the pages"), variant="primary", elem_id="pdf-button")
                status = status_line("pdf-status")
            with gr.Column(scale=3):
                pages = gr.Gallery(label=t("Best pages"), columns=4, height="auto", object_fit="contain",  # sized by k
                                   elem_id="pdf-results")
                table = gr.Dataframe(label=t("Pages, scores and rank changes"), interactive=False,
                                     headers=SEARCH_HEADERS, elem_id="pdf-table", wrap=True,
                                     column_widths=SEARCH_COLUMN_WIDTHS)
                cost = gr.Markdown(elem_classes="limits", elem_id="pdf-cost")
                with gr.Accordion(t("Downloads (CSV, JSON) and raw JSON"), open=False):
                    files = gr.File(label=t("Downloads"), file_count="multiple")
                    result = gr.JSON()
        inputs = [text, pdf, instruction, k, rerank]
        outputs = [pages, cost, table, files, result]
        gr.Examples(PDF_EXAMPLES, inputs, **example_run(as_example(search_pdf), outputs, status),
                    label=t("▶ Example — the bundled paper figures as a PDF"),
                    example_labels=["Bar chart in figures.pdf"])
        # Errors beside the button (the last pages kept), not a toast; API callers get them raised.
        connect([button.click], search_pdf, inputs, outputs, status, "search_pdf")
        view = explain_view.create(ctx, "pdf", "embedding", page_pick, inputs, page_example,
                                   f"a bar chart, page {EXAMPLE_PAGE} of figures.pdf", (None, "Page # of the PDF"))
        # the best page after a search, the clicked one after a click on its card
        result.change(best_page, result, view.document_no, api_name="pdf_best_page", api_visibility="private",
                      queue=False)
        pages.select(clicked_page, result, view.document_no, api_name="pdf_clicked_page", api_visibility="private",
                     queue=False)
