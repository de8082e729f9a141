"""The interface's languages: every string of the catalogue in every language, with the same fields
and in the language's own script; every string the page shows taken from the catalogue (a label
added in English only fails here); server-built texts and refused-input messages in every language.
Nothing is run in a browser here (tests/test_browser_l10n.py does that)."""

from __future__ import annotations

import itertools
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
    "second long job": lambda: second_long_job("an evaluation"),
    "second long request": lambda: second_long_job("a request of 12 inputs"),
    "page closed": lambda: stopped(),
}


def second_long_job(what: str) -> None:
    """What a visitor's second long job gets while their first (``what``) runs."""
    from qwen3vl_demo.service.turns import LongJobs, Visitor

    jobs, visitor = LongJobs(), Visitor("a visitor")
    with jobs.hold(visitor, what), jobs.hold(visitor, "a Moments search"):
        pass


def stopped() -> None:
    from qwen3vl_demo.service.turns import Cancelled

    raise Cancelled()


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


# --- Precision and memory: the fast mode's banner and note, the exact note, the memory policy's texts -------------
PRECISION_TEXTS = ["int8 (approximate)", "{dtype} ({storage} weights)"]


def in_language(html: str, code: str) -> str:
    """What a visitor whose page is in ``code`` reads of a server-built text (its ``<span lang>``s,
    a tooltip's title included)."""
    found = re.findall(rf"<span class='l10n[^']*' lang='{code}'([^>]*)>(.*?)</span>", html, re.DOTALL)
    return " ".join(f"{attributes} {text}" for attributes, text in found)


def english_words(text: str) -> set[str]:
    """The English words of a text, its code, option values, model names and units left out."""
    bare = re.sub(r"--dtype \w+|\S*Qwen\S*|'[^']*'|`[^`]*`|<[^>]*>", "", text)
    return set(re.findall(r"(?<![\w-])[A-Za-z]{4,}(?![\w-])", bare))


def word_pairs(text: str) -> set[str]:
    """Each two words that follow each other in ``text`` (code and names left out)."""
    words = re.sub(r"--dtype \w+|\S*Qwen\S*|'[^']*'|\bexact\b", "|", text).split()  # exact: also a precision's name
    return {f"{a} {b}" for a, b in itertools.pairwise(words) if re.fullmatch(r"[A-Za-z]+ [A-Za-z]+", f"{a} {b}")}


def policy_messages() -> list[str]:
    """Every reason, memory line and refusal the memory policy writes, for every request, device, CPU
    and checkpoint (a 2B model in 3 and 6 GiB: a refusal with and without the leaner ways out)."""
    from qwen3vl_demo.core import memory_policy as mp

    found = {mp.INT8_DRIFT}
    for dtype in (None, "auto", *mp.NAMES):
        for device, native in (("cpu", "AMX"), ("cpu", "AVX512-BF16"), ("cpu", ""), ("cuda", ""), ("mps", "")):
            try:
                precision, why = mp.requested_precision(dtype, device, native)
            except ValueError:
                continue
            for weights in (mp.CheckpointWeights(2_127_532_032, "bfloat16"), mp.CheckpointWeights(10, "float32"),
                            mp.CheckpointWeights()):
                for free in (3, 6):
                    plan = mp.plan_load(precision, why, weights, free * mp.GIB)
                    found |= {plan.reason, plan.memory_text}
                    if not plan.fits:
                        found.add(mp.refusal("reranker", "Qwen/Qwen3-VL-Reranker-2B", plan))
    names_only = {"CUDA", "mps: float32", ""}  # a platform's name, nothing to translate
    return sorted(found - names_only)


def test_every_reason_and_refusal_of_the_memory_policy_reads_whole_in_every_language() -> None:
    messages = policy_messages()
    assert len(messages) >= 20 and any("Ways out: --dtype exact" in m for m in messages)
    for message in messages:
        shown = strings.translate_message(message)
        assert shown.english == message.replace("&", "&amp;")
        for code in locales.TRANSLATED:
            text = shown.texts[code]
            assert text != message, f"{message!r} left in English in {code}"
            if code in ("es", "fr", "de", "pt"):  # Latin script: no two words of the English message left together
                left = {pair for pair in word_pairs(message) if pair in text}
            else:
                left = english_words(text) - {"Python", "exact"}  # a name, and the precision `exact` in a refusal
            assert not left, f"{message!r} in {code} keeps English words {left}: {text}"
    refused = next(m for m in messages if "Ways out: --dtype exact" in m and "--dtype bfloat16" in m)
    assert strings.translate_message(refused).texts["zh-CN"].count("；") == 5  # each way out, in the language's list
    for way in refused.split("Ways out: ")[1].split("; "):
        shown = strings.translate_message(way)
        assert all(shown.texts[code] != way for code in locales.TRANSLATED), f"{way!r} is not translated"


def test_a_failed_load_in_a_request_reads_whole_in_every_language() -> None:
    from qwen3vl_demo.core.errors import ModelFailed
    from qwen3vl_demo.ui.common import explain

    refusal = next(m for m in policy_messages() if "Ways out: --dtype exact" in m)
    _, message = explain(ModelFailed("reranker", "Qwen3-VL-Reranker-2B", refusal))
    shown = strings.translate_message(message)  # three messages deep: the failure, the refusal, each way out
    assert "対処法：--dtype exact（16 ビットの重み" in shown.texts["ja"] and "«أعد محاولة التحميل»" in shown.texts["ar"]
    assert not english_words(shown.texts["ja"]) and not english_words(shown.texts["ar"])


