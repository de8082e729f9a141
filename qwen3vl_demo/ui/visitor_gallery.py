"""The gallery one visitor sees: the shared samples plus their own items, kept as plain dicts in
their browser session (``gr.State``), never in the engine."""

from __future__ import annotations

from ..core import config
from ..core.errors import InputError
from ..core.items import Item
from .previews import preview


def gallery_items(samples: list[Item], mine: list[dict]) -> list[Item]:
    return samples + [Item.from_dict(d) for d in mine]


def gallery_view(samples: list[Item], mine: list[dict]) -> list[tuple[str, str]]:
    return [(preview(item), ("⭐ " if item.origin == "user" else "") + item.label)
            for item in gallery_items(samples, mine)]


def gallery_info(mine: list[dict], samples: list[Item]) -> str:
    return (f"**{len(samples) + len(mine)} items** — {len(samples)} bundled samples, {len(mine)} of "
            f"yours (⭐, visible only in this browser session; up to {config.MAX_SESSION_ITEMS}).")


def check_room(mine: list[dict], count: int) -> None:
    """Refuse ``count`` more items when the session's gallery would pass its limit."""
    if len(mine) + count > config.MAX_SESSION_ITEMS:
        raise InputError(f"your gallery can hold {config.MAX_SESSION_ITEMS} items; it has {len(mine)} "
                         f"and {count} more were given")


def add_to_gallery(mine: list[dict], new: list[Item]) -> list[dict]:
    check_room(mine, len(new))
    return mine + [item.to_dict() for item in new]
