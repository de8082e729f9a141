"""The "Inside the embeddings" tab: sizes and quantization, instruction A/B, the map, the video
inspector and the export. Built inside ``ui.build_demo``'s Blocks; the computations live in
``insights`` and ``analysis``."""

from __future__ import annotations

from typing import Any

import gradio as gr

from . import config, insights, plots
from .engine import Engine
from .errors import InputError
from .examples import QUERY_INSTRUCTION
from .gallery import ASSETS_DIR, Item
from .ui import (
    EXAMPLES_LABEL,
    MODEL_EVENT,
    _instruction,
    _lines,
    _move_text,
    _one_file,
    as_example,
    gallery_items,
    gpu,
    query_item,
    user_errors,
)

QUANTIZATION_NOTE = (
    "**How the vectors are stored.** *float d*: the first *d* numbers of the embedding, renormalised "
    "(MRL). *int8*: each dimension scaled to −128…127 with that dimension's minimum and maximum over "
    "the gallery (scalar quantization, as vector databases do it; the query uses the same ranges). "
    "*binary*: one sign bit per dimension, packed 8 per byte, compared by Hamming similarity "
    "(its score error is measured on the cosine it estimates, cos(π·Hamming/d)). Everything is "
    "compared with float at full size: how many of its top-k are kept, and how far the scores move."
)


