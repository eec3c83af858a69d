"""The OpenSSF criticality formula on literal signals, missing ones left out of both sums."""

from __future__ import annotations

import math

import pytest

from analysis import openssf


def test_every_measured_signal_at_its_threshold_scores_one() -> None:
    signals = {
        "created_since": 120,
        "updated_since": 0,  # smaller is better: 0 months since the last update is the best
        "contributor_count": 5000,
        "org_count": 10,
        "commit_frequency": 1000,
        "recent_release_count": 26,
    }
    assert openssf.criticality(signals) == pytest.approx(1.0)


def test_one_signal_alone_is_its_own_log_ratio() -> None:
    assert openssf.criticality({"contributor_count": 4}) == pytest.approx(math.log(5) / math.log(5001))


def test_missing_signals_are_left_out_of_both_sums() -> None:
    # contributor_count (weight 2) and updated_since 120 months (weight 1, inverted term 0).
    expected = (2 * math.log(5) / math.log(5001) + 1 * 0.0) / 3
    with_missing = {
        "contributor_count": 4,
        "updated_since": 120,
        "org_count": None,
        "github_mention_count": None,
    }
    assert openssf.criticality(with_missing) == pytest.approx(expected)
    assert openssf.criticality({"contributor_count": 4, "updated_since": 120}) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "value", "term"),
    [
        ("created_since", 12, math.log(13) / math.log(121)),
        ("created_since", 240, 1.0),  # above the threshold: ln(1+S)/ln(1+S)
        ("updated_since", 12, 1 - math.log(13) / math.log(121)),
        ("recent_release_count", 0, 0.0),
        ("org_count", 2, math.log(3) / math.log(11)),
    ],
)
def test_terms(name: str, value: float, term: float) -> None:
    signal = next(s for s in openssf.SIGNALS if s.name == name)
    assert openssf.term(signal, value) == pytest.approx(term)


def test_weights_and_thresholds_are_the_v2_defaults() -> None:
    table = {s.name: (s.weight, s.threshold) for s in openssf.SIGNALS}
    assert table["contributor_count"] == (2, 5000)
    assert table["recent_release_count"] == (0.5, 26)
    assert table["github_mention_count"] == (2, 500000)
    assert sum(w for w, _ in table.values()) == 10.5


def test_score_without_signals_is_inconclusive_and_names_what_is_missing() -> None:
    score = openssf.score({})
    assert score.value is None and score.status == "inconclusive"
    assert "contributor_count" in score.details["missing"]
    ok = openssf.score({"org_count": 10})
    assert ok.value == 1.0 and ok.details["signals"] == {"org_count": 10}
