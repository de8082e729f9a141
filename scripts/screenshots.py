#!/usr/bin/env python3
"""Screenshots of a running app for the README: each tab after its first example has run.

    python scripts/screenshots.py --url http://127.0.0.1:7860 --out docs/screenshots

Writes one PNG per step (similarity, one-document, search, pdf-search, rerank, moments, storage,
instruction-ab, map, video, evaluate, about) at a 1280x800 viewport (the whole page; pdf-search: its
section), and the same as <step>-phone.png at 390x844 (a phone), reduced to 256 colours so they stay
small enough to commit. Needs Playwright for Python and a Chromium binary (default /usr/bin/chromium,
or $QWEN3VL_CHROMIUM); Playwright's own browser download is never used. tests/test_browser.py drives
the same steps. Emoji need a colour emoji font (Debian: fonts-noto-color-emoji).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the app's package, run from anywhere
from qwen3vl_demo.ui import strings

CHROMIUM = os.environ.get("QWEN3VL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"": VIEWPORT, "-phone": PHONE}  # file suffix -> viewport
TIMEOUT_MS = 180_000  # one example on a cold cache, on a slow CPU

SIMILARITY_EXAMPLE = "Beach & dog vs photos, a video and a pair"
SEARCH_EXAMPLE = "Beach & dog"
RERANK_EXAMPLE = "Beach & dog: text and photos"
ONE_DOCUMENT_EXAMPLE = "Three photos as one document"
PDF_EXAMPLE = "Bar chart in figures.pdf"
MOMENTS_EXAMPLE = "cycling.mp4, 4 s windows"
EVALUATE_EXAMPLE = "Sample gallery: 18 labelled queries"
CROSS_LINGUAL_EXAMPLE = "🌐 5 languages vs photos"
ARABIC_SEARCH_EXAMPLE = "🌐 Arabic → photos"
MULTILINGUAL_EXAMPLE = "🌐 Multilingual: 16 queries in 11 languages"


# --- Browser and page -----------------------------------------------------------------------------
def launch(playwright: Any, executable: str = CHROMIUM) -> Any:
    """Headless Chromium from the system (``executable``), sandbox off for containers."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def new_page(browser: Any, viewport: dict[str, int] | None = None, locale: str | None = None) -> Any:
    """A page in a browser whose language is ``locale`` (``zh-CN``, ``ar``; default: Chromium's, English)."""
    options = {"locale": locale} if locale else {}
    return browser.new_page(viewport=viewport or VIEWPORT, device_scale_factor=1, **options)


def shown(page: Any, english: str) -> str:
    """``english`` (a tab's or an example's name) as the page shows it, in the page's language."""
    language = page.evaluate("document.documentElement.lang") or "en"
    return strings.raw(english).get(language, english)


def switch_language(page: Any, name: str) -> None:
    """Pick the language named ``name`` ("English", "简体中文") in Gradio's Settings, at the foot of
    the page, and close Settings again."""
    page.locator("button.settings").click()
    box = page.get_by_role("combobox", name="Language")
    box.click()
    page.get_by_role("option", name=name, exact=True).click()
    page.get_by_role("dialog").locator("button").first.click()  # Settings' close button
    page.get_by_role("dialog").wait_for(state="detached")


def model_pill(page: Any, role: str) -> Any:
    """The header pill of one model ("Embedding" or "Reranker") once it shows the model ready."""
    return page.locator(f"#status-header .pill.ready[data-role='{role.lower()}']")


