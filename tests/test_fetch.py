"""URL fetching: off by default; when on, public http(s) only (checked at every redirect), with
size and time limits. Local servers here are real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ASSETS

from qwen3vl_demo import InputError
from qwen3vl_demo.service.fetch import UrlPolicy, check_public, fetch_to_file

JPEG = (ASSETS / "images" / "img_8.jpg").read_bytes()


class Handler(http.server.BaseHTTPRequestHandler):
    redirect_to = ""

    def do_GET(self) -> None:
        if self.path == "/photo.jpg":
            self._send(JPEG, "image/jpeg")
        elif self.path == "/big":
            self._send(b"\0" * (2 * 2**20), "image/png")
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"\xff" * 1024)
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/page":
            self._send(b"<html>hello</html>", "text/html")
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", Handler.redirect_to)
            self.end_headers()
        else:
            self.send_error(404)

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.handle_error = lambda request, address: None  # a client that stops reading (size limit) is expected
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def trusting(host: str, **options) -> UrlPolicy:
    return UrlPolicy(enabled=True, trusted_hosts=frozenset({host}), **options)


def test_off_by_default(tmp_path, server):
    with pytest.raises(InputError, match=r"turned off.*--allow-urls"):
        fetch_to_file(f"http://{server}/photo.jpg", str(tmp_path), UrlPolicy())


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/a.jpg", "gopher://x/1",
                                 "/etc/passwd", "http:///nohost"])
def test_only_http_urls(tmp_path, url):
    with pytest.raises(InputError, match="only http"):
        fetch_to_file(url, str(tmp_path), UrlPolicy(enabled=True))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.1.2.3", "192.168.0.1", "172.16.5.4",
                                  "169.254.169.254", "0.0.0.0", "[::1]", "[fe80::1]", "[::ffff:127.0.0.1]",
                                  "100.64.0.1", "224.0.0.1"])
def test_non_public_addresses_are_refused_before_any_connection(tmp_path, host):
    with pytest.raises(InputError, match="not a public address"):
        fetch_to_file(f"http://{host}/photo.jpg", str(tmp_path), UrlPolicy(enabled=True))


def test_public_address_passes_the_check():
    check_public("8.8.8.8", 443)  # resolution of a literal address needs no network


def test_fetches_an_image(tmp_path, server):
    path = fetch_to_file(f"http://{server}/photo.jpg", str(tmp_path), trusting(server))
    assert Path(path).read_bytes() == JPEG and path.endswith(".jpg")


def test_redirect_to_a_private_address_is_refused(tmp_path, server):
    port = server.split(":")[1]
    Handler.redirect_to = f"http://localhost:{port}/photo.jpg"  # same server, untrusted name
    with pytest.raises(InputError, match="not a public address"):
        fetch_to_file(f"http://{server}/redirect", str(tmp_path), trusting(server))


def test_size_limit(tmp_path, server):
    with pytest.raises(InputError, match=r"the limit is 1 MB|larger than the 1 MB"):
        fetch_to_file(f"http://{server}/big", str(tmp_path), trusting(server, max_bytes=2**20))
    assert list(tmp_path.iterdir()) == []  # nothing half-written is left


def test_time_limit(tmp_path, server):
    started = time.monotonic()
    with pytest.raises(InputError, match="took longer than"):
        fetch_to_file(f"http://{server}/slow", str(tmp_path), trusting(server, seconds=1.0))
    assert time.monotonic() - started < 2.8  # the server would take 3 s: the download was cut


def test_non_media_content_is_refused(tmp_path, server):
    with pytest.raises(InputError, match="not an image or a video"):
        fetch_to_file(f"http://{server}/page", str(tmp_path), trusting(server))
