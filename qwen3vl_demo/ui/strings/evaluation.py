"""(filled below)"""

from __future__ import annotations

from .locales import tr  # noqa: F401

STRINGS: dict[str, dict[str, str]] = {}
