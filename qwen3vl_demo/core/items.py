"""Items the app embeds, searches and reranks: texts, images, videos and text+image pairs.

The sample gallery (``assets/``) is shared by everyone; what a visitor adds lives in that
visitor's session only (the UI keeps it in per-session state as plain dicts).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .config import ASSETS_DIR, IMAGE_MAX_PIXELS, IMAGE_MIN_PIXELS
from .errors import InputError
from .media import kind_of_file, load_video, open_image, smart_resize

KIND_ICONS = {"text": "📝", "image": "🖼️", "video": "🎞️", "pair": "📝🖼️", "group": "🗂️"}
MAX_PARTS = 8  # app limit: files in one document made of several (each image can cost 1800 tokens)

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
    """One thing to embed. ``kind`` is text, image, video, pair (text + an image or video) or group
    (several files as one document, one vector: ``parts``, ``path`` being the first)."""

    kind: str
    text: str = ""
    path: str = ""
    origin: str = "user"  # "sample" (bundled, shared) or "user" (this session only)
    fps: float | None = None  # a video's sampling, when not the default (see core.video_fit)
    max_frames: int | None = None
    title: str = ""  # a label of its own (a PDF page: ``report.pdf · p.3``); not seen by the models
    parts: tuple[str, ...] = ()  # a group's files, in order

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else ""

    @property
    def label(self) -> str:
        """Short label for axes, tables and captions."""
        if self.title:
            return self.title
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
        if self.parts and self.kind == "video":  # a video given as its list of frames
            obj["video"] = list(self.parts)
        elif self.parts:  # the official input takes a list of images and a list of videos
            for path in self.parts:
                obj.setdefault(kind_of_file(path), []).append(path)
            if "video" in obj:
                obj.update({k: v for k, v in video.items() if v is not None})
        elif self.path:
            media_kind = kind_of_file(self.path)
            obj[media_kind] = self.path
            if media_kind == "video":
                video = {"fps": self.fps, "max_frames": self.max_frames, **video}
                obj.update({k: v for k, v in video.items() if v is not None})
        if instruction:
            obj["instruction"] = instruction
        return obj

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        fields = {k: str(data.get(k, "")) for k in ("kind", "text", "path", "origin", "title")}
        return cls(**fields, parts=tuple(str(p) for p in data.get("parts") or ()))


def snippet(text: str, width: int = 40) -> str:
    """One line of at most ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def make_item(text: str = "", path: str = "", origin: str = "user") -> Item:
    """An item from optional text and an optional media file; the kind follows."""
    text = (text or "").strip()
    if path:
        kind = kind_of_file(path)
        return Item("pair" if text else kind, text=text, path=str(path), origin=origin)
    return Item("text", text=text, origin=origin)


def group_item(items: list[Item]) -> Item:
    """One document made of the files of ``items`` (images and videos, e.g. the pages of a scan or
    several photos of one product): the model gets them as one input, one vector."""
    if any(not item.path or item.kind not in ("image", "video") for item in items):
        raise InputError("one document made of several files takes images and videos only")
    if len(items) > MAX_PARTS:
        raise InputError(f"one document can be made of at most {MAX_PARTS} files; {len(items)} were given")
    if len(items) == 1:
        return items[0]
    counts = [(kind, sum(i.kind == kind for i in items)) for kind in ("image", "video")]
    what = " + ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in counts if n)
    return Item("group", path=items[0].path, origin=items[0].origin, title=f"{what}: {items[0].label} …",
                parts=tuple(item.path for item in items))


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


def check_readable(item: Item) -> None:
    """Raise InputError now if the item's file cannot be read the way the models will read it
    (so a broken upload is refused when added, not at every later search)."""
    if item.parts:
        for part in item.parts:
            check_readable(Item(kind_of_file(part), path=part))
        return
    if not item.path:
        return
    if kind_of_file(item.path) == "image":
        image = open_image(item.path)
        smart_resize(image.height, image.width, IMAGE_MIN_PIXELS, IMAGE_MAX_PIXELS)
    else:
        load_video(item.path)
