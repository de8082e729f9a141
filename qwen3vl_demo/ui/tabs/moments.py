"""The Moments tab: where in a long video something happens. The video is cut into overlapping
windows, each embedded as a list of frames, and every query is scored against time."""

from __future__ import annotations

import time
from typing import Any

import gradio as gr
import numpy as np
import plotly.graph_objects as go

from ...core import config
from ...core.errors import InputError
from ...core.items import make_item
from ...service import moments as mm
from .. import forms
from ..common import (
    EXAMPLES_LABEL,
    MEDIA_EVENT,
    UPLOAD_HEIGHT,
    AppContext,
    as_example,
    connect,
    example_run,
    reporter,
    status_line,
    user_errors,
)
from ..l10n import t
from ..outputs import cost_line
from ..paths import generated_dir
from ..previews import upload_strip
from ..strings import localize, translate_message
from . import explain_view

TOP = mm.TOP_RERANKED  # best moments shown (and reranked)
HEADERS = ["#", "window", "similarity", "sim. rank", "rerank", "moved"]
EXAMPLES = [["Cyclists riding in a bike lane.\nA train.", str(config.ASSETS_DIR / "videos" / "cycling.mp4"),
             "Find a video that contains the following visual content.", 4, 2, True]]


def similarity_plot(moments: mm.Moments) -> go.Figure:
    """One line per query: cosine of each window against the window's middle time."""
    middles = [(w.start + w.end) / 2 for w in moments.windows]
    figure = go.Figure()
    for query, row in zip(moments.queries, moments.scores, strict=True):
        figure.add_trace(go.Scatter(x=middles, y=row, mode="lines+markers", name=query.label,
                                    hovertext=[w.label(moments.facts.name) for w in moments.windows]))
    figure.update_layout(title="Similarity against time (window middles)", xaxis_title="seconds",
                         yaxis_title="cosine", height=340, margin={"l": 50, "r": 20, "t": 50, "b": 40},
                         legend={"orientation": "h", "y": -0.25})
    return figure


def best_rows(moments: mm.Moments) -> tuple[list[int], list[list[Any]]]:
    """Window indices best first (reranked if asked) and the table's rows."""
    by_similarity = [int(i) for i in np.argsort(-moments.scores[0], kind="stable")]
    order = moments.reranked or by_similarity[:TOP]
    rows = []
    for position, index in enumerate(order, start=1):
        rank = by_similarity.index(index) + 1
        rerank = moments.rerank_scores.get(index)
        moved = "" if moments.reranked is None else ("=" if rank == position else
                                                      f"{'▲' if rank > position else '▼'} {abs(rank - position)}")
        rows.append([position, moments.items[index].label, round(float(moments.scores[0][index]), 4), rank,
                     None if rerank is None else round(rerank, 4), moved])
    return order, rows


