"""The Gradio app: similarity heatmap, gallery search with reranking, reranker playground, about.

The only module that imports gradio. Handlers are thin: they turn widget values into
:class:`~qwen3vl_demo.gallery.Item` lists, call the :class:`~qwen3vl_demo.engine.Engine`, and
turn results into figures, tables and JSON. Everything that touches a model shares one
``concurrency_id``, so model calls queue while page loads and status polls stay fast.
"""

from __future__ import annotations

import csv
import functools
import html
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.utils import get_upload_folder

from . import config, plots
from .engine import Engine, ModelUnavailable, RerankResult, SearchResult, SimilarityResult
from .errors import InputError
from .examples import QUERY_INSTRUCTION, RERANK_EXAMPLES, SEARCH_EXAMPLES, SIMILARITY_EXAMPLES
from .fetch import UrlPolicy, fetch_to_file
from .formatting import MAX_INSTRUCTION_CHARS
from .gallery import (
    ASSETS_DIR,
    VIDEO_SUFFIXES,
    Item,
    check_readable,
    items_from_files,
    items_from_lines,
    make_item,
    text_card,
    video_poster,
)

MODEL_QUEUE = "model"  # the one concurrency_id for everything that runs a model
MODEL_EVENT = {"concurrency_id": MODEL_QUEUE, "concurrency_limit": 1}  # every event that runs one
TITLE = "Qwen3-VL Embedding & Reranker Explorer"
EXAMPLES_LABEL = "▶ Examples — one click runs them"
SEARCH_HEADERS = ["#", "item", "similarity", "sim. rank", "rerank", "moved"]
RERANK_HEADERS = ["rank", "document", "kind", "score"]


@functools.cache
def generated_dir() -> Path:
    """This process's folder for text cards, video posters and fetched URLs (made on first use)."""
    return Path(tempfile.mkdtemp(prefix="qwen3vl_demo-"))

try:  # Hugging Face ZeroGPU: a GPU is attached only while a decorated handler runs.
    import spaces

    gpu: Callable[[Callable], Callable] = spaces.GPU(duration=120)
except ImportError:  # anywhere else: a no-op
    def gpu(fn: Callable) -> Callable:
        return fn


CSS = """
.gradio-container {max-width: 1400px !important; margin: auto;}
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
.limits {font-size: 0.82rem; color: var(--body-text-color-subdued);}
"""

STATE_ICON = {"idle": "⚪", "loading": "⏳", "ready": "🟢", "failed": "🔴"}


# --- Header and about ---------------------------------------------------------------------------
def header_html(status: dict[str, Any]) -> str:
    """Title, one pill per model (state, device, dtype, load time) and any warning banner."""
    pills, banners = [], []
    for key in ("embedding", "reranker"):
        slot = status[key]
        detail = slot["state"]
        if slot["state"] == "ready" and "server_model" in slot:
            detail = f"vLLM {_short(str(slot['server_model']))} · max {slot.get('max_model_len', '?')} tokens"
        elif slot["state"] == "ready":
            detail = f"{slot['device']} · {slot['dtype']} · loaded in {slot['load_seconds']:.1f} s"
        pills.append(
            f"<span class='pill {slot['state']}'>{STATE_ICON[slot['state']]} <b>{key.title()}</b> "
            f"{html.escape(_short(slot['model']))} · {html.escape(detail)}</span>"
        )
        if slot["state"] == "failed":
            banners.append(f"<div class='banner error'>⚠️ {html.escape(slot.get('error', ''))} — "
                           "use <b>Retry loading</b>, or start the app with <code>--tiny</code> to run "
                           "offline.</div>")
    gallery = status.get("gallery", {})
    if gallery:
        state = gallery["state"]
        detail = {"waiting": "waiting for the embedder", "indexing": "indexing…",
                  "failed": "not indexed (searches embed on demand)"}.get(state, "")
        if state == "ready":
            detail = f"{gallery['source'].split(' (')[0]} · {gallery['seconds']:.1f} s"
            if gallery.get("confirmed") is False:
                detail += " · checked when the model is up"
        css = {"waiting": "loading", "indexing": "loading"}.get(state, state)
        pills.append(f"<span class='pill {css}'>🗂️ <b>Gallery</b> {gallery['items']} · "
                     f"{html.escape(detail)}</span>")
    if any(status[k].get("random_weights") for k in ("embedding", "reranker")):
        banners.append("<div class='banner'>🎲 Random-weight test model: the pipeline is real, the "
                       "scores are meaningless. Start without <code>--tiny</code> for the real models."
                       "</div>")
    return (f"<div id='header'><h1>🔭 {TITLE}</h1><p>Embed text, images, screenshots and videos into "
            "one space, search a gallery, and rerank — with the official Qwen3-VL recipe.</p>"
            f"<div class='pills'>{''.join(pills)}</div>{''.join(banners)}</div>")


