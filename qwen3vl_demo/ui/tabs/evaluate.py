"""The Evaluate tab: a labelled set (a BEIR zip, a ``query,relevant`` CSV against the gallery, or
the bundled example) -> Recall@1/5/10, MRR@10, nDCG@10 at every size, quantized and reranked; the
computations in ``service.evaluate``, the views in ``evaluation_views``."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import gradio as gr

from ...core import config
from ...core.errors import InputError
from ...core.evaluation import LabelledSet, load_beir_zip, load_csv
from ...service import evaluate as service
from .. import evaluation_views as views
from .. import forms
from ..common import (
    EXAMPLES_LABEL,
    MEDIA_EVENT,
    UPLOAD_HEIGHT,
    AppContext,
    connect,
    example_run,
    reporter,
    status_line,
    user_errors,
)
from ..l10n import t
from ..paths import generated_dir
from ..strings import texts
from ..visitor_gallery import gallery_items

EXAMPLE_CSV = str(config.ASSETS_DIR / "evaluation" / "sample_gallery.csv")
EXAMPLE_LABEL = "Sample gallery: 18 labelled queries"
MULTILINGUAL_CSV = str(config.ASSETS_DIR / "evaluation" / "multilingual.csv")
MULTILINGUAL_LABEL = "🌐 Multilingual: 16 queries in 11 languages"
MULTILINGUAL_DEPTH = 3  # 176 queries: reranking their top 3 keeps one click within a few minutes on a CPU
ZIP_LIMIT_BYTES = 256 * 2**20
KEPT_SETS = 4  # extracted uploads kept on disk (their thumbnails stay viewable), oldest removed first
LIMITS = {"documents": service.UI_MAX_DOCUMENTS, "queries": service.UI_MAX_QUERIES, "depth": service.MAX_DEPTH,
          "mb": config.MAX_UPLOAD_MB, "unpacked": ZIP_LIMIT_BYTES // 2**20}


def unpack(path: str) -> LabelledSet:
    """The set of an uploaded zip, extracted into the app's folder (only the latest few sets kept),
    named by the file the visitor uploaded."""
    root = generated_dir() / "evaluations"
    root.mkdir(exist_ok=True)
    older = sorted(root.iterdir(), key=lambda p: p.stat().st_mtime)
    for old in older[: max(0, len(older) - (KEPT_SETS - 1))]:  # room for this one
        shutil.rmtree(old, ignore_errors=True)
    return load_beir_zip(path, root / uuid.uuid4().hex, max_bytes=ZIP_LIMIT_BYTES)


def labelled_set(file: Any, ctx: AppContext, mine: list[dict]) -> LabelledSet:
    """The set an upload holds: a zip (BEIR) or a CSV against this visitor's gallery."""
    path = forms.one_file(file)
    if not path:
        raise InputError("upload a BEIR .zip or a query,relevant .csv, or run the example")
    if path.lower().endswith(".zip"):
        dataset = unpack(path)
    elif path.lower().endswith(".csv"):
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        dataset = load_csv(text, gallery_items(ctx.samples, mine), Path(path).name)
    else:
        raise InputError(f"{Path(path).name}: expected a .zip (BEIR) or a .csv (query,relevant)")
    dataset.check_limits(service.UI_MAX_DOCUMENTS, service.UI_MAX_QUERIES)
    return dataset


def top_gallery(shown: list[dict]) -> gr.Gallery:
    return gr.Gallery(views.result_cards(shown), label=views.cards_label(shown))


def create_tab(ctx: AppContext) -> None:
    """The tab's widgets, example and events (inside the app's ``gr.Blocks``)."""
    evaluator = service.Evaluator(ctx.engine)

    @user_errors
    def evaluate(file: Any, query_instruction: str, document_instruction: str, rerank_instruction: str,
                 depth: float, rerank_sizes: bool, mine: list[dict] | None = None,
                 progress: gr.Progress = gr.Progress()) -> tuple:
        """Evaluate retrieval on a labelled set: Recall@1/5/10, MRR@10, nDCG@10 for embedding retrieval at
        every size (float, int8, binary) and reranked at a depth.

        Args:
            file: a BEIR .zip (corpus.jsonl, queries.jsonl, qrels/test.tsv) or a query,relevant .csv
            query_instruction: instruction for the queries (empty: the model's default)
            document_instruction: instruction for the documents (empty: the model's default)
            rerank_instruction: the reranker's instruction (empty: its default)
            depth: how many of the top results to rerank, 0 to 30 (0: no reranking)
            rerank_sizes: also rerank the top results of every smaller embedding size
        """
        dataset = labelled_set(file, ctx, mine or [])
        options = service.Options(forms.instruction(query_instruction, "query"),
                          forms.instruction(document_instruction, "document"),
                          forms.instruction(rerank_instruction, "reranker"), int(depth or 0), bool(rerank_sizes))
        result = evaluator.run(dataset, options, reporter(progress))
        shown = [views.top_results(result, n) for n in range(len(result.queries))]
        languages = bool(result.languages())  # the per-language views only for a set that has languages
        return (views.summary_markdown(result), views.metrics_table(result),
                gr.update(value=views.language_table(result), visible=languages),
                gr.update(value=views.language_chart(result) if languages else None, visible=languages),
                views.size_chart(result), views.depth_chart(result), views.queries_table(result),
                views.cost_markdown(result), views.evaluation_downloads(result), result.to_json(), shown,
                top_gallery(shown[0] if shown else []))

    def evaluate_example(file: Any, query_instruction: str, document_instruction: str, rerank_instruction: str,
                         depth: float, rerank_sizes: bool, progress: gr.Progress = gr.Progress()) -> tuple:
        return evaluate(file, query_instruction, document_instruction, rerank_instruction, depth, rerank_sizes,
                        [], progress)

    def open_query(shown: list[list[dict]] | None, event: gr.SelectData) -> gr.Gallery:
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if not shown or not isinstance(row, int) or not 0 <= row < len(shown):
            return top_gallery([])
        return top_gallery(shown[row])

    with gr.Tab(t("📊 Evaluate"), id="evaluate"):
        examples = gr.Column()
        inputs, button, status, outputs = layout(ctx)
        with examples:
            example = [EXAMPLE_CSV, service.DEFAULT_QUERY_INSTRUCTION, "", "", service.DEFAULT_DEPTH, True]
            multilingual = [MULTILINGUAL_CSV, service.DEFAULT_QUERY_INSTRUCTION, "", "", MULTILINGUAL_DEPTH, False]
            gr.Examples([example, multilingual], inputs, **example_run(evaluate_example, outputs, status),
                        label=EXAMPLES_LABEL, example_labels=[EXAMPLE_LABEL, MULTILINGUAL_LABEL])
        connect([button.click], evaluate, [*inputs, ctx.mine], outputs, status, "evaluate")
    queries, shown, cards = outputs[6], outputs[-2], outputs[-1]
    queries.select(open_query, shown, cards, api_name="evaluate_open_query", api_visibility="private",
                   **MEDIA_EVENT)


