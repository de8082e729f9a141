"""The header: the title, one pill per model (state, device, dtype, load time), the gallery's
index, and any warning banner; and the sliders that follow the embedder's size."""

from __future__ import annotations

import html
import os
from typing import Any

import gradio as gr

from ..core import config

TITLE = "Qwen3-VL Embedding & Reranker Explorer"
FAST_MODE_BANNER = ("Fast mode (--dtype int8): the vectors and scores approximate the official float32 ones "
                    "(how closely: About). Start without it (or with --dtype exact) for exact results.")
STATE_ICON = {"idle": "⚪", "loading": "⏳", "ready": "🟢", "failed": "🔴"}


def header_html(status: dict[str, Any]) -> str:
    """Title, one pill per model (state, device, dtype, load time) and any warning banner."""
    pills, banners = [], []
    for key in ("embedding", "reranker"):
        slot = status[key]
        pills.append(model_pill(key, slot))
        if slot["state"] == "failed":
            banners.append(f"<div class='banner error'>⚠️ {html.escape(slot.get('error', ''))} — "
                           "use <b>Retry loading</b>, or start the app with <code>--tiny</code> to run "
                           "offline.</div>")
    gallery = status.get("gallery", {})
    if gallery:
        pills.append(gallery_pill(gallery))
    if any(status[k].get("dtype") == "int8" for k in ("embedding", "reranker")):
        banners.append(f"<div class='banner'>⚡ {html.escape(FAST_MODE_BANNER)}</div>")
    if any(status[k].get("random_weights") for k in ("embedding", "reranker")):
        banners.append("<div class='banner'>🎲 Random-weight test model: the pipeline is real, the "
                       "scores are meaningless. Start without <code>--tiny</code> for the real models."
                       "</div>")
    return (f"<div id='header'><h1>🔭 {TITLE}</h1><p>Embed text, images, screenshots and videos into "
            "one space, search a gallery, and rerank — with the official Qwen3-VL recipe.</p>"
            f"<div class='pills'>{''.join(pills)}</div>{''.join(banners)}</div>")


def model_pill(key: str, slot: dict[str, Any]) -> str:
    detail = "loads once the gallery is indexed, or at the first rerank" if slot["state"] == "idle" else slot["state"]
    if slot["state"] == "ready" and "server_model" in slot:
        detail = f"vLLM {short_name(str(slot['server_model']))} · max {slot.get('max_model_len', '?')} tokens"
    elif slot["state"] == "ready":
        detail = f"{slot['device']} · {dtype_label(slot)} · loaded in {slot['load_seconds']:.1f} s"
    elif slot.get("download"):
        detail = download_text(slot["download"])
    why = ""  # the dtype's reason, on hover (About says it in full)
    if slot.get("dtype_reason") and slot["state"] == "ready":
        reason = html.escape(f"{slot['dtype']}: {slot['dtype_reason']}", quote=True)
        why = f" <span class='why' title='{reason}'>ℹ️</span>"
    return (f"<span class='pill {slot['state']}'>{STATE_ICON[slot['state']]} <b>{key.title()}</b> "
            f"{html.escape(short_name(slot['model']))} · {html.escape(detail)}{why}</span>")


def dtype_label(slot: dict[str, Any]) -> str:
    """'float32' / 'float32 (bfloat16 weights)' (exact, half the memory) / 'int8 (approximate)'."""
    dtype, storage = slot["dtype"], slot.get("storage", "")
    if dtype == "int8":
        return "int8 (approximate)"
    return f"{dtype} ({storage} weights)" if storage and storage not in (dtype, "int8") else dtype


def gallery_pill(gallery: dict[str, Any]) -> str:
    state = gallery["state"]
    detail = {"waiting": "waiting for the embedder", "indexing": indexing_text(gallery),
              "failed": "not indexed (searches embed on demand)"}.get(state, "")
    if state == "ready":
        detail = f"{gallery['source'].split(' (')[0]} · {gallery['seconds']:.1f} s"
        if gallery.get("confirmed") is False:
            detail += " · checked when the model is up"
    css = {"waiting": "loading", "indexing": "loading"}.get(state, state)
    return f"<span class='pill {css}'>🗂️ <b>Gallery</b> {gallery['items']} · {html.escape(detail)}</span>"


def download_text(download: dict[str, Any]) -> str:
    """'downloading 1.2 of 4.3 GB · 35 MB/s · about 1 min left'."""
    done, total = download["done_bytes"] / 1e9, download["total_bytes"] / 1e9
    text = f"downloading {done:.1f} of {total:.1f} GB" if total else f"downloading {done:.2f} GB"
    if download.get("bytes_per_s"):
        text += f" · {download['bytes_per_s'] / 1e6:.0f} MB/s"
    left = download.get("seconds_left")
    if left is not None:
        text += f" · about {left / 60:.0f} min left" if left >= 90 else f" · about {max(1, round(left))} s left"
    return text


def indexing_text(gallery: dict[str, Any]) -> str:
    """'indexing 5 of 24 · about 2 min left' (what is done is searchable already); once every
    gallery item is in, only the examples' inputs are left, and it says so."""
    if "total" not in gallery:
        return "indexing…"
    eta = gallery.get("eta_s")
    left = "" if eta is None else (f" · about {eta / 60:.0f} min left" if eta >= 90
                                   else f" · about {max(1, round(eta))} s left")
    if gallery.get("gallery_done"):
        return f"all searchable · indexing the examples' inputs, {gallery['total'] - gallery['done']} to go{left}"
    return f"indexing {gallery['done']} of {gallery['total']}{left} · search covers what is done"


def short_name(model: str) -> str:
    """A hub id as is; a local directory by its folder name."""
    if os.path.isdir(model):
        return os.path.basename(os.path.normpath(model))
    return model if len(model) <= 40 else "…" + model[-39:]


def dim_slider(full: int, label: str, **kwargs: Any) -> gr.Slider:
    """An MRL size slider from 64 to ``full`` (a model whose full size is 64 gets a fixed one)."""
    low = min(config.MIN_EMBED_DIM, full - 1)
    return gr.Slider(low, full, value=full, step=1, label=label, interactive=full > config.MIN_EMBED_DIM, **kwargs)


def video_controls() -> tuple[gr.Number, gr.Number]:
    """The fps and max-frames boxes of a tab that embeds videos."""
    fps = gr.Number(value=config.VIDEO_DEFAULT_FPS, label="Video fps sampled", minimum=0.1, maximum=30,
                    min_width=110, scale=1)
    frames = gr.Number(value=config.VIDEO_DEFAULT_MAX_FRAMES, label="Video max frames", minimum=2, maximum=768,
                       precision=0, min_width=110, scale=1)
    return fps, frames


def dim_slider_update(full: int | None, keep_value: bool = False) -> Any:
    """The MRL slider once the embedder's full size is known (a slider needs min < max);
    ``keep_value``: the slider already had this size, so the visitor's choice stays."""
    if not full:
        return gr.update()
    value = {} if keep_value else {"value": full}
    if full <= config.MIN_EMBED_DIM:
        return gr.update(minimum=full - 1, maximum=full, interactive=False, **value)
    return gr.update(minimum=config.MIN_EMBED_DIM, maximum=full, interactive=True, **value)
