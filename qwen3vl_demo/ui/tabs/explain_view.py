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
from ...core.items import Item, make_item, snippet
from ...service import moments as mm
from .. import forms, plots, video_options
from ..common import MODEL_EVENT, AppContext, connect, status_line, user_errors
from ..l10n import t
from ..paths import generated_dir
from ..visitor_gallery import gallery_items

METHODS = [("Occlusion (faithful)", "occlusion"), ("Gradient (fast)", "gradient")]  # the text above says more
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
    model: str | None = None  # the model whose score is mapped, where the tab decides (None: the view's)


@dataclass(frozen=True)
class View:
    """A view's controls; a tab picks its pair another way too (a click on a page card) through
    the two numbers."""

    query_no: gr.Number
    document_no: gr.Number
    method: gr.Radio
    opacity: gr.Slider
    button: gr.Button
    example_button: gr.Button
    status: gr.HTML


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
    if found.grid.ndim == 2:  # no caption: the view's label says what it is, a caption would hide its foot
        return [(overlay(found.seen, found.grid, opacity), None)]
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


def explained(ctx: AppContext, model: str, shown: Pick, method: str, opacity: float) -> tuple:
    """The view's outputs for the pair ``shown`` (scored by its own model where it names one)."""
    found, remembered = ctx.engine.explain(shown.query, shown.document, shown.model or model, method, shown.option,
                                           shown.query_instruction, shown.document_instruction)
    return outputs_of(found, remembered, opacity)


def create(ctx: AppContext, prefix: str, model: str, pick: Callable[..., Pick], tab_inputs: list,
           example: Pick | Callable[[], Pick], example_label: str,
           numbers: tuple[str | None, str] = ("Query #", "Document #"),
           scores_from: gr.Dataframe | None = None) -> View:
    """The view, inside a tab: its controls, the map, the words and the line on how it was made.
    ``pick(*tab values, query #, document #)`` makes the pair from the tab's own inputs; ``numbers``
    labels the two numbers (None: no query number, the tab has one query); ``example`` is the
    one-click example's pair, or makes it. ``scores_from``: the tab's table of scores (queries by
    documents), shown beside the map coloured like the heatmap, a click on a score mapping its pair."""

    @user_errors
    def show(*values: Any) -> tuple:
        *tab_values, query_no, document_no, method, opacity = values
        return explained(ctx, model, pick(*tab_values, query_no, document_no), method, opacity)

    @user_errors
    def show_example(method: str, opacity: float) -> tuple:
        return explained(ctx, model, example() if callable(example) else example, method, opacity)

    with gr.Accordion(t("🔎 Where it matches"), open=False, elem_id=f"{prefix}-explain"):
        gr.Markdown(t(ABOUT, cells=MAX_CELLS, frames=MAX_FRAMES), elem_classes="limits")
        view = controls(prefix, numbers, example_label)
        # with scores to click: on a phone the scores first, then the map, then the words
        with gr.Row(elem_classes=["explain-row"] + (["with-cells"] if scores_from is not None else [])):
            maps = gr.Gallery(label=t("The map over the image as the model saw it"), columns=1, height="auto",
                              object_fit="contain", elem_id=f"{prefix}-explain-map", elem_classes="explain-map")
            with gr.Column(elem_classes="explain-side"):
                cells = None if scores_from is None else score_cells(prefix, scores_from)
                highlighted = gr.HighlightedText(label=t("Words (red raises the score, blue lowers it)"),
                                                 elem_id=f"{prefix}-explain-words")
                how = gr.Markdown(elem_classes="limits", elem_id=f"{prefix}-explain-how")
        state = gr.State()
        outputs = [maps, highlighted, how, state]
        triggers = [view.button.click]
        if cells is not None:  # a click on a score: its two numbers, then the map as the button makes it
            triggers.append(cells.select(cell_numbers, None, [view.query_no, view.document_no],
                                         api_visibility="private", queue=False).then)
        connect(triggers, show, [*tab_inputs, view.query_no, view.document_no, view.method, view.opacity], outputs,
                view.status, f"{prefix}_explain")
        connect([view.example_button.click], show_example, [view.method, view.opacity], outputs, view.status,
                f"{prefix}_explain_example")
        # redrawn from the map kept in the page's state: no model, so off the model queue, but bounded
        view.opacity.release(lambda found, value: gr.skip() if found is None else drawn(found, value),
                             [state, view.opacity], maps, api_visibility="private", concurrency_limit=2,
                             concurrency_id="redraw")
    return view


