"""Control, exit options and exposure from literal facts: table-driven, no store."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.queries.sovereignty import (
    DependencyFacts,
    OrganisationShare,
    RepositoryFact,
    ScoreFact,
    StewardFact,
)
from analysis.sovereignty import reference
from analysis.sovereignty.control import control_of, exit_options
from analysis.sovereignty.exposure import exposure

REF = reference.load()
GH = RepositoryFact("https://github.com/o/p", "github.com", "ok", None)
REDIS = StewardFact("redis-ltd", "Redis Ltd.", "company", "US", "https://redis.io/")
LF = StewardFact(
    "linux-foundation", "The Linux Foundation", "foundation", "US", "https://www.linuxfoundation.org/"
)
INRIA = StewardFact("inria", "Inria", "public-body", "FR", "https://www.inria.fr/")


def facts(**kw: Any) -> DependencyFacts:
    return DependencyFacts(**{"purl": "pkg:pypi/p", "ecosystem": "pypi", "name": "p", **kw})


@pytest.mark.parametrize(
    ("given", "entity", "country", "text"),
    [
        (facts(steward=REDIS), "Redis Ltd.", "US", "Redis Ltd. (company, in the United States) controls it"),
        (facts(repositories=(GH,), top_organisation=OrganisationShare("Red Hat", 70, 100)),
         "Red Hat, Inc. (an IBM subsidiary)", "US", "made 70% of the non-bot commits (70 of 100)"),
        (facts(repositories=(GH,), top_organisation=OrganisationShare("acme.example", 60, 100)),
         "acme.example", None, "its legal entity and country are not known"),
        (facts(repositories=(GH,), top_organisation=OrganisationShare("Google", 30, 100)),
         None, None, "no organisation dominates its commits (the largest, Google, made 30%)"),
        (facts(repositories=(GH,)), None, None, "were not mined or carry no organisation's e-mail domain"),
        (facts(), None, None, "no repository is known"),
    ],
)  # fmt: skip
def test_who_controls_it(given: DependencyFacts, entity: str | None, country: str | None, text: str) -> None:
    controller = control_of(given, REF).controller
    assert (controller.entity, controller.country, controller.harm) == (entity, country, "control")
    assert text in controller.text


def test_forge_registry_and_funding_operators_are_cut_off_facts_with_sources() -> None:
    codeberg = RepositoryFact("https://codeberg.org/o/p", "codeberg.org", "ok", None)
    control = control_of(
        facts(repositories=(codeberg,), funding=(("liberapay", "https://liberapay.com/p"),)), REF
    )
    assert (control.forge.entity, control.forge.country, control.forge.harm) == (
        "Codeberg e.V.",
        "DE",
        "cut-off",
    )
    assert control.registry.entity == "Python Software Foundation" and "CLOUD Act" in control.registry.text
    assert [f.entity for f in control.funding] == ["Liberapay (non-profit organisation)"]
    assert (
        control.funding[0].text
        == "Its liberapay channel, operated by Liberapay (non-profit organisation), in France."
    )
    collective = control_of(
        facts(funding=(("open-collective", "https://opencollective.com/p"),)), REF
    ).funding[0]
    assert (collective.entity, collective.country) == ("Open Collective, Inc.", None)
    assert collective.text.endswith(
        "The fiscal host that holds its money is not known: socle does not read it yet."
    )
    assert control.us_operated  # PyPI is
    own = RepositoryFact("https://git.example.org/o/p", "git.example.org", "ok", None)
    unknown = control_of(facts(ecosystem="hex", repositories=(own,)), REF)
    assert unknown.forge.entity is None
    assert unknown.forge.text == (
        "Its code lives on git.example.org; who operates it is not known: git.example.org is not in "
        "data/sovereignty/operators.toml (self-hosted, or not reviewed yet)."
    )
    assert unknown.registry.entity is None and not unknown.us_operated


def test_the_two_harms_stay_apart_and_licence_changes_are_recorded() -> None:
    control = control_of(facts(steward=REDIS, repositories=(GH,)), REF)
    assert control.control()[0].startswith("Redis Ltd. (company")
    assert "moved Redis from BSD-3-Clause to RSALv2 or SSPLv1 on 2024-03-20" in control.control()[1]
    assert "the fork Valkey continues under The Linux Foundation" in control.control()[1]
    cut = control.cut_off()
    assert cut[0] == (
        "Its code lives on github.com, operated by GitHub, Inc., controlled by Microsoft Corporation, in the "
        "United States (US law, including the CLOUD Act, applies to it).",
        "https://docs.github.com/en/site-policy/github-terms/github-terms-of-service",
    )
    assert "Redis Ltd. can withdraw or relicense future releases" in cut[-1][0]
    assert not any("RSALv2" in sentence for sentence, _ in cut)


def test_exit_options_carry_their_jurisdiction_and_health() -> None:
    options = {
        "options": [
            {"purl_or_component": "pkg:pypi/valkey", "name": "valkey-py", "lineage": "redis-py",
             "steward": "linux-foundation", "truck_factor": 2.0, "concentration": {"active_maintainers": 5.0}},
            {"purl_or_component": "pkg:pypi/coredis", "name": "coredis", "lineage": "coredis",
             "steward": "inria", "truck_factor": None, "concentration": {}},
            {"purl_or_component": "pkg:pypi/x", "name": "x", "lineage": "x", "steward": "gone"},
        ]
    }  # fmt: skip
    given = facts(
        steward=REDIS,
        lineages=("redis-py",),
        scores={"exit_options": ScoreFact(3.0, "ok", None, "3.", options)},
    )
    found = exit_options(given, {"linux-foundation": LF, "inria": INRIA})
    assert [(o.name, o.jurisdiction, o.marks, o.independent) for o in found] == [
        ("valkey-py", "foundation", ("foundation",), False),
        ("coredis", "public body", ("public body", "EU law"), True),
        ("x", "not known", (), True),
    ]
    assert (found[0].truck_factor, found[0].active_maintainers, found[1].truck_factor) == (2.0, 5.0, None)


def test_exposure_weights_by_criticality_and_leaves_the_unknown_out() -> None:
    def scored(criticality: float | None, truck: float, standard: float | None) -> dict[str, ScoreFact]:
        out = {"truck_factor": ScoreFact(truck, "ok", None, ".")}
        if criticality is not None:
            out["criticality"] = ScoreFact(criticality, "ok", None, ".")
        if standard is not None:
            out["standardisation"] = ScoreFact(standard, "ok", None, ".")
        return out

    given = {
        "pkg:pypi/a": facts(purl="pkg:pypi/a", name="a", steward=REDIS, repositories=(GH,),
                            scores=scored(0.8, 1, 1.0)),
        "pkg:pypi/b": facts(purl="pkg:pypi/b", name="b", steward=LF, scores=scored(0.2, 4, 3.0)),
        "pkg:pypi/c": facts(purl="pkg:pypi/c", name="c", scores=scored(None, 3, None)),
    }  # fmt: skip
    controls = {p: control_of(f, REF) for p, f in given.items()}
    result = exposure(given, controls, {})
    shares = {s.label: s for s in result.shares}
    single = shares["Controlled by a single company"]
    assert (single.share, single.packages, single.known_weight) == (0.8, 1, 1.0)
    assert shares["Code on a US-operated forge"].share == 1.0  # only a's forge is known; it is GitHub
    assert shares["Code on a US-operated forge"].known_weight == 0.8
    assert shares["Without an open standard"].share == 0.8
    assert shares["Without an independent implementation"].share is None
    assert "not known for any dependency" in shares["Without an independent implementation"].sentence()
    assert result.unweighted == 1 and result.total_weight == 1.0
    assert result.by_jurisdiction[0] == ("the United States", "company", 0.8, 1)
    first = result.actions[0]
    assert (first.name, first.kinds) == ("a", ("prepare an exit", "fund", "mirror"))
    assert first.reasons[1] == "truck factor 1, no funding channel known: contact its maintainers"


def test_how_grave_shows_the_risk_signals_when_collected_and_says_why_when_not() -> None:
    from analysis.sovereignty.explain import RISK_SIGNALS_SLOT, how_grave

    bare = [s.text for s in how_grave(facts()).sentences]
    assert bare[-1] == RISK_SIGNALS_SLOT and bare[0].startswith("Risk: not known")
    signals = {
        "vulnerabilities": ScoreFact(2.0, "ok", "high", "2 open advisories affect 1.2.0, the worst high."),
        "lifecycle": ScoreFact(None, "ok", "deprecated", "Deprecated on the registry."),
    }
    shown = [s.text for s in how_grave(facts(scores=signals)).sentences]
    assert shown[-2:] == [
        "Known vulnerabilities (highest severity): 2 (high). 2 open advisories affect 1.2.0, the worst high.",
        "Lifecycle: deprecated. Deprecated on the registry.",
    ]


def test_the_steward_hierarchy_and_the_exit_cost_are_shown() -> None:
    cncf = StewardFact("cncf", "Cloud Native Computing Foundation", "foundation", "US", "https://cncf.io/",
                       ultimate="The Linux Foundation")  # fmt: skip
    assert control_of(facts(steward=cncf), REF).controller.text == (
        "Cloud Native Computing Foundation (foundation, in the United States), part of The Linux Foundation, "
        "controls it, per the catalogue."
    )
    options = {
        "options": [
            {"purl_or_component": "pkg:pypi/valkey", "name": "valkey-py", "lineage": "redis-py",
             "steward": "linux-foundation", "control": "independent", "cost": "drop-in"},
            {"purl_or_component": "pkg:pypi/other", "name": "other", "lineage": "other",
             "steward": "redis-ltd", "control": "same control", "cost": "port"},
        ]
    }  # fmt: skip
    given = facts(lineages=("redis-py",), scores={"exit_options": ScoreFact(2.0, "ok", None, ".", options)})
    found = exit_options(given, {"linux-foundation": LF, "redis-ltd": REDIS})
    # The standards step's own verdict on control wins over the lineage when it is there.
    assert [(o.name, o.cost, o.independent) for o in found] == [
        ("valkey-py", "drop-in", True),
        ("other", "port", False),
    ]