def test_the_precision_notes_and_labels_are_in_every_language() -> None:
    from qwen3vl_demo.ui.strings import about, status
    from qwen3vl_demo.ui.tabs.about import MEMORY_CHECKED, NOT_LOADED, PRECISION

    texts = [status.FAST_MODE_BANNER, about.EXACT_NOTE, about.INT8_NOTE, *MEMORY_CHECKED.values(),
             *NOT_LOADED.values(), *PRECISION.values(), *PRECISION_TEXTS]
    for text in texts:
        assert set(strings.catalogue().get(text, {})) == set(locales.TRANSLATED), f"{text!r} is not translated"
    # The note's numbers come from one constant, in every language, written as the language writes decimals.
    assert strings.placeholders(about.INT8_NOTE) == {f"{name}:" for name in about.INT8_AT_2B}
    assert strings.decimals("0.959").texts == {**dict.fromkeys(locales.CODES, "0.959"),
                                               **dict.fromkeys(("es", "fr", "de", "pt", "ru"), "0,959")}


def int8_status() -> dict:
    from qwen3vl_demo.core import memory_policy as mp

    plan = mp.plan_load(mp.Precision.INT8, "as asked", mp.CheckpointWeights(2_127_532_032, "bfloat16"), 12 * mp.GIB)
    ready = {"state": "ready", "model": "Qwen/Qwen3-VL-Embedding-2B", "device": "cpu", "dtype": plan.shown_dtype,
             "storage": plan.storage, "dtype_reason": plan.reason, "memory": plan.memory_text, "load_seconds": 9.5}
    return {"embedding": ready, "reranker": {**ready, "model": "Qwen/Qwen3-VL-Reranker-2B"}, "memory": {},
            "cached_embeddings": 0}


def test_the_header_of_an_int8_model_speaks_japanese_and_arabic() -> None:
    from qwen3vl_demo.ui.header import header_html

    header = header_html(int8_status())
    japanese, arabic = in_language(header, "ja"), in_language(header, "ar")
    assert "⚡ 高速モード（<code>--dtype int8</code>）：ベクトルとスコアは公式の float32 の値の近似です" in japanese
    assert "cpu · int8（近似） · 9.5 秒で読み込み" in japanese
    assert ("title='int8: 高速モード、指定どおり：int8 の線形層、近似：ベクトルは float32 からずれる（「概要」を参照）'"
            in japanese)
    assert "⚡ الوضع السريع (<code>--dtype int8</code>)" in arabic and "int8 (تقريبي)" in arabic
    assert "title='int8: الوضع السريع، كما طُلب" in arabic
    assert header.count("class='l10n why'") == 2 * len(locales.CODES)  # one ⓘ per model and language
    for code in locales.TRANSLATED:
        assert "Fast mode" not in in_language(header, code) and "approximate" not in in_language(header, code)


def test_about_speaks_japanese_and_arabic_in_exact_int8_and_refused_states() -> None:
    from qwen3vl_demo.core import memory_policy as mp
    from qwen3vl_demo.ui.tabs.about import about_markdown

    fast = about_markdown(int8_status())
    assert "**高速モード（int8）：** 線形層を int8 に量子化します" in in_language(fast, "ja")
    assert "テキストのクエリで 0.959、写真で 0.967" in in_language(fast, "ja")
    assert "{text} para consultas" not in fast and "0,959 en consultas de texto" in in_language(fast, "es")
    assert "**الوضع السريع (int8):**" in in_language(fast, "ar")
    assert "**الدقة:** int8 (تقريبي) — الوضع السريع، كما طُلب: طبقات خطية بدقة int8" in in_language(fast, "ar")
    assert "**読み込み前のメモリー確認（埋め込みモデル）：** 必要 3.3 GiB、読み込み前の空き 12.0 GiB。" in \
        in_language(fast, "ja")

    exact = int8_status()
    exact["embedding"] = {**exact["embedding"], "dtype": "float32", "storage": "bfloat16",
                          "dtype_reason": mp.plan_load(mp.Precision.EXACT, "this CPU has no native bfloat16",
                                                       mp.CheckpointWeights(10, "bfloat16"), None).reason}
    shown = about_markdown(exact)
    assert "**半分のメモリーで厳密に：**" in in_language(shown, "ja")
    assert "**دقة تامة بنصف الذاكرة:**" in in_language(shown, "ar")
    assert ("**精度（埋め込みモデル）：** float32（bfloat16 の重み） — この CPU は bfloat16 にネイティブ対応"
            in in_language(shown, "ja"))
    assert "**精度（リランカー）：** int8（近似） — 高速モード、指定どおり" in in_language(shown, "ja")

    plan = mp.plan_load(mp.Precision.FLOAT32, "as asked", mp.CheckpointWeights(2_127_532_032, "bfloat16"), 6 * mp.GIB)
    refused = {**int8_status(), "reranker": {"state": "failed", "model": "Qwen/Qwen3-VL-Reranker-2B",
                                             "error": mp.refusal("reranker", "Qwen/Qwen3-VL-Reranker-2B", plan)}}
    shown = about_markdown(refused)
    assert ("**リランカーは読み込まれていません：** リランカーモデル 'Qwen/Qwen3-VL-Reranker-2B' は読み込みませんでした"
            in in_language(shown, "ja"))
    assert "**نموذج إعادة الترتيب غير محمَّل:** لم يُحمَّل نموذج إعادة الترتيب" in in_language(shown, "ar")
    for code in ("ja", "ar", "zh-CN", "ko", "ru"):
        assert not english_words(in_language(precision_part(shown), code)), code


def precision_part(about: str) -> str:
    """About's paragraphs between the memory line and "How it works" (the precision notes)."""
    return about.split("cached embeddings", 1)[1].split("### ", 1)[0]
