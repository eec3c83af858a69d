"""Which repository URLs socle will follow, and their normal form.

Repository URLs come from registry metadata, i.e. from strangers: only ``https://`` is followed. Local
paths, ``file://``, ``ssh://``, ``git://``, ``ext::`` transports, credentials in URLs, and hosts resolving to
loopback, private or link-local addresses are refused unless the host was configured as allowed (an
internal forge).
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from collectors.errors import TerminalError

#: Resolves a host name to its addresses; injected in tests.
Resolver = Callable[[str], list[str]]

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


@dataclass(frozen=True)
class RepoUrl:
    """A normalised ``https://host/owner/name`` repository URL."""

    url: str
    host: str
    owner: str
    name: str

    @property
    def mirror_name(self) -> str:
        """The folder name in a mirror directory: ``OWNER+NAME``."""
        return f"{self.owner}+{self.name}"


@functools.lru_cache(maxsize=4096)
def _lookup(host: str) -> tuple[tuple[str, ...], str | None]:
    # One look-up per host and process: a refresh checks hundreds of repositories on a few hosts, and a
    # failing look-up can take 0.15 s each time. Failures are remembered too.
    try:
        infos = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except OSError as exc:
        return (), str(exc)
    return tuple(sorted({str(info[4][0]) for info in infos})), None


def system_resolver(host: str) -> list[str]:
    addresses, error = _lookup(host)
    if error is not None:
        raise TerminalError(f"{host}: cannot resolve ({error})")
    return list(addresses)


def parse_repo_url(raw: str) -> RepoUrl:
    """Normalise and check the syntax of a repository URL (no network). Raises :class:`TerminalError`."""
    text = raw.strip()
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        # urlsplit silently drops tabs and newlines (WHATWG), which would turn this into another URL.
        raise TerminalError(f"{raw[:200]!r}: whitespace or control characters inside a repository URL")
    lowered = text.lower()
    if "::" in text.split("/")[0] or lowered.startswith("ext:"):
        raise TerminalError(f"{raw!r}: transport helpers (ext::, fd::) are refused")
    if lowered.startswith("git+"):
        text = text[4:]  # npm's git+https://
    parts = urlsplit(text)
    if parts.scheme.lower() != "https":
        raise TerminalError(
            f"{raw!r}: only https:// repository URLs are followed (got {parts.scheme or 'a path'})"
        )
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise TerminalError(f"{raw!r}: URLs carrying credentials are refused")
    host = (parts.hostname or "").lower()
    if not host or not _HOST.match(host):
        raise TerminalError(f"{raw!r}: not a valid host name")
    if parts.port not in (None, 443):
        raise TerminalError(f"{raw!r}: only the default https port is followed")
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        raise TerminalError(f"{raw!r}: expected https://host/owner/repository")
    owner, name = segments[0], segments[1]
    if name.endswith(".git"):
        name = name[:-4]
    for segment in (owner, name):
        if not _SEGMENT.match(segment) or segment in (".", ".."):
            raise TerminalError(f"{raw!r}: unexpected characters in the repository path")
    return RepoUrl(url=f"https://{host}/{owner}/{name}", host=host, owner=owner, name=name)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_repo_url(
    raw: str, *, allowed_hosts: Collection[str] = (), resolver: Resolver | None = None
) -> RepoUrl:
    """Parse ``raw`` and refuse hosts that resolve to non-public addresses, unless configured as allowed."""
    repo = parse_repo_url(raw)
    if repo.host in {h.lower() for h in allowed_hosts}:
        return repo
    check_public_host(repo.host, what=repo.url, resolver=resolver)
    return repo


def check_public_host(host: str, *, what: str, resolver: Resolver | None = None) -> None:
    """Refuse a host taken from untrusted data (a repository URL, a Go module path) that is, or resolves
    to, a loopback, private, link-local or otherwise non-public address. ``what`` names the URL in errors."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    addresses = [str(literal)] if literal is not None else (resolver or system_resolver)(host)
    if not addresses:
        raise TerminalError(f"{what}: host {host} has no address")
    for address in addresses:
        if not _is_public(address):
            raise TerminalError(
                f"{what}: host {host} resolves to a non-public address ({address}); "
                "allow it explicitly for an internal forge"
            )