def _short(model: str) -> str:
    """A hub id as is; a local directory by its folder name."""
    if os.path.isdir(model):
        return os.path.basename(os.path.normpath(model))
    return model if len(model) <= 40 else "…" + model[-39:]


def about_markdown(status: dict[str, Any]) -> str:
    dim = status["embedding"].get("full_dim", 2048)
    rows = []
    for key in ("embedding", "reranker"):
        s = status[key]
        params = f"{s['parameters'] / 1e6:,.1f} M" if "parameters" in s else "–"
        load = f"{s['load_seconds']:.1f} s" if "load_seconds" in s else "–"
        rows.append(f"| {key} | `{_short(s['model'])}` | {s['state']} | {s.get('device', '–')} | "
                    f"{s.get('dtype', '–')} | {s.get('attention', '–')} | {params} | {load} |")
    memory = ", ".join(f"{k.replace('_gib', '')}: {v} GiB" for k, v in status["memory"].items())
    return f"""
### Models
| role | model | state | device | dtype | attention | parameters | load time |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

**Memory:** {memory} · **cached embeddings:** {status['cached_embeddings']}

### How it works
Inputs are formatted exactly as the official Qwen3-VL-Embedding code does (instruction as the system
message, then videos, images and texts; images resized to multiples of 32 px within 4–1800 visual
tokens; videos sampled at 1 fps, at most 64 frames, with a timestamp before every pair of frames).
The embedding is the last token's hidden state, L2-normalised; smaller sizes (MRL, 64 to full) keep
the first *d* numbers and renormalise. The reranker scores *sigmoid(logit(yes) − logit(no))*.

### Limits
{config.MAX_QUERIES} queries and {config.MAX_DOCUMENTS} documents per similarity request,
{config.MAX_RERANK_DOCUMENTS} documents per rerank, {config.MAX_SESSION_ITEMS} items of your own in the
gallery (visible only to your session), {config.MAX_UPLOAD_MB} MB per upload, videos up to
{config.MAX_VIDEO_SECONDS // 60} minutes.

### Call it from Python
```python
from gradio_client import Client, handle_file

client = Client("http://127.0.0.1:7860/")  # or the Space id
dim = client.predict(api_name="/status")["embedding"]["full_dim"]  # {dim} here; 64..{dim} allowed
heatmap, cost, table, downloads, result = client.predict(
    query_text="A woman playing with her dog on a beach at sunset.",
    query_files=[], query_instruction="{QUERY_INSTRUCTION}",
    document_text="A dog runs on the sand.", document_files=[handle_file("photo.jpg")],
    pair_text="", pair_image=None, document_instruction="", dim=dim,
    api_name="/similarity",
)
print(result["scores"])  # [n_queries][n_documents]

cards, cost, table, downloads, hits = client.predict(
    "a bathroom", None, None, "{QUERY_INSTRUCTION}", 5, True, dim, api_name="/search")
chart, cost, table, downloads, ranked = client.predict(
    "cyclists", None, "", "A bike lane.\\nA kitchen.", [], api_name="/rerank")
```
"""


def dim_slider_update(full: int | None) -> Any:
    """The MRL slider once the embedder's full size is known (a slider needs min < max)."""
    if not full:
        return gr.update()
    if full <= config.MIN_EMBED_DIM:
        return gr.update(minimum=full - 1, maximum=full, value=full, interactive=False)
    return gr.update(minimum=config.MIN_EMBED_DIM, maximum=full, value=full, interactive=True)


