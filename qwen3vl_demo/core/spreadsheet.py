"""CSV files a spreadsheet cannot turn against its reader (OWASP "CSV Injection").

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (a tab or a
carriage return first is trimmed by some, leaving the formula), so a visitor's text or file name
such as ``=HYPERLINK("http://…"&A1,"click")`` would run when the download is opened. Every text
cell that starts with one of those characters gets a leading apostrophe, the prefix OWASP
recommends: the spreadsheet shows the text as typed, and nothing runs.

Numbers stay numbers: a numeric cell (``-0.12``, a negative cosine) is written as it is, and so is
a text cell that is exactly a plain decimal number (``-3``, ``+1.5e-3``): a spreadsheet reads either
as a number, never as a formula. JSON downloads are not touched (JSON is not evaluated by anything
that opens it).
"""

from __future__ import annotations

import csv
import numbers
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

# OWASP's list, the line feed (trimmed like a carriage return by some readers) and the full-width
# forms of the four formula characters (read as formulas by some East Asian spreadsheet locales).
FORMULA_STARTS = frozenset("=+-@\t\r\n" + "\uff1d\uff0b\uff0d\uff20")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
NEUTRALISING_PREFIX = "'"


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may read it without running anything: numbers and None as they
    are, any other value as text, with an apostrophe first where the text would start a formula."""
    if value is None or (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        return value
    text = str(value)
    if text and text[0] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(text):
        return NEUTRALISING_PREFIX + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def write_csv(path: str | os.PathLike, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """A UTF-8 CSV of ``header`` then ``rows``, every cell through :func:`safe_cell` (the header too:
    its columns may be visitors' file names)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(safe_row(header))
        writer.writerows(safe_row(row) for row in rows)
