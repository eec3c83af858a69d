"""Eligibility: open-source licence, single-company ownership (configurable), channels never exclude."""

from __future__ import annotations

import pytest

from analysis.budget import channels, eligibility
from analysis.queries.budget import FundingLink


@pytest.mark.parametrize(
    ("licence", "classifiers", "status"),
    [
        ("MIT", (), "open"),
        ("MIT License", (), "open"),
        ("Apache-2.0 OR BSD-3-Clause", (), "open"),
        ("(MIT AND Zlib)", (), "open"),
        ("Apache Software License", (), "open"),
        ("The Unlicense", (), "open"),
        ("Proprietary", (), "closed"),
        ("UNLICENSED", (), "closed"),
        ("BUSL-1.1", (), "closed"),
        (None, (), "unknown"),
        ("", ("License :: OSI Approved :: BSD License",), "open"),
        ("see LICENSE file", (), "unknown"),
    ],
)
def test_licence_status(licence: str | None, classifiers: tuple[str, ...], status: str) -> None:
    assert eligibility.licence_status(licence, classifiers) == status


def test_closed_licence_is_not_eligible() -> None:
    v = eligibility.verdict(licence="Proprietary")
    assert not v.eligible and "not an open-source licence" in v.reason


def test_unknown_licence_stays_with_a_caveat() -> None:
    v = eligibility.verdict(licence=None)
    assert v.eligible and "licence not known" in v.reason


def test_single_company_by_elephant_factor_or_steward() -> None:
    assert not eligibility.verdict(licence="MIT", elephant_factor=1).eligible
    assert eligibility.verdict(licence="MIT", elephant_factor=2).eligible
    assert not eligibility.verdict(licence="MIT", steward_kind="company").eligible
    assert eligibility.verdict(licence="MIT", steward_kind="foundation").eligible


def test_company_evidence_is_configurable() -> None:
    only_steward = eligibility.Rules(frozenset({"steward"}))
    assert eligibility.verdict(licence="MIT", elephant_factor=1, rules=only_steward).eligible
    none = eligibility.Rules(frozenset())
    assert eligibility.verdict(licence="MIT", elephant_factor=1, steward_kind="company", rules=none).eligible


def _link(url: str, platform: str | None, source: str = "pypi") -> FundingLink:
    return FundingLink(url, platform, source, "package")


def test_channels_that_invoice_first_then_funding_json_then_the_rest() -> None:
    links = [
        _link("https://liberapay.com/x", "liberapay"),
        _link("https://github.com/sponsors/a", "github-sponsors"),
        _link("https://opencollective.com/x", "open-collective"),
    ]
    chosen = channels.choose(links)
    assert chosen is not None and chosen.platform == "open-collective" and chosen.invoices
    assert "[invoices]" in chosen.describe()
    plan = _link("https://x.org/donate", None, source="funding-json")
    assert channels.choose([*links[:2], plan]).platform == "github-sponsors"  # type: ignore[union-attr]
    assert channels.choose([links[0], plan]).platform == "funding-json"  # type: ignore[union-attr]
    foundation = _link("https://numfocus.org/donate-to-project", "other")
    assert channels.choose([links[0], plan, foundation]).platform == "foundation"  # type: ignore[union-attr]
    # a funding.json channel on an invoicing platform counts as that platform
    oc_in_json = _link("https://opencollective.com/y", "open-collective", source="funding-json")
    assert channels.choose([oc_in_json]).platform == "open-collective"  # type: ignore[union-attr]
    assert channels.choose([links[0]]).platform == "liberapay"  # type: ignore[union-attr]
    assert channels.choose([]) is None


def test_several_recipients_only_where_the_data_names_several() -> None:
    one = channels.choose([_link("https://github.com/sponsors/alice", "github-sponsors")])
    assert one is not None and one.recipients == ("alice",)
    two = channels.choose(
        [
            _link("https://github.com/sponsors/alice", "github-sponsors"),
            _link("https://github.com/sponsors/bob/", "github-sponsors"),
            _link("https://github.com/sponsors/alice", "github-sponsors", source="funding-yml"),
        ]
    )
    assert two is not None and two.recipients == ("alice", "bob")
