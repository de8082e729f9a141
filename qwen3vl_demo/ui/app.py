"""The Gradio app: the header, the tabs (one file each under ``tabs``), the footer, and the status
refresh that keeps the header, About and the size sliders current while the models load.

Handlers are thin: they turn widget values into items (``forms``), call the one shared
:class:`~qwen3vl_demo.service.engine.Engine`, and turn results into figures, tables and JSON
(``outputs``). Everything that touches a model shares one ``concurrency_id``, so model calls queue
while page loads and status polls stay fast.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from ..core import config
from ..core.config import ASSETS_DIR
from ..core.items import Item
from ..service.engine import Engine
from ..service.fetch import UrlPolicy
from .common import MODEL_EVENT, AppContext
from .guard import NoRemoteFiles, check_event_inputs, refuse_remote_files, scope_cache_by_session
from .header import TITLE, dim_slider_update, header_html
from .l10n import I18N, english_api_labels, head, locale_probe, t
from .session_cleanup import delete_files_when_sessions_end
from .strings import texts
from .tabs import about, evaluate, explain_view, inside, moments, rerank, search, similarity
from .tabs.about import DEFAULT_ADDRESS, about_markdown

CSS = """
.gradio-container {max-width: min(2200px, 96vw) !important; margin: auto;}
.run-status:empty {display: none;}
.run-status.error {padding: 8px 12px; border-radius: 8px; background: #fee2e2; color: #7f1d1d;
                   border: 1px solid #fca5a5; font-size: 0.92rem;}
.run-status.error::before {content: "⚠️ "; }
/* the page's side padding: Gradio's 32 px on a wide screen, 4 px on a phone */
.gradio-container .main.fillable {padding-left: clamp(4px, 4vw - 20px, 32px) !important;
                                  padding-right: clamp(4px, 4vw - 20px, 32px) !important;}
/* Gradio puts ".gradio-container-<version> .contain" before every selector inside @media, so
   these rules can reach only what lies inside the app's main column */
/* tables keep words whole ("similarity", not "similarit / y"): columns take their words' width and
   a table wider than its box scrolls inside it */
table, table * {word-break: normal !important; overflow-wrap: normal !important;}
#search-table th, #pdf-table th {font-size: 0.8rem;}  /* "similarity" fits its column */
/* galleries sized by their content (top-k, pages, frames): Gradio's height="auto" still keeps a
   450 px minimum (empty under one row) and a 55vh maximum (a nested scroll for 20 results) */
#search-results .grid-wrap, #pdf-results .grid-wrap, #video-frames .grid-wrap
  {min-height: 0 !important; max-height: none !important;}
@media (max-width: 640px) {
  table {table-layout: auto !important;} table col, table th {width: auto !important;}
  #search-results .grid-container, #gallery-view .grid-container, #video-frames .grid-container
    {grid-template-columns: repeat(2, minmax(0, 1fr)) !important;}
  .tab-container button {padding: 4px 7px !important; font-size: 0.82rem !important;}
  .explain-map .grid-container {padding-top: 64px !important;}  /* under its label, on two lines here */
  .explain-row.with-cells > .explain-side {display: contents;}
  .explain-row.with-cells > .explain-side > * {flex: 1 1 100% !important;}
  .explain-row.with-cells .explain-cells {order: -2;} .explain-row.with-cells .explain-map {order: -1;}
  /* plots whose labels need more than a phone's width scroll sideways inside their own box */
  #sim-plot, #ab-plot, #eval-sizes, #eval-depths, #eval-language-sizes {overflow-x: auto !important;}
  #sim-plot .js-plotly-plot {min-width: 720px;} #ab-plot .js-plotly-plot {min-width: 640px;}
  #eval-sizes .js-plotly-plot, #eval-depths .js-plotly-plot, #eval-language-sizes .js-plotly-plot {min-width: 480px;}
  /* the metrics table keeps its numbers and headers whole and scrolls sideways in its own box */
  /* (Gradio draws the header as a table and the rows as flex cells, both sized here alike) */
  #search-table th, #search-table td, #search-table .body-cell, #pdf-table th, #pdf-table td, #pdf-table .body-cell
    {width: 84px !important; min-width: 84px !important; max-width: 84px !important; flex: 0 0 84px !important;}
  #search-table th:nth-child(2), #search-table td:nth-child(2), #search-table .body-cell:nth-child(2),
  #pdf-table th:nth-child(2), #pdf-table td:nth-child(2), #pdf-table .body-cell:nth-child(2)
    {width: 200px !important; min-width: 200px !important; max-width: 200px !important; flex: 0 0 200px !important;}
  #eval-metrics th, #eval-metrics td, #eval-metrics .body-cell, #eval-languages th, #eval-languages td,
  #eval-languages .body-cell
    {width: 96px !important; min-width: 96px !important; max-width: 96px !important; flex: 0 0 96px !important;}
  #eval-languages th:first-child, #eval-languages td:first-child, #eval-languages .body-cell.first-column
    {width: 150px !important; min-width: 150px !important; max-width: 150px !important; flex: 0 0 150px !important;}
  #eval-metrics th:first-child, #eval-metrics td:first-child, #eval-metrics .body-cell.first-column
    {width: 200px !important; min-width: 200px !important; max-width: 200px !important; flex: 0 0 200px !important;}
}
/* where it matches: the map as tall as its image (no square box with bands above and below), under
   its label; the scores to click keep their heatmap colour when picked, in the page's font */
.explain-map .grid-wrap {min-height: 0 !important; max-height: none !important;}
.explain-map .grid-container {padding-top: 40px !important;}
.explain-map .thumbnail-item {aspect-ratio: auto !important; height: auto !important;}
.explain-map .thumbnail-item img {height: auto !important; max-height: 75vh;}
.explain-cells .cell-selected span {background: transparent !important; font-weight: 700;}
.explain-cells .cell-selected {box-shadow: inset 0 0 0 3px #f59e0b !important;}
.explain-cells .selection-button {display: none !important;}
.explain-cells .body-cell, .explain-cells th, .explain-cells .body-cell span {font-family: var(--font) !important;
                                                                              cursor: pointer;}
#header h1 {font-size: 1.55rem; margin: 0 0 2px 0;}
#header p {margin: 0; color: var(--body-text-color-subdued);}
.pills {display: flex; gap: 8px; flex-wrap: wrap; margin-top: 6px;}
.pill {border-radius: 999px; padding: 3px 12px; font-size: 0.86rem;
       border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary);}
.pill.ready {border-color: #14b8a6;} .pill.loading {border-color: #f59e0b;}
.pill.failed {border-color: #ef4444;}
.banner {margin-top: 6px; padding: 6px 12px; border-radius: 8px; background: #fef3c7; color: #78350f;
         font-size: 0.9rem;}
.banner.error {background: #fee2e2; color: #7f1d1d;}
.banner code {color: inherit !important; background: rgba(0, 0, 0, 0.08) !important;  /* dark mode too */
              white-space: nowrap;}  /* an option whole: "--dtype exact", never "--" at a line's end */
/* About's models table: cells on one line, scrolled sideways on a phone (not squeezed a character a line in CJK) */
#about table {display: block; overflow-x: auto; width: fit-content; max-width: 100%; padding: 0; border: none;}
#about th, #about td {white-space: nowrap;}
.limits {font-size: 0.82rem; color: var(--body-text-color-subdued);}
/* an upload box's file names whole, wrapped, not cut to "i….jpg" */
.gradio-container table.file-preview {table-layout: fixed !important;}  /* also on a phone */
.file-preview .filename {flex-wrap: wrap; min-width: 0;}
.file-preview .filename .stem {white-space: normal !important; overflow-wrap: anywhere !important;
                               word-break: break-all !important; overflow: visible !important;}
.file-preview .download {min-width: 4.5rem !important;}
"""
FOOTER = {"queries": config.MAX_QUERIES, "documents": config.MAX_DOCUMENTS, "mb": config.MAX_UPLOAD_MB,
          "minutes": config.MAX_VIDEO_SECONDS // 60}


CACHE_CLEANUP = (3600, 86400)  # (every, older than) seconds, for Gradio's upload and output files


def build_demo(engine: Engine, samples: list[Item] | None = None, urls: UrlPolicy | None = None) -> gr.Blocks:
    """The whole app around one shared :class:`Engine`; ``urls`` says whether (and how) image and
    video URLs may be fetched (off by default)."""
    # Analytics off (the app runs offline and on private machines); Gradio's own files (uploads,
    # outputs) older than a day deleted every hour, and all of them when the server stops.
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=CACHE_CLEANUP) as demo:
        locale_probe()
        with gr.Row(equal_height=True):
            header = gr.HTML(header_html(engine.status()), elem_id="status-header")
            retry_button = gr.Button(t("↻ Retry loading"), visible=False, scale=0, min_width=150)
        timer = gr.Timer(1.0)
        ctx = AppContext(engine, engine.samples if samples is None else samples, urls or UrlPolicy(), gr.State([]),
                         engine.known_full_dim() or 2048)
        with gr.Tabs():
            similarity.create_tab(ctx)
            search.create_tab(ctx)
            rerank.create_tab(ctx)
            moments.create_tab(ctx)
            inside.create_tab(ctx)
            evaluate.create_tab(ctx)
            about_text = about.create_tab(ctx)
        explain_view.api(ctx)
        gr.HTML(t(texts.FOOTER, **FOOTER), elem_classes="limits")
        wire_status(engine, ctx, header, about_text, retry_button, timer)
        demo.load(**refresh_event(engine, ctx, header, about_text, retry_button, timer),
                  api_name="status_on_load", api_visibility="private")
    queue_example_runs(demo)
    refuse_remote_files(demo)
    check_event_inputs(demo, ctx.dim_sliders)
    scope_cache_by_session(demo)
    delete_files_when_sessions_end(demo)
    english_api_labels(demo)
    return demo


def queue_example_runs(demo: gr.Blocks) -> None:
    """Examples that run on click run a model and are callable through the API like any event,
    but ``gr.Examples`` takes no queue settings: put them on the one model queue here."""
    for fn in demo.fns.values():
        if (fn.api_name or "").endswith(("_example", "_example_page")):
            fn.concurrency_id = MODEL_EVENT["concurrency_id"]
            fn.concurrency_limit = MODEL_EVENT["concurrency_limit"]


def refresh_event(engine: Engine, ctx: AppContext, header: gr.HTML, about_text: gr.Markdown,
                  retry_button: gr.Button, timer: gr.Timer) -> dict[str, Any]:
    """The status refresh as event arguments: header, About, Retry's visibility, the timer (off
    once everything has settled) and the size sliders."""

    def refresh_status(request: gr.Request | None = None) -> tuple:
        status = engine.status()
        states = [status[k]["state"] for k in ("embedding", "reranker")]
        gallery = status["gallery"]
        checking = gallery.get("confirmed") is False and states[0] != "failed"  # its probe is pending
        settled = all(s in ("ready", "failed") for s in [*states, gallery["state"]]) and not checking
        full = status["embedding"].get("full_dim")
        sliders = dim_slider_update(full, keep_value=full == ctx.full_dim)  # a visitor's choice stays
        return (header_html(status), about_markdown(status, page_address(request)),
                gr.update(visible="failed" in states and status["can_retry"]),
                gr.Timer(active=not settled), *[sliders for _ in ctx.dim_sliders])

    return {"fn": refresh_status, "inputs": None,
            "outputs": [header, about_text, retry_button, timer, *ctx.dim_sliders], "show_progress": "hidden"}


def page_address(request: gr.Request | None) -> str:
    """The address this page was opened at (for About's Python snippet), as the browser sent it."""
    host = request.headers.get("host") if request is not None else None
    if not host:
        return DEFAULT_ADDRESS
    return f"{request.headers.get('x-forwarded-proto', 'http')}://{host}/"


def wire_status(engine: Engine, ctx: AppContext, header: gr.HTML, about_text: gr.Markdown,
                retry_button: gr.Button, timer: gr.Timer) -> None:
    """The header's refresh every second while models load, Retry, and the ``/status`` endpoint."""
    refresh = refresh_event(engine, ctx, header, about_text, retry_button, timer)

    def retry(request: gr.Request) -> tuple:
        engine.retry()  # the failed models, then the gallery's index; rate-limited
        return (*refresh["fn"](request)[:3], gr.Timer(active=True))

    def status_json() -> dict:
        return engine.status()

    status_button = gr.Button(visible=False)
    status_button.click(status_json, None, gr.JSON(visible=False), api_name="status")
    timer.tick(**refresh, api_name="status_refresh", api_visibility="undocumented")
    retry_button.click(retry, None, [header, about_text, retry_button, timer], api_name="retry_loading",
                       api_visibility="undocumented")


def launch_options() -> dict[str, Any]:
    """What every launch of this app needs (theme, CSS, the assets folder, upload limit)."""
    return {
        "theme": gr.themes.Soft(primary_hue="teal", secondary_hue="slate"),
        "css": CSS,
        "allowed_paths": [str(ASSETS_DIR)],
        "max_file_size": f"{config.MAX_UPLOAD_MB}mb",
        "app_kwargs": {"middleware": [Middleware(NoRemoteFiles)]},  # Gradio fetches no URL itself
        "i18n": I18N,  # the interface's languages (ui.l10n)
        "head": head(),
    }
