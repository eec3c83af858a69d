"""Whole proposals over arbitrary small organisations: exact sums, floors and caps, determinism."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.budget import methods
from analysis.budget.proposal import Options, propose
from analysis.queries.budget import BudgetData, Usage
from analysis.risk import load_weights

NOW = datetime(2026, 11, 1)
WEIGHTS = load_weights()


@st.composite
def organisations(draw: st.DrawFn) -> BudgetData:
    n = draw(st.integers(min_value=1, max_value=12))
    purls = [f"pkg:pypi/p{i}" for i in range(n)]
    usage = {}
    for p in purls:
        apps = draw(st.integers(min_value=1, max_value=3))
        usage[p] = Usage(
            p,
            apps,
            draw(st.integers(min_value=0, max_value=apps)),
            draw(st.integers(min_value=1, max_value=4)),
            draw(st.sampled_from(["runtime", "dev", "optional"])),
            draw(st.integers(min_value=0, max_value=n - 1)),
        )
    direct = frozenset(p for p in purls if usage[p].direct_apps > 0)
    children = {p: tuple(q for q in purls if q > p and draw(st.booleans())) for p in purls}
    repos = {p: f"https://example.org/r{draw(st.integers(min_value=0, max_value=n))}" for p in purls}
    return BudgetData(total_apps=3, usage=usage, direct=direct, children=children, repository=repos, now=NOW)


@settings(max_examples=150, deadline=None)
@given(
    organisations(),
    st.sampled_from(methods.METHODS),
    st.integers(min_value=1, max_value=100_000),
    st.floats(min_value=0.01, max_value=1.0),
    st.sampled_from(["project", "package"]),
)
def test_proposals_sum_exactly_and_are_deterministic(
    data: BudgetData, method: str, total: int, cap: float, per: str
) -> None:
    floor = total // 20
    options = Options(
        total=total, currency="EUR", weights=WEIGHTS, now=NOW, method=method, floor=floor, cap=cap, per=per
    )
    proposal = propose(data, options)
    amounts = [line.amount for line in proposal.lines]
    if amounts:
        assert sum(amounts) == total
        assert min(amounts) >= floor
    assert all(a >= 0 for a in amounts)
    assert len({line.project for line in proposal.lines}) == len(proposal.lines)
    assert propose(data, options).lines == proposal.lines