def handlers(ctx: AppContext) -> dict[str, Any]:
    """The tab's handlers: cost (before running), find (the windows) and play (one moment)."""

    @user_errors
    def plan(video: str | None, length: float, stride: float) -> str:
        """Windows, frames, visual tokens and the estimated time, before anything runs.

        Args:
            video: the video
            length: window length in seconds
            stride: seconds between window starts
        """
        if not video:
            return localize("Give a video (up to {minutes} min; at most {limit} windows).",
                            minutes=config.MAX_VIDEO_SECONDS // 60, limit=mm.MAX_WINDOWS).html()
        facts = mm.video_facts(forms.one_file(video))
        windows = mm.plan_windows(facts.seconds, float(length), float(stride))
        return translate_message(mm.cost_text(facts, windows, mm.estimate(ctx.engine, facts, windows))).html()

    @user_errors
    def find(query_text: str, video: str | None, instruction: str, length: float, stride: float,
             rerank: bool, query_image: Any = None, progress: gr.Progress = gr.Progress()) -> tuple:
        """Score every window of a video for each query (similarity against time), best moments first.

        Args:
            query_text: text queries, one per line (the first one ranks the moments)
            video: the video (up to 60 min)
            instruction: instruction for the queries (empty: the default)
            length: window length in seconds (2 to 60)
            stride: seconds between window starts (1 to 120; above the length, windows leave gaps)
            rerank: rerank the best windows with Qwen3-VL-Reranker
            query_image: an image query, scored after the text lines (optional)
        """
        image = forms.one_file(query_image)
        queries = forms.lines(query_text, "query")[: config.MAX_QUERIES - 1]
        queries += [make_item(path=image)] if image else []
        if not queries:
            raise InputError("type at least one query (one per line), or give an image")
        if not video:
            raise InputError("give a video")
        path = forms.one_file(video)
        facts = mm.video_facts(path)
        before = mm.estimate(ctx.engine, facts, mm.plan_windows(facts.seconds, float(length), float(stride)))
        started = time.perf_counter()
        with ctx.engine.long_job(mm.JOB_NAME) as job:  # the search and its reranking: one long job
            moments = mm.find_moments(ctx.engine, path, queries, forms.instruction(instruction, "query"),
                                      float(length), float(stride), generated_dir(), reporter(progress), job=job)
            if rerank:
                progress(0.95, desc=f"Reranking the best {TOP} windows")
                mm.rerank_top(ctx.engine, moments, TOP, job=job)
        took = f"took {time.perf_counter() - started:.1f} s (estimated {mm.duration(before.total(rerank))})"
        order, rows = best_rows(moments)
        cards = [(moments.items[i].parts[len(moments.items[i].parts) // 2], f"#{n} · {rows[n - 1][1]}")
                 for n, i in enumerate(order, start=1)]
        picked = [{"start": moments.windows[i].start, "end": moments.windows[i].end} for i in order]
        data = {"video": moments.facts.name, "windows": [w.label(moments.facts.name) for w in moments.windows],
                "queries": [q.label for q in queries], "scores": np.round(moments.scores, 6).tolist(),
                "best": [dict(zip(HEADERS, row, strict=True)) for row in rows]}
        plan = translate_message(mm.cost_text(moments.facts, moments.windows, before)).html()
        return (similarity_plot(moments), cards, {"headers": HEADERS, "data": rows},
                plan + "  \n" + cost_line(moments.cost) + f" · {took}", data, {"path": path, "picked": picked})

    def play(state: dict | None, event: gr.SelectData) -> str | None:
        if not state or event.index is None or event.index >= len(state["picked"]):
            return None
        window = state["picked"][event.index]
        return mm.clip_file(state["path"], mm.Window(window["start"], window["end"]), generated_dir())

    return {"plan": plan, "find": find, "play": play}


def create_tab(ctx: AppContext) -> None:
    """The tab's widgets, example and events (inside the app's ``gr.Blocks``)."""
    handle = handlers(ctx)
    with gr.Tab(t("⏱️ Moments"), id="moments"):
        examples = gr.Column()
        with gr.Row():
            with gr.Column(scale=2):
                video = gr.Video(label=t("A video (up to {minutes} min)", minutes=config.MAX_VIDEO_SECONDS // 60),
                                 sources=["upload"], elem_id="moments-video")
                text = gr.Textbox(label=t("What happens — one query per line"), lines=2, elem_id="moments-query")
                query_image = gr.File(label=t("…and/or an image query"), file_types=["image"], height=UPLOAD_HEIGHT,
                                      elem_id="moments-query-image")
                upload_strip(query_image, "moments-query-image")
                instruction = gr.Dropdown(ctx.presets, value=EXAMPLES[0][2], allow_custom_value=True,
                                          label=t("Query instruction"))
                with gr.Row():
                    length = gr.Slider(2, mm.MAX_WINDOW_SECONDS, value=mm.DEFAULT_LENGTH_S, step=1,
                                       label=t("Window length (s)"))
                    stride = gr.Slider(1, mm.MAX_STRIDE_SECONDS, value=mm.DEFAULT_STRIDE_S, step=1,
                                       label=t("Stride (s)"))
                rerank = gr.Checkbox(value=True,
                                     label=t("Rerank the best {top} windows with Qwen3-VL-Reranker", top=TOP))
                cost = gr.Markdown(elem_classes="limits", elem_id="moments-cost")
                button = gr.Button(t("Find the moments"), variant="primary", elem_id="moments-button")
                status = status_line("moments-status")
            with gr.Column(scale=3):
                plot = gr.Plot(show_label=False, elem_id="moments-plot")
                best = gr.Gallery(label=t("Best moments (click one to play it)"), columns=TOP, height=170,
                                  object_fit="contain", elem_id="moments-best")
                clip = gr.Video(label=t("The moment"), interactive=False, elem_id="moments-clip")
                table = gr.Dataframe(headers=HEADERS, interactive=False, elem_id="moments-table", wrap=True)
                with gr.Accordion(t("Raw JSON"), open=False):
                    result = gr.JSON()
        picked = gr.State(None)
        inputs = [text, video, instruction, length, stride, rerank, query_image]
        outputs = [plot, best, table, cost, result, picked]
        with examples:
            gr.Examples(EXAMPLES, inputs[:6], **example_run(as_example(handle["find"]), outputs, status),
                        label=EXAMPLES_LABEL, example_labels=["cycling.mp4, 4 s windows"])
        # The cost before running: a video that cannot be read is said beside the button, at once.
        plan_triggers = [video.change, length.release, stride.release]
        connect(plan_triggers, handle["plan"], [video, length, stride], [cost], status, "moments_cost",
                event=MEDIA_EVENT, scroll=False, show_progress="hidden")
        connect([button.click], handle["find"], inputs, outputs, status, "moments")
        explain_view.create(ctx, "moments", "embedding", explain_view.moments_pick(ctx), inputs,
                            explain_view.moments_example(ctx), "cyclists in a bike lane", ("Query #", "Moment #"))
    best.select(handle["play"], picked, clip, api_name="moments_play", **MEDIA_EVENT)
