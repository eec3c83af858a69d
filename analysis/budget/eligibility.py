"""Who may receive money: an open-source licence, and not a project a single company owns.

Companies that own a project should pay in, not receive. Evidence of single-company ownership is
configurable: the elephant factor (one organisation makes at least half the commits, CHAOSS) and the
standards catalogue's steward kind ``company``. The decision is taken for the project (the repository):
evidence on one of its packages leaves the whole project out. A project without a known funding channel
is eligible but not payable: it goes to the outreach list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

COMPANY_RULES = ("elephant", "steward")

# Licence names are free text on registries; these prefixes (after lower-casing and dropping the word
# "license") cover the SPDX identifiers and trove names of OSI-approved licences seen in practice.
_OPEN_PREFIXES = (
    "mit", "apache", "bsd", "0bsd", "isc", "mpl", "mozilla", "lgpl", "gpl", "agpl", "gnu", "psf", "python",
    "cc0", "zlib", "epl", "eclipse", "eupl", "artistic", "blueoak", "hpnd", "unlicense", "the unlicense",
    "upl", "wtfpl", "postgresql", "ofl", "bsl-1.0", "boost", "ms-pl", "cddl", "x11", "ncsa", "public domain",
)  # fmt: skip
_CLOSED = (
    "proprietary",
    "unlicensed",
    "commercial",
    "busl",
    "sspl",
    "elastic",
    "commons-clause",
    "all rights",
)
_WORD = re.compile(r"\blicen[cs]e\b")
_SPLIT = re.compile(r"\s+(?:or|and|with)\s+|[()/,;]", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    """Eligibility settings: which evidence marks a single-company project (any of COMPANY_RULES)."""

    company_evidence: frozenset[str] = frozenset(COMPANY_RULES)


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reason: str  # why not eligible, or a caveat to check before paying ("" when nothing to say)
    ground: str = ""  # licence | company | unknown-licence | "" (what the reason rests on)


def licence_status(licence: str | None, classifiers: Sequence[str] = ()) -> str:
    """``open``, ``closed`` or ``unknown`` from a licence string (SPDX expression or free text)."""
    if any(c.startswith("License :: OSI Approved") for c in classifiers):
        return "open"
    text = (licence or "").strip().lower()
    if not text:
        return "unknown"
    if any(word in text for word in _CLOSED) and "unlicense" not in text.replace("unlicensed", ""):
        return "closed"
    parts = [_WORD.sub("", p).strip() for p in _SPLIT.split(text)]
    if any(p.startswith(_OPEN_PREFIXES) for p in parts if p):
        return "open"
    return "unknown"


def verdict(
    *,
    licence: str | None,
    classifiers: Sequence[str] = (),
    elephant_factor: float | None = None,
    steward_kind: str | None = None,
    rules: Rules = Rules(),
    status: str | None = None,
) -> Verdict:
    """``status``: ``licence_status(licence, classifiers)`` when the caller already knows it."""
    if status is None:
        status = licence_status(licence, classifiers)
    if status == "closed":
        return Verdict(False, f"not an open-source licence ({licence})", "licence")
    if "steward" in rules.company_evidence and steward_kind == "company":
        return Verdict(
            False, "stewarded by a company (catalogue): the company should pay in, not receive", "company"
        )
    if "elephant" in rules.company_evidence and elephant_factor is not None and elephant_factor <= 1:
        return Verdict(
            False, "one organisation makes half the commits (elephant factor 1): it should pay in", "company"
        )
    if status == "unknown":
        return Verdict(True, "licence not known: check it is open source before paying", "unknown-licence")
    return Verdict(True, "")
