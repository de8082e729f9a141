"""The "Inside the embeddings" tab: sizes and quantization, instruction A/B, the map, the video
inspector and the export; one function per sub-tab, the computations in ``service.insights``."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ...core import config
from ...core.config import ASSETS_DIR
from ...core.errors import InputError
from ...service import insights
from ...service.engine import Engine
from .. import forms, plots
from ..common import (
    EXAMPLES_LABEL,
    UPLOAD_HEIGHT,
    AppContext,
    as_example,
    connect,
    example_run,
    status_line,
    user_errors,
)
from ..examples import QUERY_INSTRUCTION
from ..header import dim_slider
from ..l10n import t
from ..outputs import move_text
from ..previews import upload_strip
from ..strings import texts
from ..visitor_gallery import gallery_items


def create_tab(ctx: AppContext) -> None:
    """The tab and its sub-tabs (inside the app's ``gr.Blocks``)."""
    with gr.Tab(t("🔬 Inside the embeddings"), id="inside"):
        gr.Markdown(t(texts.INSIDE_INTRO))
        storage_tab(ctx)
        instructions_tab(ctx)
        map_tab(ctx)
        video_tab(ctx)
        export_tab(ctx)


def storage_tab(ctx: AppContext) -> None:
    @user_errors
    def compare_storage(text: str, file: Any, instruction: str, k: float, session: list[dict] | None = None) -> tuple:
        report = insights.compare_storage(ctx.engine, forms.query_item(text, file),
                                          gallery_items(ctx.samples, session or []),
                                          forms.instruction(instruction, "query"), int(k))
        rows = [[s.name, s.bytes_per_vector, round(s.overlap, 3), round(s.mean_error, 4), round(s.max_error, 4),
                 ", ".join(report.gallery[i].label.split(" (")[0] for i in s.ranking[: report.k])]
                for s in report.settings]
        figure = plots.storage_chart([s.name for s in report.settings], [s.overlap for s in report.settings],
                                     [s.mean_error for s in report.settings], report.k)
        headers = ["setting", "bytes / vector", f"overlap@{report.k}", "mean error", "max error", "top-k"]
        return figure, {"headers": headers, "data": rows}, report.to_json()

    with gr.Tab(t("📏 Sizes & quantization")):
        examples = gr.Column()  # filled below, once the inputs exist
        with gr.Row():
            text = gr.Textbox(label=t("Query"), value="", scale=3)
            with gr.Column(scale=2):
                file = gr.File(label=t("…or an image / video query"), file_types=["image", "video"],
                               height=UPLOAD_HEIGHT, elem_id="storage-file")
                upload_strip(file, "storage-file")
            instruction = gr.Dropdown(ctx.presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                      label=t("Query instruction"), scale=3)
            k = gr.Slider(1, config.MAX_TOP_K, value=5, step=1, label=t("Top-k"), scale=1)
        button = gr.Button(t("Compare storage settings"), variant="primary")
        status = status_line("storage-status")
        plot = gr.Plot(label=t("Storage chart"), show_label=False, elem_id="storage-plot")
        table = gr.Dataframe(label=t("Storage settings"), interactive=False, wrap=True, elem_id="storage-table")
        gr.Markdown(t(texts.QUANTIZATION_NOTE), elem_classes="limits")
        with gr.Accordion(t("Raw JSON"), open=False):
            result = gr.JSON(label=t("Result"))
        inputs, outputs = [text, file, instruction, k], [plot, table, result]
        with examples:
            gr.Examples([["A woman playing with her dog on a beach at sunset.", None, QUERY_INSTRUCTION, 5],
                         ["A bar chart in a scientific paper.", None,
                          "Find a document image that matches the given query.", 3]],
                        inputs, **example_run(as_example(compare_storage), outputs, status),
                        label=EXAMPLES_LABEL, example_labels=["Beach & dog", "Paper figure"])
        connect([button.click], compare_storage, [*inputs, ctx.mine], outputs, status, "compare_storage")


def instructions_tab(ctx: AppContext) -> None:
    @user_errors
    def compare_instructions(text: str, file: Any, instruction_a: str, instruction_b: str, k: float,
                             session: list[dict] | None = None) -> tuple:
        a, b = forms.instruction(instruction_a, "first"), forms.instruction(instruction_b, "second")
        result = insights.compare_instructions(ctx.engine, forms.query_item(text, file),
                                               gallery_items(ctx.samples, session or []), a, b)
        shown = [row for row in result.rows if row[1] <= k or row[2] <= k]
        labels = [result.gallery[i].label for i, _, _ in shown]
        figure = plots.instruction_slope(labels, [r[1] for r in shown], [r[2] for r in shown],
                                         a or config.EMBED_DEFAULT_INSTRUCTION, b or config.EMBED_DEFAULT_INSTRUCTION)
        rows = [[result.gallery[i].label, ra, round(float(result.scores_a[i]), 4), rb,
                 round(float(result.scores_b[i]), 4), move_text(ra - rb)] for i, ra, rb in shown]
        headers = ["item", "rank A", "score A", "rank B", "score B", "moved"]
        return figure, {"headers": headers, "data": rows}, result.to_json()

    with gr.Tab(t("🔀 Instruction A/B")):
        examples = gr.Column()  # filled below, once the inputs exist
        with gr.Row():
            text = gr.Textbox(label=t("Query"), scale=3)
            with gr.Column(scale=2):
                file = gr.File(label=t("…or an image / video query"), file_types=["image", "video"],
                               height=UPLOAD_HEIGHT, elem_id="ab-file")
                upload_strip(file, "ab-file")
            k = gr.Slider(1, config.MAX_TOP_K, value=6, step=1, label=t("show the top"), scale=1)
        with gr.Row():
            a = gr.Dropdown(ctx.presets, value="Find images matching this description.", allow_custom_value=True,
                            label=t("Instruction A"))
            b = gr.Dropdown(ctx.presets, value="Find a document image that matches the given query.",
                            allow_custom_value=True, label=t("Instruction B"))
        button = gr.Button(t("Rank under both"), variant="primary")
        status = status_line("ab-status")
        plot = gr.Plot(label=t("Ranks chart"), show_label=False, elem_id="ab-plot")
        table = gr.Dataframe(label=t("Ranks"), interactive=False, wrap=True, elem_id="ab-table")
        with gr.Accordion(t("Raw JSON"), open=False):
            result = gr.JSON(label=t("Result"))
        inputs, outputs = [text, file, a, b, k], [plot, table, result]
        with examples:
            gr.Examples([["charts and diagrams", None, "Find images matching this description.",
                          "Find a document image that matches the given query.", 6],
                         ["people riding bicycles", None, "Retrieve images or text relevant to the user's query.",
                          "Find a video that contains the following visual content.", 6]],
                        inputs, **example_run(as_example(compare_instructions), outputs, status),
                        label=EXAMPLES_LABEL,
                        example_labels=["Photos vs documents", "Images vs videos"])
        connect([button.click], compare_instructions, [*inputs, ctx.mine], outputs, status, "instruction_ab")


def map_tab(ctx: AppContext) -> None:
    @user_errors
    def draw_map(text: str, instruction: str, k: float, session: list[dict] | None = None) -> tuple:
        lines = forms.lines(text, "query")
        queries = lines[: config.MAX_QUERIES]
        result = insights.embedding_map(ctx.engine, gallery_items(ctx.samples, session or []), queries,
                                        forms.instruction(instruction, "query"), int(k or 0))
        figure = plots.embedding_map(result.items, result.points, result.clusters, result.is_query)
        how = "chosen by the best silhouette" if result.silhouettes else "chosen by you"
        scores = ", ".join(f"k={k}: {v:.3f}" for k, v in result.silhouettes.items())
        note = f"**{result.k} clusters** ({how}{'; ' + scores if scores else ''}). Colours: k-means on the " \
               "full embeddings; positions: the first two principal components. Stars are your queries."
        if len(lines) > len(queries):  # the rest are not drawn: say so rather than drop them silently
            note += f"\n\n⚠️ **{len(queries)} of your {len(lines)} query lines are shown** (the map's limit " \
                    f"is {config.MAX_QUERIES}); the others are left out."
        return figure, note, result.to_json()

    with gr.Tab(t("🗺️ Map")):
        examples = gr.Column()  # filled below, once the inputs exist
        with gr.Row():
            text = gr.Textbox(label=t("Queries to place on the map — one per line (optional)"), lines=2, scale=3)
            instruction = gr.Dropdown(ctx.presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                      label=t("Query instruction"), scale=2)
            k = gr.Slider(0, 8, value=0, step=1, label=t("clusters k (0 = best silhouette)"), scale=1)
        button = gr.Button(t("Draw the map"), variant="primary")
        status = status_line("map-status")
        note = gr.Markdown(label=t("Summary"), elem_id="map-note")
        plot = gr.Plot(label=t("Map"), show_label=False, elem_id="map-plot")
        with gr.Accordion(t("Raw JSON"), open=False):
            result = gr.JSON(label=t("Result"))
        inputs, outputs = [text, instruction, k], [plot, note, result]
        with examples:
            gr.Examples([["A bathroom.\nCyclists in a city.", QUERY_INSTRUCTION, 0], ["", QUERY_INSTRUCTION, 3]],
                        inputs, **example_run(as_example(draw_map), outputs, status),
                        label=EXAMPLES_LABEL, example_labels=["Auto k + 2 queries", "3 clusters"])
        connect([button.click], draw_map, [*inputs, ctx.mine], outputs, status, "embedding_map")


def video_tab(ctx: AppContext) -> None:
    @user_errors
    def inspect(video: Any, fps: float | None, max_frames: float | None) -> tuple:
        path = forms.one_file(video)
        if not path:
            raise InputError("give a video to inspect")
        frames = None if max_frames in (None, "") else int(max_frames)
        result = insights.inspect_video(ctx.engine, path, fps or None, frames)
        captions = [f"frame {n + 1} · group {n // 2 + 1} · {result.timestamps[n // 2]:.1f} s"
                    for n in range(len(result.frames))]
        h, w = result.size
        note = (f"**{len(result.frames)} frames** of {result.source_frames} ({result.source_fps:.1f} fps) → "
                f"{len(result.timestamps)} temporal groups of {h // 32 * w // 32} tokens at {w}×{h} px = "
                f"**{result.visual_tokens} visual tokens** in a {result.prompt_tokens}-token prompt · "
                f"decoding {result.decode_s:.2f} s · embedding {result.embed_s:.2f} s. Each pair of frames "
                "is one temporal group, announced by a timestamp like `<0.6 seconds>`.")
        return list(zip(result.frames, captions, strict=True)), note, result.to_json()

    with gr.Tab(t("🎞️ Video inspector")):
        examples = gr.Column()  # filled below, once the inputs exist
        with gr.Row():
            with gr.Column(scale=3):
                video = gr.File(label=t("Video"), file_types=["video"], height=UPLOAD_HEIGHT,
                                elem_id="inspector-file")
                upload_strip(video, "inspector-file")
            fps = gr.Number(value=config.VIDEO_DEFAULT_FPS, label=t("fps sampled"), minimum=0.1, maximum=30, scale=1)
            max_frames = gr.Number(value=config.VIDEO_DEFAULT_MAX_FRAMES, label=t("max frames"), minimum=2,
                                   maximum=768, precision=0, scale=1)
        button = gr.Button(t("Show what the model sees"), variant="primary")
        status = status_line("video-status")
        note = gr.Markdown(label=t("Summary"))
        frames = gr.Gallery(label=t("Frames"), columns=6, height="auto", object_fit="contain", show_label=False,
                            elem_id="video-frames")
        with gr.Accordion(t("Raw JSON"), open=False):
            result = gr.JSON(label=t("Result"))
        inputs, outputs = [video, fps, max_frames], [frames, note, result]
        with examples:
            gr.Examples([[str(ASSETS_DIR / "videos" / "cycling.mp4"), 1.0, 64],
                         [str(ASSETS_DIR / "videos" / "bathrooms.mp4"), 2.0, 8]],
                        inputs, **example_run(as_example(inspect), outputs, status),
                        label=EXAMPLES_LABEL, example_labels=["cycling.mp4 at 1 fps", "bathrooms.mp4, 2 fps, 8 frames"])
        connect([button.click], inspect, inputs, outputs, status, "inspect_video")


def export_tab(ctx: AppContext) -> None:
    @user_errors
    def export_embeddings(dim: float | None, session: list[dict] | None = None) -> str:
        """The gallery's embeddings as .npz (embeddings [n, dim], names, kinds, dim, model).

        Args:
            dim: embedding size; the model's full size or more means full size
        """
        return insights.export_gallery(ctx.engine, gallery_items(ctx.samples, session or []),
                                       clamp_dim(ctx.engine, dim))

    with gr.Tab(t("📦 Export")):
        gr.Markdown(t(texts.EXPORT_INTRO))
        with gr.Row():
            dim = dim_slider(ctx.full_dim, t("Embedding size (MRL: first d dimensions)"))
            button = gr.Button(t("Export gallery embeddings"), variant="primary")
        status = status_line("export-status")
        file = gr.File(label=t(".npz download"))
        ctx.dim_sliders.append(dim)
        connect([button.click], export_embeddings, [dim, ctx.mine], [file], status, "export_gallery")


def clamp_dim(engine: Engine, dim: float | None) -> int | None:
    """The export slider's right end means full size, whatever the model's size."""
    return None if dim is None or dim >= engine.full_dim() else int(dim)
