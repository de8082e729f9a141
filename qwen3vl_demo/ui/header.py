"""The header: the title, one pill per model (state, device, dtype, load time), the gallery's
index, and any warning banner; and the sliders that follow the embedder's size."""

from __future__ import annotations

import html
import os
from typing import Any

import gradio as gr

from ..core import config
from .l10n import t
from .strings import CODES, Localized, localize, translate_message
from .strings.status import FAST_MODE_BANNER

TITLE = "Qwen3-VL Embedding & Reranker Explorer"  # the browser tab's title; the page shows it translated
SUBTITLE = ("Embed text, images, screenshots and videos into one space, search a gallery, and rerank — with the "
            "official Qwen3-VL recipe.")
STATE_ICON = {"idle": "⚪", "loading": "⏳", "ready": "🟢", "failed": "🔴"}
ROLE = {"embedding": "Embedding", "reranker": "Reranker"}
TINY = Localized.same("<code>--tiny</code>")
OPTIONS = {"int8": Localized.same("<code>--dtype int8</code>"), "exact": Localized.same("<code>--dtype exact</code>")}


def header_html(status: dict[str, Any]) -> str:
    """Title, one pill per model (state, device, dtype, load time) and any warning banner, in
    every language of the interface (the page shows the visitor's)."""
    pills, banners = [], []
    for key in ("embedding", "reranker"):
        slot = status[key]
        pills.append(model_pill(key, slot, status.get("compute") == "ZeroGPU"))
        if slot["state"] == "failed":
            retry = "<b>" + localize("↻ Retry loading") + "</b>"
            error = translate_message(slot.get("error", ""))  # the memory policy's refusal reads in every language
            text = (localize("⚠️ {error} — use {retry}, or start the app with {tiny} to run offline.",
                             error=error, retry=retry, tiny=TINY) if status.get("can_retry", True)
                    else localize("⚠️ {error} — restart the Space once the cause is fixed.", error=error))
            banners.append(f"<div class='banner error'>{text.html()}</div>")
    gallery = status.get("gallery", {})
    if gallery:
        pills.append(gallery_pill(gallery))
    if any(status[k].get("dtype") == "int8" for k in ("embedding", "reranker")):
        banners.append(f"<div class='banner'>{localize(FAST_MODE_BANNER, **OPTIONS).html()}</div>")
    if any(status[k].get("random_weights") for k in ("embedding", "reranker")):
        text = localize("🎲 Random-weight test model: the pipeline is real, the scores are meaningless. Start without "
                        "{tiny} for the real models.", tiny=TINY)
        banners.append(f"<div class='banner'>{text.html()}</div>")
    return (f"<div id='header'><h1>🔭 {localize(TITLE).html()}</h1><p>{localize(SUBTITLE).html()}</p>"
            f"<div class='pills'>{''.join(pills)}</div>{''.join(banners)}</div>")


def model_pill(key: str, slot: dict[str, Any], on_zerogpu: bool = False) -> str:
    state = slot["state"]
    detail = localize("loads once the gallery is indexed, or at the first rerank" if state == "idle" else state)
    if state == "ready" and "server_model" in slot:
        detail = localize("vLLM {model} · max {tokens} tokens", model=short_name(str(slot["server_model"])),
                          tokens=str(slot.get("max_model_len", "?")))
    elif state == "ready" and on_zerogpu:
        detail = localize("ZeroGPU, a GPU per request · {dtype} · loaded in {seconds:.1f} s", dtype=dtype_label(slot),
                          seconds=slot["load_seconds"])
    elif state == "ready":
        detail = localize("{device} · {dtype} · loaded in {seconds:.1f} s", device=slot["device"],
                          dtype=dtype_label(slot), seconds=slot["load_seconds"])
    elif slot.get("download"):
        detail = download_text(slot["download"])
    why = why_icon(slot) if slot.get("dtype_reason") and state == "ready" else ""
    return (f"<span class='pill {state}' data-role='{key}'>{STATE_ICON[state]} <b>{localize(ROLE[key]).html()}</b> "
            f"{html.escape(short_name(slot['model']))} · {detail.html()}{why}</span>")


