"""The Similarity tab: queries against documents as a heatmap, at any MRL size."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ...core import config
from .. import forms, video_options
from ..common import (
    ENGLISH_INSTRUCTIONS,
    EXAMPLES_LABEL,
    ONE_DOCUMENT,
    UPLOAD_HEIGHT,
    AppContext,
    connect,
    example_run,
    reporter,
    show_notes,
    status_line,
    user_errors,
)
from ..examples import QUERY_INSTRUCTION, SIMILARITY_EXAMPLES
from ..header import dim_slider, video_controls
from ..l10n import t
from ..outputs import similarity_outputs
from ..previews import upload_strip
from . import explain_view


def handlers(ctx: AppContext) -> tuple:
    """(embed, similarity_example) for this tab's button and examples."""

    @user_errors
    def embed(query_text: str, query_files: Any, query_instruction: str, document_text: str,
              document_files: Any, pair_text: str, pair_image: str | None, document_instruction: str,
              dim: float | None, fps: float | None = None, max_frames: float | None = None,
              one_document: bool = False, progress: gr.Progress = gr.Progress()) -> tuple:
        """Embed queries and documents with Qwen3-VL-Embedding and score every pair (cosine).

        Args:
            query_text: text queries, one per line
            query_files: image queries
            query_instruction: instruction for the queries (empty: the default)
            document_text: text documents, one per line
            document_files: image, video or PDF documents (a PDF: one document per page)
            pair_text: text of one combined text+image document (optional)
            pair_image: image of that combined document (optional)
            document_instruction: instruction for the documents (empty: the default)
            dim: embedding size, 64 to the model's full size (see /status)
            fps: frames per second sampled from videos (empty: 1)
            max_frames: most frames per video (empty: 64); a video that would not fit the model's
                context gets fewer, said in the cost line
            one_document: the document files (PDF pages included) as one document, one vector
        """
        notes: list[str] = []
        queries, documents = forms.similarity_items(query_text, query_files, document_text, document_files,
                                                    pair_text, pair_image, notes, bool(one_document))
        show_notes(notes)
        documents, fitted = video_options.fitted(documents, fps, max_frames)
        result = ctx.engine.similarity(queries, documents, forms.instruction(query_instruction, "query"),
                                       forms.instruction(document_instruction, "document"),
                                       forms.dim_value(dim), reporter(progress))
        return video_options.with_notes(similarity_outputs(result), fitted)

    def similarity_example(query_text: str, query_files: Any, query_instruction: str, document_text: str,
                           document_files: Any, pair_text: str, pair_image: str | None,
                           document_instruction: str, one_document: bool,
                           progress: gr.Progress = gr.Progress()) -> tuple:
        """An example at the model's full embedding size, whatever the slider says."""
        return embed(query_text, query_files, query_instruction, document_text, document_files,
                     pair_text, pair_image, document_instruction, None, None, None, one_document, progress)

    return embed, similarity_example


def create_tab(ctx: AppContext) -> None:
    """The tab's widgets, examples and events (inside the app's ``gr.Blocks``)."""
    embed, similarity_example = handlers(ctx)
    with gr.Tab(t("🔥 Similarity"), id="similarity"):
        examples = gr.Column()  # filled below, once the inputs exist
        with gr.Row():
            with gr.Column():
                gr.Markdown(t("#### Queries"))
                q_text = gr.Textbox(label=t("Text queries — one per line"), lines=3, elem_id="sim-queries",
                                    placeholder=t("Type a query, e.g. a dog on a beach (or run an example above)"))
                q_files = gr.File(label=t("Image queries"), file_count="multiple", file_types=["image"],
                                  height=UPLOAD_HEIGHT, elem_id="sim-query-files")
                upload_strip(q_files, "sim-query-files")
                q_instruction = gr.Dropdown(ctx.presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                            label=t("Query instruction (pick or type your own)"),
                                            info=ENGLISH_INSTRUCTIONS)
            with gr.Column():
                gr.Markdown(t("#### Documents"))
                d_text = gr.Textbox(label=t("Text documents — one per line"), lines=3)
                d_files = gr.File(label=t("Images, screenshots, videos, PDFs (a page each)"), file_count="multiple",
                                  file_types=["image", "video", ".pdf"], height=150, elem_id="sim-doc-files")
                upload_strip(d_files, "sim-doc-files")
                d_one = gr.Checkbox(False, label=ONE_DOCUMENT, elem_id="sim-one-document")
                with gr.Accordion(t("Text + image pair (one combined document)"), open=False), gr.Row():
                    pair_text = gr.Textbox(label=t("Pair text"), lines=2)
                    with gr.Column():
                        pair_image = gr.File(label=t("Pair image"), file_types=["image"], height=UPLOAD_HEIGHT,
                                             elem_id="sim-pair-image")
                        upload_strip(pair_image, "sim-pair-image")
                d_instruction = gr.Dropdown(ctx.presets, value=config.EMBED_DEFAULT_INSTRUCTION,
                                            allow_custom_value=True, label=t("Document instruction"))
        with gr.Row():
            fps, max_frames = video_controls()
            dim = dim_slider(ctx.full_dim, t("Embedding size (MRL: first d dimensions, renormalised)"), scale=3)
            button = gr.Button(t("Compute similarity"), variant="primary", scale=0, min_width=220,
                               elem_id="sim-button")
        status = status_line("sim-status")
        plot = gr.Plot(label=t("Similarity heatmap"), show_label=False, elem_id="sim-plot")
        cost = gr.Markdown(label=t("Cost"), elem_classes="limits", elem_id="sim-cost")
        table = gr.Dataframe(label=t("Scores"), interactive=False, elem_id="sim-table", render=False)
        inputs = [q_text, q_files, q_instruction, d_text, d_files, pair_text, pair_image, d_instruction, dim,
                  fps, max_frames, d_one]
        # right under the heatmap: a click on one of its scores maps that pair
        explain_view.create(ctx, "sim", "embedding", explain_view.similarity_pick, inputs,
                            explain_view.SIMILARITY_EXAMPLE, "a motorbike on a mountain road", scores_from=table)
        with gr.Accordion(t("Numbers, downloads (CSV, JSON) and raw JSON"), open=False):
            table.render()
            files = gr.File(label=t("Downloads"), file_count="multiple")
            result = gr.JSON(label=t("Result (as the API returns it)"))
        outputs = [plot, cost, table, files, result]
        with examples:
            gr.Examples(SIMILARITY_EXAMPLES, [*inputs[:8], d_one], **example_run(similarity_example, outputs, status),
                        label=EXAMPLES_LABEL,
                        example_labels=["Beach & dog vs photos, a video and a pair",
                                        "Image queries vs images and a video", "Text vs paper figures",
                                        "Text vs the pages of a PDF", "Three photos as one document",
                                        "🌐 5 languages vs photos", "🌐 5 languages vs paper figures",
                                        "🌐 English vs texts and screenshots in 5 languages"])
        ctx.dim_sliders.append(dim)
        connect([button.click], embed, inputs, outputs, status, "similarity")
