"""Pictures of items for galleries and figures: the image itself, a video's first frame, a card
with a text's words. Cached on disk by content (cards) or path (posters)."""

from __future__ import annotations

import hashlib
import os
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..core.errors import InputError
from ..core.items import Item
from ..core.media import VIDEO_SUFFIXES, first_frame, kind_of_file, open_image
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
