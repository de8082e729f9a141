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
from collections.abc import Awaitable, Callable
from typing import Any

import gradio as gr

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
