"""The gallery one visitor sees: the shared samples plus their own items, kept as plain dicts in
their browser session (``gr.State``), never in the engine."""

from __future__ import annotations

import uuid

from ..core import config
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


def add_what_fits(mine: list[dict], new: list[Item], refused: list[str]) -> tuple[list[dict], list[Item], list[str]]:
    """(the gallery with as many of ``new`` as fit, those added, ``refused`` and those that did not fit)."""
    room = max(config.MAX_SESSION_ITEMS - len(mine), 0)
    fits, left = new[:room], new[room:]
    full = [f"{item.label}: your gallery is full ({config.MAX_SESSION_ITEMS} items)" for item in left]
    return mine + [with_id(item) for item in fits], fits, refused + full


def with_id(item: Item) -> dict:
    """``item`` as the session keeps it, with an id of its own: two items may share a label (two
    photos both named ``IMG_0001.jpg``), and removing one must not remove the other."""
    return {**item.to_dict(), "id": uuid.uuid4().hex[:12]}


def remove_choices(mine: list[dict]) -> list[tuple[str, str]]:
    """The 'remove it' menu: (``n. label``, the item's id), numbered as the gallery shows them."""
    return [(f"{n}. {Item.from_dict(d).label}", str(d.get("id", n)))
            for n, d in enumerate(mine, start=1)]


def without_one(mine: list[dict], which: str) -> tuple[list[dict], str | None]:
    """(``mine`` less exactly one item, its label), the item named by its id in the menu, or (for
    API callers) by its label, the first of that label; (``mine``, None) if none is."""
    which = (which or "").strip()
    for match in (lambda n, d: str(d.get("id", n)) == which,
                  lambda n, d: Item.from_dict(d).label == which):
        for n, d in enumerate(mine, start=1):
            if match(n, d):
                return mine[: n - 1] + mine[n:], Item.from_dict(d).label
    return mine, None


def added_note(added: list[Item], refused: list[str]) -> str:
    """What an add did, for the line above the gallery: the items added, each file left out and why."""
    note = ""
    if added:
        names = ", ".join(item.label for item in added[:6]) + (f" and {len(added) - 6} more" if len(added) > 6 else "")
        note += f"\n\n✓ Added {len(added)}: {names}."
    if refused:
        note += f"\n\n⚠️ Left out {len(refused)}: " + "; ".join(refused) + "."
    return note
