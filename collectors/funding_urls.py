"""Classify a funding URL into the platform it pays through.

The platforms and their domains follow GitHub's FUNDING.yml keys and the npm ``funding`` types seen in the
wild (https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/displaying-a-sponsor-button-in-your-repository).
"""

from __future__ import annotations

from urllib.parse import urlsplit

PLATFORMS = (
    "github-sponsors",
    "open-collective",
    "liberapay",
    "ko-fi",
    "patreon",
    "tidelift",
    "thanks-dev",
    "polar",
    "buy-me-a-coffee",
    "issuehunt",
    "community-bridge",
    "paypal",
    "funding-json",
    "other",
)

# host (without "www.") -> platform; a host matches itself and its sub-domains.
_HOSTS = {
    "opencollective.com": "open-collective",
    "liberapay.com": "liberapay",
    "ko-fi.com": "ko-fi",
    "patreon.com": "patreon",
    "tidelift.com": "tidelift",
    "thanks.dev": "thanks-dev",
    "polar.sh": "polar",
    "buymeacoffee.com": "buy-me-a-coffee",
    "issuehunt.io": "issuehunt",
    "funding.communitybridge.org": "community-bridge",
    "crowdfunding.lfx.linuxfoundation.org": "community-bridge",
    "paypal.com": "paypal",
    "paypal.me": "paypal",
}

#: Domains that are funding channels even when the label says nothing about money.
FUNDING_DOMAINS = (*_HOSTS, "github.com/sponsors", "givebutter.com", "otechie.com")


def _host_and_path(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, parts.path


def platform_for(url: str) -> str:
    """The platform a funding URL pays through, one of :data:`PLATFORMS` (``other`` when unknown)."""
    host, path = _host_and_path(url)
    if host == "github.com" and (path == "/sponsors" or path.startswith("/sponsors/")):
        return "github-sponsors"
    if path.rstrip("/").endswith("funding.json"):
        return "funding-json"
    for known, platform in _HOSTS.items():
        if host == known or host.endswith("." + known):
            return platform
    return "other"


def is_funding_domain(url: str) -> bool:
    """True when the URL points at a known funding platform (used to recognise unlabelled links)."""
    return platform_for(url) not in ("other", "funding-json") or _host_and_path(url)[0] in (
        "givebutter.com",
        "otechie.com",
    )
