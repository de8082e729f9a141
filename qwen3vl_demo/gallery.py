"""Items the app embeds, searches and reranks: texts, images, videos and text+image pairs.

The sample gallery (``assets/``) is shared by everyone; what a visitor adds lives in that
visitor's session only (the UI keeps it in per-session state as plain dicts).
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .config import IMAGE_MAX_PIXELS, IMAGE_MIN_PIXELS
from .errors import InputError
from .formatting import IMAGE_EXTENSIONS
from .media import load_video, open_image, reason, smart_resize

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".mkv", ".avi", ".m4v")
KIND_ICONS = {"text": "📝", "image": "🖼️", "video": "🎞️", "pair": "📝🖼️"}

# Captions for the bundled samples (assets/NOTICE.md), so results read well on a shared screen.
SAMPLE_CAPTIONS = {
    "img_0.jpg": "motorbike on a mountain road",
    "img_1.jpg": "woman eating from a bowl",
    "img_2.jpg": "commuter train and cyclist",
    "img_3.jpg": "kitchen with a window",
    "img_4.jpg": "wooden spoons on a table",
    "img_5.jpg": "table laid with spoons",
    "img_6.jpg": "bathroom, shower curtain",
    "img_7.jpg": "bathroom, glass shower",
    "img_8.jpg": "cyclists in a bike lane",
    "img_9.jpg": "bathroom sink and mirror",
    "example_0.jpeg": "eggs frying in a pan",
    "example_1.jpg": "baseball field",
    "cycling.mp4": "video: cycling pan",
    "bathrooms.mp4": "video: bathrooms pan",
}


@dataclass(frozen=True)
class Item:
    """One thing to embed. ``kind`` is text, image, video or pair (text + an image or video)."""

    kind: str
    text: str = ""
    path: str = ""
    origin: str = "user"  # "sample" (bundled, shared) or "user" (this session only)

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else ""

    @property
    def label(self) -> str:
        """Short label for axes, tables and captions."""
        if self.kind == "text":
            return snippet(self.text)
        if self.kind == "pair":
            return f"{snippet(self.text, 24)} + {self.name}"
        caption = SAMPLE_CAPTIONS.get(self.name) if self.origin == "sample" else None
        return f"{self.name} ({caption})" if caption else self.name

    @property
    def icon(self) -> str:
        return KIND_ICONS[self.kind]

    def to_input(self, instruction: str | None = None, **video: Any) -> dict[str, Any]:
        """The official input dict: ``text`` if any, the file as ``image`` or ``video``."""
        obj: dict[str, Any] = {}
        if self.text:
            obj["text"] = self.text
        if self.path:
            media_kind = kind_of_file(self.path)
            obj[media_kind] = self.path
            if media_kind == "video":
                obj.update({k: v for k, v in video.items() if v is not None})
        if instruction:
            obj["instruction"] = instruction
        return obj

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        return cls(**{k: str(data.get(k, "")) for k in ("kind", "text", "path", "origin")})


def snippet(text: str, width: int = 40) -> str:
    """One line of at most ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def kind_of_file(path: str) -> str:
    """``image`` or ``video`` from the file name; anything else is refused."""
    suffix = Path(path).suffix.lower()
    if suffix in IMAGE_EXTENSIONS:
        return "image"
    if suffix in VIDEO_SUFFIXES:
        return "video"
    raise InputError(
        f"{os.path.basename(path)}: unsupported file type {suffix or '(none)'}; "
        f"images {', '.join(IMAGE_EXTENSIONS)} or videos {', '.join(VIDEO_SUFFIXES)}"
    )


def make_item(text: str = "", path: str = "", origin: str = "user") -> Item:
    """An item from optional text and an optional media file; the kind follows."""
    text = (text or "").strip()
    if path:
        kind = kind_of_file(path)
        return Item("pair" if text else kind, text=text, path=str(path), origin=origin)
    return Item("text", text=text, origin=origin)


def items_from_files(paths: list[str] | None, origin: str = "user") -> list[Item]:
    return [Item(kind_of_file(p), path=str(p), origin=origin) for p in (paths or []) if p]


def items_from_lines(text: str | None, origin: str = "user") -> list[Item]:
    """One text item per non-empty line."""
    return [Item("text", text=line.strip(), origin=origin) for line in (text or "").splitlines()
            if line.strip()]


def sample_items(assets: Path = ASSETS_DIR) -> list[Item]:
    """The bundled gallery: photos, then videos, then paper figures."""
    groups = [
        sorted((assets / "images").glob("*")),
        sorted((assets / "videos").glob("*.mp4")),
        sorted((assets / "documents").glob("*")),
    ]
    return [Item(kind_of_file(str(p)), path=str(p), origin="sample") for g in groups for p in g]


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
    lines = textwrap.wrap(" ".join(text.split()), width=26)[:7]
    draw.multiline_text((16, 16), "\n".join(lines) or "(empty)", fill=(30, 41, 59), font=font, spacing=6)
    card.save(path)
    return str(path)


def _font(size: int) -> ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def thumbnail(item: Item, size: int = 160) -> Image.Image | None:
    """A small picture of an image, video (first frame) or pair item; None for text or on error."""
    try:
        if item.kind in ("image", "pair"):
            picture = open_image(item.path)
        elif item.kind == "video":
            picture = first_frame(item.path)
        else:
            return None
    except (InputError, OSError, ValueError):
        return None
    picture.thumbnail((size, size))
    return picture


def check_readable(item: Item) -> None:
    """Raise InputError now if the item's file cannot be read the way the models will read it
    (so a broken upload is refused when added, not at every later search)."""
    if not item.path:
        return
    if kind_of_file(item.path) == "image":
        image = open_image(item.path)
        smart_resize(image.height, image.width, IMAGE_MIN_PIXELS, IMAGE_MAX_PIXELS)
    else:
        load_video(item.path)


def first_frame(path: str) -> Image.Image:
    """The first decodable frame of a video."""
    import av

    try:
        with av.open(path) as container:
            for frame in container.decode(video=0):
                return frame.to_image()
    except (av.FFmpegError, IndexError) as exc:
        raise InputError(f"{os.path.basename(path)} could not be decoded ({reason(exc)})") from None
    raise InputError(f"{os.path.basename(path)} contains no frames")


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
