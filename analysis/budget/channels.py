"""Which channel a line is paid through, ranked by what a public buyer can pay.

A public buyer (and most finance teams) pays against an invoice. Ranking, best first:

1. a channel that invoices: Open Collective (its fiscal hosts, e.g. Open Source Collective, issue invoices
   and receipts), GitHub Sponsors (an organisation account pays by invoice), a foundation's donation
   programme (LFX/CommunityBridge, NumFOCUS, the PSF, the Apache, OpenJS, Eclipse foundations,
   Software Freedom Conservancy, SPI, Commonhaus);
2. a funding.json channel (https://fundingjson.org/: the project says how it wants to be paid and how much);
3. the other platforms (thanks.dev, Liberapay, Polar, Tidelift, Drips, then personal tip jars).

A project with no channel at all is not a payable line: it goes to the outreach list. Several recipients
only where the data names several (e.g. several GitHub Sponsors accounts in FUNDING.yml): ecosyste.ms pays
only the first listed maintainer, a known complaint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from analysis.queries.budget import FundingLink

PREFERENCE = (
    "open-collective",
    "github-sponsors",
    "foundation",
    "funding-json",
    "thanks-dev",
    "liberapay",
    "polar",
    "tidelift",
    "drips",
    "community-bridge",
    "ko-fi",
    "patreon",
    "buy-me-a-coffee",
    "issuehunt",
    "paypal",
    "other",
)
#: Platforms that send an invoice or receipt a public buyer can book.
INVOICING = frozenset({"open-collective", "github-sponsors", "foundation"})
NO_CHANNEL = "no channel: contact the maintainers"
_SPONSORS = re.compile(r"^https?://(?:www\.)?github\.com/sponsors/([A-Za-z0-9-]{1,39})/?(?:[?#].*)?$")
# Foundations whose donation programmes invoice (host, matched with its sub-domains).
_FOUNDATION_HOSTS = (
    "funding.communitybridge.org",
    "crowdfunding.lfx.linuxfoundation.org",
    "numfocus.org",
    "python.org",
    "apache.org",
    "openjsf.org",
    "eclipse.org",
    "sfconservancy.org",
    "spi-inc.org",
    "commonhaus.org",
)


@dataclass(frozen=True)
class Channel:
    platform: str
    urls: tuple[str, ...]
    recipients: tuple[str, ...]  # GitHub logins for github-sponsors; otherwise empty

    @property
    def invoices(self) -> bool:
        return self.platform in INVOICING

    def describe(self) -> str:
        who = f" ({', '.join(self.recipients)})" if self.recipients else ""
        how = " [invoices]" if self.invoices else ""
        return f"{self.platform}{who}{how}: {' '.join(self.urls)}"


def _is_foundation(url: str) -> bool:
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in _FOUNDATION_HOSTS)


def platform_of(link: FundingLink) -> str:
    """The channel kind of a link: its platform, ``foundation`` for a foundation's donation page, and
    ``funding-json`` for a funding.json channel on no better-ranked platform."""
    if link.platform in ("open-collective", "github-sponsors"):
        return link.platform
    if link.platform == "community-bridge" or _is_foundation(link.url):
        return "foundation"
    if link.source == "drips":
        return "drips"
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