# --- Error handling ------------------------------------------------------------------------------
def user_errors(fn: Callable) -> Callable:
    """Bad input and unavailable models become a clear message; the app keeps serving."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            raise gr.Error(f"Input problem — {exc}", title="Check your input") from None
        except ModelUnavailable as exc:
            raise gr.Error(str(exc), title="Model unavailable") from None

    return wrapper


def as_example(fn: Callable) -> Callable:
    """``fn`` under another name for ``gr.Examples``: Examples register their run under the function's
    name, which would otherwise take the ``api_name`` of the button's own event."""

    @functools.wraps(fn)
    def example(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    example.__name__ = f"{fn.__name__}_example"
    return example


def _progress(progress: gr.Progress) -> Callable[[float, str], None]:
    return lambda fraction, message: progress(fraction, desc=message)


def _dim(value: Any) -> int | None:
    """The slider's value as an MRL size; None (full size) when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _files(value: Any) -> list[str]:
    """Paths from a file widget, each checked to be an upload or a bundled sample."""
    if not value:
        return []
    values = value if isinstance(value, list) else [value]
    return [allowed_file(v if isinstance(v, str) else getattr(v, "name", str(v))) for v in values if v]


def allowed_file(path: str) -> str:
    """``path`` if it is a file Gradio received as an upload or a bundled sample; anything else
    (``/etc/passwd``, ``../`` tricks, other local files named through the API) is refused."""
    real = os.path.realpath(path)
    roots = [os.path.realpath(root) for root in (get_upload_folder(), ASSETS_DIR, generated_dir())]
    if not any(real.startswith(root + os.sep) for root in roots):
        raise InputError(f"{os.path.basename(path) or path}: only uploaded files and the bundled "
                         "samples can be used")
    return path


def _one_file(value: Any) -> str:
    files = _files(value)
    return files[0] if files else ""


def _check_text(text: str | None, what: str) -> str:
    """``text`` if within the app's length limit (the models' context holds about that much)."""
    text = text or ""
    if len(text) > config.MAX_TEXT_CHARS:
        raise InputError(f"{what} has {len(text):,} characters; the limit is {config.MAX_TEXT_CHARS:,}")
    return text


def query_item(text: str | None, file: Any) -> Item:
    """The query of a text box and an optional file; InputError if both are empty."""
    query = make_item(_check_text(text, "the query"), _one_file(file))
    if not query.text and not query.path:
        raise InputError("type a query, or give an image or a video")
    return query


def _lines(text: str | None, what: str) -> list[Item]:
    """One text item per non-empty line, each within the app's length limit."""
    items = items_from_lines(text)
    for number, item in enumerate(items, start=1):
        _check_text(item.text, f"{what} line {number}")
    return items


def _instruction(text: str | None, what: str) -> str:
    if text and len(text) > MAX_INSTRUCTION_CHARS:
        raise InputError(f"the {what} instruction has {len(text):,} characters; the limit is "
                         f"{MAX_INSTRUCTION_CHARS:,}")
    return text or ""


# --- Outputs -------------------------------------------------------------------------------------
def _downloads(name: str, header: list[str], rows: list[list[Any]], data: dict) -> list[str]:
    """The numbers as CSV and the whole result as JSON, side by side in a fresh folder."""
    directory = Path(tempfile.mkdtemp(prefix="qwen3vl-results-"))
    csv_path, json_path = directory / f"{name}.csv", directory / f"{name}.json"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return [str(csv_path), str(json_path)]


def similarity_outputs(result: SimilarityResult) -> tuple[Any, str, dict, list[str], dict]:
    """Heatmap, cost line, table, CSV + JSON downloads, and the JSON result."""
    columns = plots.axis_labels(result.documents, "D")
    rows = [[label, *[round(float(v), 4) for v in row]]
            for label, row in zip(plots.axis_labels(result.queries, "Q"), result.scores, strict=True)]
    title = f"Cosine similarity · {result.dim} dims · {result.seconds:.2f} s"
    figure = plots.heatmap(result.scores, result.queries, result.documents, title)
    data = result.to_json()
    return (figure, result.cost.summary(), {"headers": ["query", *columns], "data": rows},
            _downloads("similarity", ["query", *columns], rows, data), data)


