"""The Gallery search tab: one query over the samples and this session's own items, optionally
reranked; and the gallery itself, where a visitor adds files, texts and (if allowed) URLs."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ...core import config
from ...core.errors import InputError
from ...core.items import check_readable, items_from_files
from ...service.fetch import fetch_to_file
from .. import forms
from ..common import EXAMPLES_LABEL, MEDIA_EVENT, MODEL_EVENT, AppContext, gpu, reporter, user_errors
from ..examples import QUERY_INSTRUCTION, SEARCH_EXAMPLES
from ..outputs import SEARCH_HEADERS, search_outputs
from ..paths import generated_dir
from ..visitor_gallery import add_to_gallery, check_room, gallery_info, gallery_items, gallery_view


def search_handlers(ctx: AppContext) -> tuple:
    """(search, search_example) for this tab's button, its Enter key and its examples."""

    @gpu
    @user_errors
    def search(query_text: str, query_image: str | None, query_video: str | None, instruction: str,
               k: float, rerank: bool, dim: float | None, mine: list[dict] | None = None,
               progress: gr.Progress = gr.Progress()) -> tuple:
        """Search the gallery (bundled samples and this session's items) and optionally rerank the top-k.

        Args:
            query_text: the query text (may accompany an image or a video)
            query_image: an image query (optional)
            query_video: a video query (optional)
            instruction: instruction for the query (empty: the default)
            k: how many results, 1 to 20
            rerank: rerank the top-k with Qwen3-VL-Reranker
            dim: embedding size, 64 to the model's full size (see /status)
        """
        query = forms.search_query(query_text, query_image, query_video)
        items = gallery_items(ctx.samples, mine or [])
        result = ctx.engine.search(query, items, forms.instruction(instruction, "query"),
                                   forms.dim_value(k) if k is not None else 5, forms.dim_value(dim),
                                   bool(rerank), None, reporter(progress))
        return search_outputs(result)

    def search_example(query_text: str, query_image: str | None, query_video: str | None,
                       instruction: str, k: float, rerank: bool,
                       progress: gr.Progress = gr.Progress()) -> tuple:
        """An example over the bundled gallery at full size."""
        return search(query_text, query_image, query_video, instruction, k, rerank, None, [], progress)

    return search, search_example


def gallery_handlers(ctx: AppContext) -> dict[str, Any]:
    """What adds to, clears and lists this session's own items."""
    samples = ctx.samples

    def shown(mine: list[dict]) -> tuple:
        return mine, gallery_view(samples, mine), gallery_info(mine, samples)

    @user_errors
    def add_files(files: Any, mine: list[dict] | None) -> tuple:
        new = items_from_files(forms.files(files))
        for item in new:  # a broken file is refused now, not at every later search
            check_readable(item)
        return (*shown(add_to_gallery(mine or [], new)), None)

    @user_errors
    def add_texts(text: str, mine: list[dict] | None) -> tuple:
        new = forms.lines(text, "text item")
        if not new:
            raise InputError("type some text to add (one item per line)")
        return (*shown(add_to_gallery(mine or [], new)), "")

    @user_errors
    def add_urls(text: str, mine: list[dict] | None) -> tuple:
        links = [line.strip() for line in (text or "").splitlines() if line.strip()]
        if not links:
            raise InputError("paste one image or video URL per line")
        mine = mine or []
        check_room(mine, len(links))  # before fetching anything
        paths = [fetch_to_file(link, str(generated_dir() / "urls"), ctx.urls) for link in links]
        new = items_from_files(paths)
        for item in new:
            check_readable(item)
        return (*shown(add_to_gallery(mine, new)), "")

    def clear_mine() -> tuple:
        return shown([])

    def list_gallery(mine: list[dict] | None) -> list[dict]:
        return [{"label": i.label, "kind": i.kind, "origin": i.origin} for i in gallery_items(samples, mine or [])]

    return {"add_files": add_files, "add_texts": add_texts, "add_urls": add_urls, "clear_mine": clear_mine,
            "list_gallery": list_gallery}


