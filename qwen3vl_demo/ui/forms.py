"""Widget values -> items: what every handler and the examples' preload turn inputs into.

One function per form, so the saved index built from the examples holds exactly what a click on
an example embeds. Each returns early with an InputError naming the field. No gradio here.
"""

from __future__ import annotations

import os
from typing import Any

from ..core import config, formatting
from ..core.errors import InputError
from ..core.formatting import MAX_INSTRUCTION_CHARS
from ..core.items import MAX_PARTS, Item, group_item, items_from_files, items_from_lines, make_item
from ..core.pdf import MAX_PAGES_PER_FILE, is_pdf, pages_note, pdf_pages
from .paths import allowed_file, generated_dir


def files(value: Any) -> list[str]:
    """Paths from a file widget, each checked to be an upload or a bundled sample."""
    if not value:
        return []
    values = value if isinstance(value, list) else [value]
    return [allowed_file(v if isinstance(v, str) else getattr(v, "name", str(v))) for v in values if v]


def one_file(value: Any) -> str:
    found = files(value)
    return found[0] if found else ""


def check_text(text: str | None, what: str) -> str:
    """``text`` if within the app's length limit (the models' context holds about that much)."""
    text = formatting.check_text(text or "", what)
    if len(text) > config.MAX_TEXT_CHARS:
        raise InputError(f"{what} has {len(text):,} characters; the limit is {config.MAX_TEXT_CHARS:,}")
    return text


def lines(text: str | None, what: str) -> list[Item]:
    """One text item per non-empty line, each within the app's length limit."""
    items = items_from_lines(text)
    for number, item in enumerate(items, start=1):
        check_text(item.text, f"{what} line {number}")
    return items


def instruction(text: str | None, what: str) -> str:
    """An instruction box's text (empty: the model's default)."""
    if text:
        formatting.check_text(text, f"the {what} instruction")
    if text and len(text) > MAX_INSTRUCTION_CHARS:
        raise InputError(f"the {what} instruction has {len(text):,} characters; the limit is "
                         f"{MAX_INSTRUCTION_CHARS:,}")
    return text or ""


def dim_value(value: Any) -> int | None:
    """A slider's value as an MRL size; None (full size) when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def query_item(text: str | None, file: Any) -> Item:
    """The query of a text box and an optional file; InputError if both are empty."""
    query = make_item(check_text(text, "the query"), one_file(file))
    if not query.text and not query.path:
        raise InputError("type a query, or give an image or a video")
    return query


def file_items(paths: list[str], room: int, notes: list[str] | None = None, as_one: bool = False) -> list[Item]:
    """One item per file, a PDF one image item per page (``report.pdf · p.3``). At most ``room``
    items in all: a PDF that does not fit gives its first pages and a line in ``notes``. ``as_one``:
    all of them (pages included) as one document, one vector."""
    found = split_files(paths, room if not as_one else MAX_PARTS, notes)
    return [group_item(found)] if as_one and found else found


def split_files(paths: list[str], room: int, notes: list[str] | None) -> list[Item]:
    found: list[Item] = []
    flat = [p for p in paths if not is_pdf(p)]
    left = room - len(flat)
    for path in paths:
        if not is_pdf(path):
            found += items_from_files([path])
            continue
        name = os.path.basename(path)
        if left < 1:
            _note(notes, f"{name} was left out: the limit of {room} items was reached")
            continue
        pages = pdf_pages(path, generated_dir(), min(MAX_PAGES_PER_FILE, left))
        left -= len(pages.items)
        found += pages.items
        _note(notes, pages_note(name, pages))
    return found


def _note(notes: list[str] | None, line: str | None) -> None:
    if line and notes is not None:
        notes.append(line)


def text_and_files(text: str | None, file_values: Any, what: str, room: int = config.MAX_DOCUMENTS,
                   notes: list[str] | None = None, as_one: bool = False) -> list[Item]:
    """The lines of a text box, then the files of a file box (PDFs as pages, within ``room``;
    ``as_one``: the files as one document)."""
    typed = lines(text, what)
    return typed + file_items(files(file_values), room - len(typed), notes, as_one)


def similarity_items(query_text: str | None, query_files: Any, document_text: str | None, document_files: Any,
                     pair_text: str | None, pair_image: Any, notes: list[str] | None = None,
                     as_one: bool = False) -> tuple[list[Item], list[Item]]:
    """The Similarity tab's (queries, documents); a PDF document gives its pages (``notes``: what
    was left out)."""
    queries = text_and_files(query_text, query_files, "query", config.MAX_QUERIES, notes)
    room = config.MAX_DOCUMENTS - (1 if pair_image else 0)
    documents = text_and_files(document_text, document_files, "document", room, notes, as_one)
    if pair_image:
        documents.append(make_item(check_text(pair_text, "the pair text"), one_file(pair_image)))
    elif (pair_text or "").strip():
        raise InputError("the text+image pair has text but no image")
    if not queries:
        raise InputError("add at least one query: a line of text or an image")
    if not documents:
        raise InputError("add at least one document: a line of text, an image or a video")
    return queries, documents


def search_query(text: str | None, image: Any, video: Any) -> Item:
    """The Gallery search tab's query: text, and at most one image or video."""
    if image and video:
        raise InputError("give one image or one video as the query, not both")
    return query_item(text, image or video)


def rerank_items(query_text: str | None, query_file: Any, document_text: str | None,
                 document_files: Any, notes: list[str] | None = None,
                 as_one: bool = False) -> tuple[Item, list[Item]]:
    """The Reranker tab's (query, documents); a PDF document gives its pages."""
    query = query_item(query_text, query_file)
    documents = text_and_files(document_text, document_files, "document", config.MAX_RERANK_DOCUMENTS,
                               notes, as_one)
    if not documents:
        raise InputError("add at least one document: a line of text, an image or a video")
    return query, documents
