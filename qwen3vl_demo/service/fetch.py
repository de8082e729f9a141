"""Fetching image and video URLs, only when the server allows it, and only from the public web.

Off by default (``--allow-urls``). When on: http(s) only; every address the host name resolves
to must be public (no loopback, private, link-local, multicast or reserved ranges, nor an IPv6 form
embedding such an IPv4 address), checked again at every redirect, and the connection goes to the
address checked (DNS rebinding cannot steer it); the body is capped in bytes and the whole download
in seconds.
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
    """What may be fetched. ``trusted_hosts`` ("host:port") skip the public-address check, and
    so do names resolving only to ``trusted_addresses`` ("address:port"): for tests against a
    local server only."""

    enabled: bool = False
    max_bytes: int = 50 * 2**20
    seconds: float = 20.0
    trusted_hosts: frozenset[str] = field(default_factory=frozenset)
    trusted_addresses: frozenset[str] = field(default_factory=frozenset)


# IPv6 forms that carry an IPv4 address in their low 32 bits (IPv4-compatible, IPv4-mapped,
# IPv4-translated, NAT64): the embedded address is what a connection would reach.
_EMBEDDING_IPV4 = tuple(ipaddress.ip_network(net) for net in
                        ("::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96"))


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address embeds (6to4, Teredo, the /96 forms above), if any."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in net for net in _EMBEDDING_IPV4):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address``, and any IPv4 address it embeds, is on the public internet."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local:  # fec0::/10, deprecated but still routed inside some networks
            return False
        inner = embedded_ipv4(address)
        if inner is not None and not is_public(inner):
            return False
    return address.is_global and not address.is_multicast


def check_public(host: str, port: int, trusted: bool = False,
                 trusted_addresses: frozenset[str] = frozenset()) -> str:
    """The address to connect to for ``host``: resolved once, every answer public (unless
    ``trusted``, or listed in ``trusted_addresses``). The connection then goes to this address,
    so a second lookup cannot steer it."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise InputError(f"cannot resolve the host {host!r}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise InputError(f"cannot resolve the host {host!r}")
    for address in addresses:
        if not (trusted or f"{address}:{port}" in trusted_addresses or is_public(address)):
            raise InputError(f"{host} resolves to {address}, which is not a public address")
    return str(addresses[0])


@dataclass(frozen=True)
class PinnedRequest:
    """One hop's request: the URL with the checked address in place of the name, and the name
    kept for the Host header and TLS (SNI and certificate)."""

    url: str
    host_header: str
    server_name: str


def _checked_url(url: str, policy: UrlPolicy) -> PinnedRequest:
    """InputError unless ``url`` is http(s) to a public address (or a trusted host)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        hostname, explicit_port = parts.hostname, parts.port
    except ValueError as exc:  # a port over 65535 or not a number, a broken [IPv6] literal
        raise InputError(f"not a valid URL: {_short(url)} ({exc})") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise InputError(f"only http(s) URLs can be fetched, not {url[:80]!r}")
    port = explicit_port or (443 if parts.scheme == "https" else 80)
    address = check_public(hostname, port, f"{hostname}:{port}" in policy.trusted_hosts,
                           policy.trusted_addresses)
    literal = f"[{address}]" if ":" in address else address
    name = f"[{hostname}]" if ":" in hostname else hostname
    host_header = name if explicit_port is None else f"{name}:{explicit_port}"
    pinned = parts._replace(netloc=f"{literal}:{port}")
    return PinnedRequest(urllib.parse.urlunsplit(pinned), host_header, hostname)


def fetch_to_file(url: str, directory: str, policy: UrlPolicy) -> str:
    """Download ``url`` (an image or a video) into ``directory``; returns the file's path.

    Each hop connects to the address its check resolved (never resolving the name again), with
    the name in the Host header and for TLS."""
    import httpx

    if not policy.enabled:
        raise InputError("fetching URLs is turned off on this server (start it with --allow-urls)")
    deadline = time.monotonic() + policy.seconds
    current = url.strip()
    with httpx.Client(follow_redirects=False, timeout=policy.seconds, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            hop = _checked_url(current, policy)
            headers = {"User-Agent": "qwen3vl-demo", "Host": hop.host_header}
            try:
                with client.stream("GET", hop.url, headers=headers,
                                   extensions={"sni_hostname": hop.server_name}) as response:
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
