"""Where it matches: a view, composed into a tab, that shows which regions of the image (as the
model saw it) and which words make a pair's score, and the ``/explain`` API endpoint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr
import numpy as np
from PIL import Image

from ...core import config
from ...core.errors import InputError
from ...core.explain import MAX_CELLS, MAX_FRAMES, Explanation
from ...core.items import Item, make_item
from ...service import moments as mm
from .. import forms, video_options
from ..common import MODEL_EVENT, AppContext, connect, status_line, user_errors
from ..l10n import t
from ..paths import generated_dir
from ..visitor_gallery import gallery_items

METHODS = [("Occlusion (faithful, one pass per region)", "occlusion"),
           ("Gradient (fast, one pass and one backward)", "gradient")]
ABOUT = ("Red: regions that raise the score; blue: regions that lower it. **Occlusion** hides each region (up to "
         "{cells} per map) and scores again: faithful. **Gradient** estimates the same from one backward pass: faster, "
         "less faithful. A map shows what moves this model's score, not what the image means; a video is explained at "
         "up to {frames} frames.")
DEFAULT_OPACITY = 0.55


@dataclass(frozen=True)
class Pick:
    """The pair a view explains, with the options its tab scored it with."""

    query: Item
    document: Item
    option: Any = None  # the MRL size (embedding) or the reranker's instruction
    query_instruction: str | None = None
    document_instruction: str | None = None


def chosen(items: list[Item], number: Any, what: str) -> Item:
    """The ``number``-th (from 1) of ``items``; InputError naming the range otherwise."""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if not isinstance(number, int) or not 1 <= number <= len(items):
        raise InputError(f"{what} # must be between 1 and {len(items)}, got {number!r}")
    return items[number - 1]


def overlay(seen: np.ndarray, grid: np.ndarray, opacity: float) -> Image.Image:
    """The map over one image as the model saw it: red where a region raises the score, blue where
    it lowers it, each token's colour as strong as its value against the map's largest."""
    top = float(np.abs(grid).max()) or 1.0
    scaled = np.clip(grid / top, -1.0, 1.0)
    height, width = seen.shape[:2]
    tokens = Image.fromarray(((scaled + 1) * 127.5).astype(np.uint8)).resize((width, height), Image.Resampling.BILINEAR)
    value = np.asarray(tokens).astype(np.float32) / 127.5 - 1
    colour = np.where(value[..., None] > 0, np.array([230, 30, 30]), np.array([30, 80, 230]))
    alpha = (np.abs(value) * float(opacity))[..., None]
    return Image.fromarray((seen * (1 - alpha) + colour * alpha).astype(np.uint8))


def gallery(found: Explanation, opacity: float) -> list[tuple[Image.Image, str]]:
    """The map drawn over the image, or over each frame group of a video, the strongest first."""
    if found.grid.ndim == 2:
        return [(overlay(found.seen, found.grid, opacity), f"{found.side} as the model saw it")]
    return [(overlay(found.seen[i], found.grid[i], opacity), f"frame group {i + 1}") for i in found.frame_order()]


def words(found: Explanation) -> list[tuple[str, float | None]]:
    """The text side's words, each with its weight against the largest (for HighlightedText)."""
    top = max((abs(w.weight) for w in found.words), default=0.0) or 1.0
    return [(f"{w.word} ", round(w.weight / top, 3)) for w in found.words]


def summary(found: Explanation, remembered: bool) -> str:
    kind = "similarity" if found.model == "embedding" else "relevance"
    again = " (remembered: no model ran this time)" if remembered else ""
    words_from = f"; words of the {found.words_side}" if found.words else ""
    return (f"**{kind} {found.score:.4f}** · map of the {found.side}{words_from} · {found.how()}{again}")


def drawn(found: Explanation, opacity: float) -> Any:
    """The gallery's update: one image across the whole width, a video's frame groups two a row."""
    return gr.Gallery(gallery(found, opacity), columns=1 if found.grid.ndim == 2 else 2)


def outputs_of(found: Explanation, remembered: bool, opacity: float) -> tuple:
    return drawn(found, opacity), words(found), summary(found, remembered), found


