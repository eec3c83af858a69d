"""Whole proposals over arbitrary small organisations: exact sums, floors and caps, determinism."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.budget import methods
from analysis.budget.proposal import Options, default_floor, propose
from analysis.queries.budget import BudgetData, FundingLink, Usage
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
    # Some projects publish a channel (on the package or the repository), the others go to outreach.
    funding: dict[str, tuple[FundingLink, ...]] = {}
    for p in purls:
        if draw(st.booleans()):
            subject = p if draw(st.booleans()) else repos[p]
            funding[subject] = (
                FundingLink(f"https://opencollective.com/{p[-2:]}", "open-collective", "npm", "package"),
            )
    return BudgetData(
        total_apps=3,
        usage=usage,
        direct=direct,
        children=children,
        repository=repos,
        funding=funding,
        now=NOW,
    )


@settings(max_examples=150, deadline=None)
@given(
    organisations(),
    st.sampled_from(methods.METHODS),
    st.integers(min_value=1, max_value=100_000),
    st.floats(min_value=0.01, max_value=1.0),
    st.sampled_from(["project", "package"]),
    st.sampled_from(["redistribute", "reserve"]),
    st.one_of(st.none(), st.integers(min_value=1, max_value=6)),
    st.sampled_from([None, 0, 20]),
)
def test_proposals_sum_exactly_and_are_deterministic(
    data: BudgetData,
    method: str,
    total: int,
    cap: float,
    per: str,
    unreachable: str,
    max_lines: int | None,
    floor_part: int | None,
) -> None:
    floor = default_floor(total) if floor_part is None else (total // floor_part if floor_part else 0)
    options = Options(
        total=total,
        currency="EUR",
        weights=WEIGHTS,
        now=NOW,
        method=method,
        floor=floor,
        cap=cap,
        per=per,
        max_lines=max_lines,
        unreachable=unreachable,
    )
    proposal = propose(data, options)
    amounts = [line.amount for line in proposal.lines]
    # Every unit is either on a payable line or in the reserve, and nothing is negative.
    assert sum(amounts) + proposal.reserve == total and proposal.reserve >= 0
    if unreachable == "redistribute" and amounts:
        assert proposal.reserve == 0
    if amounts:
        assert min(amounts) >= floor
    if max_lines is not None:
        assert len(amounts) <= max_lines
    assert all(a > 0 for a in amounts) and all(line.channel is not None for line in proposal.lines)
    paid = {line.project for line in proposal.lines}
    assert len(paid) == len(proposal.lines)
    # One decision per project: nothing both paid and left out, nothing both paid and on the outreach list.
    assert not paid & {subject for subject, _ in proposal.left_out}
    assert not paid & {o.project for o in proposal.outreach}
    if per == "project":
        assert len({line.project for line in proposal.lines} | {o.project for o in proposal.outreach}) == len(
            proposal.lines
        ) + len(proposal.outreach)
    assert 0 <= proposal.unknown_amount <= sum(amounts)
    assert propose(data, options) == proposal