def create_tab(ctx: AppContext) -> None:
    """The tab's widgets, examples and events (inside the app's ``gr.Blocks``)."""
    search, search_example = search_handlers(ctx)
    with gr.Tab("🔎 Gallery search", id="search"):
        examples = gr.Column()
        with gr.Row():
            with gr.Column(scale=2):
                text = gr.Textbox(label="Query text", lines=2,
                                  placeholder="A woman playing with her dog on a beach at sunset.")
                with gr.Row():
                    image = gr.File(label="…or an image", file_types=["image"], height=120)
                    video = gr.File(label="…or a video", file_types=["video"], height=120)
                instruction = gr.Dropdown(ctx.presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                          label="Query instruction")
                with gr.Row():
                    k = gr.Slider(1, config.MAX_TOP_K, value=config.DEFAULT_TOP_K, step=1, label="Top-k")
                    dim = gr.Slider(config.MIN_EMBED_DIM, 2048, value=2048, step=1, label="Embedding size")
                rerank = gr.Checkbox(value=True, label="Rerank the top-k with Qwen3-VL-Reranker")
                button = gr.Button("Search", variant="primary", elem_id="search-button")
            with gr.Column(scale=3):
                results = gr.Gallery(label="Top results", columns=5, height=180, object_fit="cover",
                                     allow_preview=True, elem_id="search-results")
                table = gr.Dataframe(label="Scores and rank changes", interactive=False, headers=SEARCH_HEADERS,
                                     max_height=260, elem_id="search-table", wrap=True,
                                     column_widths=["7%", "43%", "13%", "12%", "13%", "12%"])
                cost = gr.Markdown(elem_classes="limits", elem_id="search-cost")
                with gr.Accordion("Downloads (CSV, JSON) and raw JSON", open=False):
                    files = gr.File(label="Downloads", file_count="multiple")
                    result = gr.JSON()
        inputs = [text, image, video, instruction, k, rerank, dim]
        outputs = [results, cost, table, files, result]
        with examples:
            gr.Examples(SEARCH_EXAMPLES, inputs[:-1], outputs, fn=search_example, run_on_click=True,
                        cache_examples=False, label=EXAMPLES_LABEL,
                        example_labels=["Beach & dog", "A clean bathroom", "Image → similar scenes",
                                        "Video → images"])
        create_gallery(ctx)
    ctx.dim_sliders.append(dim)
    button.click(search, [*inputs, ctx.mine], outputs, api_name="search", **MODEL_EVENT)
    text.submit(search, [*inputs, ctx.mine], outputs, api_name="search_submit", api_visibility="private",
                **MODEL_EVENT)


def create_gallery(ctx: AppContext) -> None:
    """The gallery accordion: what is in it, and how a visitor adds their own items."""
    handle = gallery_handlers(ctx)
    mine, urls = ctx.mine, ctx.urls
    with gr.Accordion("The gallery — add your own images, videos and texts", open=False):
        info = gr.Markdown(gallery_info([], ctx.samples))
        view = gr.Gallery(gallery_view(ctx.samples, []), columns=9, height=260, label="Gallery", show_label=False,
                          object_fit="cover", elem_id="gallery-view")
        with gr.Row():
            upload = gr.File(label="Upload images or videos", file_count="multiple", file_types=["image", "video"],
                             height=100, elem_id="gallery-upload")
            with gr.Column():
                text = gr.Textbox(label="Add text items — one per line", lines=2)
                with gr.Row():
                    add_text = gr.Button("Add text")
                    clear = gr.Button("Remove my items", variant="stop")
        with gr.Row(visible=urls.enabled):
            links = gr.Textbox(label="Add images or videos by URL — one per line (public http(s) only, up "
                               f"to {urls.max_bytes // 2**20} MB each)", scale=4)
            add_links = gr.Button("Fetch and add", scale=1)
    upload.upload(handle["add_files"], [upload, mine], [mine, view, info, upload], api_name="gallery_add",
                  **MEDIA_EVENT)
    add_text.click(handle["add_texts"], [text, mine], [mine, view, info, text], api_name="gallery_add_text")
    clear.click(handle["clear_mine"], None, [mine, view, info], api_name="gallery_clear")
    add_links.click(handle["add_urls"], [links, mine], [mine, view, info, links], api_name="gallery_add_urls",
                    **MEDIA_EVENT)
    list_button = gr.Button(visible=False)
    list_button.click(handle["list_gallery"], mine, gr.JSON(visible=False), api_name="gallery_list")
