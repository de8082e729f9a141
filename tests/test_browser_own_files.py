"""The visitor's own files through the real page (headless Chromium on the live app): removing one
of two same-named uploads, thumbnails of what was uploaded, the query marked among the results,
and errors of the Moments, Evaluate and Pages-of-one-PDF views kept by their buttons. Screenshots go to
``artifacts/screenshots/own-*.png``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ASSETS, SHOTS, LiveApp, shots

pytestmark = pytest.mark.browser


def own_file(directory: Path, name: str, sample: str) -> str:
    """A copy of a sample photo as the visitor's own file ``directory/name``."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    target.write_bytes((ASSETS / "images" / sample).read_bytes())
    return str(target)


def phone_shot(tab, selector: str, name: str) -> None:
    """The same page on a phone (390x844), ``selector`` scrolled into view."""
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.wait_for_timeout(400)
    tab.locator(selector).scroll_into_view_if_needed()
    shots.screenshot(tab, SHOTS / f"own-{name}-390.png", full_page=False)


def open_gallery(tab, url: str) -> None:
    shots.open_app(tab, url)
    shots.select_tab(tab, "🔎 Gallery search")
    tab.get_by_text("The gallery — add your own images, videos and texts").click()


def test_removing_one_of_two_same_named_uploads_keeps_the_other(browser, live_app: LiveApp, tmp_path) -> None:
    """Two different photos both named IMG_0001.jpg (from two folders): removing the second from
    the menu removes only it; the first stays in the gallery."""
    first = own_file(tmp_path / "phone", "IMG_0001.jpg", "img_3.jpg")
    second = own_file(tmp_path / "camera", "IMG_0001.jpg", "img_5.jpg")
    tab = shots.new_page(browser)
    try:
        open_gallery(tab, live_app.url)
        tab.locator("#gallery-upload input[type=file]").set_input_files([first, second])
        info = tab.locator("#gallery-info")
        info.get_by_text("Added 2").wait_for(timeout=60_000)
        assert "26 items" in info.inner_text()
        tab.locator("#gallery-view img").nth(25).click()  # a click on your item picks it in the menu
        tab.wait_for_function("() => document.querySelector('#gallery-remove-choice input').value"
                              " === '2. IMG_0001.jpg'", timeout=30_000)
        tab.keyboard.press("Escape")  # close the gallery's preview
        tab.locator("#gallery-remove-choice input").click()
        options = tab.get_by_role("option")
        options.first.wait_for(timeout=10_000)
        assert [t.replace("✓", "").strip() for t in options.all_inner_texts()] == ["1. IMG_0001.jpg",
                                                                                  "2. IMG_0001.jpg"]
        tab.get_by_role("option", name="2. IMG_0001.jpg").click()
        tab.get_by_role("button", name="Remove it").click()
        info.get_by_text("Removed IMG_0001.jpg").wait_for(timeout=30_000)
        assert "25 items" in info.inner_text() and "1 of yours" in info.inner_text(), info.inner_text()
        assert tab.locator("#gallery-view img").count() == 25
        shots.screenshot(tab, SHOTS / "own-remove-one.png", full_page=False)
        phone_shot(tab, "#gallery-info", "remove-one")
    finally:
        tab.close()