def layout(ctx: AppContext) -> tuple[list, gr.Button, gr.HTML, list]:
    """The widgets (inside the tab): (inputs, the button, its status line, outputs)."""
    gr.Markdown(t(texts.EVALUATE_INTRO))
    with gr.Row():
        # a short label: a long one is cut off beside the clear button on a phone (the formats are in the intro)
        file = gr.File(label=t("Labelled set: BEIR .zip or .csv"), file_types=[".zip", ".csv"],
                       height=UPLOAD_HEIGHT, scale=2, elem_id="eval-file")
        with gr.Column(scale=3):
            with gr.Row():
                query_instruction = gr.Dropdown(ctx.presets, value=service.DEFAULT_QUERY_INSTRUCTION,
                                                allow_custom_value=True, label=t("Query instruction"))
                document_instruction = gr.Dropdown(["", *ctx.presets], value="", allow_custom_value=True,
                                                   label=t("Document instruction (empty: default)"))
            rerank_instruction = gr.Textbox(label=t("Reranker instruction (empty: default)"),
                                            placeholder=config.RERANK_DEFAULT_INSTRUCTION,
                                            elem_id="eval-rerank-instruction")
        with gr.Column(scale=2):
            depth = gr.Slider(0, service.MAX_DEPTH, value=service.DEFAULT_DEPTH, step=1,
                              label=t("Rerank depth (0: none)"))
            rerank_sizes = gr.Checkbox(value=False, label=t("Also rerank at every smaller size"))
    button = gr.Button(t("Evaluate"), variant="primary", elem_id="eval-button")
    status = status_line("eval-status")
    gr.Markdown(t(texts.EVALUATE_LIMITS, **LIMITS), elem_classes="limits")
    summary = gr.Markdown(elem_id="eval-summary")
    metrics = gr.Dataframe(label=t("Metrics per configuration (★ best of each column)"), interactive=False,
                           headers=views.METRIC_HEADERS, elem_id="eval-metrics", wrap=False,
                           column_widths=["30%", *["14%"] * 5])  # on a phone: sized by content, scrolls (CSS)
    with gr.Column(elem_id="eval-languages-view"):  # a set with languages: each one side by side
        languages = gr.Dataframe(label=t("Per language: its queries' tokens, the full-size metrics and the gap to "
                                         "English"), interactive=False, headers=views.LANGUAGE_HEADERS,
                                 visible=False, elem_id="eval-languages", wrap=False)
        language_plot = gr.Plot(label=t("nDCG@10 per language against embedding size"), visible=False,
                                elem_id="eval-language-sizes")
    with gr.Row():
        # side by side from 640 px; on a phone (a row narrower than the two minimums) one above the other
        size_plot = gr.Plot(label=t("Metric against embedding size"), elem_id="eval-sizes", min_width=320)
        depth_plot = gr.Plot(label=t("Metric against rerank depth"), elem_id="eval-depths", min_width=320)
    queries = gr.Dataframe(label=t("Per query, worst first — select a row to see its top results"), interactive=False,
                           headers=views.QUERY_HEADERS, max_height=320, wrap=True, elem_id="eval-queries",
                               column_widths=["6%", "34%", "14%", "12%", "10%", "12%", "12%"])
    cards = gr.Gallery(label=t("Top results of the selected query (after reranking)"), columns=5, height=260,
                       object_fit="cover", elem_id="eval-top")
    cost = gr.Markdown(elem_classes="limits", elem_id="eval-cost")
    with gr.Accordion(t("Downloads (CSV, JSON) and raw JSON"), open=False):
        files = gr.File(label=t("Downloads"), file_count="multiple")
        result = gr.JSON()
    shown = gr.State([])
    inputs = [file, query_instruction, document_instruction, rerank_instruction, depth, rerank_sizes]
    outputs = [summary, metrics, languages, language_plot, size_plot, depth_plot, queries, cost, files, result, shown,
               cards]
    return inputs, button, status, outputs
