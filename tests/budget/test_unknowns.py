"""Unknown is not a fact: a funding channel is "none" only when every place one is published was read, and
a proposal says how much of its money rests on what was not collected. Also the Open Source Pledge report."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import datetime
from fractions import Fraction

import pytest

from analysis import exports, risk
from analysis.budget import facts
from analysis.budget.proposal import Options, propose
from analysis.queries.budget import BudgetData, FundingLink, Metadata, Usage
from analysis.risk import load_weights
from collectors.errors import InputError

NOW = datetime(2026, 11, 1)
REPO = "https://github.com/acme/lib"
META = Metadata("MIT", (), None, None, datetime(2024, 9, 1), 0, REPO, NOW)  # no release for 26 months
LINK = FundingLink("https://opencollective.com/lib", "open-collective", "npm", "package")


def _data(**kw: object) -> BudgetData:
    usage = {"pkg:npm/lib": Usage("pkg:npm/lib", 1, 1, 1, "runtime")}
    base: dict[str, object] = {
        "total_apps": 1,
        "usage": usage,
        "direct": frozenset(usage),
        "children": {},
        "now": NOW,
    }
    return BudgetData(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "data", "expected"),
    [
        ("nothing collected", _data(), None),
        ("registry read, repository never read", _data(metadata={"pkg:npm/lib": META}, repository={"pkg:npm/lib": REPO}), None),
        ("registry and repository read", _data(metadata={"pkg:npm/lib": META}, repository={"pkg:npm/lib": REPO}, mined=frozenset({REPO})), False),
        ("registry read, no repository to read", _data(metadata={"pkg:npm/lib": META}), False),
        ("a link is known", _data(funding={"pkg:npm/lib": (LINK,)}), True),
        ("the repository's link is known", _data(repository={"pkg:npm/lib": REPO}, funding={REPO: (LINK,)}), True),
    ],
)  # fmt: skip
def test_no_funding_channel_is_a_fact_only_when_every_source_was_read(
    case: str, data: BudgetData, expected: bool | None
) -> None:
    assert facts.has_funding_channel(data, "pkg:npm/lib") is expected, case


def test_the_proposal_says_how_much_money_rests_on_unknowns() -> None:
    options = Options(total=10000, currency="EUR", weights=load_weights(), now=NOW, floor=1000)
    data = _data(metadata={"pkg:npm/lib": META}, funding={"pkg:npm/lib": (LINK,)})
    proposal = propose(data, options)
    confidence = risk.assess(facts.risk_inputs(data, "pkg:npm/lib", NOW), load_weights()).confidence
    assert 0 < confidence < 1  # the registry answered; no repository was read
    assert proposal.allocated == 10000
    assert proposal.unknown_amount == math.floor(10000 * (1 - Fraction(confidence)))
    sentence = exports.summary_sentences(proposal)[-1]
    assert sentence.startswith(f"{proposal.unknown_amount:,} EUR (") and "rests on inputs" in sentence
    equal = propose(data, replace(options, method="equal"))
    assert equal.unknown_amount == 0 and "no money rests on unknowns" in exports.summary_sentences(equal)[-1]


def test_open_source_pledge_report() -> None:
    usd = Options(total=6000, currency="USD", weights=load_weights(), now=NOW, floor=1000)
    data = _data(metadata={"pkg:npm/lib": META}, funding={"pkg:npm/lib": (LINK,)})
    proposal = propose(data, usd)
    report = json.loads(exports.render(proposal, "pledge", None, developers=3) or "")
    assert set(report) >= {"name", "domain", "datetimeModified", "annualReports"}
    [year] = report["annualReports"]
    assert year["averageNumberOfDevs"] == 3 and year["dateYearEnding"] == "2026-12-31"
    assert year["monetaryPayments"] == [{"amount": 6000, "urlDetails": "https://opencollective.com/lib"}]
    assert "meets the Pledge's minimum" in report["description"]
    with pytest.raises(InputError, match="developers"):
        exports.render(proposal, "pledge", None)
    eur = propose(data, replace(usd, currency="EUR"))
    with pytest.raises(InputError, match="in USD"):
        exports.render(eur, "pledge", None, developers=3)
