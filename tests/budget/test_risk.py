"""Risk: components from literal inputs, the reason sentence, missing inputs named, the weights file."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import risk
from collectors.errors import InputError


@pytest.fixture
def weights() -> risk.RiskWeights:
    return risk.load_weights()


def test_the_reason_names_what_drives_the_risk(weights: risk.RiskWeights) -> None:
    inputs = risk.RiskInputs(
        truck_factor=1, truck_top_share=0.9, fragility="single-actor", days_since_last_release=26 * 30.44
    )
    score = risk.score(inputs, weights)
    assert score.reason.startswith(
        "Risk 1.00: truck factor 1 (one person authors 90% of files); single-actor interface; "
        "no release for 26 months."
    )
    assert score.value == 1.0
    # Everything else is missing: named, and the confidence is the known weight over all weight.
    assert score.details["confidence"] == pytest.approx(6 / 17, abs=1e-4)
    assert "active_maintainers" in score.details["missing"] and "funding" in score.details["missing"]
    assert score.details["components"]["truck_factor"] == {"value": 1.0, "weight": 3.0}


def test_components_map_inputs_to_zero_one(weights: risk.RiskWeights) -> None:
    inputs = risk.RiskInputs(
        truck_factor=4,
        contributor_absence_factor=2,
        active_maintainers=0,
        fragility="vigilance",
        days_since_last_commit=365,
        days_since_last_release=0,
        releases_last_12m=2,
        deprecated=True,
        yanked_last_12m=1,
        has_funding_channel=True,
        vulnerabilities=1,
        vulnerability_severity="high",
        provenance="changed",
        provenance_reason="Publisher changed from alice (1.0.0) to mallory (1.0.1).",
    )
    result = risk.assess(inputs, weights)
    values = {c.name: c.value for c in result.components}
    assert values == {
        "truck_factor": 0.25,
        "contributor_absence_factor": 0.5,
        "active_maintainers": 1.0,
        "fragility": 0.5,
        "commit_staleness": 0.5,
        "release_staleness": 0.0,
        "release_cadence": 0.5,
        "deprecated": 1.0,
        "yanked": 0.5,
        "funding": 0.0,
        "vulnerabilities": 0.8,
        "provenance": 1.0,
    }
    expected = (
        3 * 0.25
        + 1 * 0.5
        + 2 * 1
        + 2 * 0.5
        + 1 * 0.5
        + 0
        + 0.5 * 0.5
        + 2 * 1
        + 0.5 * 0.5
        + 0
        + 2 * 0.8
        + 1 * 1
    ) / 17
    assert result.value == pytest.approx(expected)
    assert result.confidence == 1.0 and result.missing == ()


def test_a_changed_publisher_is_a_risk_component_with_its_sentence(weights: risk.RiskWeights) -> None:
    changed = risk.RiskInputs(truck_factor=2, provenance="changed",
                              provenance_reason="Publisher changed from alice (1.0.0) to mallory (1.0.1).")  # fmt: skip
    score = risk.score(changed, weights)
    assert "publisher changed from alice (1.0.0) to mallory (1.0.1)" in score.reason
    assert score.details["components"]["provenance"] == {"value": 1.0, "weight": 1.0}
    # not given by the registry: left out and named, never counted as "no change"
    unknown = risk.score(risk.RiskInputs(truck_factor=2), weights)
    assert "provenance" in unknown.details["missing"] and "provenance" not in unknown.details["components"]


def test_nothing_known_is_inconclusive_never_guessed(weights: risk.RiskWeights) -> None:
    score = risk.score(risk.RiskInputs(), weights)
    assert score.value is None and score.status == "inconclusive"
    assert "truck_factor" in score.reason


def test_weights_file_overrides_and_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text("[weights]\ntruck_factor = 1\nfunding = 1\n", encoding="utf-8")
    w = risk.load_weights(path)
    result = risk.assess(risk.RiskInputs(truck_factor=2, has_funding_channel=False), w)
    assert result.value == pytest.approx((0.5 + 1.0) / 2)
    path.write_text("[weights]\nbus_factor = 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown risk component 'bus_factor'"):
        risk.load_weights(path)
    path.write_text("[weights]\nfunding = -1\n", encoding="utf-8")
    with pytest.raises(InputError, match=">= 0"):
        risk.load_weights(path)


def test_default_weights_file_lists_every_component() -> None:
    assert set(risk.load_weights().weights) == set(risk.COMPONENTS)
