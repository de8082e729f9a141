"""The Gallery search tab: one query over the samples and this session's own items, optionally
reranked; and the gallery itself, where a visitor adds files, texts and (if allowed) URLs."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ...core import config
from ...core.errors import InputError
from ...core.items import Item, check_readable, group_item
from ...service.fetch import fetch_to_file
from .. import forms, video_options
from ..common import (
    ENGLISH_INSTRUCTIONS,
    EXAMPLES_LABEL,
    MEDIA_EVENT,
    ONE_DOCUMENT_BEFORE_UPLOAD,
    UPLOAD_HEIGHT,
    UPLOAD_HEIGHT_LONG_LABEL,
    AppContext,
    connect,
    example_run,
    reporter,
    status_line,
    user_errors,
)
from ..examples import QUERY_INSTRUCTION, SEARCH_EXAMPLES
from ..header import dim_slider, video_controls
from ..l10n import t
from ..outputs import SEARCH_COLUMN_WIDTHS, SEARCH_HEADERS, search_outputs
from ..paths import generated_dir
from ..previews import upload_strip
from ..visitor_gallery import (
    add_what_fits,
    added_note,
    gallery_info,
    gallery_items,
    gallery_view,
    remove_choices,
    removed_note,
    without_one,
)
from . import pdf_search


def search_handlers(ctx: AppContext) -> tuple:
    """(search, search_example) for this tab's button, its Enter key and its examples."""

    @user_errors
    def search(query_text: str, query_image: str | None, query_video: str | None, instruction: str,
               k: float, rerank: bool, dim: float | None, fps: float | None = None,
               max_frames: float | None = None, mine: list[dict] | None = None,
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
            fps: frames per second sampled from the query video and your own videos (empty: 1)
            max_frames: most frames per video (empty: 64); one that would not fit gets fewer
        """
        query = forms.search_query(query_text, query_image, query_video)
        (query, *own), notes = video_options.fitted([query, *gallery_items([], mine or [])], fps, max_frames)
        result = ctx.engine.search(query, [*ctx.samples, *own], forms.instruction(instruction, "query"),
                                   forms.dim_value(k) if k is not None else 5, forms.dim_value(dim),
                                   bool(rerank), None, reporter(progress))
        return video_options.with_notes(search_outputs(result), notes)

    def search_example(query_text: str, query_image: str | None, query_video: str | None,
                       instruction: str, k: float, rerank: bool,
                       progress: gr.Progress = gr.Progress()) -> tuple:
        """An example over the bundled gallery at full size."""
        return search(query_text, query_image, query_video, instruction, k, rerank, None, None, None, [], progress)

    return search, search_example


def readable_items(paths: list[str], room: int, notes: list[str],
                   as_one: bool = False) -> tuple[list[Item], list[str]]:
    """(the files' items that can be read, a PDF's pages among them, one message per file that
    cannot); ``as_one``: all of them as one document. ``notes`` gets what a PDF's limits left out."""
    good, refused = [], []
    for path in paths:
        try:
            items = forms.file_items([path], max(1, room - len(good)), notes)
            for item in items:
                check_readable(item)  # a broken file is refused now, not at every later search
        except InputError as exc:
            refused.append(str(exc))
        else:
            good += items
    if as_one and good:
        try:
            good = [group_item(good)]
        except InputError as exc:
            return [], [*refused, str(exc)]
    return good, refused


RESULT_COLUMNS = 5


def gallery_handlers(ctx: AppContext) -> dict[str, Any]:
    """What adds to, clears and lists this session's own items. None of them blanks the gallery:
    what can be added is added, and the note above the gallery names what was left out."""
    samples = ctx.samples

    def shown(mine: list[dict], note: str = "") -> tuple:
        return mine, gallery_view(samples, mine), gallery_info(mine, samples) + note

    def added(mine: list[dict], new: list[Item], refused: list[str], cleared: Any) -> tuple:
        mine, new, refused = add_what_fits(mine, new, refused)
        return (*shown(mine, added_note(new, refused)), cleared)

    def refuse(mine: list[dict], message: str) -> tuple:
        return (*shown(mine, added_note([], [message])), gr.skip())

    def add_files(files: Any, mine: list[dict] | None, one_document: bool = False) -> tuple:
        mine, notes = mine or [], []
        try:
            paths = forms.files(files)
        except InputError as exc:
            return (*shown(mine, added_note([], [str(exc)])), None)
        good, refused = readable_items(paths, config.MAX_SESSION_ITEMS - len(mine), notes, bool(one_document))
        return added(mine, good, [*refused, *notes], None)

    def add_texts(text: str, mine: list[dict] | None) -> tuple:
        try:
            new = forms.lines(text, "text item")
        except InputError as exc:
            return refuse(mine or [], str(exc))
        if not new:
            return refuse(mine or [], "type some text to add (one item per line)")
        return added(mine or [], new, [], "")

    def add_urls(text: str, mine: list[dict] | None) -> tuple:
        links = [line.strip() for line in (text or "").splitlines() if line.strip()]
        if not links:
            return refuse(mine or [], "paste one image or video URL per line")
        mine = mine or []
        room = config.MAX_SESSION_ITEMS - len(mine)
        paths, refused = [], [f"{link}: the gallery is full" for link in links[max(room, 0):]]
        for link in links[: max(room, 0)]:  # nothing fetched that would not fit
            try:
                paths.append(fetch_to_file(link, str(generated_dir() / "urls"), ctx.urls))
            except InputError as exc:
                refused.append(str(exc))
        notes: list[str] = []
        good, unreadable = readable_items(paths, max(room, 0), notes)
        return added(mine, good, refused + unreadable + notes, "")

    def remove_one(which: str, mine: list[dict] | None) -> tuple:
        """Remove exactly one of this session's items: ``which`` is its id (the menu's value) or,
        for API callers, its label (the first item of that label)."""
        mine = mine or []
        kept, label = without_one(mine, which)
        if label is None:
            return (*shown(mine, added_note([], [f"{which or 'nothing'} is not one of your items"])), gr.skip())
        return (*shown(kept, removed_note(label)), None)

    def clear_mine() -> tuple:
        return shown([], removed_note())

    def list_gallery(mine: list[dict] | None) -> list[dict]:
        return [{"label": i.label, "kind": i.kind, "origin": i.origin} for i in gallery_items(samples, mine or [])]

    def choices(mine: list[dict] | None) -> Any:
        """The 'remove it' menu: this session's items, numbered (two may share a label)."""
        return gr.update(choices=remove_choices(mine or []))

    def pick(mine: list[dict] | None, event: gr.SelectData) -> Any:
        """A click on one of your items in the gallery picks it in the 'remove it' menu."""
        index = event.index if isinstance(event.index, int) else -1
        own = index - len(samples)
        if not mine or not 0 <= own < len(mine):
            return gr.skip()
        return gr.update(value=remove_choices(mine)[own][1])

    return {"choices": choices, "pick": pick, "add_files": add_files, "add_texts": add_texts, "add_urls": add_urls,
            "clear_mine": clear_mine,
            "remove_one": remove_one, "list_gallery": list_gallery}


def create_tab(ctx: AppContext) -> None:
    """The tab's widgets, examples and events (inside the app's ``gr.Blocks``)."""
    search, search_example = search_handlers(ctx)
    with gr.Tab(t("🔎 Gallery search"), id="search"):
        examples = gr.Column()
        with gr.Row():
            with gr.Column(scale=2):
                text = gr.Textbox(label=t("Query text"), lines=2,
                                  placeholder=t("Type a query, e.g. a dog on a beach (or run an example above)"))
                with gr.Row():
                    with gr.Column(min_width=160):
                        image = gr.File(label=t("…or an image"), file_types=["image"], height=UPLOAD_HEIGHT,
                                        elem_id="search-image")
                        upload_strip(image, "search-image")
                    with gr.Column(min_width=160):
                        video = gr.File(label=t("…or a video"), file_types=["video"], height=UPLOAD_HEIGHT,
                                        elem_id="search-video")
                        upload_strip(video, "search-video")
                instruction = gr.Dropdown(ctx.presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                          label=t("Query instruction"), info=ENGLISH_INSTRUCTIONS)
                with gr.Row():
                    k = gr.Slider(1, config.MAX_TOP_K, value=config.DEFAULT_TOP_K, step=1, label=t("Top-k"))
                    dim = dim_slider(ctx.full_dim, t("Embedding size"))
                with gr.Row():
                    fps, max_frames = video_controls()
                rerank = gr.Checkbox(value=True, label=t("Rerank the top-k with Qwen3-VL-Reranker"))
                button = gr.Button(t("Search"), variant="primary", elem_id="search-button")
                status = status_line("search-status")
            with gr.Column(scale=3):
                results = gr.Gallery(label=t("Top results"), columns=RESULT_COLUMNS, height="auto",  # grows with top-k
                                     object_fit="cover",
                                     allow_preview=True, elem_id="search-results")
                table = gr.Dataframe(label=t("Scores and rank changes"), interactive=False, headers=SEARCH_HEADERS,
                                     max_height=1200, elem_id="search-table", wrap=True,
                                     column_widths=SEARCH_COLUMN_WIDTHS)
                cost = gr.Markdown(label=t("Cost"), elem_classes="limits", elem_id="search-cost")
                with gr.Accordion(t("Downloads (CSV, JSON) and raw JSON"), open=False):
                    files = gr.File(label=t("Downloads"), file_count="multiple")
                    result = gr.JSON(label=t("Result"))
        inputs = [text, image, video, instruction, k, rerank, dim, fps, max_frames]
        outputs = [results, cost, table, files, result]
        with examples:
            gr.Examples(SEARCH_EXAMPLES, inputs[:6], **example_run(search_example, outputs, status),
                        label=EXAMPLES_LABEL,
                        example_labels=["Beach & dog", "A clean bathroom", "Image → similar scenes",
                                        "Video → images", "🌐 Chinese → photos", "🌐 Arabic → photos",
                                        "🌐 Hindi → paper figures", "🌐 Spanish → photos and videos",
                                        "🌐 Japanese → photos"])
        create_gallery(ctx)
        ctx.dim_sliders.append(dim)
        connect([button.click, text.submit], search, [*inputs, ctx.mine], outputs, status, "search")
        pdf_search.create_section(ctx)


def create_gallery(ctx: AppContext) -> None:
    """The gallery accordion: what is in it, and how a visitor adds their own items."""
    handle = gallery_handlers(ctx)
    mine, urls = ctx.mine, ctx.urls
    with gr.Accordion(t("The gallery — add your own images, videos and texts"), open=False):
        info = gr.Markdown(gallery_info([], ctx.samples), elem_id="gallery-info")
        view = gr.Gallery(gallery_view(ctx.samples, []), columns=9, height=260, label=t("Gallery"), show_label=False,
                          object_fit="cover", elem_id="gallery-view")
        with gr.Row():
            with gr.Column():
                upload = gr.File(label=t("Upload images, videos or PDFs (a PDF: one item per page)"),
                                 file_count="multiple", file_types=["image", "video", ".pdf"],
                                 height=UPLOAD_HEIGHT_LONG_LABEL,
                                 elem_id="gallery-upload")
                upload_strip(upload, "gallery-upload", "Just uploaded (now in the gallery above, unless named here):",
                             on_upload=True)
                one_document = gr.Checkbox(False, label=ONE_DOCUMENT_BEFORE_UPLOAD,
                                           elem_id="gallery-one-document")
            with gr.Column():
                text = gr.Textbox(label=t("Add text items — one per line"), lines=2)
                add_text = gr.Button(t("Add text"))
                with gr.Row():
                    one = gr.Dropdown([], label=t("One of your items"), scale=3, allow_custom_value=True,
                                      elem_id="gallery-remove-choice")
                    remove = gr.Button(t("Remove it"), scale=1)
                clear = gr.Button(t("Remove all my items"), variant="stop")
        with gr.Row(visible=urls.enabled):
            links = gr.Textbox(label=t("Add images or videos by URL — one per line (public http(s) only, up to {mb} "
                                       "MB each)", mb=urls.max_bytes // 2**20), scale=4)
            add_links = gr.Button(t("Fetch and add"), scale=1)
    upload.upload(handle["add_files"], [upload, mine, one_document], [mine, view, info, upload],
                  api_name="gallery_add", **MEDIA_EVENT)
    add_text.click(handle["add_texts"], [text, mine], [mine, view, info, text], api_name="gallery_add_text")
    clear.click(handle["clear_mine"], None, [mine, view, info], api_name="gallery_clear")
    remove.click(handle["remove_one"], [one, mine], [mine, view, info, one], api_name="gallery_remove")
    view.select(handle["pick"], mine, one, api_name="gallery_pick", api_visibility="private",
                show_progress="hidden")
    mine.change(handle["choices"], mine, one, api_name="gallery_choices", api_visibility="private",
                show_progress="hidden")
    add_links.click(handle["add_urls"], [links, mine], [mine, view, info, links], api_name="gallery_add_urls",
                    **MEDIA_EVENT)
    list_button = gr.Button(visible=False)
    list_button.click(handle["list_gallery"], mine, gr.JSON(visible=False), api_name="gallery_list")
