"""The vulnerabilities, lifecycle and libyear scores, and what risk makes of them: literal tables."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.risk import RiskInputs, assess, load_weights, reason
from analysis.score import Status
from analysis.signals.lifecycle import LifecycleInputs, libyear, lifecycle
from analysis.signals.vulnerabilities import VulnerabilityFinding, score

NOW = datetime(2026, 11, 1)


def test_no_coverage_is_not_known_never_zero() -> None:
    result = score(["1.26.5"], [], {"1.26.5": set()})
    assert (result.status, result.value) == (Status.INCONCLUSIVE, None)
    assert result.reason == "No vulnerability data collected for the versions in use (1.26.5)."


def test_covered_and_nothing_found_is_zero() -> None:
    result = score(["1.16.0"], [], {"1.16.0": {"cyclonedx"}})
    assert (result.value, result.label) == (0.0, "none")
    assert result.reason == "No known vulnerability in 1.16.0 (sources: cyclonedx)."


def test_the_reason_names_versions_severities_and_fixes() -> None:
    findings = [
        VulnerabilityFinding("1.26.5", "GHSA-a", "high", ("1.26.17",), source="osv"),
        VulnerabilityFinding("1.26.5", "GHSA-b", "medium", ("1.26.17",), source="osv"),
        VulnerabilityFinding(
            "1.26.5", "GHSA-a", None, (), source="pypi"
        ),  # the same advisory from another source
        VulnerabilityFinding("1.26.5", "GHSA-c", "critical", (), state="not_affected", source="cyclonedx"),
    ]
    result = score(["1.26.5"], findings, {"1.26.5": {"osv", "pypi", "cyclonedx"}})
    assert (result.value, result.label) == (2.0, "high")
    assert result.reason == "2 known vulnerabilities in 1.26.5, one high, one medium, fixed in 1.26.17."
    assert result.details["not_exposed"] == ["GHSA-c"]


def test_a_version_not_covered_is_said() -> None:
    result = score(["1.0", "2.0"], [VulnerabilityFinding("1.0", "X", "low", ("1.1",))], {"1.0": {"osv"}})
    assert result.reason == "1 known vulnerability in 1.0, one low, fixed in 1.1; not collected for 2.0."


def _releases(*items: tuple[str, int, bool]) -> tuple[tuple[str, datetime | None, bool], ...]:
    return tuple((v, NOW - timedelta(days=days), yanked) for v, days, yanked in items)


@pytest.mark.parametrize(
    ("inputs", "label", "reason"),
    [
        (
            LifecycleInputs("npm", ("2.88.2",), "2.88.2", "request has been deprecated, see https://github.com/request/request/issues/3142",
                            (), NOW - timedelta(days=2000), _releases(("2.88.2", 2000, False))),
            "deprecated",
            "Deprecated on npm: 'request has been deprecated, see https://github.com/request/request/issues/3142'.",
        ),
        (
            LifecycleInputs("pypi", ("1.0.1",), "1.0.2", None, (), NOW - timedelta(days=30),
                            _releases(("1.0.1", 60, True), ("1.0.2", 30, False))),
            "yanked",
            "Version in use 1.0.1 was yanked from PyPI.",
        ),
        (
            LifecycleInputs("pypi", ("1.16.0",), "1.16.0", None, ("Development Status :: 5 - Production/Stable",),
                            NOW - timedelta(days=1100), _releases(("1.16.0", 1100, False)), None, True),
            "finished",
            "Finished and stable: no release for 36 months, no known vulnerability, declared 'Production/Stable'.",
        ),
        (
            LifecycleInputs("pypi", ("1.16.0",), "1.16.0", None, ("Development Status :: 5 - Production/Stable",),
                            NOW - timedelta(days=1100), _releases(("1.16.0", 1100, False)), None, None),
            "dormant",
            "Dormant: no release for 36 months (no vulnerability data collected).",
        ),
        (
            LifecycleInputs("pypi", ("1.0",), "1.0", None, (), NOW - timedelta(days=1100),
                            _releases(("1.0", 1100, False)), "archived"),
            "archived",
            "Archived on PyPI (project status).",
        ),
        (
            LifecycleInputs("npm", ("18.3.1",), "19.2.0", None, (), NOW - timedelta(days=20),
                            _releases(("18.3.1", 900, False), ("19.2.0", 20, False))),
            "active",
            "Active: last release 1 month ago on npm.",
        ),
    ],
)  # fmt: skip
def test_lifecycle(inputs: LifecycleInputs, label: str, reason: str) -> None:
    result = lifecycle(inputs, NOW)
    assert (result.label, result.reason) == (label, reason)


def test_libyear_counts_from_the_oldest_version_in_use_to_the_newest_stable_release() -> None:
    inputs = LifecycleInputs("npm", ("17.0.2", "18.3.1"), "19.2.0", None, (), None,
                             _releases(("17.0.2", 1700, False), ("18.3.1", 900, False), ("19.0.0", 300, False),
                                       ("19.2.0", 20, False), ("20.0.0-rc.1", 5, False)))  # fmt: skip
    result = libyear(inputs)
    assert result.value == pytest.approx((1700 - 20) / 365.25, abs=1e-3)
    assert result.details == {
        "oldest_in_use": "17.0.2",
        "newest": "19.2.0",
        "releases_behind": 3,
        "majors_behind": 2,
    }
    assert result.reason == "4.6 libyears: 17.0.2 is 3 release(s) and 2 major version(s) behind 19.2.0."
    up_to_date = libyear(
        LifecycleInputs("npm", ("19.2.0",), "19.2.0", None, (), None, _releases(("19.2.0", 20, False)))
    )
    assert (up_to_date.value, up_to_date.reason) == (0.0, "Up to date: 19.2.0 is the newest release.")


WEIGHTS = load_weights()


def test_risk_names_vulnerabilities_and_lifecycle() -> None:
    inputs = RiskInputs(
        truck_factor=1,
        vulnerabilities=2,
        vulnerability_severity="high",
        vulnerability_reason="2 known vulnerabilities in 1.26.5, one high, one medium, fixed in 1.26.17.",
        lifecycle="deprecated",
        lifecycle_reason="Deprecated on npm: 'use something else'.",
    )
    text = reason(assess(inputs, WEIGHTS))
    assert "2 known vulnerabilities in 1.26.5, one high, one medium, fixed in 1.26.17" in text
    assert "deprecated on npm: 'use something else'" in text


def test_a_finished_project_is_not_scored_as_abandoned() -> None:
    quiet = dict(
        days_since_last_commit=1500.0, days_since_last_release=1500.0, releases_last_12m=0, truck_factor=3
    )
    dormant = assess(RiskInputs(**quiet, lifecycle="dormant"), WEIGHTS)  # type: ignore[arg-type]
    finished = assess(
        RiskInputs(
            **quiet, lifecycle="finished", lifecycle_reason="Finished and stable: no release for 49 months."
        ),  # type: ignore[arg-type]
        WEIGHTS,
    )
    assert finished.value is not None and dormant.value is not None and finished.value < dormant.value
    assert "finished and stable: no release for 49 months" in reason(finished)


@given(
    truck=st.none() | st.floats(min_value=1, max_value=20),
    active=st.none() | st.floats(min_value=0, max_value=10),
    days=st.none() | st.floats(min_value=0, max_value=4000),
    severity=st.sampled_from(["critical", "high", "medium", "low", "unknown"]),
    count=st.integers(min_value=0, max_value=5),
)
def test_unknown_vulnerability_data_never_lowers_risk(
    truck: float | None, active: float | None, days: float | None, severity: str, count: int
) -> None:
    base = RiskInputs(truck_factor=truck, active_maintainers=active, days_since_last_commit=days)
    unknown = assess(base, WEIGHTS)
    known_none = assess(RiskInputs(**{**base.__dict__, "vulnerabilities": 0.0}), WEIGHTS)
    known_some = assess(
        RiskInputs(**{**base.__dict__, "vulnerabilities": float(count), "vulnerability_severity": severity}),
        WEIGHTS,
    )
    # Not collected is left out (the confidence drops); it is never counted as "none known".
    assert "vulnerabilities" in unknown.missing and "vulnerabilities" not in known_none.missing
    if unknown.value is not None:
        assert known_none.value is not None and unknown.value >= known_none.value - 1e-12
    assert known_some.value is not None and known_none.value is not None
    assert known_some.value >= known_none.value - 1e-12


@given(
    truck=st.none() | st.floats(min_value=1, max_value=20),
    days=st.none() | st.floats(min_value=0, max_value=4000),
    known=st.sampled_from(["attested", "unattested"]),
)
def test_unknown_provenance_never_lowers_risk(truck: float | None, days: float | None, known: str) -> None:
    base = RiskInputs(truck_factor=truck, days_since_last_commit=days)
    unknown = assess(base, WEIGHTS)
    no_change = assess(RiskInputs(**{**base.__dict__, "provenance": known}), WEIGHTS)
    changed = assess(
        RiskInputs(**{**base.__dict__, "provenance": "changed", "provenance_reason": "x."}), WEIGHTS
    )
    # Not given by the registry is left out and named; it is never counted as "no publisher change".
    assert "provenance" in unknown.missing and "provenance" not in no_change.missing
    if unknown.value is not None:
        assert no_change.value is not None and unknown.value >= no_change.value - 1e-12
    assert changed.value is not None and no_change.value is not None
    assert changed.value >= no_change.value - 1e-12


@given(
    truck=st.none() | st.floats(min_value=1, max_value=20),
    status=st.sampled_from(
        ["quarantined", "deprecated", "archived", "yanked", "dormant", "finished", "active"]
    ),
)
def test_unknown_lifecycle_or_project_status_never_lowers_risk(truck: float | None, status: str) -> None:
    base = RiskInputs(truck_factor=truck)
    unknown = assess(base, WEIGHTS)
    active = assess(RiskInputs(**{**base.__dict__, "lifecycle": "active"}), WEIGHTS)
    known = assess(RiskInputs(**{**base.__dict__, "lifecycle": status}), WEIGHTS)
    assert "deprecated" in unknown.missing
    if unknown.value is not None:
        assert active.value is not None and unknown.value >= active.value - 1e-12
    assert known.value is not None and active.value is not None and known.value >= active.value - 1e-12


@given(
    versions=st.lists(st.sampled_from(["1.0.0", "1.2.3", "2.0.0"]), min_size=1, max_size=3, unique=True),
    why=st.text(min_size=0, max_size=300),
)
def test_a_refused_call_is_never_no_vulnerabilities(versions: list[str], why: str) -> None:
    result = score(versions, [], {v: set() for v in versions}, {v: why for v in versions})
    assert (result.status, result.value) == (Status.INCONCLUSIVE, None)
    assert result.reason.startswith("No vulnerability data collected for the versions in use")
