"""Every string a visitor reads, in every language of the interface: the one place that holds them.

The catalogue is keyed by the English text (a template where the string takes values: ``"loaded
in {seconds:.1f} s"``), so the code reads as it always did and English needs no entry of its own.
Two ways out of here, both driven by the language Gradio picked for the visitor:

- static text (labels, buttons, tabs, Markdown that never changes) goes to ``gr.I18n`` through
  :func:`qwen3vl_demo.ui.l10n.t`: the browser translates it and switches it with the language;
- text built on the server (the header, status lines, messages, About's table) cannot know that
  language, so :func:`localize` builds it in every language and :meth:`Localized.html` wraps each
  in a ``<span lang=…>``; the page's CSS shows the visitor's and hides the rest.

Messages that core and service raise in English (refused inputs, and the memory policy's reasons
and refusals: ``precision``) are translated at the ui boundary by matching them against the message
templates (:func:`translate_message`); no gradio here.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import about, evaluation, interface, messages, precision, status, texts
from .locales import CODES, ENGLISH, LOCALES, TRANSLATED, Locale

__all__ = ["CODES", "ENGLISH", "LOCALES", "TRANSLATED", "Locale", "Localized", "catalogue", "decimals", "join",
           "localize", "placeholders", "raw", "translate_message", "translate_notes"]

AREAS = (interface.STRINGS, interface.TABS, interface.EXAMPLES, texts.STRINGS, status.STRINGS, messages.STRINGS, about.STRINGS,
         evaluation.STRINGS, precision.STRINGS)
# What core, service and the backends write in English: refused inputs and notes, and the memory policy's texts.
MESSAGES = {**messages.STRINGS, **precision.STRINGS}
NUMBERS = messages.NUMBERS | precision.NUMBERS


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """English text -> {language code: translation}, every area merged (a key in two areas is an
    error: one English string has one translation per language)."""
    merged: dict[str, dict[str, str]] = {}
    for area in AREAS:
        for key, translations in area.items():
            if key in merged:
                raise ValueError(f"{key!r} is in the catalogue twice")
            merged[key] = translations
    return merged


@dataclass(frozen=True)
class Localized:
    """One text in every language of the interface (``texts``: language code -> text)."""

    texts: Mapping[str, str]

    @property
    def english(self) -> str:
        return self.texts[ENGLISH]

    @classmethod
    def same(cls, text: str) -> Localized:
        """A text that reads the same in every language (a file name, a number)."""
        return cls(dict.fromkeys(CODES, text))

    def __add__(self, other: Localized | str) -> Localized:
        right = other if isinstance(other, Localized) else Localized.same(other)
        return Localized({code: self.texts[code] + right.texts[code] for code in CODES})

    def __radd__(self, other: str) -> Localized:
        return Localized.same(other) + self

    def html(self) -> str:
        """One ``<span lang=…>`` per language (the page shows the visitor's); the texts are HTML
        or Markdown as they are, so values must be escaped before :func:`localize` takes them."""
        return "".join(f"<span class='l10n' lang='{code}'>{self.texts[code]}</span>" for code in CODES)


def join(parts: list[Localized], separator: str) -> Localized:
    """``parts`` joined by ``separator`` in every language."""
    return Localized({code: separator.join(p.texts[code] for p in parts) for code in CODES})


def raw(template: str, **values: Any) -> dict[str, str]:
    """``template`` (an English key of the catalogue) in every language, ``values`` filled in as
    they are: for text shown as text (labels, buttons), never as HTML. A template missing from the
    catalogue stays English everywhere (the catalogue's tests name it)."""
    translations = catalogue().get(template, {})
    return {code: translations.get(code, template).format(**values) if values else translations.get(code, template)
            for code in CODES}


def localize(template: str, **values: Any) -> Localized:
    """``template`` in every language, safe as HTML and Markdown: the translations and plain
    ``values`` are escaped; a :class:`Localized` value (already safe) is taken in each language,
    which is how markup goes in (``Localized.same("<b>Retry</b>")``)."""
    translations = catalogue().get(template, {})
    texts = {}
    for code in CODES:
        each = {k: (v.texts[code] if isinstance(v, Localized) else escaped(v)) for k, v in values.items()}
        texts[code] = html.escape(translations.get(code, template), quote=False).format(**each)
    return Localized(texts)


def escaped(value: Any) -> Any:
    """A value for :func:`localize`: text escaped, numbers as they are (their format spec applies)."""
    return html.escape(value, quote=False) if isinstance(value, str) else value


def decimals(value: str) -> Localized:
    """A measured value such as ``"0.959"`` or ``"6.5x"`` as each language writes it (``0,959`` in
    the languages that write decimals with a comma); escaped, ready for :func:`localize`."""
    shown = html.escape(value, quote=False)
    comma = re.sub(r"(?<=\d)\.(?=\d)", ",", shown)
    return Localized({locale.code: comma if locale.decimal_comma else shown for locale in LOCALES})


def placeholders(template: str) -> set[str]:
    """The ``{name:spec}`` fields of a template, spec included."""
    return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(template) if name is not None}


# --- Messages raised in English, translated at the ui boundary --------------------------------------
@lru_cache(maxsize=1)
def message_patterns() -> list[tuple[re.Pattern[str], str]]:
    """(regular expression, template) for each message template with values, most literal first."""
    patterns = []
    for template in MESSAGES:
        parts = list(string.Formatter().parse(template))
        if all(name is None for _, name, _, _ in parts):
            continue
        regex = "".join(re.escape(literal) + ("" if name is None else f"(?P<{name}>{field_pattern(name)})")
                        for literal, name, _, _ in parts)
        patterns.append((re.compile(f"^{regex}$", re.DOTALL), template))
    literal_length = {t: sum(len(lit) for lit, *_ in string.Formatter().parse(t)) for _, t in patterns}
    return sorted(patterns, key=lambda p: -literal_length[p[1]])


def field_pattern(name: str) -> str:
    """What a template's field matches in a message: a number for the fields named so, else any text."""
    if name in messages.OPTIONAL:
        return ".*?"
    return r"-?\d[\d,.]*" if name in NUMBERS else ".+?"


def translate_message(message: str, depth: int = 0) -> Localized:
    """An English message in every language, safe as HTML: a message of the catalogue as it is,
    or one matching a template (its values translated in turn where they are messages themselves,
    such as the cause after ``document 2: ``); anything else stays English."""
    if message in MESSAGES:
        return localize(message)
    if depth < 3:
        for pattern, template in message_patterns():
            found = pattern.match(message)
            if found:
                values = {name: translated_value(name, value, depth + 1) for name, value in found.groupdict().items()}
                return localize(template, **values)
    return Localized.same(html.escape(message, quote=False))


def translated_value(name: str, value: str, depth: int) -> Localized:
    """A message's value in every language: a name (a model, a dtype) as it is, a list of messages
    (the ways out of a refused load) item by item, anything else as a message of its own."""
    if name in precision.VERBATIM:
        return Localized.same(html.escape(value, quote=False))
    if name in precision.LISTS:
        items = [translate_message(item, depth) for item in value.split(precision.LIST_SEPARATOR)]
        return Localized({code: precision.LIST_SEPARATORS[code].join(i.texts[code] for i in items) for code in CODES})
    return translate_message(value, depth)


def translate_notes(notes: list[str], separator: str = "; ") -> Localized:
    """Several English notes (a video sampled down, a PDF's pages left out) in every language."""
    return join([translate_message(note) for note in notes], separator)
