"""Comparing versions the way each ecosystem orders them, for OSV ranges (https://ossf.github.io/osv-schema/#affectedranges-field).

PyPI versions compare as PEP 440 says (packaging); npm, crates.io, Go and SEMVER ranges as SemVer 2.0 (npm's own
node-semver, loose, with Go's leading ``v`` dropped). Other ecosystems (Maven, Debian, ...) have orderings of
their own that socle does not implement: for them only the explicit ``versions`` list of an OSV record counts,
and the finding says so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import nodesemver
from packaging.version import InvalidVersion, Version

Compare = Callable[[str, str], int]


def _pep440(a: str, b: str) -> int:
    va, vb = Version(a), Version(b)
    return (va > vb) - (va < vb)


def _semver(a: str, b: str) -> int:
    result = nodesemver.compare(a.removeprefix("v"), b.removeprefix("v"), loose=True)
    return int(result)


#: OSV ecosystem (or range type SEMVER) -> comparison.
_COMPARE: dict[str, Compare] = {
    "PyPI": _pep440,
    "npm": _semver,
    "crates.io": _semver,
    "Go": _semver,
    "SEMVER": _semver,
}


def comparator(ecosystem: str, range_type: str) -> Compare | None:
    """How to order versions of a range, or None when socle cannot order them."""
    if range_type == "SEMVER":
        return _COMPARE["SEMVER"]
    if range_type == "ECOSYSTEM":
        return _COMPARE.get(ecosystem)
    return None  # GIT ranges name commits, not versions


def safe_compare(compare: Compare, a: str, b: str) -> int | None:
    """``compare`` that gives None instead of raising on a version it cannot parse."""
    try:
        return compare(a, b)
    except (InvalidVersion, ValueError, TypeError):
        return None


def in_range(version: str, events: list[dict[str, str]], compare: Compare) -> bool | None:
    """OSV's evaluation of one range's events: affected from ``introduced`` until ``fixed`` (excluded) or
    ``last_affected`` (included). None when a version in play cannot be parsed."""
    keyed: list[tuple[str, str]] = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected", "limit"):
            if kind in event and isinstance(event[kind], str):
                keyed.append((kind, event[kind]))

    def order(a: tuple[str, str], b: tuple[str, str]) -> int:
        if a[1] == "0" or b[1] == "0":
            return (a[1] != "0") - (b[1] != "0")
        return compare(a[1], b[1])

    try:
        keyed.sort(key=functools.cmp_to_key(order))
        affected = False
        for kind, bound in keyed:
            if kind == "introduced" and (bound == "0" or compare(version, bound) >= 0):
                affected = True
            elif (
                (kind == "fixed" and compare(version, bound) >= 0)
                or (kind == "last_affected" and compare(version, bound) > 0)
                or (kind == "limit" and compare(version, bound) >= 0)
            ):
                affected = False
    except (InvalidVersion, ValueError, TypeError):
        return None
    return affected


def describe(events: list[dict[str, str]]) -> str:
    """A range as a person reads it: ``>=2.0.0, <2.0.7``; ``<1.26.17``; ``<=4.2``."""
    parts: list[str] = []
    for event in events:
        if event.get("introduced") not in (None, "0"):
            parts.append(f">={event['introduced']}")
        if "fixed" in event:
            parts.append(f"<{event['fixed']}")
        if "last_affected" in event:
            parts.append(f"<={event['last_affected']}")
    return ", ".join(parts) or "every version"