def clear_until_uploadable(tab, component: str) -> None:
    """Clear a video the player could not play, until the upload area is back: the player's own
    error icon may lie over the Clear button (it took the pointer's clicks), and a clear sent while
    the player still settles can be undone by it, so the click goes to the button itself, again
    if need be."""
    upload = tab.locator(f"{component} input[type=file]")
    for _ in range(5):
        tab.locator(f"{component} button[aria-label='Clear']").first.dispatch_event("click")
        try:
            upload.wait_for(state="attached", timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: clear once more
            continue
    raise AssertionError(f"{component}: the upload area did not come back after Clear")


def test_moments_errors_stay_by_the_button_and_the_last_result_stays(browser, live_app: LiveApp,
                                                                     tmp_path) -> None:
    """The visitor's own clip: a file that is not a video is named beside the button (no toast);
    then a real clip is scored; a run without a query is refused beside the button, the moments
    found before kept, the server log one line."""
    fake = tmp_path / "my_trip.mp4"
    fake.write_text("not a video at all")
    clip = tmp_path / "my_ride.mp4"
    clip.write_bytes((ASSETS / "videos" / "cycling.mp4").read_bytes())
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.select_tab(tab, "⏱️ Moments")
        status = tab.locator("#moments-status")
        tab.locator("#moments-video input[type=file]").set_input_files(str(fake))
        status.get_by_text("my_trip.mp4").first.wait_for(timeout=60_000)  # the English one (first of each language)
        # (the browser's own player may toast "Video not playable"; the app's message is not a toast)
        assert not any("my_trip" in t for t in tab.get_by_test_id("toast-body").all_inner_texts())
        clear_until_uploadable(tab, "#moments-video")
        tab.locator("#moments-video input[type=file]").set_input_files(str(clip))
        tab.locator("#moments-cost").get_by_text("windows (limit 60)").wait_for(timeout=60_000)
        assert status.inner_text().strip() == ""  # a good video clears the message
        tab.locator("#moments-query").get_by_role("textbox").fill("Cyclists in a bike lane.")
        tab.locator("#moments-button").click()
        tab.locator("#moments-best .caption-label").first.wait_for(timeout=120_000)
        shots.wait_idle(tab, "#moments-best")
        captions = tab.locator("#moments-best .caption-label").all_text_contents()
        assert captions and all("my_ride.mp4 · 0:" in c for c in captions), captions
        lines_before = len(live_app.log_tail(10**6).splitlines())
        tab.locator("#moments-query").get_by_role("textbox").fill("")
        tab.locator("#moments-button").click()
        status.get_by_text("type at least one query").wait_for(timeout=60_000)
        assert not any("query" in t for t in tab.get_by_test_id("toast-body").all_inner_texts())
        assert tab.locator("#moments-best .caption-label").all_text_contents() == captions  # kept
        assert tab.locator("#moments-plot .scatterlayer .trace").count() == 1
        new_log = live_app.log_tail(10**6).splitlines()[lines_before:]
        assert "Traceback" not in "\n".join(new_log) and any("type at least one query" in ln for ln in new_log)
        shots.screenshot(tab, SHOTS / "own-moments-error.png", full_page=False)
        phone_shot(tab, "#moments-status", "moments-error")
    finally:
        tab.close()


def test_a_broken_pdf_is_named_by_the_pages_button_and_the_pages_found_stay(browser, live_app: LiveApp,
                                                                           tmp_path) -> None:
    """Pages of one PDF with the visitor's own file: a text file named .pdf is named beside the
    button (no toast), the pages found before are kept, the server log says it in one line."""
    broken = tmp_path / "my_notes.pdf"
    broken.write_text("meeting notes, not a PDF")
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.show_pdf_search(tab)  # the section opened, its example run
        captions = tab.locator("#pdf-results .caption-label").all_text_contents()
        assert len(captions) == 3, captions
        status = tab.locator("#pdf-status")
        assert status.inner_text().strip() == ""
        lines_before = len(live_app.log_tail(10**6).splitlines())
        tab.locator("#pdf-file button[aria-label='Clear']").first.click()
        tab.locator("#pdf-file input[type=file]").set_input_files(str(broken))
        tab.locator("#pdf-file").get_by_text("my_notes.pdf").first.wait_for(timeout=30_000)
        tab.locator("#pdf-button").click()
        status.get_by_text("my_notes.pdf").first.wait_for(timeout=60_000)
        assert "Input problem" in status.inner_text(), status.inner_text()
        assert not any("my_notes" in t for t in tab.get_by_test_id("toast-body").all_inner_texts())
        assert tab.locator("#pdf-results .caption-label").all_text_contents() == captions  # kept
        new_log = live_app.log_tail(10**6).splitlines()[lines_before:]
        assert "Traceback" not in "\n".join(new_log)
        assert sum("my_notes.pdf" in line for line in new_log) == 1, new_log
        shots.screenshot(tab, SHOTS / "own-pdf-error.png", full_page=False)
        phone_shot(tab, "#pdf-status", "pdf-error")
    finally:
        tab.close()


def test_the_query_image_found_in_the_gallery_is_marked(browser, live_app: LiveApp, tmp_path) -> None:
    """The visitor adds a photo of their own to the gallery, then searches with that same photo:
    the result that is the query is marked "your query" (card and table), the others are not."""
    from PIL import Image

    photo = tmp_path / "my_cat.jpg"
    Image.open(ASSETS / "images" / "img_3.jpg").convert("RGB").crop((0, 0, 300, 240)).save(photo, quality=90)
    tab = shots.new_page(browser)
    try:
        open_gallery(tab, live_app.url)
        tab.locator("#gallery-upload input[type=file]").set_input_files(str(photo))
        tab.locator("#gallery-info").get_by_text("Added 1: my_cat.jpg").wait_for(timeout=60_000)
        tab.locator("#search-image input[type=file]").set_input_files(str(photo))
        tab.locator("#search-image").get_by_text("my_cat.jpg").first.wait_for(timeout=30_000)
        tab.locator("#search-button").click()
        results = tab.locator("#search-results")
        results.locator(".caption-label").first.wait_for(timeout=120_000)
        shots.wait_idle(tab, "#search-results")
        captions = results.locator(".caption-label").all_text_contents()
        marked = [n for n, c in enumerate(captions, start=1) if c.startswith(f"#{n} 🎯 · ")]
        assert len(marked) == 1 and sum("🎯" in c for c in captions) == 1, captions
        cost = tab.locator("#search-cost").inner_text()
        assert f"🎯 #{marked[0]} (my_cat.jpg): your query itself, found in the gallery" in cost, cost
        table = tab.locator("#search-table").inner_text()
        assert "my_cat.jpg (🎯 your query)" in table and table.count("your query") == 1, table
        shots.screenshot(tab, SHOTS / "own-search-query-marked.png", full_page=False)
        phone_shot(tab, "#search-results", "search-query-marked")
    finally:
        tab.close()


LONG_NAME = "our_summer_holiday_at_the_beach_2024_day_three.jpg"


def strip_names(tab, selector: str) -> list[str]:
    """The names under the thumbnails of one upload box's strip, as shown."""
    return [t.strip() for t in tab.locator(f"{selector}-previews figcaption").all_inner_texts()]


def wait_strip(tab, selector: str, count: int) -> None:
    tab.wait_for_function("([sel, n]) => document.querySelectorAll(sel + '-previews figure').length === n",
                          arg=[selector, count], timeout=60_000)


def test_every_upload_box_shows_thumbnails_with_whole_names(browser, live_app: LiveApp, tmp_path) -> None:
    """The visitor's photos, a clip and a broken file, uploaded through each tab's boxes: a thumbnail
    (a video's first frame) under each box with the whole file name, the broken one named with why,
    and the page still runs on what could be read."""
    photo = own_file(tmp_path, LONG_NAME, "img_8.jpg")
    kitchen = own_file(tmp_path, "kitchen.png", "img_1.jpg")
    clip = str(tmp_path / "my_ride.mp4")
    Path(clip).write_bytes((ASSETS / "videos" / "cycling.mp4").read_bytes())
    broken = tmp_path / "scan.jpg"
    broken.write_text("<html>not an image</html>")
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        tab.locator("#sim-query-files input[type=file]").set_input_files([kitchen])
        tab.locator("#sim-doc-files input[type=file]").set_input_files([photo, clip, str(broken)])
        wait_strip(tab, "#sim-doc-files", 3)
        wait_strip(tab, "#sim-query-files", 1)
        names = strip_names(tab, "#sim-doc-files")
        assert names[:2] == [LONG_NAME, "🎞️ my_ride.mp4"], names
        assert "scan.jpg is not a readable image" in names[2], names
        assert tab.locator("#sim-doc-files-previews img").count() == 2  # thumbnails, the bad one a note
        assert all(tab.locator("#sim-doc-files-previews img").evaluate_all("els => els.map(e => e.naturalWidth)"))
        caption = tab.locator("#sim-doc-files-previews figcaption").first
        assert caption.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # wrapped, not cut
        shots.screenshot(tab, SHOTS / "own-similarity-uploads-1280.png", full_page=False)

        shots.select_tab(tab, "⚖️ Reranker")
        tab.locator("#rerank-files input[type=file]").set_input_files([photo, kitchen])
        wait_strip(tab, "#rerank-files", 2)
        assert strip_names(tab, "#rerank-files") == [LONG_NAME, "kitchen.png"]
        tab.locator("#rerank-query-file input[type=file]").set_input_files(clip)
        wait_strip(tab, "#rerank-query-file", 1)
        shots.screenshot(tab, SHOTS / "own-rerank-uploads-1280.png", full_page=False)

        shots.select_tab(tab, "⏱️ Moments")
        tab.locator("#moments-query-image input[type=file]").set_input_files(photo)
        wait_strip(tab, "#moments-query-image", 1)

        shots.select_tab(tab, "🔎 Gallery search")
        tab.locator("#search-image input[type=file]").set_input_files(photo)
        wait_strip(tab, "#search-image", 1)
        assert strip_names(tab, "#search-image") == [LONG_NAME]
        stem = tab.locator("#search-image .filename")  # the box's own list: the name whole, wrapped
        assert stem.inner_text().replace("\n", "") == LONG_NAME
        assert stem.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1")
        shots.screenshot(tab, SHOTS / "own-search-query-1280.png", full_page=False)
        tab.get_by_text("The gallery — add your own images, videos and texts").click()
        tab.locator("#gallery-upload input[type=file]").set_input_files([kitchen, clip, str(broken)])
        tab.locator("#gallery-info").get_by_text("Added 2").wait_for(timeout=60_000)
        wait_strip(tab, "#gallery-upload", 3)  # what was just uploaded stays shown once the box empties
        assert strip_names(tab, "#gallery-upload")[:2] == ["kitchen.png", "🎞️ my_ride.mp4"]
        tab.locator("#gallery-upload").scroll_into_view_if_needed()
        shots.screenshot(tab, SHOTS / "own-gallery-upload-1280.png", full_page=False)
        tab.set_viewport_size({"width": 390, "height": 844})  # on a phone: the same, stacked
        tab.wait_for_timeout(500)
        for box in ("#search-image", "#gallery-upload"):
            tab.locator(box).scroll_into_view_if_needed()
            shots.screenshot(tab, SHOTS / f"own-{box[1:]}-390.png", full_page=False)
        shots.select_tab(tab, "🔥 Similarity")
        tab.locator("#sim-doc-files").scroll_into_view_if_needed()
        shots.screenshot(tab, SHOTS / "own-similarity-uploads-390.png", full_page=False)
        for name in tab.locator("#sim-doc-files .filename").all():  # whole within the box on a phone too
            assert name.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), name.inner_text()
        box = tab.locator("#sim-doc-files").bounding_box()
        sizes = tab.locator("#sim-doc-files .download").first.bounding_box()
        assert sizes["x"] + sizes["width"] <= box["x"] + box["width"] + 1  # the size column inside the box
        assert tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        tab.close()
