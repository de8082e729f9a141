"""The interface's languages: every string of the catalogue in every language, with the same fields
and in the language's own script; every string the page shows taken from the catalogue (a label
added in English only fails here); server-built texts and refused-input messages in every language.
Nothing is run in a browser here (tests/test_browser_l10n.py does that)."""

from __future__ import annotations

import re
import tempfile

import gradio as gr
import pytest
from gradio.i18n import I18nData

from qwen3vl_demo.core import config
from qwen3vl_demo.ui import l10n, strings
from qwen3vl_demo.ui.strings import interface, locales

LETTERS = re.compile(r"[^\W\d_]")
# What each language's text must contain (a translation pasted into the wrong language's slot fails)
# and must not (another script, where the language has none of it).
SCRIPT = {
    "zh-CN": (r"[\u4e00-\u9fff]", r"[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff\u0600-\u06ff]"),
    "ja": (r"[\u3040-\u30ff\u4e00-\u9fff]", r"[\uac00-\ud7af\u0400-\u04ff\u0600-\u06ff]"),
    "ko": (r"[\uac00-\ud7af]", r"[\u3040-\u30ff\u0400-\u04ff\u0600-\u06ff]"),
    "ru": (r"[\u0400-\u04ff]", r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af\u0600-\u06ff]"),
    "ar": (r"[\u0600-\u06ff]", r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af\u0400-\u04ff]"),
}
LATIN = r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af\u0400-\u04ff\u0600-\u06ff]"  # none of these in es/fr/de/pt
# Values that stay English on purpose: the instructions (the model card advises English ones).
ENGLISH_ON_PURPOSE = {*config.INSTRUCTION_PRESETS, config.RERANK_DEFAULT_INSTRUCTION, config.EMBED_DEFAULT_INSTRUCTION}


def test_every_string_is_in_every_language_with_the_same_fields() -> None:
    for key, translations in strings.catalogue().items():
        assert set(translations) == set(locales.TRANSLATED), key
        for code, text in translations.items():
            assert text.strip(), f"{key!r} is empty in {code}"
            assert strings.placeholders(text) == strings.placeholders(key), f"{key!r} in {code}: {text!r}"
            if LETTERS.search(re.sub(r"\{[^}]*\}", "", key)) and text == key:
                assert key in locales.SAME_AS_ENGLISH.get(code, ()), f"{key!r} is left in English in {code}"


def test_every_translation_is_written_in_its_language_s_script() -> None:
    for key, translations in strings.catalogue().items():
        bare = re.sub(r"`[^`]*`|\{[^}]*\}", "", key)  # code and fields are the same in every language
        if not LETTERS.search(bare):
            continue
        for code, text in translations.items():
            must, must_not = SCRIPT.get(code, (None, LATIN))
            if must:
                assert re.search(must, text), f"{key!r} in {code} is not in its script: {text!r}"
            assert not re.search(must_not, text), f"{key!r} in {code} holds another script: {text!r}"


def test_a_value_is_filled_in_every_language_and_a_missing_key_stays_english() -> None:
    shown = strings.raw("A video (up to {minutes} min)", minutes=60)
    assert shown["en"] == "A video (up to 60 min)" and shown["ar"] == "فيديو (حتى 60 دقيقة)"
    assert shown["zh-CN"] == "一段视频（最长 60 分钟）"
    assert set(strings.raw("Not in the catalogue").values()) == {"Not in the catalogue"}


def test_gradio_gets_each_static_string_in_every_language() -> None:
    key = l10n.t("Rerank the best {top} windows with Qwen3-VL-Reranker", top=5)
    assert isinstance(key, I18nData) and key.key == "Rerank the best 5 windows with Qwen3-VL-Reranker"
    assert l10n.I18N.translations["de"][key.key] == "Die besten 5 Fenster mit Qwen3-VL-Reranker neu ordnen"
    assert l10n.I18N.translations["en"][l10n.PROBE_KEY] == "en"
    assert {code: l10n.I18N.translations[code][l10n.PROBE_KEY] for code in locales.CODES} == {
        code: code for code in locales.CODES}


@pytest.fixture(scope="module")
def demo() -> gr.Blocks:
    from qwen3vl_demo.service.engine import Engine
    from qwen3vl_demo.ui.app import build_demo

    with tempfile.TemporaryDirectory() as cache:
        yield build_demo(Engine("unused-embedder", "unused-reranker", samples=[], disk_cache=cache))


def shown_texts(demo: gr.Blocks) -> list[tuple[str, object]]:
    """(where, value) of every text a visible component shows as given."""
    found = []
    for block in demo.blocks.values():
        if getattr(block, "visible", True) is False:
            continue
        name = f"{type(block).__name__} {getattr(block, 'elem_id', None) or ''}"
        for attribute in ("label", "info", "placeholder"):
            value = getattr(block, attribute, None)
            if value and (attribute != "label" or getattr(block, "show_label", True) is not False
                          or isinstance(block, gr.Dataset)):
                found.append((f"{name}.{attribute}", value))
        if isinstance(block, (gr.Button, gr.Markdown, gr.HTML)) and block.value:
            found.append((f"{name}.value", block.value))
    return found


