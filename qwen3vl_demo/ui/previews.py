"""Pictures of items for galleries and figures: the image itself, a video's first frame, a card
with a text's words. Cached on disk by content (cards) or path (posters). And the strip of small
thumbnails under each upload box (``upload_strip``), cached in memory by file."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import textwrap
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import gradio as gr
from PIL import Image, ImageDraw, ImageFont

from ..core.errors import InputError
from ..core.items import Item
from ..core.media import VIDEO_SUFFIXES, first_frame, kind_of_file, open_image
from ..core.pdf import is_pdf
from . import forms
from .common import MEDIA_EVENT
from .paths import generated_dir


def text_card(text: str, directory: Path, size: tuple[int, int] = (320, 240)) -> str:
    """A PNG showing ``text`` (for galleries, which only display media); cached by content."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = directory / f"text-{digest}.png"
    if path.exists():
        return str(path)
    directory.mkdir(parents=True, exist_ok=True)
    card = Image.new("RGB", size, (248, 250, 252))
    draw = ImageDraw.Draw(card)
    draw.rectangle([0, 0, size[0] - 1, size[1] - 1], outline=(203, 213, 225), width=2)
    font = _font(20)
    wrapped = textwrap.wrap(" ".join(text.split()), width=26)[:7]
    draw.multiline_text((16, 16), "\n".join(wrapped) or "(empty)", fill=(30, 41, 59), font=font, spacing=6)
    card.save(path)
    return str(path)


def _font(size: int) -> ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def strip(item: Item, height: int = 160) -> Image.Image | None:
    """A group's files side by side, each ``height`` pixels high (None if none can be read)."""
    pictures = [thumbnail(Item(kind_of_file(part), path=part), height) for part in item.parts]
    pictures = [p for p in pictures if p is not None]
    if not pictures:
        return None
    pictures = [p.resize((max(1, round(p.width * height / p.height)), height)) for p in pictures]
    gap = 6
    row = Image.new("RGB", (sum(p.width for p in pictures) + gap * (len(pictures) - 1), height), "white")
    left = 0
    for picture in pictures:
        row.paste(picture, (left, 0))
        left += picture.width + gap
    return row


def group_strip(item: Item, directory: Path) -> str:
    """A PNG of a group's strip of thumbnails (for galleries), cached by its files."""
    digest = hashlib.sha256("\n".join(os.path.abspath(p) for p in item.parts).encode()).hexdigest()[:16]
    target = directory / f"strip-{digest}.png"
    if not target.exists():
        picture = strip(item)
        if picture is None:
            return text_card(f"🗂️ {item.label}\n(no preview)", directory)
        directory.mkdir(parents=True, exist_ok=True)
        picture.save(target)
    return str(target)


def thumbnail(item: Item, size: int = 160) -> Image.Image | None:
    """A small picture of an image, video (first frame), pair or group (a strip) item; None for
    text or on error."""
    if item.kind == "group":
        picture = strip(item, size)
        if picture is not None:
            picture.thumbnail((size * 3, size))
        return picture
    try:
        if item.kind in ("image", "pair") or item.parts:  # a frame-list video: its first frame's file
            picture = open_image(item.path)
        elif item.kind == "video":
            picture = first_frame(item.path)
        else:
            return None
    except (InputError, OSError, ValueError):
        return None
    picture.thumbnail((size, size))
    return picture


def video_poster(path: str, directory: Path) -> str:
    """A JPEG of a video's first frame (for galleries), cached by path."""
    digest = hashlib.sha256(os.path.abspath(path).encode()).hexdigest()[:16]
    target = directory / f"poster-{digest}.jpg"
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        frame = first_frame(path)
        frame.thumbnail((480, 480))
        frame.save(target, quality=85)
    return str(target)


def preview(item: Item) -> str:
    """A picture for galleries: the image, a video's first frame, or a card with the text."""
    if item.kind == "text":
        return text_card(item.text, generated_dir())
    if item.kind == "group":
        return group_strip(item, generated_dir())
    if item.path.lower().endswith(VIDEO_SUFFIXES):
        try:
            return video_poster(item.path, generated_dir())
        except InputError:
            return text_card(f"🎞️ {item.name}\n(no preview)", generated_dir())
    return item.path


