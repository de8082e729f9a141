"""The interface in another language, in headless Chromium on the live app: a browser set to
Chinese (zh-CN) and one set to Arabic (right to left) get the tabs, buttons, examples, header and a
refused input's message in their language, no English label left; switching back to English in
Gradio's Settings turns every one of them back. Each step leaves a screenshot in
``artifacts/screenshots/``."""

from __future__ import annotations

import pytest
from conftest import SHOTS, LiveApp, shots

from qwen3vl_demo.ui import strings
from qwen3vl_demo.ui.strings import interface

pytestmark = pytest.mark.browser

# The refused input: Similarity run with nothing in it.
REFUSED = "add at least one query: a line of text or an image"
ENGLISH_LABELS = [key for key in [*interface.STRINGS, *interface.TABS, *interface.EXAMPLES]
                  if len(key.split()) >= 3 and "{" not in key and "`" not in key]


def open_in(browser, live_app: LiveApp, locale: str):
    page = shots.new_page(browser, locale=locale)
    shots.open_app(page, live_app.url)
    page.wait_for_function("(code) => document.documentElement.lang === code", arg=locale)
    return page


def english_left(page) -> list[str]:
    """Catalogue labels the page shows in English (visible text only)."""
    shown = page.locator(".gradio-container").inner_text()
    return [label for label in ENGLISH_LABELS if label in shown]


def refuse_an_empty_similarity(page) -> str:
    page.locator("#sim-button").click()
    status = page.locator("#sim-status .run-status.error")
    status.wait_for(timeout=shots.TIMEOUT_MS)
    return status.inner_text()


def check_english(page) -> None:
    """After switching back: tabs, button, examples, header and the message read English again."""
    page.wait_for_function("() => document.documentElement.lang === 'en' && document.documentElement.dir === 'ltr'")
    assert page.get_by_role("tab").all_inner_texts()[:3] == ["🔥 Similarity", "🔎 Gallery search", "⚖️ Reranker"]
    assert page.locator("#sim-button").inner_text() == "Compute similarity"
    assert page.get_by_role("button", name="Three photos as one document", exact=True).is_visible()
    assert "Embed text, images, screenshots and videos" in page.locator("#status-header").inner_text()
    assert page.locator("#sim-status").inner_text() == f"Input problem — {REFUSED}"


def test_a_chinese_browser_gets_the_interface_in_chinese_and_can_switch_back(browser, live_app: LiveApp) -> None:
    page = open_in(browser, live_app, "zh-CN")
    try:
        tabs = page.get_by_role("tab").all_inner_texts()
        assert tabs == [strings.raw(key)["zh-CN"] for key in ["🔥 Similarity", "🔎 Gallery search", "⚖️ Reranker",
                                                               "⏱️ Moments", "🔬 Inside the embeddings", "📊 Evaluate",
                                                               "ℹ️ About"]]
        assert tabs[0] == "🔥 相似度" and page.locator("#sim-button").inner_text() == "计算相似度"
        assert page.get_by_role("button", name="三张照片合为一个文档", exact=True).is_visible()  # an example's name
        header = page.locator("#status-header").inner_text()
        assert "Qwen3-VL 嵌入与重排序探索" in header and "随机权重的测试模型" in header
        assert page.locator("#sim-queries label").inner_text().startswith("文本查询")
        message = refuse_an_empty_similarity(page)
        assert message == "输入有误 — 请至少添加一条查询：一行文本或一张图像", message
        assert not english_left(page), english_left(page)
        shots.screenshot(page, SHOTS / "l10n-zh-CN.png", full_page=False)
        shots.switch_language(page, "English")
        check_english(page)
        shown = page.locator(".gradio-container").inner_text()
        left = [strings.raw(key)["zh-CN"] for key in ENGLISH_LABELS if strings.raw(key)["zh-CN"] in shown]
        assert not left, left  # none of the app's Chinese is left (Gradio's own upload boxes keep theirs)
    finally:
        page.close()


def test_an_arabic_browser_gets_the_interface_right_to_left_and_can_switch_back(browser, live_app: LiveApp) -> None:
    page = open_in(browser, live_app, "ar")
    try:
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.querySelector('.gradio-container')).direction") == "rtl"
        tabs = page.get_by_role("tab")
        assert tabs.first.inner_text() == "🔥 التشابه"
        first, second = (tabs.nth(n).bounding_box() for n in (0, 1))
        assert second["x"] < first["x"]  # the tab bar runs right to left
        assert page.locator("#sim-button").inner_text() == "احسب التشابه"
        assert page.get_by_role("button", name="ثلاث صور كمستند واحد", exact=True).is_visible()
        message = refuse_an_empty_similarity(page)
        assert message == "مشكلة في الإدخال — أضف استعلامًا واحدًا على الأقل: سطر نص أو صورة", message
        assert not english_left(page), english_left(page)
        shots.screenshot(page, SHOTS / "l10n-ar.png", full_page=False)
        shots.switch_language(page, "English")
        check_english(page)
        first, second = (tabs.nth(n).bounding_box() for n in (0, 1))
        assert second["x"] > first["x"]  # left to right again
    finally:
        page.close()


def test_the_multilingual_evaluation_runs_through_the_page_with_a_row_per_language(browser, live_app: LiveApp) -> None:
    from test_browser_evaluate import table_rows

    from qwen3vl_demo.ui.evaluation_views import LANGUAGE_HEADERS

    page = shots.new_page(browser)
    shots.open_app(page, live_app.url)
    try:
        view = shots.show_evaluate_languages(page)
        shots.screenshot(page, SHOTS / "evaluate-languages.png", element=view)
        rows = table_rows(page, "#eval-languages", len(LANGUAGE_HEADERS))
        assert [row[0] for row in rows] == ["English (en)", "简体中文 (zh-CN)", "日本語 (ja)", "한국어 (ko)",
                                            "Español (es)", "Français (fr)", "Deutsch (de)", "Português (pt)",
                                            "Русский (ru)", "العربية (ar)", "हिन्दी (hi)"]
        assert all(row[1] == "16" and float(row[2]) > 0 for row in rows)  # 16 queries each, their tokens counted
        assert rows[0][8] == "+0.0000" and rows[0][10] == "+0.0000"  # English's gap to itself, before and after
        assert float(rows[-1][2]) > float(rows[0][2])  # Hindi's queries take more tokens than English's
        assert page.locator("#eval-language-sizes .scatterlayer .trace").count() == 11  # a line per language
        assert "multilingual: 176 queries, 24 documents" in page.locator("#eval-summary").inner_text()
    finally:
        page.close()
