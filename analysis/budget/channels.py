"""Which channel a line is paid through.

Preference: a funding.json plan (the only format that says what a project asks for), then Open
Collective (invoices, fiscal hosting), then GitHub Sponsors, then the other known platforms. Several
recipients only where the data names several (e.g. several GitHub Sponsors accounts in FUNDING.yml):
ecosyste.ms pays only the first listed maintainer, a known complaint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.queries.budget import FundingLink

PREFERENCE = (
    "funding-json",
    "open-collective",
    "github-sponsors",
    "thanks-dev",
    "liberapay",
    "polar",
    "tidelift",
    "community-bridge",
    "ko-fi",
    "patreon",
    "buy-me-a-coffee",
    "issuehunt",
    "paypal",
    "other",
)
NO_CHANNEL = "no channel: contact the maintainers"
_SPONSORS = re.compile(r"^https?://(?:www\.)?github\.com/sponsors/([A-Za-z0-9-]{1,39})/?(?:[?#].*)?$")


@dataclass(frozen=True)
class Channel:
    platform: str
    urls: tuple[str, ...]
    recipients: tuple[str, ...]  # GitHub logins for github-sponsors; otherwise empty

    def describe(self) -> str:
        who = f" ({', '.join(self.recipients)})" if self.recipients else ""
        return f"{self.platform}{who}: {' '.join(self.urls)}"


def platform_of(link: FundingLink) -> str:
    if link.source == "funding-json" or link.platform == "funding-json":
        return "funding-json"
    return link.platform if link.platform in PREFERENCE else "other"


def sponsors_login(url: str) -> str | None:
    match = _SPONSORS.match(url.strip())
    return match.group(1) if match else None


def choose(links: Iterable[FundingLink]) -> Channel | None:
    """The preferred channel among the links, with every URL (and recipient) of that platform."""
    by_platform: dict[str, list[str]] = {}
    for link in links:
        urls = by_platform.setdefault(platform_of(link), [])
        if link.url not in urls:
            urls.append(link.url)
    for platform in PREFERENCE:
        urls = by_platform.get(platform, [])
        if urls:
            recipients: tuple[str, ...] = ()
            if platform == "github-sponsors":
                logins = [sponsors_login(u) for u in urls]
                recipients = tuple(dict.fromkeys(login for login in logins if login))
            return Channel(platform, tuple(urls), recipients)
    return None