def _preview(item: Item) -> str:
    """A picture for galleries: the image, a video's first frame, or a card with the text."""
    if item.kind == "text":
        return text_card(item.text, generated_dir())
    if item.path.lower().endswith(VIDEO_SUFFIXES):
        try:
            return video_poster(item.path, generated_dir())
        except InputError:
            return text_card(f"🎞️ {item.name}\n(no preview)", generated_dir())
    return item.path


def search_outputs(result: SearchResult) -> tuple[list[tuple[str, str]], str, dict, list[str], dict]:
    """Result cards, cost line, table, CSV + JSON downloads, and the JSON result."""
    cards, rows = [], []
    for position, hit in enumerate(result.hits, start=1):
        score = hit.score if hit.rerank_score is None else hit.rerank_score
        moved = f" {_move_text(hit.move)}" if result.reranked else ""
        cards.append((_preview(hit.item), f"#{position} · {score:.3f}{moved}"))
        rows.append([position, f"{hit.item.icon} {hit.item.label}", round(hit.score, 4), hit.rank,
                     None if hit.rerank_score is None else round(hit.rerank_score, 4),
                     _move_text(hit.move) if result.reranked else ""])
    headers = SEARCH_HEADERS
    data = result.to_json()
    return (cards, result.cost.summary(), {"headers": headers, "data": rows},
            _downloads("search", headers, rows, data), data)


def _move_text(move: int) -> str:
    return f"▲ {move}" if move > 0 else f"▼ {-move}" if move < 0 else "="


def rerank_outputs(result: RerankResult) -> tuple[Any, str, dict, list[str], dict]:
    """Bar chart, cost line, table, CSV + JSON downloads, and the JSON result."""
    labels = [d.label for d in result.documents]
    figure = plots.score_bars(labels, result.scores, f"Reranker scores · {result.seconds:.2f} s")
    rows = [[r + 1, labels[i], result.documents[i].kind, round(result.scores[i], 4)]
            for r, i in enumerate(result.order)]
    headers = RERANK_HEADERS
    data = result.to_json()
    return (figure, result.cost.summary(), {"headers": headers, "data": rows},
            _downloads("rerank", headers, rows, data), data)


# --- Gallery state -------------------------------------------------------------------------------
def gallery_items(samples: list[Item], mine: list[dict]) -> list[Item]:
    return samples + [Item.from_dict(d) for d in mine]


def gallery_view(samples: list[Item], mine: list[dict]) -> list[tuple[str, str]]:
    return [(_preview(item), ("⭐ " if item.origin == "user" else "") + item.label)
            for item in gallery_items(samples, mine)]


def gallery_info(mine: list[dict], samples: list[Item]) -> str:
    return (f"**{len(samples) + len(mine)} items** — {len(samples)} bundled samples, {len(mine)} of "
            f"yours (⭐, visible only in this browser session; up to {config.MAX_SESSION_ITEMS}).")


def check_room(mine: list[dict], count: int) -> None:
    """Refuse ``count`` more items when the session's gallery would pass its limit."""
    if len(mine) + count > config.MAX_SESSION_ITEMS:
        raise InputError(f"your gallery can hold {config.MAX_SESSION_ITEMS} items; it has {len(mine)} "
                         f"and {count} more were given")


def add_to_gallery(mine: list[dict], new: list[Item]) -> list[dict]:
    check_room(mine, len(new))
    return mine + [item.to_dict() for item in new]


