"""The ``lifecycle`` and ``libyear`` scores of a package.

lifecycle (label): ``quarantined`` or ``archived`` (a PEP 792 project status, where collected), ``deprecated``
(npm's ``deprecated`` on the version in use, a registry status), ``yanked`` (a version in use was yanked),
``finished`` (no release for two years, no known vulnerability, and declared mature or stable: a finished
project, not an abandoned one), ``dormant`` (no release for two years, not declared finished), or ``active``.
libyear (CHAOSS, https://chaoss.community/kb/metric-libyears/): the years between the release of the oldest
version in use and the newest release; details: releases and major versions behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from analysis.score import Score, Status

VERSION = "1.0"
NAME_LIFECYCLE = "lifecycle"
NAME_LIBYEAR = "libyear"
STALE_DAYS = 730
_DECLARED_FINISHED = ("Development Status :: 6 - Mature", "Development Status :: 5 - Production/Stable")
_MAJOR = re.compile(r"v?(\d+)")
_PRERELEASE = re.compile(r"(a|b|rc|alpha|beta|dev|pre|preview|canary|next|nightly)", re.IGNORECASE)
REGISTRY_NAMES = {
    "pypi": "PyPI",
    "npm": "npm",
    "maven": "Maven Central",
    "golang": "the Go module proxy",
    "cargo": "crates.io",
}


@dataclass(frozen=True)
class LifecycleInputs:
    ecosystem: str
    versions_in_use: tuple[str, ...]
    latest_version: str | None
    deprecated: str | None
    classifiers: tuple[str, ...]
    last_release_at: datetime | None
    releases: tuple[tuple[str, datetime | None, bool], ...]  # (version, released_at, yanked), oldest first
    project_status: str | None = (
        None  # PEP 792: active | archived | quarantined | deprecated, where collected
    )
    vulnerabilities_known_none: bool | None = None  # True: covered and none; None: not collected
    project_status_reason: str | None = None  # the index's reason for the status, when it gives one


def _quoted(message: str | None) -> str:
    """``: 'message'`` on one line, at most 160 characters; '' when there is none."""
    text = " ".join((message or "").split())
    if len(text) > 160:
        text = text[:157].rstrip() + "..."
    return f": '{text}'" if text else ""


def _months(days: float) -> str:
    n = round(days / 30.44)
    return f"{n} month" if n == 1 else f"{n} months"


def lifecycle(inputs: LifecycleInputs, now: datetime) -> Score:
    registry = REGISTRY_NAMES.get(inputs.ecosystem, inputs.ecosystem)
    yanked = sorted(v for v, _, y in inputs.releases if y and v in inputs.versions_in_use)
    details: dict[str, object] = {"registry": registry}
    if inputs.project_status:
        details["project_status"] = inputs.project_status
    if inputs.project_status in ("quarantined", "archived"):
        return Score(NAME_LIFECYCLE, VERSION, None, Status.OK,
                     f"{inputs.project_status.capitalize()} on {registry} (project status)"
                     f"{_quoted(inputs.project_status_reason)}.",
                     label=inputs.project_status, details=details)  # fmt: skip
    if inputs.deprecated or inputs.project_status == "deprecated":
        if inputs.deprecated:
            text = f"Deprecated on {registry}{_quoted(inputs.deprecated)}."
        else:
            text = f"Deprecated on {registry} (project status){_quoted(inputs.project_status_reason)}."
        return Score(NAME_LIFECYCLE, VERSION, None, Status.OK, text, label="deprecated", details=details)
    if yanked:
        return Score(NAME_LIFECYCLE, VERSION, None, Status.OK,
                     f"Version in use {', '.join(yanked)} was yanked from {registry}.", label="yanked",
                     details={**details, "yanked_in_use": yanked})  # fmt: skip
    if inputs.last_release_at is None:
        return Score.inconclusive(NAME_LIFECYCLE, VERSION, f"No release date known on {registry}.")
    days = (now - inputs.last_release_at).total_seconds() / 86400
    if days < STALE_DAYS:
        return Score(NAME_LIFECYCLE, VERSION, None, Status.OK,
                     f"Active: last release {_months(days)} ago on {registry}.", label="active",
                     details=details)  # fmt: skip
    declared = [c for c in inputs.classifiers if c in _DECLARED_FINISHED]
    if declared and inputs.vulnerabilities_known_none:
        return Score(NAME_LIFECYCLE, VERSION, None, Status.OK,
                     f"Finished and stable: no release for {_months(days)}, no known vulnerability, "
                     f"declared '{declared[0].split(' :: ')[-1].split(' - ', 1)[-1]}'.", label="finished", details=details)  # fmt: skip
    why = (
        "no vulnerability data collected"
        if inputs.vulnerabilities_known_none is None
        else (
            "known vulnerabilities" if inputs.vulnerabilities_known_none is False else "not declared finished"
        )
    )
    return Score(NAME_LIFECYCLE, VERSION, None, Status.OK,
                 f"Dormant: no release for {_months(days)} ({why}).", label="dormant",
                 details=details)  # fmt: skip


def _major(version: str) -> int | None:
    match = _MAJOR.match(version)
    return int(match.group(1)) if match else None


def libyear(inputs: LifecycleInputs) -> Score:
    """Years between the oldest version in use's release and the newest stable release."""
    dated = {v: at for v, at, _ in inputs.releases if at is not None}
    stable = [
        (at, v) for v, at, y in inputs.releases if at is not None and not y and not _PRERELEASE.search(v)
    ]
    if not stable:
        return Score.inconclusive(NAME_LIBYEAR, VERSION, "No release dates collected.")
    newest_at, newest = max(stable)
    in_use = [v for v in inputs.versions_in_use if v in dated]
    if not in_use:
        return Score.inconclusive(NAME_LIBYEAR, VERSION,
                                  "The versions in use are not among the releases collected.")  # fmt: skip
    oldest = min(in_use, key=lambda v: dated[v])
    years = max(0.0, (newest_at - dated[oldest]).total_seconds() / (365.25 * 86400))
    behind = sum(1 for at, _ in stable if at > dated[oldest])
    major_newest, major_used = _major(newest), _major(oldest)
    majors = (
        max(0, major_newest - major_used) if major_newest is not None and major_used is not None else None
    )
    details = {"oldest_in_use": oldest, "newest": newest, "releases_behind": behind, "majors_behind": majors}
    if years == 0 and behind == 0:
        reason = f"Up to date: {oldest} is the newest release."
    else:
        reason = f"{years:.1f} libyears: {oldest} is {behind} release(s)"
        reason += f" and {majors} major version(s)" if majors else ""
        reason += f" behind {newest}."
    return Score(NAME_LIBYEAR, VERSION, round(years, 3), Status.OK, reason, details=details)
