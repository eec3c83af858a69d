"""What every vulnerability source gives: advisories, findings on package versions, and coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: Qualitative severities, lowest first (CVSS v3 and v4 bands: https://www.first.org/cvss/specification-document).
SEVERITIES = ("low", "medium", "high", "critical")
#: VEX analysis states that say the version in use is not exposed
#: (https://cyclonedx.org/docs/1.6/json/#vulnerabilities_items_analysis_state).
NOT_EXPOSED = frozenset({"not_affected", "false_positive", "resolved", "resolved_with_pedigree"})


@dataclass(frozen=True)
class Advisory:
    """One vulnerability: its id (``GHSA-...``, ``CVE-...``, ``PYSEC-...``), other ids, and severity."""

    id: str
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    severity: str | None = None  # one of SEVERITIES, or None when no source gives one
    cvss_score: float | None = None
    cvss_vector: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    url: str | None = None


@dataclass(frozen=True)
class Finding:
    """An advisory that affects one version of one package (a versionless canonical purl)."""

    purl: str
    version: str
    advisory: Advisory
    ranges: tuple[str, ...] = ()  # affected ranges as the source states them, readable ("<1.26.17")
    fixed: tuple[str, ...] = ()  # versions that fix it, when known
    state: str | None = None  # a VEX analysis state, when a scanner or a person analysed it
    source: str = ""  # cyclonedx | osv-scanner | osv | pypi

    @property
    def exposed(self) -> bool:
        """Whether it counts against the version in use: not analysed away by a VEX statement."""
        return self.state not in NOT_EXPOSED


@dataclass(frozen=True)
class Coverage:
    """A package version a source looked at (whether or not it found anything)."""

    purl: str
    version: str


@dataclass(frozen=True)
class VulnerabilityReport:
    """One input read: its findings, what it covered, and the entries it skipped with the reason."""

    source: str
    findings: tuple[Finding, ...] = ()
    covered: tuple[Coverage, ...] = ()
    skipped: tuple[tuple[str, str], ...] = field(default=())


def severity_of_score(score: float | None) -> str | None:
    """The qualitative band of a CVSS base score (0 is "none": no severity)."""
    if score is None or score <= 0:
        return None
    if score < 4.0:
        return "low"
    if score < 7.0:
        return "medium"
    if score < 9.0:
        return "high"
    return "critical"


def severity_word(text: str | None) -> str | None:
    """A source's own word for severity (``HIGH``, ``moderate``, ``Critical``) as one of SEVERITIES."""
    if not text:
        return None
    word = text.strip().lower()
    word = {"moderate": "medium", "important": "high", "info": "low", "informational": "low"}.get(word, word)
    return word if word in SEVERITIES else None


def highest(severities: list[str | None]) -> str | None:
    known = [s for s in severities if s in SEVERITIES]
    return max(known, key=SEVERITIES.index) if known else None


def parse_time(value: Any) -> datetime | None:
    """An RFC 3339 / ISO 8601 timestamp as advisories write it (``Z`` accepted), or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