def open_app(page: Any, url: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Load the page; wait until both models are ready and nothing in the header is still loading."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:  # the server may still be starting
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
            break
        except Exception as exc:
            if "ERR_CONNECTION_REFUSED" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    for role in ("Embedding", "Reranker"):
        model_pill(page, role).wait_for(timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('#status-header .pill.loading')",
                           timeout=timeout_ms)


def select_tab(page: Any, name: str) -> None:
    """Click the tab ``name`` (its English name, in any language); on a narrow screen it may sit in
    Gradio's "More tabs" menu."""
    name = shown(page, name)
    tab = page.get_by_role("tab", name=name)
    if tab.count() and tab.first.is_visible():
        tab.first.click()
        return
    for menu in page.get_by_role("button", name="More tabs").all():
        if not menu.is_visible():
            continue
        menu.click()
        entry = page.locator(".overflow-dropdown button", has_text=name)
        for candidate in entry.all():
            if candidate.is_visible():
                candidate.click()
                return
        menu.click()  # not in this menu: close it
    raise LookupError(f"no tab named {name!r}")


def run_example(page: Any, label: str) -> None:
    """Click the example named ``label`` (its English name, in any language)."""
    page.get_by_role("button", name=shown(page, label), exact=True).click()


def wait_idle(page: Any, output: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Until the progress overlay of ``output`` (a CSS selector) is hidden again."""
    tracker = f"{output} [data-testid='status-tracker']"
    page.wait_for_function(
        "(sel) => [...document.querySelectorAll(sel)].every(e => e.classList.contains('hide'))",
        arg=tracker, timeout=timeout_ms)


def wait_images(page: Any, selector: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Until every <img> under ``selector`` has loaded (lazy images are scrolled into view first)."""
    for image in page.locator(f"{selector} img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function(
        "(sel) => [...document.querySelectorAll(sel + ' img')].every(i => i.complete && i.naturalWidth > 0)",
        arg=selector, timeout=timeout_ms)


# --- One step per tab: run the first example and wait for its result -------------------------------
def _show(page: Any, tabs: tuple[str, ...], example: str, ready: str, output: str, timeout_ms: int) -> Any:
    """Open ``tabs`` in turn, run ``example`` and wait until ``ready`` shows inside ``output``."""
    for tab in tabs:
        select_tab(page, tab)
    run_example(page, example)
    page.locator(ready).first.wait_for(timeout=timeout_ms)
    wait_idle(page, output, timeout_ms)
    return page.locator(output)


def show_similarity(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    return _show(page, ("🔥 Similarity",), SIMILARITY_EXAMPLE, "#sim-plot .heatmap-label", "#sim-plot",
                 timeout_ms)


def show_search(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    located = _show(page, ("🔎 Gallery search",), SEARCH_EXAMPLE, "#search-results .caption-label",
                    "#search-results", timeout_ms)
    wait_images(page, "#search-results", timeout_ms)
    return located


def show_one_document(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    """Similarity's example of three photos as one document (one column, a strip of thumbnails)."""
    located = _show(page, ("🔥 Similarity",), ONE_DOCUMENT_EXAMPLE, "#sim-plot .heatmap-label", "#sim-plot",
                    timeout_ms)
    page.locator("#sim-plot .xtick text", has_text="3 images").first.wait_for(timeout=timeout_ms)
    return located


def show_pdf_search(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    """Gallery search's "Pages of one PDF" section, opened, after its example has run."""
    select_tab(page, "🔎 Gallery search")
    section = page.locator("#pdf-search")
    if not page.locator("#pdf-button").is_visible():
        section.locator("button").first.click()  # the accordion's header, in any language
    run_example(page, PDF_EXAMPLE)
    page.locator("#pdf-results .caption-label").first.wait_for(timeout=timeout_ms)
    wait_idle(page, "#pdf-results", timeout_ms)
    wait_images(page, "#pdf-results", timeout_ms)
    section.scroll_into_view_if_needed()
    return section


def show_moments(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    """Moments' example, then its best moment played (the clip loaded)."""
    located = _show(page, ("⏱️ Moments",), MOMENTS_EXAMPLE, "#moments-best .caption-label", "#moments-best",
                    timeout_ms)
    wait_images(page, "#moments-best", timeout_ms)
    page.locator("#moments-best img").first.click()
    page.locator("#moments-clip video").wait_for(timeout=timeout_ms)
    page.keyboard.press("Escape")  # the gallery's full-size preview closed again
    return located


def show_rerank(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    return _show(page, ("⚖️ Reranker",), RERANK_EXAMPLE, "#rerank-plot .trace.bars .point", "#rerank-plot",
                 timeout_ms)


def _inside(page: Any, view: str, example: str, ready: str, output: str, timeout_ms: int) -> Any:
    return _show(page, ("🔬 Inside the embeddings", view), example, ready, output, timeout_ms)


def show_storage(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    return _inside(page, "📏 Sizes & quantization", "Beach & dog", "#storage-plot .trace.bars .point",
                   "#storage-plot", timeout_ms)


def show_instruction_ab(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    return _inside(page, "🔀 Instruction A/B", "Photos vs documents", "#ab-plot .scatterlayer .trace",
                   "#ab-plot", timeout_ms)


def show_map(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    return _inside(page, "🗺️ Map", "Auto k + 2 queries", "#map-plot .scatterlayer .point", "#map-plot",
                   timeout_ms)


def show_video(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    located = _inside(page, "🎞️ Video inspector", "cycling.mp4 at 1 fps", "#video-frames img",
                      "#video-frames", timeout_ms)
    wait_images(page, "#video-frames", timeout_ms)
    return located


def show_evaluate(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    located = _show(page, ("📊 Evaluate",), EVALUATE_EXAMPLE, "#eval-sizes .scatterlayer .trace", "#eval-metrics",
                    timeout_ms)
    page.locator("#eval-depths .scatterlayer .trace").first.wait_for(timeout=timeout_ms)
    wait_images(page, "#eval-top", timeout_ms)
    return located


def show_cross_lingual(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    """Similarity's example of one query in each of five languages against the photos."""
    return _show(page, ("🔥 Similarity",), CROSS_LINGUAL_EXAMPLE, "#sim-plot .heatmap-label", "#sim-plot", timeout_ms)


def show_search_arabic(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    """Gallery search's example of an Arabic query over the English-captioned gallery."""
    located = _show(page, ("🔎 Gallery search",), ARABIC_SEARCH_EXAMPLE, "#search-results .caption-label",
                    "#search-results", timeout_ms)
    wait_images(page, "#search-results", timeout_ms)
    return located


def show_evaluate_languages(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    """Evaluate's multilingual example: the table per language and nDCG@10 per language against size."""
    _show(page, ("📊 Evaluate",), MULTILINGUAL_EXAMPLE, "#eval-language-sizes .scatterlayer .trace",
          "#eval-languages", timeout_ms)
    section = page.locator("#eval-languages-view")
    section.scroll_into_view_if_needed()
    return section


def show_about(page: Any, timeout_ms: int = TIMEOUT_MS) -> Any:
    select_tab(page, "ℹ️ About")
    page.locator("#about table").wait_for(timeout=timeout_ms)
    return page.locator("#about")


def screenshot(page: Any, path: Path, full_page: bool = True, element: Any = None) -> Path:
    """A PNG of the page (or of ``element``, a locator), the mouse moved away so no hover label or
    toolbar shows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # plotly's and the tabs' transitions
    if element is not None:
        element.screenshot(path=str(path), animations="disabled")
    else:
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def compress(path: Path) -> Path:
    """The PNG reduced to 256 colours, refined by k-means so that small areas (an emoji, a pale panel)
    keep their colour: a UI screenshot looks the same at a third of the size."""
    from PIL import Image

    with Image.open(path) as picture:
        reduced = picture.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, kmeans=2)
    reduced.save(path, optimize=True)
    return path


@dataclass(frozen=True)
class Step:
    name: str
    show: Callable[..., Any]
    full_page: bool = True  # the inputs, the examples and the result in one picture
    element: bool = False  # only what ``show`` returns (a section of a tab)


STEPS = (Step("similarity", show_similarity), Step("one-document", show_one_document),
         Step("search", show_search), Step("pdf-search", show_pdf_search, element=True),
         Step("rerank", show_rerank), Step("moments", show_moments), Step("storage", show_storage),
         Step("instruction-ab", show_instruction_ab), Step("map", show_map), Step("video", show_video),
         Step("evaluate", show_evaluate), Step("about", show_about), Step("cross-lingual", show_cross_lingual),
         Step("search-arabic", show_search_arabic), Step("evaluate-languages", show_evaluate_languages, element=True))


def capture(url: str, out: Path, executable: str = CHROMIUM, timeout_ms: int = TIMEOUT_MS,
            only: tuple[str, ...] = (), locale: str | None = None) -> list[Path]:
    """One browser; per viewport one page and the steps in order (those named in ``only``, if
    given); the PNGs written to ``out`` (``<step>-<locale>.png`` for a browser in ``locale``)."""
    steps = [step for step in STEPS if not only or step.name in only]
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for suffix, viewport in VIEWPORTS.items():
                page = new_page(browser, viewport, locale)
                open_app(page, url, timeout_ms)
                for step in steps:
                    shown = step.show(page, timeout_ms)
                    name = f"{step.name}-{locale}" if locale else step.name
                    path = screenshot(page, out / f"{name}{suffix}.png", step.full_page,
                                      shown if step.element else None)
                    written.append(compress(path))
                page.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/", help="the running app")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"), help="folder for the PNGs")
    parser.add_argument("--chromium", default=CHROMIUM, help="Chromium executable")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_MS / 1000, help="seconds per step")
    parser.add_argument("--only", nargs="*", default=[], choices=[step.name for step in STEPS], metavar="STEP",
                        help="only these steps (default: all)")
    parser.add_argument("--locale", help="the browser's language (zh-CN, ar...): the interface in that language")
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        parser.error(f"no Chromium at {args.chromium} (Debian: apt-get install chromium)")
    for path in capture(args.url, args.out, args.chromium, int(args.timeout * 1000), tuple(args.only), args.locale):
        print(f"{path}  {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
