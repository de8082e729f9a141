"""Gradio fetches no URL itself: a file input given a URL and ``/gradio_api/file=<URL>`` reach
nothing. A real app runs with ``HTTP_PROXY`` pointing at a local recorder, so any download Gradio
started (for a name on its allow-list, hf.co) would arrive there; none may."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import ClassVar

import httpx
import pytest
from conftest import ASSETS

JPEG = (ASSETS / "images" / "img_8.jpg").read_bytes()


class Recorder(http.server.BaseHTTPRequestHandler):
    """A forward proxy that serves a JPEG for anything and remembers what it was asked."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(JPEG)))
        self.end_headers()
        self.wfile.write(JPEG)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxied_app(start_app, tmp_path, monkeypatch) -> Iterator[str]:
    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{recorder.server_address[1]}")
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{recorder.server_address[1]}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # the app itself is reached directly
    Recorder.hits = []
    try:
        with start_app(tmp_path) as app:
            yield app.url.rstrip("/")
    finally:
        recorder.shutdown()


def _call(base: str, api: str, data: list) -> str:
    """POST /gradio_api/call/<api>, then the event stream's text (complete or error)."""
    with httpx.Client(trust_env=False, timeout=60) as client:
        started = client.post(f"{base}/gradio_api/call/{api}", json={"data": data})
        started.raise_for_status()
        event = started.json()["event_id"]
        return client.get(f"{base}/gradio_api/call/{api}/{event}").text


def test_gradio_fetches_no_url(proxied_app):
    remote = {"path": "http://hf.co/photo.jpg", "meta": {"_type": "gradio.FileData"},
              "orig_name": "photo.jpg"}
    answer = _call(proxied_app, "gallery_add", [[remote], False])
    assert "event: error" in answer and "not fetched from URLs" in answer, answer[:300]
    answer = _call(proxied_app, "inspect_video", [dict(remote, path="https://hf.co/v.mp4"), 1, 8])
    assert "event: error" in answer, answer[:300]
    with httpx.Client(trust_env=False, timeout=30) as client:
        for url in ("http://hf.co/a.jpg", "https://hf.co/a.jpg", "HTTP://hf.co/a.jpg"):
            response = client.get(f"{proxied_app}/gradio_api/file={url}")
            assert response.status_code == 403, (url, response.status_code)
        assert client.get(f"{proxied_app}/gradio_api/proxy=http://hf.co/a.jpg").status_code == 403
        # local files Gradio may serve still are
        assert client.get(f"{proxied_app}/gradio_api/info").status_code == 200
    assert Recorder.hits == []
