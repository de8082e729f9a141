"""The interface's languages, and ``tr``: one English string's translations, every language named.

A string of the catalogue is keyed by its English text (a template where it takes values, such as
``"loaded in {seconds:.1f} s"``); ``tr`` takes one keyword per language, so a translation left out
is an error when the catalogue is imported, not an English string on a visitor's screen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Locale:
    """One language of the interface: its code as browsers and Gradio spell it, its own name,
    whether it is written right to left, and whether it writes decimals with a comma (0,959)."""

    code: str
    name: str
    rtl: bool = False
    decimal_comma: bool = False


ENGLISH = "en"
LOCALES = (
    Locale(ENGLISH, "English"),
    Locale("zh-CN", "简体中文"),
    Locale("ja", "日本語"),
    Locale("ko", "한국어"),
    Locale("es", "Español", decimal_comma=True),
    Locale("fr", "Français", decimal_comma=True),
    Locale("de", "Deutsch", decimal_comma=True),
    Locale("pt", "Português", decimal_comma=True),
    Locale("ru", "Русский", decimal_comma=True),
    Locale("ar", "العربية", rtl=True),
)
CODES = tuple(locale.code for locale in LOCALES)
TRANSLATED = CODES[1:]  # every language but English, in the order of ``tr``'s keywords


def tr(*, zh: str, ja: str, ko: str, es: str, fr: str, de: str, pt: str, ru: str, ar: str) -> dict[str, str]:
    """One string in every language but English (the catalogue's key is the English)."""
    return dict(zip(TRANSLATED, (zh, ja, ko, es, fr, de, pt, ru, ar), strict=True))

# Translations that are, rightly, the English text itself (a loanword, a unit): the tests take any
# other translation equal to its English key for a string left untranslated.
UNITS = frozenset({" · {rate:.0f} MB/s", "{source} · {seconds:.1f} s"})
SAME_AS_ENGLISH = {
    "es": frozenset({"Embedding", "embedding", *UNITS}),
    "fr": frozenset({"#### Documents", "Scores", "Embedding", "embedding", "document", "documents", "attention",
                     "{source} · {seconds:.1f} s"}),
    "de": frozenset({"Embedding", *UNITS}),
    "pt": frozenset({"Embedding", "embedding", "item", *UNITS}),
}
