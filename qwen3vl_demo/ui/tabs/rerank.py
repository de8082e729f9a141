"""The Reranker tab: one query against any mix of documents, scored by Qwen3-VL-Reranker."""

from __future__ import annotations

import gradio as gr

from ...core import config
from .. import forms
from ..common import (
    EXAMPLES_LABEL,
    ONE_DOCUMENT,
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
from ..examples import RERANK_EXAMPLES
from ..l10n import t
from ..outputs import RERANK_HEADERS, rerank_outputs
from ..previews import upload_strip


def handlers(ctx: AppContext):
    """The tab's one handler, ``rerank``."""

    @user_errors
    def rerank(query_text: str, query_file: str | None = None, instruction: str = "", document_text: str = "",
               document_files: list[str] | None = None, one_document: bool = False,
               progress: gr.Progress = gr.Progress()) -> tuple:
        """Score documents against a query with Qwen3-VL-Reranker (relevance in 0..1, sorted).

        Args:
            query_text: the query text
            query_file: an image or video query (optional)
            instruction: the reranker instruction (empty: the default)
            document_text: text documents, one per line
            document_files: image, video or PDF documents (a PDF: one document per page)
            one_document: the document files (PDF pages included) as one document, one vector
        """
        notes: list[str] = []
        query, documents = forms.rerank_items(query_text, query_file, document_text, document_files, notes,
                                              bool(one_document))
        show_notes(notes)
        return rerank_outputs(ctx.engine.rerank(query, documents, forms.instruction(instruction, "reranker"),
                                                reporter(progress)))

    return rerank


def create_tab(ctx: AppContext) -> None:
    """The tab's widgets, examples and events (inside the app's ``gr.Blocks``)."""
    rerank = handlers(ctx)
    with gr.Tab(t("⚖️ Reranker"), id="rerank"):
        examples = gr.Column()
        with gr.Row():
            with gr.Column():
                query = gr.Textbox(label=t("Query text"), lines=2, elem_id="rerank-query")
                query_file = gr.File(label=t("…and/or a query image or video"), file_types=["image", "video"],
                                     height=UPLOAD_HEIGHT, elem_id="rerank-query-file")
                upload_strip(query_file, "rerank-query-file")
                instruction = gr.Textbox(value=config.RERANK_DEFAULT_INSTRUCTION, label=t("Instruction"))
            with gr.Column():
                documents = gr.Textbox(label=t("Text documents — one per line"), lines=4)
                document_files = gr.File(label=t("Image / video / PDF documents (a PDF: one per page)"),
                                         file_count="multiple", file_types=["image", "video", ".pdf"], height=150,
                                         elem_id="rerank-files")
                upload_strip(document_files, "rerank-files")
                one_document = gr.Checkbox(False, label=ONE_DOCUMENT, elem_id="rerank-one-document")
        button = gr.Button(t("Rerank"), variant="primary", elem_id="rerank-button")
        status = status_line("rerank-status")
        with gr.Row():
            plot = gr.Plot(label=t("Scores"), show_label=False, elem_id="rerank-plot")
            with gr.Column():
                cost = gr.Markdown(label=t("Cost"), elem_classes="limits", elem_id="rerank-cost")
                table = gr.Dataframe(label=t("Ranking"), interactive=False, elem_id="rerank-table",
                                     headers=RERANK_HEADERS)
                with gr.Accordion(t("Downloads (CSV, JSON) and raw JSON"), open=False):
                    downloads = gr.File(label=t("Downloads"), file_count="multiple")
                    result = gr.JSON(label=t("Result"))
        inputs = [query, query_file, instruction, documents, document_files, one_document]
        outputs = [plot, cost, table, downloads, result]
        with examples:
            gr.Examples(RERANK_EXAMPLES, inputs[:5], **example_run(as_example(rerank), outputs, status),
                        label=EXAMPLES_LABEL,
                        example_labels=["Beach & dog: text and photos", "Image query vs captions",
                                        "Text vs videos and photos"])
        connect([button.click], rerank, inputs, outputs, status, "rerank")
