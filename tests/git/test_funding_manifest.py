"""funding.json plans and history, and Drips ``FUNDING.json`` files told apart from funding.json.

No tool writes these files, so the documents are written by hand from the specification
(https://fundingjson.org/, v1.0.0: ``funding.channels``, ``funding.plans``, ``funding.history``) and from the
shape Drips documents for claiming a repository (``{"drips": {"ethereum": {"ownedBy": ADDRESS}}}``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.budget.proposal import Options, propose
from analysis.queries import budget as queries
from analysis.risk import load_weights
from collectors.errors import InputError
from collectors.git.funding import (
    FundingHistory,
    FundingPlan,
    parse_funding_json,
    parse_funding_manifest,
)
from collectors.git.step import GitSettings, mine_all
from collectors.store import git as store
from collectors.store import read_connection, write_session
from tests.git.conftest import URL, Project
from tests.git.conftest import Options as MineOptions

FUNDING_JSON = {
    "version": "v1.0.0",
    "entity": {"type": "group", "role": "steward", "name": "Tool maintainers", "email": "fund@example.org"},
    "projects": [{"guid": "tool", "name": "tool", "repositoryUrl": {"url": URL}}],
    "funding": {
        "channels": [
            {"guid": "oc", "type": "payment-provider", "address": "https://opencollective.com/tool"},
            {"guid": "bank", "type": "bank", "address": "IBAN DE00 0000"},
        ],
        "plans": [
            {"guid": "keep", "status": "active", "name": "Keep the lights on", "amount": 500,
             "currency": "eur", "frequency": "monthly", "channels": ["oc"]},
            {"guid": "old", "status": "inactive", "name": "Old", "amount": 90000, "currency": "EUR",
             "frequency": "yearly", "channels": ["bank"]},
            {"guid": "any", "status": "active", "name": "Any amount", "amount": 0, "currency": "EUR",
             "frequency": "one-time", "channels": ["oc"]},
            {"guid": "bad", "status": "active", "name": "No currency", "amount": 10, "frequency": "yearly"},
        ],
        "history": [
            {"year": 2025, "amount": 4200, "currency": "EUR", "description": "Open Collective"},
            {"year": "2024", "amount": 1, "currency": "EUR"},
        ],
    },
}  # fmt: skip
DRIPS = {"drips": {"ethereum": {"ownedBy": "0x0000000000000000000000000000000000000001"}}}


def test_plans_and_history_are_read_with_their_yearly_amount() -> None:
    manifest = parse_funding_manifest(json.dumps(FUNDING_JSON).encode(), "funding.json", URL)
    assert manifest.kind == "funding-json"
    assert [link.url for link in manifest.links] == ["https://opencollective.com/tool"]
    assert manifest.plans == (
        FundingPlan("keep", "Keep the lights on", "active", 500.0, "EUR", "monthly"),
        FundingPlan("old", "Old", "inactive", 90000.0, "EUR", "yearly"),
        FundingPlan("any", "Any amount", "active", 0.0, "EUR", "one-time"),
    )  # the plan without a currency is not a plan
    assert [p.yearly for p in manifest.plans] == [6000.0, 90000.0, None]  # 0 means "any amount"
    assert manifest.history == (FundingHistory(2025, 4200.0, "EUR", "Open Collective"),)


def test_a_drips_file_is_recognised_not_mistaken_for_funding_json() -> None:
    content = json.dumps(DRIPS).encode()
    manifest = parse_funding_manifest(content, "FUNDING.json", URL)
    assert manifest.kind == "drips" and manifest.plans == () and manifest.history == ()
    assert [(link.url, link.source) for link in manifest.links] == [
        ("https://www.drips.network/app/projects/github/acme/tool", "drips")
    ]
    with pytest.raises(InputError, match=r"a Drips FUNDING\.json, not a funding\.json"):
        parse_funding_json(content)


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"version": "v1.0.0"}', b"[" * 100_000])
def test_bad_funding_json_is_one_input_error(content: bytes) -> None:
    with pytest.raises(InputError):
        parse_funding_manifest(content, "funding.json", URL)


def test_mining_stores_plans_and_history_and_the_budget_uses_the_ask(db_path: Path, project: Project) -> None:
    project.builder.commit(
        "Alice", "alice@acme.example",
        {"funding.json": json.dumps(FUNDING_JSON), "FUNDING.json": json.dumps(DRIPS)},
    )  # fmt: skip
    with write_session(db_path, "mine") as session:
        store.add_repository(session.conn, URL, "github.com", session.run_id)
        mine_all(session, MineOptions(db_path=db_path, mirror_dir=project.mirror), GitSettings(network=False))
    with read_connection(db_path) as conn:
        links = conn.execute("SELECT url, platform, source FROM funding_links ORDER BY url").fetchall()
        data = queries.load(conn)
    assert links == [
        ("https://opencollective.com/tool", "open-collective", "funding-json"),
        ("https://www.drips.network/app/projects/github/acme/tool", "other", "drips"),
    ]
    assert [p.guid for p in data.plans[URL]] == ["any", "keep", "old"]
    assert data.history[URL] == (FundingHistory(2025, 4200.0, "EUR", "Open Collective"),)
    assert URL in data.mined
    # Two projects use the organisation; the tool asks 6,000 EUR a year: its line stops there.
    usage = {
        "pkg:pypi/tool": queries.Usage("pkg:pypi/tool", 1, 1, 1, "runtime"),
        "pkg:pypi/other": queries.Usage("pkg:pypi/other", 1, 1, 1, "runtime"),
    }
    other_link = queries.FundingLink("https://github.com/sponsors/o", "github-sponsors", "pypi", "package")
    org = replace(
        data,
        total_apps=1,
        usage=usage,
        direct=frozenset(usage),
        repository={"pkg:pypi/tool": URL},
        funding={**data.funding, "pkg:pypi/other": (other_link,)},
    )
    assert data.now is not None
    options = Options(
        total=20000, currency="EUR", weights=load_weights(), now=data.now, floor=1000, method="equal"
    )
    proposal = propose(org, options)
    lines = {line.project: line for line in proposal.lines}
    assert lines[URL].amount == 6000 and lines["pkg:pypi/other"].amount == 14000
    channel = lines[URL].channel
    assert channel is not None and channel.platform == "open-collective"
    assert "its funding.json asks 6,000 EUR a year" in lines[URL].rationale
    assert "paid what it asks" in lines[URL].rationale
    assert "it reports receiving 4,200 EUR in 2025" in lines[URL].rationale
    in_usd = propose(org, replace(options, currency="USD"))
    assert (
        "another currency: not used as a cap" in {line.project: line for line in in_usd.lines}[URL].rationale
    )
