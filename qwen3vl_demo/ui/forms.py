"""Widget values -> items: what every handler and the examples' preload turn inputs into.

One function per form, so the saved index built from the examples holds exactly what a click on
an example embeds. Each returns early with an InputError naming the field. No gradio here.
"""

from __future__ import annotations

from typing import Any

from ..core import config, formatting
from ..core.errors import InputError
from ..core.formatting import MAX_INSTRUCTION_CHARS
from ..core.items import Item, items_from_files, items_from_lines, make_item
from .paths import allowed_file


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


def text_and_files(text: str | None, file_values: Any, what: str) -> list[Item]:
    """The lines of a text box, then the files of a file box."""
    return lines(text, what) + items_from_files(files(file_values))


def similarity_items(query_text: str | None, query_files: Any, document_text: str | None, document_files: Any,
                     pair_text: str | None, pair_image: Any) -> tuple[list[Item], list[Item]]:
    """The Similarity tab's (queries, documents)."""
    queries = text_and_files(query_text, query_files, "query")
    documents = text_and_files(document_text, document_files, "document")
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
                 document_files: Any) -> tuple[Item, list[Item]]:
    """The Reranker tab's (query, documents)."""
    query = query_item(query_text, query_file)
    documents = text_and_files(document_text, document_files, "document")
    if not documents:
        raise InputError("add at least one document: a line of text, an image or a video")
    return query, documents
