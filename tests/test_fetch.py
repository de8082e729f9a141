"""URL fetching: off by default; when on, public http(s) only (checked at every redirect), with
size and time limits. Local servers here are real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

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
                                  "100.64.0.1", "224.0.0.1", "[::7f00:1]", "[64:ff9b::7f00:1]",
                                  "[2002:7f00:1::]", "[2002:a9fe:a9fe::]", "[::ffff:0:7f00:1]",
                                  "[fec0::1]", "[64:ff9b::a9fe:a9fe]", "[::ffff:a00:1]"])
def test_non_public_addresses_are_refused_before_any_connection(tmp_path, host):
    with pytest.raises(InputError, match="not a public address"):
        fetch_to_file(f"http://{host}/photo.jpg", str(tmp_path), UrlPolicy(enabled=True))


def test_public_address_passes_the_check():
    assert check_public("8.8.8.8", 443) == "8.8.8.8"  # a literal address needs no network
    assert check_public("2606:4700:4700::1111", 443) == "2606:4700:4700::1111"


@pytest.mark.parametrize("url", ["http://[::1/x.jpg", "http://example.com:99999/x.jpg",
                                 "http://example.com:port/x.jpg"])
def test_malformed_urls_get_a_message(tmp_path, url):
    with pytest.raises(InputError, match="not a valid URL"):
        fetch_to_file(url, str(tmp_path), UrlPolicy(enabled=True))


class Recorder(http.server.BaseHTTPRequestHandler):
    """The 'internal' server a rebinding resolver would steer the second lookup to."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", "6")
        self.end_headers()
        self.wfile.write(b"secret")

    def log_message(self, *args: object) -> None:
        pass


class HostEcho(Handler):
    hosts: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        HostEcho.hosts.append(self.headers.get("Host", ""))
        super().do_GET()


def test_dns_rebinding_cannot_steer_the_connection(tmp_path, monkeypatch):
    """A resolver answering the checked address first and another one after: the fetch goes to the
    address that was checked, at every hop, with the name in the Host header."""
    good = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HostEcho)
    port = good.server_address[1]
    internal = http.server.ThreadingHTTPServer(("127.0.0.2", port), Recorder)
    for httpd in (good, internal):
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    real = socket.getaddrinfo
    calls: dict[str, int] = {}

    def rebinding(host, *args, **kwargs):  # simulates DNS only; the connections are real
        if host not in ("first.test", "second.test"):
            return real(host, *args, **kwargs)
        calls[host] = calls.get(host, 0) + 1
        address = "127.0.0.1" if calls[host] == 1 else "127.0.0.2"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    Recorder.hits, HostEcho.hosts = [], []
    Handler.redirect_to = f"http://second.test:{port}/photo.jpg"
    # the names are checked as a public one would be: only the server's address is let through
    policy = UrlPolicy(enabled=True, trusted_addresses=frozenset({f"127.0.0.1:{port}"}))
    try:
        path = fetch_to_file(f"http://first.test:{port}/redirect", str(tmp_path), policy)
    finally:
        good.shutdown()
        internal.shutdown()
    assert Path(path).read_bytes() == JPEG
    assert Recorder.hits == []  # the rebound address was never contacted
    assert HostEcho.hosts == [f"first.test:{port}", f"second.test:{port}"]


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