def why_icon(slot: dict[str, Any]) -> str:
    """The ⓘ whose tooltip says why the model runs in its dtype (About says it in full), one per
    language: a tooltip cannot hold the ``<span lang>`` of each, so each language gets its own icon
    (the page shows the visitor's, as it does any ``l10n`` span)."""
    reason = Localized.same(f"{slot['dtype']}: ") + translate_message(slot["dtype_reason"])
    titles = {code: html.escape(html.unescape(reason.texts[code]), quote=True) for code in CODES}
    return " " + "".join(f"<span class='l10n why' lang='{code}' title='{titles[code]}'>ℹ️</span>" for code in CODES)


def dtype_label(slot: dict[str, Any]) -> Localized:
    """'float32' / 'float32 (bfloat16 weights)' (exact, half the memory) / 'int8 (approximate)',
    in every language."""
    dtype, storage = slot["dtype"], slot.get("storage", "")
    if dtype == "int8":
        return localize("int8 (approximate)")
    if storage and storage not in (dtype, "int8"):
        return localize("{dtype} ({storage} weights)", dtype=dtype, storage=storage)
    return Localized.same(html.escape(dtype))


def gallery_pill(gallery: dict[str, Any]) -> str:
    state = gallery["state"]
    if state == "ready":
        detail = localize("{source} · {seconds:.1f} s", source=localize(gallery["source"].split(" (")[0]),
                          seconds=gallery["seconds"])
        if gallery.get("confirmed") is False:
            detail += localize(" · checked when the model is up")
    elif state == "indexing":
        detail = indexing_text(gallery)
    else:
        detail = localize({"waiting": "waiting for the embedder", "failed": "not indexed (searches embed on demand)"}
                          .get(state, state))
    css = {"waiting": "loading", "indexing": "loading"}.get(state, state)
    return (f"<span class='pill {css}' data-role='gallery'>🗂️ <b>{localize('Gallery').html()}</b> {gallery['items']} · "
            f"{detail.html()}</span>")


def download_text(download: dict[str, Any]) -> Localized:
    """'downloading 1.2 of 4.3 GB · 35 MB/s · about 1 min left'."""
    done, total = download["done_bytes"] / 1e9, download["total_bytes"] / 1e9
    text = (localize("downloading {done:.1f} of {total:.1f} GB", done=done, total=total) if total
            else localize("downloading {done:.2f} GB", done=done))
    if download.get("bytes_per_s"):
        text += localize(" · {rate:.0f} MB/s", rate=download["bytes_per_s"] / 1e6)
    return text + time_left(download.get("seconds_left"))


def time_left(seconds: float | None) -> Localized:
    """' · about 2 min left', ' · about 40 s left', or nothing."""
    if seconds is None:
        return Localized.same("")
    if seconds >= 90:
        return localize(" · about {minutes:.0f} min left", minutes=seconds / 60)
    return localize(" · about {seconds} s left", seconds=max(1, round(seconds)))


def indexing_text(gallery: dict[str, Any]) -> Localized:
    """'indexing 5 of 24 · about 2 min left' (what is done is searchable already); once every
    gallery item is in, only the examples' inputs are left, and it says so."""
    if "total" not in gallery:
        return localize("indexing…")
    left = time_left(gallery.get("eta_s"))
    if gallery.get("gallery_done"):
        return localize("all searchable · indexing the examples' inputs, {left} to go",
                        left=gallery["total"] - gallery["done"]) + left
    return (localize("indexing {done} of {total}", done=gallery["done"], total=gallery["total"]) + left
            + localize(" · search covers what is done"))


def short_name(model: str) -> str:
    """A hub id as is; a local directory by its folder name."""
    if os.path.isdir(model):
        return os.path.basename(os.path.normpath(model))
    return model if len(model) <= 40 else "…" + model[-39:]


def dim_slider(full: int, label: Any, **kwargs: Any) -> gr.Slider:
    """An MRL size slider from 64 to ``full`` (a model whose full size is 64 gets a fixed one)."""
    low = min(config.MIN_EMBED_DIM, full - 1)
    return gr.Slider(low, full, value=full, step=1, label=label, interactive=full > config.MIN_EMBED_DIM, **kwargs)


def video_controls() -> tuple[gr.Number, gr.Number]:
    """The fps and max-frames boxes of a tab that embeds videos."""
    fps = gr.Number(value=config.VIDEO_DEFAULT_FPS, label=t("Video fps sampled"), minimum=0.1, maximum=30,
                    min_width=110, scale=1)
    frames = gr.Number(value=config.VIDEO_DEFAULT_MAX_FRAMES, label=t("Video max frames"), minimum=2, maximum=768,
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
