"""The ``vulnerabilities`` score of a package: known vulnerabilities of the versions in use.

value: how many distinct advisories affect a version in use and are not analysed away by a VEX statement;
label: the highest severity among them (``none`` when there are none). When no source covered any version in
use the score is inconclusive, "no vulnerability data collected": unknown is never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analysis.score import Score, Status

NAME = "vulnerabilities"
VERSION = "1.0"
SEVERITIES = ("low", "medium", "high", "critical")
NOT_EXPOSED = frozenset({"not_affected", "false_positive", "resolved", "resolved_with_pedigree"})
_COUNT_WORDS = {1: "one", 2: "two", 3: "three"}


@dataclass(frozen=True)
class VulnerabilityFinding:
    """One advisory on one version in use, from one source (literal input of the score)."""

    version: str
    advisory_id: str
    severity: str | None = None
    fixed: tuple[str, ...] = ()
    state: str | None = None
    source: str = ""
    aliases: tuple[str, ...] = ()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _severity_phrase(severities: list[str | None]) -> str:
    counts = {s: severities.count(s) for s in reversed(SEVERITIES) if severities.count(s)}
    parts = [f"{_COUNT_WORDS.get(n, str(n))} {s}" for s, n in counts.items()]
    unknown = severities.count(None)
    if unknown and parts:
        parts.append(f"{_COUNT_WORDS.get(unknown, str(unknown))} of unknown severity")
    return ", ".join(parts)


def _why(versions: list[str], not_collected: Mapping[str, str]) -> str:
    """``: WHY`` for the versions not covered, when a source said why (the first reason, shortened)."""
    reasons = list(dict.fromkeys(not_collected[v] for v in versions if not_collected.get(v)))
    if not reasons:
        return ""
    first = " ".join(reasons[0].split()).rstrip(".")
    return f": {first[:197].rstrip() + '...' if len(first) > 200 else first}"


def score(
    versions: Iterable[str],
    findings: Iterable[VulnerabilityFinding],
    covered: Mapping[str, set[str]],
    not_collected: Mapping[str, str] | None = None,
) -> Score:
    """``versions``: the versions in use; ``findings`` on them; ``covered``: version -> sources that looked;
    ``not_collected``: version -> why a source that was asked gave nothing (a refused call)."""
    in_use = sorted(set(versions))
    looked = [v for v in in_use if covered.get(v)]
    sources = sorted({s for v in looked for s in covered[v]})
    why = dict(not_collected or {})
    if not looked:
        return Score.inconclusive(
            NAME,
            VERSION,
            "No vulnerability data collected for the versions in use"
            + (f" ({', '.join(in_use)})" if in_use else "")
            + _why(in_use, why)
            + ".",
            versions=in_use,
            not_collected={v: why[v] for v in in_use if v in why},
        )
    exposed: dict[str, VulnerabilityFinding] = {}
    analysed_away: set[str] = set()
    for finding in findings:
        if finding.version not in in_use:
            continue
        if finding.state in NOT_EXPOSED:
            analysed_away.add(finding.advisory_id)
            continue
        known = exposed.get(finding.advisory_id)
        if known is None or (finding.severity and not known.severity):
            exposed[finding.advisory_id] = finding
    analysed_away -= set(exposed)
    not_looked = [v for v in in_use if v not in looked]
    details = {
        "versions": in_use,
        "covered_versions": looked,
        "sources": sources,
        "advisories": sorted(exposed),
        "not_exposed": sorted(analysed_away),
        "not_collected": {v: why[v] for v in not_looked if v in why},
    }
    if not exposed:
        reason = f"No known vulnerability in {', '.join(looked)} (sources: {', '.join(sources)})"
        if analysed_away:
            reason += f"; {_plural(len(analysed_away), 'advisory')} analysed as not affecting it"
        if not_looked:
            reason += f"; not collected for {', '.join(not_looked)}{_why(not_looked, why)}"
        return Score(NAME, VERSION, 0.0, Status.OK, reason + ".", label="none", details=details)
    severities = [f.severity for f in exposed.values()]
    top = max((s for s in severities if s), key=SEVERITIES.index, default=None)
    affected_versions = sorted({f.version for f in exposed.values()})
    fixed = sorted({v for f in exposed.values() for v in f.fixed})
    reason = f"{_plural(len(exposed), 'known vulnerability').replace('vulnerabilitys', 'vulnerabilities')}"
    reason += f" in {', '.join(affected_versions)}"
    phrase = _severity_phrase(severities)
    if phrase:
        reason += f", {phrase}"
    reason += f", fixed in {', '.join(fixed)}" if fixed else ", no fixed version known"
    if not_looked:
        reason += f"; not collected for {', '.join(not_looked)}{_why(not_looked, why)}"
    return Score(
        NAME, VERSION, float(len(exposed)), Status.OK, reason + ".", label=top or "unknown", details=details
    )