# --- The app -------------------------------------------------------------------------------------
def build_demo(engine: Engine, samples: list[Item] | None = None, urls: UrlPolicy | None = None) -> gr.Blocks:
    """The whole app around one shared :class:`Engine`; ``urls`` says whether (and how) image and
    video URLs may be fetched (off by default)."""
    samples = engine.samples if samples is None else samples
    urls = urls or UrlPolicy()
    presets = list(config.INSTRUCTION_PRESETS)

    # -- Handlers (thin; errors become messages) --
    @gpu
    @user_errors
    def embed(query_text: str, query_files: Any, query_instruction: str, document_text: str,
              document_files: Any, pair_text: str, pair_image: str | None, document_instruction: str,
              dim: float | None, progress: gr.Progress = gr.Progress()) -> tuple:
        """Embed queries and documents with Qwen3-VL-Embedding and score every pair (cosine).

        Args:
            query_text: text queries, one per line
            query_files: image queries
            query_instruction: instruction for the queries (empty: the default)
            document_text: text documents, one per line
            document_files: image or video documents
            pair_text: text of one combined text+image document (optional)
            pair_image: image of that combined document (optional)
            document_instruction: instruction for the documents (empty: the default)
            dim: embedding size, 64 to the model's full size (see /status)
        """
        queries = _lines(query_text, "query") + items_from_files(_files(query_files))
        documents = _lines(document_text, "document") + items_from_files(_files(document_files))
        if pair_image:
            documents.append(make_item(_check_text(pair_text, "the pair text"), _one_file(pair_image)))
        elif (pair_text or "").strip():
            raise InputError("the text+image pair has text but no image")
        if not queries:
            raise InputError("add at least one query: a line of text or an image")
        if not documents:
            raise InputError("add at least one document: a line of text, an image or a video")
        result = engine.similarity(queries, documents, _instruction(query_instruction, "query"),
                                   _instruction(document_instruction, "document"), _dim(dim),
                                   _progress(progress))
        return similarity_outputs(result)

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
        if query_image and query_video:
            raise InputError("give one image or one video as the query, not both")
        query = query_item(query_text, query_image or query_video)
        items = gallery_items(samples, mine or [])
        result = engine.search(query, items, _instruction(instruction, "query"),
                               _dim(k) if k is not None else 5, _dim(dim), bool(rerank), None,
                               _progress(progress))
        return search_outputs(result)

    @gpu
    @user_errors
    def rerank(query_text: str, query_file: str | None = None, instruction: str = "", document_text: str = "",
               document_files: list[str] | None = None, progress: gr.Progress = gr.Progress()) -> tuple:
        """Score documents against a query with Qwen3-VL-Reranker (relevance in 0..1, sorted).

        Args:
            query_text: the query text
            query_file: an image or video query (optional)
            instruction: the reranker instruction (empty: the default)
            document_text: text documents, one per line
            document_files: image or video documents
        """
        query = query_item(query_text, query_file)
        documents = _lines(document_text, "document") + items_from_files(_files(document_files))
        if not documents:
            raise InputError("add at least one document: a line of text, an image or a video")
        return rerank_outputs(engine.rerank(documents, query, _instruction(instruction, "reranker"),
                                            _progress(progress)))

    def similarity_example(query_text: str, query_files: Any, query_instruction: str, document_text: str,
                           document_files: Any, pair_text: str, pair_image: str | None,
                           document_instruction: str, progress: gr.Progress = gr.Progress()) -> tuple:
        """An example at the model's full embedding size, whatever the slider says."""
        return embed(query_text, query_files, query_instruction, document_text, document_files,
                              pair_text, pair_image, document_instruction, None, progress)

    def search_example(query_text: str, query_image: str | None, query_video: str | None,
                       instruction: str, k: float, rerank: bool,
                       progress: gr.Progress = gr.Progress()) -> tuple:
        """An example over the bundled gallery at full size."""
        return search(query_text, query_image, query_video, instruction, k, rerank, None, [], progress)

    @user_errors
    def add_files(files: Any, mine: list[dict] | None) -> tuple:
        new = items_from_files(_files(files))
        for item in new:  # a broken file is refused now, not at every later search
            check_readable(item)
        mine = add_to_gallery(mine or [], new)
        return mine, gallery_view(samples, mine), gallery_info(mine, samples), None

    @user_errors
    def add_texts(text: str, mine: list[dict] | None) -> tuple:
        new = _lines(text, "text item")
        if not new:
            raise InputError("type some text to add (one item per line)")
        mine = add_to_gallery(mine or [], new)
        return mine, gallery_view(samples, mine), gallery_info(mine, samples), ""

    @user_errors
    def add_urls(text: str, mine: list[dict] | None) -> tuple:
        links = [line.strip() for line in (text or "").splitlines() if line.strip()]
        if not links:
            raise InputError("paste one image or video URL per line")
        mine = mine or []
        check_room(mine, len(links))  # before fetching anything
        paths = [fetch_to_file(link, str(generated_dir() / "urls"), urls) for link in links]
        new = items_from_files(paths)
        for item in new:
            check_readable(item)
        mine = add_to_gallery(mine, new)
        return mine, gallery_view(samples, mine), gallery_info(mine, samples), ""

    def clear_mine() -> tuple:
        return [], gallery_view(samples, []), gallery_info([], samples)

    def list_gallery(mine: list[dict] | None) -> list[dict]:
        return [{"label": i.label, "kind": i.kind, "origin": i.origin}
                for i in gallery_items(samples, mine or [])]

    def refresh_status() -> tuple:
        status = engine.status()
        states = [status[k]["state"] for k in ("embedding", "reranker")]
        gallery = status["gallery"]
        checking = gallery.get("confirmed") is False and states[0] != "failed"  # its probe is pending
        settled = all(s in ("ready", "failed") for s in [*states, gallery["state"]]) and not checking
        full = status["embedding"].get("full_dim")
        return (header_html(status), about_markdown(status), gr.update(visible="failed" in states),
                gr.Timer(active=not settled), dim_slider_update(full), dim_slider_update(full))

    def retry() -> tuple:
        for slot in (engine.embedder, engine.reranker):
            if slot.state == "failed":
                slot.start()
        return (*refresh_status()[:3], gr.Timer(active=True))

    def status_json() -> dict:
        return engine.status()

    # -- Layout --
    with gr.Blocks(title=TITLE) as demo:
        with gr.Row(equal_height=True):
            header = gr.HTML(header_html(engine.status()), elem_id="status-header")
            retry_button = gr.Button("↻ Retry loading", visible=False, scale=0, min_width=150)
        timer = gr.Timer(1.0)
        mine = gr.State([])

        with gr.Tabs():
            with gr.Tab("🔥 Similarity", id="similarity"):
                sim_examples = gr.Column()  # filled below, once the inputs exist
                with gr.Row():
                    with gr.Column():
                        gr.Markdown("#### Queries")
                        q_text = gr.Textbox(label="Text queries — one per line", lines=3,
                                            placeholder="A woman playing with her dog on a beach at sunset.")
                        q_files = gr.File(label="Image queries", file_count="multiple",
                                          file_types=["image"], height=110)
                        q_instruction = gr.Dropdown(presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                                    label="Query instruction (pick or type your own)")
                    with gr.Column():
                        gr.Markdown("#### Documents")
                        d_text = gr.Textbox(label="Text documents — one per line", lines=3)
                        d_files = gr.File(label="Images, screenshots, videos", file_count="multiple",
                                          file_types=["image", "video"], height=150)
                        with gr.Accordion("Text + image pair (one combined document)", open=False):
                            with gr.Row():
                                pair_text = gr.Textbox(label="Pair text", lines=2)
                                pair_image = gr.File(label="Pair image", file_types=["image"], height=120)
                        d_instruction = gr.Dropdown(presets, value=config.EMBED_DEFAULT_INSTRUCTION,
                                                    allow_custom_value=True, label="Document instruction")
                with gr.Row():
                    sim_dim = gr.Slider(config.MIN_EMBED_DIM, 2048, value=2048, step=1,
                                        label="Embedding size (MRL: first d dimensions, renormalised)")
                    sim_button = gr.Button("Compute similarity", variant="primary", scale=0, min_width=220,
                                           elem_id="sim-button")
                sim_plot = gr.Plot(label="Similarity heatmap", show_label=False, elem_id="sim-plot")
                sim_cost = gr.Markdown(elem_classes="limits", elem_id="sim-cost")
                with gr.Accordion("Numbers, downloads (CSV, JSON) and raw JSON", open=False):
                    sim_table = gr.Dataframe(label="Scores", interactive=False, elem_id="sim-table")
                    sim_csv = gr.File(label="Downloads", file_count="multiple")
                    sim_json = gr.JSON(label="Result (as the API returns it)")
                sim_inputs = [q_text, q_files, q_instruction, d_text, d_files, pair_text, pair_image,
                              d_instruction, sim_dim]
                sim_outputs = [sim_plot, sim_cost, sim_table, sim_csv, sim_json]
                with sim_examples:
                    gr.Examples(SIMILARITY_EXAMPLES, sim_inputs[:-1], sim_outputs, fn=similarity_example,
                                run_on_click=True, cache_examples=False, label=EXAMPLES_LABEL,
                                example_labels=["Beach & dog vs photos, a video and a pair",
                                                "Image queries vs images and a video",
                                                "Text vs paper figures"])

            with gr.Tab("🔎 Gallery search", id="search"):
                search_examples = gr.Column()
                with gr.Row():
                    with gr.Column(scale=2):
                        s_text = gr.Textbox(label="Query text", lines=2,
                                            placeholder="A woman playing with her dog on a beach at sunset.")
                        with gr.Row():
                            s_image = gr.File(label="…or an image", file_types=["image"], height=120)
                            s_video = gr.File(label="…or a video", file_types=["video"], height=120)
                        s_instruction = gr.Dropdown(presets, value=QUERY_INSTRUCTION, allow_custom_value=True,
                                                    label="Query instruction")
                        with gr.Row():
                            s_k = gr.Slider(1, config.MAX_TOP_K, value=config.DEFAULT_TOP_K, step=1,
                                            label="Top-k")
                            s_dim = gr.Slider(config.MIN_EMBED_DIM, 2048, value=2048, step=1,
                                              label="Embedding size")
                        s_rerank = gr.Checkbox(value=True, label="Rerank the top-k with Qwen3-VL-Reranker")
                        s_button = gr.Button("Search", variant="primary", elem_id="search-button")
                    with gr.Column(scale=3):
                        s_results = gr.Gallery(label="Top results", columns=5, height=180, object_fit="cover",
                                               allow_preview=True, elem_id="search-results")
                        s_table = gr.Dataframe(label="Scores and rank changes", interactive=False,
                                               headers=SEARCH_HEADERS,
                                               max_height=260, elem_id="search-table", wrap=True,
                                               column_widths=["7%", "43%", "13%", "12%", "13%", "12%"])
                        s_cost = gr.Markdown(elem_classes="limits", elem_id="search-cost")
                        with gr.Accordion("Downloads (CSV, JSON) and raw JSON", open=False):
                            s_files = gr.File(label="Downloads", file_count="multiple")
                            s_json = gr.JSON()
                s_inputs = [s_text, s_image, s_video, s_instruction, s_k, s_rerank, s_dim]
                s_outputs = [s_results, s_cost, s_table, s_files, s_json]
                with search_examples:
                    gr.Examples(SEARCH_EXAMPLES, s_inputs[:-1], s_outputs, fn=search_example,
                                run_on_click=True, cache_examples=False, label=EXAMPLES_LABEL,
                                example_labels=["Beach & dog", "A clean bathroom", "Image → similar scenes",
                                                "Video → images"])
                with gr.Accordion("The gallery — add your own images, videos and texts", open=False):
                    g_info = gr.Markdown(gallery_info([], samples))
                    g_view = gr.Gallery(gallery_view(samples, []), columns=9, height=260, label="Gallery",
                                        show_label=False, object_fit="cover", elem_id="gallery-view")
                    with gr.Row():
                        g_files = gr.File(label="Upload images or videos", file_count="multiple",
                                          file_types=["image", "video"], height=100, elem_id="gallery-upload")
                        with gr.Column():
                            g_text = gr.Textbox(label="Add text items — one per line", lines=2)
                            with gr.Row():
                                g_add_text = gr.Button("Add text")
                                g_clear = gr.Button("Remove my items", variant="stop")
                    with gr.Row(visible=urls.enabled):
                        g_urls = gr.Textbox(label="Add images or videos by URL — one per line (public "
                                            f"http(s) only, up to {urls.max_bytes // 2**20} MB each)",
                                            scale=4)
                        g_add_urls = gr.Button("Fetch and add", scale=1)

            with gr.Tab("⚖️ Reranker", id="rerank"):
                rerank_examples = gr.Column()
                with gr.Row():
                    with gr.Column():
                        r_query = gr.Textbox(label="Query text", lines=2)
                        r_query_file = gr.File(label="…and/or a query image or video",
                                               file_types=["image", "video"], height=100)
                        r_instruction = gr.Textbox(value=config.RERANK_DEFAULT_INSTRUCTION,
                                                   label="Instruction")
                    with gr.Column():
                        r_docs = gr.Textbox(label="Text documents — one per line", lines=4)
                        r_files = gr.File(label="Image / video documents", file_count="multiple",
                                          file_types=["image", "video"], height=150)
                r_button = gr.Button("Rerank", variant="primary", elem_id="rerank-button")
                with gr.Row():
                    r_plot = gr.Plot(label="Scores", show_label=False, elem_id="rerank-plot")
                    with gr.Column():
                        r_cost = gr.Markdown(elem_classes="limits", elem_id="rerank-cost")
                        r_table = gr.Dataframe(label="Ranking", interactive=False, elem_id="rerank-table",
                                               headers=RERANK_HEADERS)
                        with gr.Accordion("Downloads (CSV, JSON) and raw JSON", open=False):
                            r_files = gr.File(label="Downloads", file_count="multiple")
                            r_json = gr.JSON()
                r_inputs = [r_query, r_query_file, r_instruction, r_docs, r_files]
                r_outputs = [r_plot, r_cost, r_table, r_files, r_json]
                with rerank_examples:
                    gr.Examples(RERANK_EXAMPLES, r_inputs, r_outputs, fn=as_example(rerank), run_on_click=True,
                                cache_examples=False, label=EXAMPLES_LABEL,
                                example_labels=["Beach & dog: text and photos", "Image query vs captions",
                                                "Text vs videos and photos"])

            from .ui_inside import build_inside_tab  # it builds on this module's helpers

            build_inside_tab(engine, samples, mine)

            with gr.Tab("ℹ️ About", id="about"):
                about = gr.Markdown(about_markdown(engine.status()), elem_id="about")

        gr.HTML(f"<p class='limits'>Limits: {config.MAX_QUERIES} queries · {config.MAX_DOCUMENTS} "
                f"documents · {config.MAX_UPLOAD_MB} MB per file · videos up to "
                f"{config.MAX_VIDEO_SECONDS // 60} min · "
                "your uploads stay in your session. Sample media: Qwen3-VL-Embedding repository "
                "(Apache-2.0), see assets/NOTICE.md.</p>")

        # -- Events: every model call shares one queue; api_name on all --
        sim_button.click(embed, sim_inputs, sim_outputs, api_name="similarity",
                         scroll_to_output=True, **MODEL_EVENT)
        s_button.click(search, [*s_inputs, mine], s_outputs, api_name="search", **MODEL_EVENT)
        s_text.submit(search, [*s_inputs, mine], s_outputs, api_name="search_submit",
                      api_visibility="private", **MODEL_EVENT)
        r_button.click(rerank, r_inputs, r_outputs, api_name="rerank", **MODEL_EVENT)
        g_files.upload(add_files, [g_files, mine], [mine, g_view, g_info, g_files], api_name="gallery_add")
        g_add_text.click(add_texts, [g_text, mine], [mine, g_view, g_info, g_text],
                         api_name="gallery_add_text")
        g_clear.click(clear_mine, None, [mine, g_view, g_info], api_name="gallery_clear")
        g_add_urls.click(add_urls, [g_urls, mine], [mine, g_view, g_info, g_urls],
                         api_name="gallery_add_urls", concurrency_id="fetch", concurrency_limit=4)
        list_button = gr.Button(visible=False)
        list_button.click(list_gallery, mine, gr.JSON(visible=False), api_name="gallery_list")
        status_button = gr.Button(visible=False)
        status_button.click(status_json, None, gr.JSON(visible=False), api_name="status")
        status_outputs = [header, about, retry_button, timer, sim_dim, s_dim]
        timer.tick(refresh_status, None, status_outputs, api_name="status_refresh",
                   api_visibility="undocumented", show_progress="hidden")
        demo.load(refresh_status, None, status_outputs, api_name="status_on_load", api_visibility="private",
                  show_progress="hidden")
        retry_button.click(retry, None, [header, about, retry_button, timer], api_name="retry_loading",
                           api_visibility="undocumented")
    return demo


def launch_options() -> dict[str, Any]:
    """What every launch of this app needs (theme, CSS, the assets folder, upload limit)."""
    return {
        "theme": gr.themes.Soft(primary_hue="teal", secondary_hue="slate"),
        "css": CSS,
        "allowed_paths": [str(ASSETS_DIR)],
        "max_file_size": f"{config.MAX_UPLOAD_MB}mb",
    }