def build_inside_tab(engine: Engine, samples: list[Item], mine: gr.State) -> None:
    """The tab's widgets and events (call inside a ``gr.Blocks`` context)."""
    presets = list(config.INSTRUCTION_PRESETS)

    @gpu
    @user_errors
    def compare_storage(text: str, file: Any, instruction: str, k: float,
                        session: list[dict] | None = None) -> tuple:
        report = insights.compare_storage(engine, query_item(text, file), gallery_items(samples, session or []),
                                          _instruction(instruction, "query"), int(k))
        rows = [[s.name, s.bytes_per_vector, round(s.overlap, 3), round(s.mean_error, 4), round(s.max_error, 4),
                 ", ".join(report.gallery[i].label.split(" (")[0] for i in s.ranking[: report.k])]
                for s in report.settings]
        figure = plots.storage_chart([s.name for s in report.settings], [s.overlap for s in report.settings],
                                     [s.mean_error for s in report.settings], report.k)
        headers = ["setting", "bytes / vector", f"overlap@{report.k}", "mean error", "max error", "top-k"]
        return figure, {"headers": headers, "data": rows}, report.to_json()

    @gpu
    @user_errors
    def compare_instructions(text: str, file: Any, instruction_a: str, instruction_b: str, k: float,
                             session: list[dict] | None = None) -> tuple:
        a, b = _instruction(instruction_a, "first"), _instruction(instruction_b, "second")
        result = insights.compare_instructions(engine, query_item(text, file), gallery_items(samples, session or []),
                                               a, b)
        shown = [row for row in result.rows if row[1] <= k or row[2] <= k]
        labels = [result.gallery[i].label for i, _, _ in shown]
        figure = plots.instruction_slope(labels, [r[1] for r in shown], [r[2] for r in shown],
                                         a or config.EMBED_DEFAULT_INSTRUCTION, b or config.EMBED_DEFAULT_INSTRUCTION)
        rows = [[result.gallery[i].label, ra, round(float(result.scores_a[i]), 4), rb,
                 round(float(result.scores_b[i]), 4), _move_text(ra - rb)] for i, ra, rb in shown]
        headers = ["item", "rank A", "score A", "rank B", "score B", "moved"]
        return figure, {"headers": headers, "data": rows}, result.to_json()

    @gpu
    @user_errors
    def draw_map(text: str, instruction: str, k: float, session: list[dict] | None = None) -> tuple:
        queries = _lines(text, "query")[: config.MAX_QUERIES]
        result = insights.embedding_map(engine, gallery_items(samples, session or []), queries,
                                        _instruction(instruction, "query"), int(k or 0))
        figure = plots.embedding_map(result.items, result.points, result.clusters, result.is_query)
        how = "chosen by the best silhouette" if result.silhouettes else "chosen by you"
        scores = ", ".join(f"k={k}: {v:.3f}" for k, v in result.silhouettes.items())
        note = f"**{result.k} clusters** ({how}{'; ' + scores if scores else ''}). Colours: k-means on the " \
               "full embeddings; positions: the first two principal components. Stars are your queries."
        return figure, note, result.to_json()

    @gpu
    @user_errors
    def inspect(video: Any, fps: float | None, max_frames: float | None) -> tuple:
        path = _one_file(video)
        if not path:
            raise InputError("give a video to inspect")
        frames = None if max_frames in (None, "") else int(max_frames)
        result = insights.inspect_video(engine, path, fps or None, frames)
        captions = [f"frame {n + 1} · group {n // 2 + 1} · {result.timestamps[n // 2]:.1f} s"
                    for n in range(len(result.frames))]
        h, w = result.size
        note = (f"**{len(result.frames)} frames** of {result.source_frames} ({result.source_fps:.1f} fps) → "
                f"{len(result.timestamps)} temporal groups of {h // 32 * w // 32} tokens at {w}×{h} px = "
                f"**{result.visual_tokens} visual tokens** in a {result.prompt_tokens}-token prompt · "
                f"decoding {result.decode_s:.2f} s · embedding {result.embed_s:.2f} s. Each pair of frames "
                "is one temporal group, announced by a timestamp like `<0.6 seconds>`.")
        return list(zip(result.frames, captions, strict=True)), note, result.to_json()

    @gpu
    @user_errors
    def export_embeddings(dim: float | None, session: list[dict] | None = None) -> str:
        """The gallery's embeddings as .npz (embeddings [n, dim], names, kinds, dim, model).

        Args:
            dim: embedding size; the model's full size or more means full size
        """
        return insights.export_gallery(engine, gallery_items(samples, session or []), _clamp_dim(engine, dim))

    with gr.Tab("🔬 Inside the embeddings", id="inside"):
        gr.Markdown("See the properties the model card promises: smaller and quantized vectors, "
                    "instruction awareness, clusters of mixed media, and what a video becomes. "
                    "Everything runs on the gallery of the *Gallery search* tab (samples + your items).")
        with gr.Tab("📏 Sizes & quantization"):
            with gr.Row():
                q_text = gr.Textbox(label="Query", value="", scale=3)
                q_file = gr.File(label="…or an image / video query", file_types=["image", "video"], height=90,
                                 scale=2)
                q_instruction = gr.Dropdown(presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                            label="Query instruction", scale=3)
                q_k = gr.Slider(1, config.MAX_TOP_K, value=5, step=1, label="k", scale=1)
            storage_button = gr.Button("Compare storage settings", variant="primary")
            storage_plot = gr.Plot(show_label=False, elem_id="storage-plot")
            storage_table = gr.Dataframe(interactive=False, wrap=True, elem_id="storage-table")
            gr.Markdown(QUANTIZATION_NOTE, elem_classes="limits")
            with gr.Accordion("Raw JSON", open=False):
                storage_json = gr.JSON()
            storage_inputs = [q_text, q_file, q_instruction, q_k]
            storage_outputs = [storage_plot, storage_table, storage_json]
            gr.Examples([["A woman playing with her dog on a beach at sunset.", None, QUERY_INSTRUCTION, 5],
                         ["A bar chart in a scientific paper.", None,
                          "Find a document image that matches the given query.", 3]],
                        storage_inputs, storage_outputs, fn=as_example(compare_storage), run_on_click=True,
                        cache_examples=False, label=EXAMPLES_LABEL, example_labels=["Beach & dog", "Paper figure"])

        with gr.Tab("🔀 Instruction A/B"):
            with gr.Row():
                ab_text = gr.Textbox(label="Query", scale=3)
                ab_file = gr.File(label="…or an image / video query", file_types=["image", "video"], height=90,
                                  scale=2)
                ab_k = gr.Slider(1, config.MAX_TOP_K, value=6, step=1, label="show the top", scale=1)
            with gr.Row():
                ab_a = gr.Dropdown(presets, value="Find images matching this description.",
                                   allow_custom_value=True, label="Instruction A")
                ab_b = gr.Dropdown(presets, value="Find a document image that matches the given query.",
                                   allow_custom_value=True, label="Instruction B")
            ab_button = gr.Button("Rank under both", variant="primary")
            ab_plot = gr.Plot(show_label=False, elem_id="ab-plot")
            ab_table = gr.Dataframe(interactive=False, wrap=True, elem_id="ab-table")
            with gr.Accordion("Raw JSON", open=False):
                ab_json = gr.JSON()
            ab_inputs = [ab_text, ab_file, ab_a, ab_b, ab_k]
            ab_outputs = [ab_plot, ab_table, ab_json]
            gr.Examples([["charts and diagrams", None, "Find images matching this description.",
                          "Find a document image that matches the given query.", 6],
                         ["people riding bicycles", None, "Retrieve images or text relevant to the user's query.",
                          "Find a video that contains the following visual content.", 6]],
                        ab_inputs, ab_outputs, fn=as_example(compare_instructions), run_on_click=True,
                        cache_examples=False, label=EXAMPLES_LABEL,
                        example_labels=["Photos vs documents", "Images vs videos"])

        with gr.Tab("🗺️ Map"):
            with gr.Row():
                map_text = gr.Textbox(label="Queries to place on the map — one per line (optional)", lines=2,
                                      scale=3)
                map_instruction = gr.Dropdown(presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                              label="Query instruction", scale=2)
                map_k = gr.Slider(0, 8, value=0, step=1, label="clusters k (0 = best silhouette)", scale=1)
            map_button = gr.Button("Draw the map", variant="primary")
            map_note = gr.Markdown()
            map_plot = gr.Plot(show_label=False, elem_id="map-plot")
            with gr.Accordion("Raw JSON", open=False):
                map_json = gr.JSON()
            map_inputs = [map_text, map_instruction, map_k]
            map_outputs = [map_plot, map_note, map_json]
            gr.Examples([["A bathroom.\nCyclists in a city.", QUERY_INSTRUCTION, 0],
                         ["", QUERY_INSTRUCTION, 3]], map_inputs, map_outputs, fn=as_example(draw_map),
                        run_on_click=True, cache_examples=False, label=EXAMPLES_LABEL,
                        example_labels=["Auto k + 2 queries", "k = 3"])

        with gr.Tab("🎞️ Video inspector"):
            with gr.Row():
                video = gr.File(label="Video", file_types=["video"], height=90, scale=3)
                video_fps = gr.Number(value=config.VIDEO_DEFAULT_FPS, label="fps sampled", minimum=0.1,
                                      maximum=30, scale=1)
                video_frames = gr.Number(value=config.VIDEO_DEFAULT_MAX_FRAMES, label="max frames", minimum=2,
                                         maximum=768, precision=0, scale=1)
            video_button = gr.Button("Show what the model sees", variant="primary")
            video_note = gr.Markdown()
            video_gallery = gr.Gallery(columns=6, height=300, object_fit="contain", show_label=False,
                                       elem_id="video-frames")
            with gr.Accordion("Raw JSON", open=False):
                video_json = gr.JSON()
            video_inputs = [video, video_fps, video_frames]
            video_outputs = [video_gallery, video_note, video_json]
            gr.Examples([[str(ASSETS_DIR / "videos" / "cycling.mp4"), 1.0, 64],
                         [str(ASSETS_DIR / "videos" / "bathrooms.mp4"), 2.0, 8]],
                        video_inputs, video_outputs, fn=as_example(inspect), run_on_click=True, cache_examples=False,
                        label=EXAMPLES_LABEL, example_labels=["cycling.mp4 at 1 fps", "bathrooms.mp4, 2 fps, 8 frames"])

        with gr.Tab("📦 Export"):
            gr.Markdown("The gallery's embeddings (samples + your items) as a NumPy `.npz`: `embeddings` "
                        "[n, dim] float32 L2-normalised, `names`, `kinds`, `dim`, `model`. Every result "
                        "elsewhere has its own CSV and JSON downloads.")
            with gr.Row():
                export_dim = gr.Slider(config.MIN_EMBED_DIM, 4096, value=4096, step=1,
                                       label="Embedding size (above the model's size = full size)")
                export_button = gr.Button("Export gallery embeddings", variant="primary")
            export_file = gr.File(label=".npz download")

    storage_button.click(compare_storage, [*storage_inputs, mine], storage_outputs, api_name="compare_storage",
                         **MODEL_EVENT)
    ab_button.click(compare_instructions, [*ab_inputs, mine], ab_outputs, api_name="instruction_ab",
                    **MODEL_EVENT)
    map_button.click(draw_map, [*map_inputs, mine], map_outputs, api_name="embedding_map", **MODEL_EVENT)
    video_button.click(inspect, video_inputs, video_outputs, api_name="inspect_video", **MODEL_EVENT)
    export_button.click(export_embeddings, [export_dim, mine], export_file, api_name="export_gallery", **MODEL_EVENT)


def _clamp_dim(engine: Engine, dim: float | None) -> int | None:
    """The export slider's right end means full size, whatever the model's size."""
    return None if dim is None or dim >= engine.full_dim() else int(dim)
