"""A visitor's files go when their tab closes: uploads and the downloads made for them are deleted
once no open session uses them; the examples' files stay. (Through the real page and server.)"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from conftest import LiveApp, shots, wait_files
from PIL import Image

from qwen3vl_demo.service.session_files import SessionFiles, file_paths


def _until(check, timeout_s: float = 60.0) -> bool:
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return check()


def _run_similarity(tab, url: str, image: Path) -> None:
    shots.open_app(tab, url)
    tab.locator("#sim-queries textarea").fill("a colour card")
    tab.locator("#sim-doc-files input[type=file]").set_input_files([str(image)])
    wait_files(tab, "#sim-doc-files", 1)
    tab.locator("#sim-button").click()
    tab.locator("#sim-plot .heatmap-label").first.wait_for(timeout=120_000)


def _copies(gradio_dir: Path, name: str) -> list[Path]:
    return list(gradio_dir.rglob(name))


@pytest.mark.browser
def test_a_visitors_upload_and_downloads_are_deleted_when_the_last_tab_using_them_closes(
        browser, live_app: LiveApp, tmp_path) -> None:
    gradio_dir = live_app.log.parent / "gradio"
    name = f"private-{uuid.uuid4().hex[:8]}.png"
    image = tmp_path / name
    Image.new("RGB", (96, 64), tuple(uuid.uuid4().bytes[:3])).save(image)
    first, second = shots.new_page(browser), shots.new_page(browser)
    try:
        _run_similarity(first, live_app.url, image)
        shots.show_evaluate(first)  # an example whose file the page got at start-up
        uploads = _copies(gradio_dir, name)
        assert uploads, "the upload should be in the server's upload folder"
        downloads = [p for p in gradio_dir.rglob("similarity.csv") if name in p.read_text()]
        assert downloads, "the result's CSV should have been handed out"
        _run_similarity(second, live_app.url, image)  # another visitor, the same file
        first.close()
        first = None
        # the first tab is gone, but the second still uses the shared copy of the upload
        assert not _until(lambda: not all(p.exists() for p in uploads), timeout_s=8)
        second.close()
        second = None
        assert _until(lambda: not any(p.exists() for p in uploads + downloads), timeout_s=60), \
            [p for p in uploads + downloads if p.exists()]
    finally:
        for tab in (first, second):
            if tab is not None:
                tab.close()
    # the examples still run for the next visitor (their files are kept)
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        plot = shots.show_similarity(tab)
        assert plot.locator(".heatmap-label").count() == 3 * 7
        shots.show_evaluate(tab)
        assert "sample_gallery: 18 queries" in tab.locator("#eval-summary").inner_text()
    finally:
        tab.close()


def test_the_registry_deletes_only_files_no_running_session_uses(tmp_path) -> None:
    root = tmp_path / "uploads"
    shared, mine, kept, outside = (root / "a" / "x.png", root / "b" / "y.png", root / "c" / "z.png",
                                   tmp_path / "elsewhere.png")
    for path in (shared, mine, kept, outside):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    files = SessionFiles(str(root), kept=lambda p: p == str(kept.resolve()))
    files.note("s1", [str(shared), str(mine), str(kept), str(outside)])
    files.note("s2", [str(shared)])
    assert files.end("s1") == [str(mine.resolve())]
    assert shared.exists() and kept.exists() and outside.exists() and not mine.exists()
    assert not mine.parent.exists()  # its folder, left empty, goes too
    assert files.end("s2") == [str(shared.resolve())] and not shared.exists()
    assert len(files) == 0 and files.end(None) == []


def test_file_paths_finds_every_payload_path() -> None:
    value = [None, "text", {"path": "/u/a.png", "meta": {"_type": "gradio.FileData"}},
             [{"path": "/u/b.mp4"}, {"value": {"path": "/u/c.csv"}}], {"headers": ["q"], "data": [[1]]}]
    assert list(file_paths(value)) == ["/u/a.png", "/u/b.mp4", "/u/c.csv"]
