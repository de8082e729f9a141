"""Fetching image and video URLs, only when the server allows it, and only from the public web.

Off by default (``--allow-urls``). When on: http(s) only; every address the host name resolves
to must be public (no loopback, private, link-local, multicast or reserved ranges), checked again
at every redirect; the body is capped in bytes and the whole download in seconds.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

from ..core.errors import InputError
from ..core.media import IMAGE_SUFFIXES, VIDEO_SUFFIXES

CONTENT_TYPES = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif",
    "image/bmp": ".bmp", "image/tiff": ".tiff", "video/mp4": ".mp4", "video/webm": ".webm",
    "video/quicktime": ".mov", "video/x-matroska": ".mkv",
}
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class UrlPolicy:
    """What may be fetched. ``trusted_hosts`` ("host:port") skip the public-address check: for
    tests against a local server only."""

    enabled: bool = False
    max_bytes: int = 50 * 2**20
    seconds: float = 20.0
    trusted_hosts: frozenset[str] = field(default_factory=frozenset)


def check_public(host: str, port: int) -> None:
    """Refuse a host any of whose addresses is not on the public internet."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise InputError(f"cannot resolve the host {host!r}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise InputError(f"{host} resolves to {address}, which is not a public address")


def _checked_url(url: str, policy: UrlPolicy) -> None:
    """InputError unless ``url`` is http(s) to a public address (or a trusted host)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"only http(s) URLs can be fetched, not {url[:80]!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if f"{parts.hostname}:{port}" not in policy.trusted_hosts:
        check_public(parts.hostname, port)


def fetch_to_file(url: str, directory: str, policy: UrlPolicy) -> str:
    """Download ``url`` (an image or a video) into ``directory``; returns the file's path."""
    import httpx

    if not policy.enabled:
        raise InputError("fetching URLs is turned off on this server (start it with --allow-urls)")
    deadline = time.monotonic() + policy.seconds
    current = url.strip()
    with httpx.Client(follow_redirects=False, timeout=policy.seconds, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            _checked_url(current, policy)
            try:
                with client.stream("GET", current, headers={"User-Agent": "qwen3vl-demo"}) as response:
                    if response.is_redirect:
                        current = urllib.parse.urljoin(current, response.headers.get("location", ""))
                        continue
                    if response.status_code != 200:
                        raise InputError(f"{_short(url)} answered HTTP {response.status_code}")
                    suffix = _suffix(current, response.headers.get("content-type", ""))
                    return _save(response, directory, suffix, policy, deadline, url)
            except httpx.TimeoutException:
                raise InputError(f"{_short(url)} took longer than {policy.seconds:.0f} s") from None
            except httpx.HTTPError as exc:
                raise InputError(f"{_short(url)} could not be fetched ({type(exc).__name__})") from None
    raise InputError(f"{_short(url)} redirects more than {MAX_REDIRECTS} times")


def _suffix(url: str, content_type: str) -> str:
    """The file suffix from the content type, else the URL; only images and videos."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in CONTENT_TYPES:
        return CONTENT_TYPES[kind]
    suffix = os.path.splitext(urllib.parse.urlsplit(url).path)[1].lower()
    if suffix in IMAGE_SUFFIXES + VIDEO_SUFFIXES:
        return suffix
    raise InputError(f"{_short(url)} is not an image or a video (content type {kind or 'unknown'})")


def _save(response, directory: str, suffix: str, policy: UrlPolicy, deadline: float,
          url: str) -> str:
    declared = int(response.headers.get("content-length") or 0)
    if declared > policy.max_bytes:
        raise InputError(f"{_short(url)} is {declared / 2**20:.0f} MB; the limit is "
                         f"{policy.max_bytes / 2**20:.0f} MB")
    os.makedirs(directory, exist_ok=True)
    handle, path = tempfile.mkstemp(suffix=suffix, dir=directory, prefix="url-")
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > policy.max_bytes:
                    raise InputError(f"{_short(url)} is larger than the {policy.max_bytes / 2**20:.0f} MB "
                                     "limit")
                if time.monotonic() > deadline:
                    raise InputError(f"{_short(url)} took longer than {policy.seconds:.0f} s")
                out.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    return path


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "…"