# --- under each upload box: what was uploaded, as small thumbnails with whole names ---------------
UPLOAD_THUMB_PX = 96  # the longest side of a thumbnail: a few KB of JPEG each, sent inline
UPLOAD_CARDS_KEPT = 512  # cards remembered by (path, size, mtime), so a re-render decodes nothing
_upload_cards: OrderedDict[tuple, str] = OrderedDict()
_upload_lock = threading.Lock()
FIGURE = ("margin:0;width:{w}px;display:flex;flex-direction:column;gap:2px")
PICTURE = ("width:{w}px;height:{h}px;object-fit:cover;border-radius:6px;"
           "border:1px solid var(--border-color-primary);background:var(--background-fill-secondary)")
CAPTION = "font-size:0.74rem;line-height:1.2;overflow-wrap:anywhere;color:var(--body-text-color)"


def small_picture(path: str, size: int = UPLOAD_THUMB_PX) -> Image.Image:
    """A thumbnail of an image (decoded at a reduced scale where the format allows: a JPEG is not
    decoded at full size) or of a video's first frame; InputError naming the file if unreadable."""
    if kind_of_file(path) == "video":
        picture = first_frame(path)  # bounded: refused before decoding if its frames are too large
    else:
        try:
            source: Any = Image.open(path)
            source.draft("RGB", (size * 2, size * 2))
            picture = open_image(source)  # the megapixel limit, EXIF orientation, RGB
        except (InputError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            picture = open_image(path)  # raises the message naming the file (or reads it after all)
    picture.thumbnail((size, size))
    return picture


def upload_card(path: str) -> str:
    """One uploaded file as a figure: its thumbnail (a video with 🎞️, a PDF as a 📄 card; PDF pages
    are drawn when the run reads them) and its whole name; an unreadable one as a named note."""
    name = html.escape(os.path.basename(path))
    width, height = UPLOAD_THUMB_PX + 8, round(UPLOAD_THUMB_PX * 0.75) + 6
    box = PICTURE.format(w=width, h=height)

    def figure(picture: str, caption: str, extra: str = "") -> str:
        return (f"<figure style='{FIGURE.format(w=width)}'>{picture}"
                f"<figcaption style='{CAPTION}{extra}'>{caption}</figcaption></figure>")

    def sign(symbol: str) -> str:
        return f"<div style='{box};display:grid;place-items:center;font-size:1.8rem'>{symbol}</div>"

    if is_pdf(path):
        return figure(sign("📄"), name)
    try:
        picture = small_picture(path)
        kind = kind_of_file(path)
    except InputError as exc:
        return figure(sign("⚠️"), html.escape(str(exc)), ";color:#b91c1c")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    data = base64.b64encode(buffer.getvalue()).decode()
    image = f"<img alt='{name}' src='data:image/jpeg;base64,{data}' style='{box}'>"
    return figure(image, ("🎞️ " if kind == "video" else "") + name)


def cached_card(path: str) -> str:
    """:func:`upload_card`, remembered by the file's (path, size, mtime)."""
    try:
        stat = os.stat(path)
        key = (os.path.abspath(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return upload_card(path)
    with _upload_lock:
        if key in _upload_cards:
            _upload_cards.move_to_end(key)
            return _upload_cards[key]
    card = upload_card(path)
    with _upload_lock:
        _upload_cards[key] = card
        while len(_upload_cards) > UPLOAD_CARDS_KEPT:
            _upload_cards.popitem(last=False)
    return card


def upload_previews(value: Any, heading: str = "") -> str:
    """The thumbnails of a file box's files (``value`` as Gradio gives it), or "" when it is empty
    (an empty HTML block is hidden)."""
    try:
        paths = forms.files(value)
    except InputError as exc:
        return f"<div class='upload-previews' style='{CAPTION};color:#b91c1c'>⚠️ {html.escape(str(exc))}</div>"
    if not paths:
        return ""
    title = f"<div style='{CAPTION};width:100%'>{html.escape(heading)}</div>" if heading else ""
    cards = "".join(cached_card(path) for path in paths)
    return (f"<div class='upload-previews' style='display:flex;flex-wrap:wrap;gap:8px;padding:4px 2px'>"
            f"{title}{cards}</div>")


def upload_strip(box: gr.File, name: str, heading: str = "", on_upload: bool = False) -> gr.HTML:
    """Under ``box`` (call it right after making the box): thumbnails of what is in it, redrawn
    when it changes; ``on_upload``: when files are uploaded only (a box its handler empties keeps
    showing what was just uploaded). ``name`` makes the event's api_name (``previews_<name>``)."""
    strip = gr.HTML("", padding=False, elem_id=f"{name}-previews", elem_classes="upload-previews")
    trigger = box.upload if on_upload else box.change
    trigger(lambda value: upload_previews(value, heading), box, strip, api_name=f"previews_{name}",
            api_visibility="private", show_progress="hidden", **MEDIA_EVENT)
    return strip