def test_every_text_the_page_shows_comes_from_the_catalogue(demo: gr.Blocks) -> None:
    catalogue = strings.catalogue()
    for where, value in shown_texts(demo):
        if isinstance(value, str) and value.startswith("__i18n__"):  # a Markdown's value, as Gradio keeps it
            value = I18nData(l10n.english_marker(value))
        if isinstance(value, I18nData):
            if value.key == l10n.PROBE_KEY:
                continue
            template = next((k for k in catalogue if k == value.key or re.fullmatch(
                re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(k)), value.key)), None)
            assert template is not None, f"{where}: {value.key!r} is not in the catalogue"
        elif isinstance(value, str) and not LETTERS.search(re.sub(r"<[^>]*>", "", value)):
            continue  # an empty status line
        elif isinstance(value, str) and "class='l10n'" in value:
            assert all(f"lang='{code}'" in value for code in locales.CODES), where
        else:
            assert value in ENGLISH_ON_PURPOSE, f"{where} shows {value!r}, not translatable"


def test_every_example_and_tab_name_is_in_the_catalogue(demo: gr.Blocks) -> None:
    names = [label for block in demo.blocks.values() if isinstance(block, gr.Dataset)
             for label in block.sample_labels or []]
    assert len(names) >= 20
    assert not set(names) - set(interface.EXAMPLES), "examples named outside the catalogue"
    tabs = [block.label for block in demo.blocks.values() if isinstance(block, gr.Tab)]
    assert {tab.key for tab in tabs} == set(interface.TABS)


def test_the_page_script_names_tabs_and_examples_in_every_language() -> None:
    head = l10n.head()
    assert '"🗺️ Map": {"en": "🗺️ Map", "zh-CN": "🗺️ 地图"' in head
    assert "html[lang='ar'] .l10n[lang='ar'] {display: inline;}" in head
    assert '["ar"]' in head  # the right-to-left languages


def refused(call) -> str:
    from qwen3vl_demo.core.errors import InputError

    with pytest.raises(InputError) as caught:
        call()
    return f"Input problem — {caught.value}"  # as the page's status line gets it (ui.common.explain)


REFUSALS = {
    "no query": lambda: forms_module().similarity_items("", None, "a document", None, "", None),
    "no document": lambda: forms_module().similarity_items("a query", None, "", None, "", None),
    "pair without image": lambda: forms_module().similarity_items("q", None, "d", None, "some text", None),
    "too long": lambda: forms_module().similarity_items("q\n" + "x" * (config.MAX_TEXT_CHARS + 1), None, "d", None,
                                                        "", None),
    "image and video": lambda: forms_module().search_query("", "a.jpg", "b.mp4"),
    "empty query": lambda: forms_module().query_item("", None),
    "long instruction": lambda: forms_module().instruction("x" * 5000, "query"),
}


def forms_module():
    from qwen3vl_demo.ui import forms

    return forms


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refused_input_reads_whole_in_every_language(case: str) -> None:
    message = refused(REFUSALS[case])
    shown = strings.translate_message(message)
    assert shown.english == message
    for code in locales.TRANSLATED:
        text = shown.texts[code]
        assert text != message, f"{case} left in English in {code}"
        words = re.findall(r"[A-Za-z]{4,}", text) if code not in ("es", "fr", "de", "pt") else []
        assert not words, f"{case} in {code} keeps English words {words}: {text}"
    assert shown.texts["zh-CN"].startswith("输入有误 — ") and shown.texts["ar"].startswith("مشكلة في الإدخال — ")


def test_a_message_not_in_the_catalogue_stays_english_and_escaped() -> None:
    shown = strings.translate_message("Input problem — <b>something new</b>")
    assert shown.texts["ja"].startswith("入力に問題があります — ")  # the frame is known, its cause is not
    assert "&lt;b&gt;something new&lt;/b&gt;" in shown.texts["ja"]
    assert strings.translate_message("no template at all").texts["ru"] == "no template at all"


def test_the_header_and_a_status_line_hold_every_language() -> None:
    from qwen3vl_demo.ui.common import status_html
    from qwen3vl_demo.ui.header import header_html

    ready = {"state": "ready", "model": "Qwen/Qwen3-VL-Embedding-2B", "device": "cuda", "dtype": "bfloat16",
             "load_seconds": 12.3}
    status = {"embedding": ready, "reranker": {**ready, "model": "Qwen/Qwen3-VL-Reranker-2B"},
              "gallery": {"state": "indexing", "items": 24, "done": 5, "total": 46, "eta_s": 30}}
    header = header_html(status)
    assert "<span class='l10n' lang='ko'>cuda · bfloat16 · 12.3초 만에 불러옴</span>" in header
    assert "<span class='l10n' lang='fr'>indexation 5 sur 46 · environ 30 s restantes · la recherche couvre ce qui " \
           "est fait</span>" in header
    assert "data-role='embedding'" in header and "data-role='gallery'" in header
    line = status_html("Input problem — give a video")
    assert "<span class='l10n' lang='de'>Problem mit der Eingabe – ein Video angeben</span>" in line