def create(ctx: AppContext, prefix: str, model: str, pick: Callable[..., Pick], tab_inputs: list,
           example: Pick | Callable[[], Pick], example_label: str,
           numbers: tuple[str | None, str] = ("Query #", "Document #")) -> None:
    """The view, inside a tab: its controls, the map, the words and the line on how it was made.
    ``pick(*tab values, query #, document #)`` makes the pair from the tab's own inputs; ``numbers``
    labels the two numbers (None: no query number, the tab has one query); ``example`` is the
    one-click example's pair, or makes it."""

    @user_errors
    def show(*values: Any) -> tuple:
        *tab_values, query_no, document_no, method, opacity = values
        chosen_pair = pick(*tab_values, query_no, document_no)
        found, remembered = ctx.engine.explain(chosen_pair.query, chosen_pair.document, model, method,
                                               chosen_pair.option, chosen_pair.query_instruction,
                                               chosen_pair.document_instruction)
        return outputs_of(found, remembered, opacity)

    @user_errors
    def show_example(method: str, opacity: float) -> tuple:
        shown = example() if callable(example) else example
        found, remembered = ctx.engine.explain(shown.query, shown.document, model, method, shown.option,
                                               shown.query_instruction, shown.document_instruction)
        return outputs_of(found, remembered, opacity)

    with gr.Accordion(t("🔎 Where it matches"), open=False, elem_id=f"{prefix}-explain"):
        gr.Markdown(t(ABOUT, cells=MAX_CELLS, frames=MAX_FRAMES), elem_classes="limits")
        with gr.Row():
            query_no = gr.Number(1, precision=0, minimum=1, label=t(numbers[0]) if numbers[0] else "", min_width=90,
                                 visible=numbers[0] is not None, elem_id=f"{prefix}-explain-query")
            document_no = gr.Number(1, precision=0, minimum=1, label=t(numbers[1]), min_width=90,
                                    elem_id=f"{prefix}-explain-document")
            method = gr.Radio(METHODS, value="occlusion", label=t("Method"), elem_id=f"{prefix}-explain-method")
            opacity = gr.Slider(0, 1, DEFAULT_OPACITY, step=0.05, label=t("Map opacity"),
                                elem_id=f"{prefix}-explain-opacity")
        with gr.Row():
            button = gr.Button(t("Show where it matches"), variant="primary", elem_id=f"{prefix}-explain-button")
            example_button = gr.Button(t("▶ Example: {label}", label=example_label),
                                       elem_id=f"{prefix}-explain-example")
        status = status_line(f"{prefix}-explain-status")
        with gr.Row():
            maps = gr.Gallery(label=t("The map over the image as the model saw it"), columns=1, height="auto",
                              object_fit="contain", elem_id=f"{prefix}-explain-map")
            with gr.Column():
                highlighted = gr.HighlightedText(label=t("Words (red raises the score, blue lowers it)"),
                                                 elem_id=f"{prefix}-explain-words")
                how = gr.Markdown(elem_classes="limits", elem_id=f"{prefix}-explain-how")
        state = gr.State()
        outputs = [maps, highlighted, how, state]
        connect([button.click], show, [*tab_inputs, query_no, document_no, method, opacity], outputs, status,
                f"{prefix}_explain")
        connect([example_button.click], show_example, [method, opacity], outputs, status, f"{prefix}_explain_example")
        # redrawn from the map kept in the page's state: no model, so off the model queue, but bounded
        opacity.release(lambda found, value: gr.skip() if found is None else drawn(found, value), [state, opacity],
                        maps, api_visibility="private", concurrency_limit=2, concurrency_id="redraw")


def similarity_pick(q_text: str, q_files: Any, q_instruction: str, d_text: str, d_files: Any, pair_text: str,
                    pair_image: Any, d_instruction: str, dim: Any, fps: Any, max_frames: Any, d_one: bool,
                    query_no: Any, document_no: Any) -> Pick:
    """The Similarity tab's query # and document #, at its size and instructions."""
    queries, documents = forms.similarity_items(q_text, q_files, d_text, d_files, pair_text, pair_image, None,
                                                bool(d_one))
    documents, _ = video_options.fitted(documents, fps, max_frames)
    return Pick(chosen(queries, query_no, "query"), chosen(documents, document_no, "document"),
                forms.dim_value(dim), forms.instruction(q_instruction, "query"),
                forms.instruction(d_instruction, "document"))


def rerank_pick(query_text: str, query_file: Any, instruction: str, document_text: str, document_files: Any,
                one_document: bool, query_no: Any, document_no: Any) -> Pick:
    """The Reranker tab's query and document #, with its instruction."""
    del query_no  # one query
    query, documents = forms.rerank_items(query_text, query_file, document_text, document_files, None,
                                          bool(one_document))
    return Pick(query, chosen(documents, document_no, "document"), forms.instruction(instruction, "reranker"))


