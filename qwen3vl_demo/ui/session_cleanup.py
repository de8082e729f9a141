"""A visitor's files go when their session does: what each event received or returned is noted,
and deleted when the browser tab closes (Gradio's ``unload``), unless another open session still
uses it. Gradio's hourly sweep (``delete_cache`` in ``app``) catches the rest."""

from __future__ import annotations

import functools
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
    at_start: set[str] | None = None  # what Gradio copied while starting (the examples' files)

    def kept(path: str) -> bool:
        return (at_start is not None and path in at_start) or is_kept(demo, path)

    registry = SessionFiles(get_upload_folder(), kept=kept)
    original = demo.process_api

    async def process_api(*args: Any, **kwargs: Any) -> dict[str, Any]:
        nonlocal at_start
        if at_start is None:  # the first event: start-up is over
            at_start = files_in(get_upload_folder())
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
    """Files every session may need: the samples, every cached copy of one (the examples' files,
    whatever block copied them: Gradio names a copy's folder by the content's hash, and pages keep
    pointing at the copies made at start-up), and what Gradio itself keeps (components' defaults)."""
    if path.startswith(os.path.realpath(ASSETS_DIR) + os.sep):
        return True
    if os.path.basename(os.path.dirname(path)) in bundled_hashes():
        return True
    kept = {os.path.realpath(p) for block in demo.blocks.values() for p in getattr(block, "keep_in_cache", ())}
    return path in kept


@functools.cache
def bundled_hashes() -> frozenset[str]:
    """Gradio's cache-folder names of the bundled files (the hash of each one's content)."""
    from gradio.processing_utils import hash_file

    return frozenset(hash_file(p) for p in ASSETS_DIR.rglob("*") if p.is_file())


def files_in(folder: str) -> set[str]:
    """The real paths of the files under ``folder``."""
    return {os.path.realpath(os.path.join(root, name)) for root, _, names in os.walk(folder) for name in names}
