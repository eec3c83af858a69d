"""The card reads risk components in the shape the risk score stores them (``{name: {value, weight}}``)."""

from __future__ import annotations

from analysis import risk
from analysis.sovereignty.explain import component_values


def test_components_as_the_risk_score_stores_them() -> None:
    stored = risk.score(
        risk.RiskInputs(truck_factor=2, fragility="single-actor"), risk.load_weights()
    ).details
    assert component_values(stored["components"]) == {"truck_factor": 0.5, "fragility": 1.0}


def test_plain_numbers_and_missing_values() -> None:
    assert component_values({"a": 0.25, "b": None, "c": {"weight": 1.0}, "d": True}) == {"a": 0.25}
