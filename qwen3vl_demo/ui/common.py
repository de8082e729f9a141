"""What every tab shares: the model queue, errors as messages, progress, the
examples' registration, and the context the tabs are built with."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from ..core import config
from ..core.errors import InputError, ModelFailed, ModelUnavailable
from ..core.items import Item
from ..service.engine import Engine
from ..service.fetch import UrlPolicy
from .l10n import t
from .strings import translate_message

MODEL_QUEUE = "model"  # the one concurrency_id for everything that runs a model
# Every event that runs one: a few at once, whose model work takes fair turns by chunks
# (``service.turns``), so one visitor's long job does not hold the others for its whole length.
MODEL_EVENT = {"concurrency_id": MODEL_QUEUE, "concurrency_limit": 3}
# Events that read media without a model (adding to the gallery, fetching URLs): a few at once, so
# the memory one video may take (bounded in core.media) is not multiplied by every visitor.
MEDIA_EVENT = {"concurrency_id": "media", "concurrency_limit": 2}
EXAMPLES_LABEL = t("▶ Examples — one click runs them")
# Gradio's own scroll_to_output aims at the highest output, and an output in a closed accordion
# sits at 0 px: it never moves. This brings the result's top just under the status line.
SCROLL_JS = """() => { const el = document.getElementById('TARGET'); if (!el) return;
  const top = el.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.6) window.scrollTo({top: top + window.scrollY - 90,
    behavior: 'smooth'}); }"""
# An empty upload box's height (px) that shows its icon's "Drop File Here - or - Click to Upload"
# whole below its label, at 1280 px and on a phone; a label that wraps onto two lines needs more.
UPLOAD_HEIGHT = 120
UPLOAD_HEIGHT_LONG_LABEL = 140
# The model card advises English instructions whatever the language of queries and documents: the
# presets stay English, and the instruction boxes that meet other languages first say why.
ENGLISH_INSTRUCTIONS = t("Instructions stay in English: the model card advises writing them in English, whatever the "
                         "language of the queries and documents.")
ONE_DOCUMENT_TEXT = "One document made of these files (one vector: a multi-page scan, photos of one product)"
ONE_DOCUMENT = t(ONE_DOCUMENT_TEXT)
ONE_DOCUMENT_BEFORE_UPLOAD = t(ONE_DOCUMENT_TEXT + " — tick before uploading")
RETRY_HINT = "Use 'Retry loading' in the header, or restart with --tiny to run offline."

log = logging.getLogger("qwen3vl_demo")


def explain(exc: Exception) -> tuple[str, str] | None:
    """(title, message) for what a visitor can act on; None for a real fault."""
    if isinstance(exc, InputError):
        return "Check your input", f"Input problem — {exc}"
    if isinstance(exc, ModelFailed):
        return "Model unavailable", f"{exc.what}. {RETRY_HINT}"
    if isinstance(exc, ModelUnavailable):
        return "Model unavailable", str(exc)
    return None


def user_errors(fn: Callable) -> Callable:
    """Bad input and unavailable models become a clear ``gr.Error`` (what API callers get), logged
    as one line, not a traceback; the app keeps serving."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (InputError, ModelFailed, ModelUnavailable) as exc:
            title, message = explain(exc)
            log.warning("%s refused: %s", fn.__name__, message)
            raise gr.Error(message, title=title, print_exception=False) from None

    return wrapper


def status_html(message: str = "") -> str:
    """The line next to a button: empty after a good run, the problem after a refused one (never
    an empty value: Gradio hides an empty HTML block, and its scroll to the results would then aim
    at the top of the page)."""
    shown = translate_message(message).html() if message else ""  # in every language: the page shows the visitor's
    return f"<div class='run-status {'error' if message else 'ok'}'>{shown}</div>"


def status_line(elem_id: str) -> gr.HTML:
    """The status line of one button (see :func:`status_html`)."""
    return gr.HTML(status_html(), elem_id=elem_id, padding=False)


def on_page(fn: Callable, outputs: int) -> Callable:
    """``fn`` for the page's own button: a refused run leaves its ``outputs`` outputs as they were
    (the last good result stays) and puts the message into one more output, the status line."""

    @functools.wraps(fn)
    def page(*args: Any, **kwargs: Any) -> tuple:
        try:
            result = fn(*args, **kwargs)
        except gr.Error as exc:
            return (*[gr.skip() for _ in range(outputs)], status_html(str(exc.message)))
        return (*(result if isinstance(result, tuple) else (result,)), status_html())

    page.__name__ = f"{fn.__name__}_page"
    return page


def example_run(fn: Callable, outputs: list, status: gr.HTML) -> dict[str, Any]:
    """``gr.Examples`` arguments that run ``fn`` as the button does: its message, or none, in ``status``."""
    return {"fn": on_page(fn, len(outputs)), "outputs": [*outputs, status], "run_on_click": True,
            "cache_examples": False}


def connect(triggers: list[Callable], fn: Callable, inputs: list, outputs: list, status: gr.HTML,
            api_name: str, event: dict | None = None, scroll: bool = True, **options: Any) -> None:
    """Wire ``fn`` to the page's ``triggers`` (a button's ``click``, a box's ``submit``) with its
    errors in ``status`` and (``scroll``) the page scrolled to the result, and to ``api_name`` for
    API callers, who get the error raised (a hidden button carries that endpoint). ``options`` go
    to every event (``show_progress``). Call it inside the tab: a component placed between tabs
    breaks Gradio's tab bar."""
    event = {**(MODEL_EVENT if event is None else event), **options}
    gr.Button(visible=False).click(fn, inputs, outputs, api_name=api_name, **event)
    page = on_page(fn, len(outputs))
    for number, trigger in enumerate(triggers):
        trigger(page, inputs, [*outputs, status], api_name=f"{api_name}_page{number or ''}",
                api_visibility="private", **event)
    if scroll and outputs[0].elem_id:  # a new result, from the button or an example, is scrolled into view
        outputs[0].change(None, None, None, js=SCROLL_JS.replace("TARGET", outputs[0].elem_id),
                          api_visibility="private")
def show_notes(notes: list[str]) -> None:
    """What a form left out (a PDF's pages past a limit), as warnings beside the result."""
    for note in notes:  # in every language (the page shows the visitor's); Gradio names the toast
        gr.Warning(translate_message(note).html())


def as_example(fn: Callable) -> Callable:
    """``fn`` under another name for ``gr.Examples``: Examples register their run under the function's
    name, which would otherwise take the ``api_name`` of the button's own event."""

    @functools.wraps(fn)
    def example(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    example.__name__ = f"{fn.__name__}_example"
    return example


def reporter(progress: gr.Progress) -> Callable[[float, str], None]:
    """The engine's ``progress(fraction, message)`` shown on Gradio's progress bar."""
    return lambda fraction, message: progress(fraction, desc=message)


@dataclass
class AppContext:
    """What every tab is built with: the one engine, the sample gallery, the URL policy, this
    session's own items (a ``gr.State`` of plain dicts), and the sliders that follow the embedder's
    full size (each tab adds its own)."""

    engine: Engine
    samples: list[Item]
    urls: UrlPolicy
    mine: gr.State
    full_dim: int = 2048  # the embedder's size as known when the page is built (see Engine.known_full_dim)
    dim_sliders: list[gr.Slider] = field(default_factory=list)
    presets: list[str] = field(default_factory=lambda: list(config.INSTRUCTION_PRESETS))
