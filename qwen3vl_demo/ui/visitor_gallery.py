"""The gallery one visitor sees: the shared samples plus their own items, kept as plain dicts in
their browser session (``gr.State``), never in the engine."""

from __future__ import annotations

import uuid

from ..core import config
from ..core.items import Item
from .previews import preview
from .strings import Localized, join, localize, translate_message


def gallery_items(samples: list[Item], mine: list[dict]) -> list[Item]:
    return samples + [Item.from_dict(d) for d in mine]


def gallery_view(samples: list[Item], mine: list[dict]) -> list[tuple[str, str]]:
    return [(preview(item), ("⭐ " if item.origin == "user" else "") + item.label)
            for item in gallery_items(samples, mine)]


def gallery_info(mine: list[dict], samples: list[Item]) -> str:
    """The line above the gallery, in every language (the page shows the visitor's)."""
    return localize("**{total} items** — {samples} bundled samples, {mine} of yours (⭐, visible only in this browser "
                    "session; up to {limit}).", total=len(samples) + len(mine), samples=len(samples), mine=len(mine),
                    limit=config.MAX_SESSION_ITEMS).html()


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
    """What an add did, for the line above the gallery: the items added, each file left out and why
    (the reasons as the forms raised them, translated here)."""
    note = ""
    if added:
        names: Localized | str = ", ".join(item.label for item in added[:6])
        if len(added) > 6:
            names = localize("{names} and {more} more", names=names, more=len(added) - 6)
        note += "\n\n" + localize("✓ Added {count}: {names}.", count=len(added), names=names).html()
    if refused:
        reasons = join([translate_message(reason) for reason in refused], "; ")
        note += "\n\n" + localize("⚠️ Left out {count}: {reasons}.", count=len(refused), reasons=reasons).html()
    return note


def removed_note(label: str | None = None) -> str:
    """The line saying one item (``label``), or all of the visitor's, were removed."""
    text = localize("✓ Removed {label}.", label=label) if label else localize("✓ Your items were removed.")
    return "\n\n" + text.html()