def controls(prefix: str, numbers: tuple[str | None, str], example_label: str) -> View:
    """The two numbers, the method, the opacity, the buttons and the line for a refused request."""
    with gr.Row():
        query_no = gr.Number(1, precision=0, minimum=1, label=t(numbers[0]) if numbers[0] else "", min_width=90,
                             visible=numbers[0] is not None, elem_id=f"{prefix}-explain-query")
        document_no = gr.Number(1, precision=0, minimum=1, label=t(numbers[1]), min_width=90,
                                elem_id=f"{prefix}-explain-document")
        method = gr.Radio(METHODS, value="occlusion", label=t("Method"), min_width=260,  # its own line on a phone
                          elem_id=f"{prefix}-explain-method")
        opacity = gr.Slider(0, 1, DEFAULT_OPACITY, step=0.05, label=t("Map opacity"), min_width=220,
                            elem_id=f"{prefix}-explain-opacity")
    with gr.Row():
        button = gr.Button(t("Show where it matches"), variant="primary", elem_id=f"{prefix}-explain-button")
        example_button = gr.Button(t("▶ Example: {label}", label=example_label), elem_id=f"{prefix}-explain-example")
    return View(query_no, document_no, method, opacity, button, example_button,
                status_line(f"{prefix}-explain-status"))


# --- Picking a pair by its score (the Similarity heatmap's cells) ---------------------------------
def score_cells(prefix: str, scores_from: gr.Dataframe) -> gr.Dataframe:
    """The scores again, coloured like the heatmap, each a click away from its pair's map (a plot
    reports no clicks to the server; a table's cells do, through ``select``)."""
    cells = gr.Dataframe(label=t("Click a score to see where it matches (rows: queries, columns: documents)"),
                         interactive=False, elem_id=f"{prefix}-explain-cells", elem_classes="explain-cells",
                         max_height=320, visible=False)  # until there are scores
    scores_from.change(shown_scores, scores_from, cells, api_visibility="private", queue=False)
    return cells


def shown_scores(table: Any) -> Any:
    """The scores to click, shown once the tab has some (the last ones kept otherwise)."""
    styled = coloured_scores(table)
    return gr.skip() if styled is None else gr.update(value=styled, visible=True)


def coloured_scores(table: Any) -> Any:
    """The table of scores (a first column of query labels, a column of scores per document) with
    short labels, each score's cell in the heatmap's colour for its value (a pandas Styler); None
    without scores."""
    import pandas as pd

    if isinstance(table, dict):  # as the tab builds it (Gradio hands the handler a DataFrame)
        table = pd.DataFrame(table.get("data") or [], columns=table.get("headers"))
    frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame()
    if frame.empty or frame.shape[1] < 2:
        return None
    scores = frame.iloc[:, 1:].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    shown = pd.DataFrame(scores.round(3), columns=[str(c).split(" · ")[0] for c in frame.columns[1:]])
    shown.insert(0, "", [snippet(str(label), 15) for label in frame.iloc[:, 0]])  # narrow on a phone
    colours = plots.cell_colours(scores)
    css = pd.DataFrame("", index=shown.index, columns=shown.columns)
    css.iloc[:, 1:] = [[f"background-color: {back}; color: {text}" for back, text in row] for row in colours]
    return shown.style.apply(lambda _: css, axis=None).format(precision=3, subset=list(shown.columns[1:]))


def cell_numbers(event: gr.SelectData) -> tuple:
    """(query #, document #) of the clicked score; a click on a query's label picks that query and
    keeps the document."""
    row, column = event.index
    return row + 1, column if column >= 1 else gr.skip()


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