def search_pick(ctx: AppContext) -> Callable[..., Pick]:
    """The Gallery search tab's query and its result # (in the embedder's order, before any
    reranking), at the tab's size and instruction."""

    def pick(query_text: str, query_image: Any, query_video: Any, instruction: str, k: Any, rerank: bool, dim: Any,
             fps: Any, max_frames: Any, mine: list[dict] | None, query_no: Any, result_no: Any) -> Pick:
        del rerank, query_no
        query = forms.search_query(query_text, query_image, query_video)
        (query, *own), _ = video_options.fitted([query, *gallery_items([], mine or [])], fps, max_frames)
        size, chosen_instruction = forms.dim_value(dim), forms.instruction(instruction, "query")
        found = ctx.engine.search(query, [*ctx.samples, *own], chosen_instruction,
                                  forms.dim_value(k) if k is not None else config.DEFAULT_TOP_K, size)
        hit = chosen([h.item for h in found.hits], result_no, "result")
        return Pick(query, hit, size, chosen_instruction)

    return pick


def moments_pick(ctx: AppContext) -> Callable[..., Pick]:
    """The Moments tab's query # and moment # (its windows by similarity to that query, best first):
    the window as the list of frames it was embedded as, each frame group mapped."""

    def pick(query_text: str, video: Any, instruction: str, length: Any, stride: Any, rerank: bool,
             query_image: Any, query_no: Any, moment_no: Any) -> Pick:
        del rerank
        image = forms.one_file(query_image)
        queries = forms.lines(query_text, "query")[: config.MAX_QUERIES - 1]
        queries += [make_item(path=image)] if image else []
        if not queries or not video:
            raise InputError("give a video and at least one query")
        chosen_instruction = forms.instruction(instruction, "query")
        found = mm.find_moments(ctx.engine, forms.one_file(video), queries, chosen_instruction, float(length),
                                float(stride), generated_dir(), lambda *_: None)
        query = chosen(queries, query_no, "query")
        best = [found.items[int(i)] for i in np.argsort(-found.scores[queries.index(query)], kind="stable")]
        return Pick(query, chosen(best, moment_no, "moment"), None, chosen_instruction)

    return pick


def moments_example(ctx: AppContext) -> Callable[[], Pick]:
    """The Moments example's first query and its best window."""
    video = str(config.ASSETS_DIR / "videos" / "cycling.mp4")
    return lambda: moments_pick(ctx)("Cyclists riding in a bike lane.", video,
                                     "Find a video that contains the following visual content.", 4, 2, False, None,
                                     1, 1)


SAMPLE = config.ASSETS_DIR / "images" / "img_0.jpg"
SIMILARITY_EXAMPLE = Pick(make_item("a motorbike on a mountain road"), make_item("", str(SAMPLE), origin="sample"))
RERANK_EXAMPLE = SIMILARITY_EXAMPLE
SEARCH_EXAMPLE = Pick(make_item("a clean bathroom"), make_item("", str(config.ASSETS_DIR / "images" / "img_7.jpg"),
                                                               origin="sample"))


def api(ctx: AppContext) -> None:
    """``/explain``: the map of one pair for API callers (and the MCP tool with ``--mcp``)."""

    @user_errors
    def explain(query_text: str = "", query_file: str | None = None, document_text: str = "",
                document_file: str | None = None, model: str = "embedding", method: str = "occlusion",
                dim: float | None = None, instruction: str = "") -> dict[str, Any]:
        """Where a pair's score comes from: a map over the image (or video) side's merged visual tokens
        and the text side's words, each with how much it moves the score.

        Args:
            query_text: the query's text
            query_file: the query's image or video (optional)
            document_text: the document's text
            document_file: the document's image, video or page image (optional)
            model: "embedding" (cosine similarity) or "reranker" (relevance)
            method: "occlusion" (faithful) or "gradient" (fast)
            dim: the embedding size (empty: full)
            instruction: the reranker's instruction (empty: the default)
        """
        query, document = forms.query_item(query_text, query_file), forms.query_item(document_text, document_file)
        option = forms.dim_value(dim) if model == "embedding" else forms.instruction(instruction, "reranker")
        found, remembered = ctx.engine.explain(query, document, model, method, option)
        return {"grid": found.grid.round(6).tolist(), "shape": list(found.shape), "score": found.score,
                "method": found.method, "model": found.model, "side": found.side, "kind": found.kind,
                "words": [{"word": w.word, "weight": w.weight} for w in found.words], "words_side": found.words_side,
                "cell": list(found.cell), "seconds": found.seconds, "how_made_and_cost": found.how(),
                "remembered": remembered}

    inputs = [gr.Textbox(label="query text", visible=False), gr.File(label="query file", visible=False),
              gr.Textbox(label="document text", visible=False), gr.File(label="document file", visible=False),
              gr.Textbox("embedding", label="model", visible=False),
              gr.Textbox("occlusion", label="method", visible=False),
              gr.Number(None, label="Embedding size", visible=False), gr.Textbox(label="instruction", visible=False)]
    gr.Button(visible=False).click(explain, inputs, gr.JSON(visible=False), api_name="explain", **MODEL_EVENT)
