"""A visitor's files go when their session does: what each event received or returned is noted,
and deleted when the browser tab closes (Gradio's ``unload``), unless another open session still
uses it. Gradio's hourly sweep (``delete_cache`` in ``app``) catches the rest."""

from __future__ import annotations

import logging
import os
from typing import Any

import gradio as gr
from gradio.utils import get_upload_folder

from ..core.config import ASSETS_DIR
from ..service.session_files import SessionFiles, file_paths

log = logging.getLogger(__name__)


def delete_files_when_sessions_end(demo: gr.Blocks) -> SessionFiles:
    """Note every file an event of ``demo`` takes or gives, per session, and delete a session's
    files when it ends. Set on this ``demo`` only. Returns the registry (for tests and status)."""
    registry = SessionFiles(get_upload_folder(), kept=lambda path: is_kept(demo, path))
    original = demo.process_api

    async def process_api(*args: Any, **kwargs: Any) -> dict[str, Any]:
        session = kwargs.get("session_hash")
        registry.note(session, file_paths(kwargs.get("inputs", args[1] if len(args) > 1 else None)))
        result = await original(*args, **kwargs)
        if isinstance(result, dict):
            registry.note(session, file_paths(result.get("data")))
        return result

    demo.process_api = process_api

    def session_ended(request: gr.Request) -> None:
        deleted = registry.end(request.session_hash)
        if deleted:
            log.info("session ended: %d of its files deleted", len(deleted))

    with demo:
        demo.unload(session_ended)
    for fn in demo.fns.values():
        if fn.name == "session_ended":
            fn.api_visibility = "private"  # the browser's own close, not an API endpoint
    return registry


def is_kept(demo: gr.Blocks, path: str) -> bool:
    """Files every session may need: the examples' and defaults' cached copies, the samples."""
    if path.startswith(os.path.realpath(ASSETS_DIR) + os.sep):
        return True
    kept = {os.path.realpath(p) for block in demo.blocks.values() for p in getattr(block, "keep_in_cache", ())}
    return path in kept
