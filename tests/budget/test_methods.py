"""StackAid's rule on a small tree, and ecosyste.ms-like normalisation."""

from __future__ import annotations

from fractions import Fraction

import pytest

from analysis.budget import methods


def test_stackaid_small_tree() -> None:
    kids_of_b = [f"k{i:02d}" for i in range(11)]
    shares = methods.stackaid(["A", "B"], {"A": ["C", "D"], "B": kids_of_b, "C": ["E"]})
    # Even split over the direct dependencies: 1/2 each.
    # A passes 5% of its 1/2 to each of C and D.
    assert shares["C"] == shares["D"] == Fraction(1, 40)
    assert shares["A"] == Fraction(1, 2) - 2 * Fraction(1, 40)
    # B has 11 dependencies: 11 x 5% would exceed half, so each gets half / 11 and B keeps half.
    assert all(shares[k] == Fraction(1, 2) / 2 / 11 for k in kids_of_b)
    assert shares["B"] == Fraction(1, 4)
    # One level only: C (not direct) passes nothing on.
    assert "E" not in shares
    assert sum(shares.values()) == 1


def test_stackaid_direct_dependency_also_receives_from_another() -> None:
    shares = methods.stackaid(["A", "B"], {"A": ["B"]})
    assert shares == {"A": Fraction(1, 2) - Fraction(1, 40), "B": Fraction(1, 2) + Fraction(1, 40)}


def test_stackaid_without_direct_dependencies_is_empty() -> None:
    assert methods.stackaid([], {"A": ["B"]}) == {}


def test_normalised_usage_divides_each_metric_by_its_max() -> None:
    metrics = {
        "a": {"dependent_apps": 3, "dependent_packages": 10},
        "b": {"dependent_apps": 1, "dependent_packages": 0},
        "c": {"dependent_apps": 0, "dependent_packages": 5},
    }
    scores = methods.normalised_usage(metrics)
    assert scores["a"] == pytest.approx(0.4)
    assert scores["b"] == pytest.approx(0.2 / 3)
    assert scores["c"] == pytest.approx(0.1)


def test_normalised_usage_ignores_a_metric_whose_max_is_zero() -> None:
    scores = methods.normalised_usage(
        {"a": {"dependent_apps": 2, "dependent_packages": 0}, "b": {"dependent_apps": 1}}
    )
    assert scores == {"a": pytest.approx(0.2), "b": pytest.approx(0.1)}


def test_need_uses_a_neutral_risk_when_unknown() -> None:
    assert methods.need(0.8, 0.5) == pytest.approx(0.4)
    assert methods.need(0.8, None) == pytest.approx(0.8 * methods.NEUTRAL_RISK)
