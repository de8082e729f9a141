"""No URL is fetched by Gradio itself: only the app's own checked fetcher (``--allow-urls``) fetches.

Gradio downloads a file input whose ``path`` is an http(s) URL (``{"path": "http://…", "meta":
{"_type": "gradio.FileData"}}``, and MCP's file arguments) and proxies ``GET /gradio_api/file=http…``,
without the app's size and time limits, asking an outside DNS-over-HTTPS service about names that
do not resolve to a public address. Two guards, each at the depth where Gradio does it:

- ``refuse_remote_files(demo)``: every component of this app refuses to move a URL into its cache
  (the one place a file input's URL is downloaded, for the HTTP API and MCP alike);
- ``NoRemoteFiles``: an ASGI middleware answering 403 to ``/file=<URL>`` and ``/proxy=<URL>``.
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

import gradio as gr

from ..service.store import VIEWER_KEYS
from ..service.turns import CURRENT_VISITOR, Visitor
from .l10n import english

REMOTE_FILE_MESSAGE = ("files are not fetched from URLs here: upload the file instead"
                       " (or, where the server allows it, use 'Add images or videos by URL')")
_URL_PREFIXES = ("http:", "https:", "//", "\\\\")


def is_remote(path: Any) -> bool:
    """Whether a file path given to Gradio names something on another machine."""
    return isinstance(path, str) and path.strip().lower().startswith(_URL_PREFIXES)


def _refusing(method: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(method)
    def guarded(url_or_file_path: Any) -> Any:
        if is_remote(str(url_or_file_path or "")):
            raise gr.Error(REMOTE_FILE_MESSAGE)
        return method(url_or_file_path)

    return guarded


def _refusing_async(method: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
    @functools.wraps(method)
    async def guarded(url_or_file_path: Any) -> Any:
        if is_remote(str(url_or_file_path or "")):
            raise gr.Error(REMOTE_FILE_MESSAGE)
        return await method(url_or_file_path)

    return guarded


def refuse_remote_files(demo: gr.Blocks) -> None:
    """Make each component of ``demo`` refuse URLs where Gradio would download them (set on the
    instances: other Blocks in the process are untouched)."""
    for block in demo.blocks.values():
        if hasattr(block, "async_move_resource_to_block_cache"):
            block.async_move_resource_to_block_cache = _refusing_async(
                block.async_move_resource_to_block_cache)
            block.move_resource_to_block_cache = _refusing(block.move_resource_to_block_cache)


class NoRemoteFiles:
    """ASGI middleware: ``/file=<URL>`` and ``/proxy=<URL>`` are refused before Gradio's routes
    (which would fetch the URL on the server) see them."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope.get("type") == "http" and self._remote(scope.get("path", "")):
            await self._refuse(send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _remote(path: str) -> bool:
        for marker in ("/file=", "/proxy="):
            if marker in path and is_remote(path.split(marker, 1)[1]):
                return True
        return "/proxy=" in path  # this app loads no other Space: nothing to proxy

    @staticmethod
    async def _refuse(send: Callable) -> None:
        body = ('{"error": "' + REMOTE_FILE_MESSAGE + '"}').encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


# --- Wrong types through the API ------------------------------------------------------------------
def check_event_inputs(demo: gr.Blocks, empty_is_full: list[gr.Slider]) -> None:
    """Check every event's raw values against its components before Gradio preprocesses them, so a
    wrong type (a string for a slider, a dict for a text box, too few values) gets a message naming
    the field instead of Gradio's anonymous error. Set on this ``demo`` only.

    A slider left empty (None) through the API takes its default value, except the size sliders in
    ``empty_is_full``, where None means the model's full size."""
    original = demo.preprocess_data
    keep_none = {id(block) for block in empty_is_full}
    for block in empty_is_full:
        block.preprocess = _none_passes(block.preprocess)

    async def preprocess_data(block_fn: Any, inputs: list[Any], *args: Any, **kwargs: Any) -> Any:
        check_values(block_fn.inputs, inputs, keep_none)
        return await original(block_fn, inputs, *args, **kwargs)

    demo.preprocess_data = preprocess_data


def _none_passes(preprocess: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda payload: None if payload is None else preprocess(payload)


def field_name(block: Any) -> str:
    return f"'{english(block.label)}'" if getattr(block, "label", None) else type(block).__name__


def check_values(blocks: list[Any], inputs: list[Any], keep_none: set[int]) -> None:
    """gr.Error naming the first field whose value has the wrong type; a slider left empty (None)
    becomes its default value, in place, unless its id is in ``keep_none``."""
    if len(inputs) < len(blocks):
        missing = [field_name(b) for b in blocks[len(inputs):] if not getattr(b, "stateful", False)]
        raise gr.Error(f"{len(blocks)} values expected, {len(inputs)} given; missing: "
                       f"{', '.join(missing) or 'session state'}", title="Check your input")
    for position, block in enumerate(blocks):
        if getattr(block, "stateful", False):
            continue
        if isinstance(block, gr.Slider) and inputs[position] is None:
            if id(block) in keep_none:
                continue
            inputs[position] = block.value
        problem = value_problem(block, inputs[position])
        if problem:
            raise gr.Error(f"Input problem — {field_name(block)} {problem}", title="Check your input")


def value_problem(block: Any, value: Any) -> str | None:
    """What is wrong with ``value`` for ``block`` (None if nothing)."""
    shown = repr(value)[:60]
    if isinstance(block, (gr.Slider, gr.Number)):
        if value is None and isinstance(block, gr.Number):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number, got {shown}"
        if not math.isfinite(value):
            return f"must be a finite number, got {shown}"
        return None
    if isinstance(block, (gr.Textbox, gr.Dropdown)) and not getattr(block, "multiselect", False):
        if value is not None and not isinstance(value, str):
            return f"must be text, got {type(value).__name__} {shown}"
        return None
    if isinstance(block, gr.Checkbox):
        return None if value is None or isinstance(value, bool) else f"must be true or false, got {shown}"
    if isinstance(block, gr.File):
        return _file_problem(value, getattr(block, "file_count", "single") != "single", shown)
    return None


def _file_problem(value: Any, many: bool, shown: str) -> str | None:
    values = value if many and isinstance(value, list) else [value]
    for item in values:
        if item is None or isinstance(item, str):
            continue
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            what = "a list of files" if many else "a file"
            return f"must be {what} ({{'path': …, 'meta': {{'_type': 'gradio.FileData'}}}}), got {shown}"
    return None


# --- Cache privacy --------------------------------------------------------------------------------
def scope_cache_by_session(demo: gr.Blocks) -> None:
    """Run each event as its browser session (``service.store.viewing_as``): the shared cache serves
    a visitor only what they embedded themselves and the bundled samples. The keys live with
    Gradio's session state, so they go when the session does."""
    original = demo.preprocess_data
    keys_of: weakref.WeakKeyDictionary[Any, dict[tuple, None]] = weakref.WeakKeyDictionary()
    visitor_of: weakref.WeakKeyDictionary[Any, Visitor] = weakref.WeakKeyDictionary()

    async def preprocess_data(block_fn: Any, inputs: list[Any], state: Any = None, *args: Any,
                              **kwargs: Any) -> Any:
        # for the rest of this event's task; an event without a session shares nothing
        VIEWER_KEYS.set({} if state is None else keys_of.setdefault(state, {}))
        # and takes its turns at the model as this session, whose work stops once its tab closes
        CURRENT_VISITOR.set(None if state is None else visitor_of.setdefault(state, session_visitor(state)))
        return await original(block_fn, inputs, state, *args, **kwargs)

    demo.preprocess_data = preprocess_data


def session_visitor(state: Any) -> Visitor:
    """The visitor of a Gradio session: gone once Gradio marks the session closed (its tab closed)."""
    ref = weakref.ref(state)
    return Visitor(f"session-{id(state):x}", lambda: getattr(ref(), "is_closed", True))
