"""Criticality, OpenSSF criticality and risk of every package the organisation uses, from one read."""

from __future__ import annotations

from dataclasses import dataclass

from analysis import criticality, openssf, risk
from analysis.budget import facts
from analysis.queries.budget import BudgetData
from analysis.score import Score


@dataclass(frozen=True)
class PackageScores:
    purl: str
    criticality: Score
    openssf: Score
    risk: Score


def assess_all(data: BudgetData, weights: risk.RiskWeights) -> list[PackageScores]:
    """One entry per package, in purl order."""
    assert data.now is not None
    crit = criticality.scores(data.usage, data.total_apps)
    return [
        PackageScores(
            purl,
            crit[purl],
            openssf.score(facts.openssf_signals(data, purl, data.now)),
            risk.score(facts.risk_inputs(data, purl, data.now), weights),
        )
        for purl in sorted(data.usage)
    ]
