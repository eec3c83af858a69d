"""Who controls a dependency, where its code lives and is published, who holds its money: pure functions
from the facts the store holds and the reviewed reference data. Each fact carries its source and the harm it
bears on; what is not known says so and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from analysis.queries.sovereignty import DependencyFacts, StewardFact
from analysis.sovereignty.reference import EU_COUNTRIES, LicenceChange, Place, Reference

Harm = Literal["cut-off", "control"]

#: Below this share of the affiliated commits, no single organisation "dominates" a project.
DOMINANT_SHARE = 0.5

#: Country names for the codes the reference data and the catalogue use (ISO 3166-1 alpha-2).
COUNTRY_NAMES = {
    "US": "the United States", "DE": "Germany", "FR": "France", "BE": "Belgium", "GB": "the United Kingdom",
    "LU": "Luxembourg", "NL": "the Netherlands", "SE": "Sweden", "CH": "Switzerland", "CN": "China",
    "IT": "Italy", "ES": "Spain", "AT": "Austria", "FI": "Finland", "DK": "Denmark", "IE": "Ireland",
    "CA": "Canada", "JP": "Japan", "NO": "Norway", "PL": "Poland", "CZ": "Czechia", "PT": "Portugal",
    "AU": "Australia", "IL": "Israel", "IN": "India", "KR": "South Korea", "RU": "Russia", "BR": "Brazil",
}  # fmt: skip


def country_name(code: str | None) -> str:
    if code is None:
        return "a country not known"
    return COUNTRY_NAMES.get(code, code)


@dataclass(frozen=True)
class Fact:
    """One answer to "who": the entity, its kind and country (None: not known), the source, the harm."""

    topic: str  # controller | forge | registry | funding
    text: str  # one sentence a finance person can read
    entity: str | None
    kind: str | None
    country: str | None
    source: str | None
    harm: Harm

    @property
    def known(self) -> bool:
        return self.entity is not None


@dataclass(frozen=True)
class Control:
    purl: str
    controller: Fact
    forge: Fact
    registry: Fact
    funding: tuple[Fact, ...]
    licence_changes: tuple[LicenceChange, ...]

    @property
    def single_company(self) -> bool:
        return self.controller.kind == "company"

    @property
    def us_operated(self) -> bool:
        """Whether its forge or its registry is operated from the US (where the CLOUD Act reaches)."""
        return "US" in (self.forge.country, self.registry.country)

    def cut_off(self) -> tuple[tuple[str, str | None], ...]:
        """The ways this dependency could be cut off, as (sentence, source): its forge, its registry, and a
        company or a person in control who can withdraw or relicense."""
        out = [(f.text, f.source) for f in (self.forge, self.registry)]
        if self.controller.known and self.controller.kind in ("company", "individual"):
            text = (
                f"{self.controller.entity} can withdraw or relicense future releases; mirrors of the code and "
                "an independent implementation are what keep the organisation running if it does."
            )
            out.append((text, self.controller.source))
        return tuple(out)

    def control(self) -> tuple[str, ...]:
        """Who decides the roadmap and the licence, and what such control has done elsewhere."""
        out = [self.controller.text]
        for change in self.licence_changes:
            fork = (
                f"; the fork {change.fork} continues under {change.fork_steward} ({change.fork_source})"
                if change.fork
                else ""
            )
            out.append(
                f"{change.company} moved {change.project} from {change.from_licence} to {change.to_licence} on "
                f"{change.date:%Y-%m-%d} ({change.source}){fork}."
            )
        return tuple(out)


def _operated(role: str, place: Place | None, lead: str, why_unknown: str) -> Fact:
    """``lead`` opens the sentence ("Its code lives on github.com"); the operator or why it is not known
    follows."""
    harm: Harm = "cut-off"
    if place is None:
        text = f"{lead}; who operates it is not known: {why_unknown}."
        return Fact(role, text, None, None, None, None, harm)
    operator = place.operator
    parent = f", controlled by {operator.parent}" if operator.parent else ""
    where = country_name(operator.country)
    law = " (US law, including the CLOUD Act, applies to it)" if operator.country == "US" else ""
    text = f"{lead}, operated by {operator.name}{parent}, in {where}{law}."
    return Fact(role, text, operator.name, operator.kind, operator.country, place.source, harm)


def forge_of(facts: DependencyFacts, reference: Reference) -> Fact:
    if not facts.repositories:
        return Fact(
            "forge", "Where its code lives is not known: no repository URL is known for this package.",
            None, None, None, None, "cut-off",
        )  # fmt: skip
    repository = facts.repositories[0]
    host = repository.host or urlsplit(repository.url).hostname or repository.url
    place = reference.place("forge", host)
    why = f"{host} is not in data/sovereignty/operators.toml (self-hosted, or not reviewed yet)"
    return _operated("forge", place, f"Its code lives on {host}", why)


def registry_of(facts: DependencyFacts, reference: Reference) -> Fact:
    place = reference.place("registry", facts.ecosystem)
    why = f"the {facts.ecosystem} registry is not in data/sovereignty/operators.toml"
    return _operated("registry", place, f"It is published on the {facts.ecosystem} registry", why)


def funding_of(facts: DependencyFacts, reference: Reference) -> tuple[Fact, ...]:
    out = []
    for platform in sorted({p for p, _ in facts.funding}):
        place = reference.place("funding", platform)
        why = f"the {platform} platform is not in data/sovereignty/operators.toml"
        fact = _operated("funding", place, f"Its {platform} channel", why)
        if platform == "open-collective":
            # The platform is one company; the money is held by the collective's fiscal host, which differs
            # per collective (Open Source Collective, Open Collective Europe...) and is not collected yet.
            text = (
                fact.text + " The fiscal host that holds its money is not known: socle does not read it yet."
            )
            fact = Fact(fact.topic, text, fact.entity, fact.kind, fact.country, fact.source, fact.harm)
        out.append(fact)
    return tuple(out)


def controller_of(facts: DependencyFacts, reference: Reference) -> Fact:
    """The catalogue's steward; else the organisation that dominates the commits; else not known, with why."""
    steward: StewardFact | None = facts.steward
    if steward is not None:
        where = f"in {country_name(steward.country)}" if steward.country else "in a country not known"
        part = f", part of {steward.ultimate}," if steward.ultimate else ""
        text = f"{steward.name} ({steward.kind}, {where}){part} controls it, per the catalogue."
        return Fact(
            "controller", text, steward.name, steward.kind, steward.country, steward.source, "control"
        )
    top = facts.top_organisation
    if top is not None and top.share >= DOMINANT_SHARE:
        organisation = reference.organisation(top.name)
        if organisation is not None:
            text = (
                f"{organisation.legal_entity} ({organisation.kind}, in {country_name(organisation.country)}) "
                f"made {top.share:.0%} of the non-bot commits ({top.commits} of {top.human_commits}), so it "
                "steers the project."
            )
            return Fact(
                "controller", text, organisation.legal_entity, organisation.kind, organisation.country,
                organisation.source, "control",
            )  # fmt: skip
        text = (
            f"{top.name} (from commit e-mail domains) made {top.share:.0%} of the non-bot commits "
            f"({top.commits} of {top.human_commits}); its legal entity and country are not known: it is not "
            "in data/sovereignty/organisations.toml."
        )
        return Fact("controller", text, top.name, "company", None, None, "control")
    if top is not None:
        why = f"no organisation dominates its commits (the largest, {top.name}, made {top.share:.0%})"
    elif facts.repositories:
        why = "its repository's commits were not mined or carry no organisation's e-mail domain"
    else:
        why = "the catalogue does not list it and no repository is known to read its commits from"
    return Fact("controller", f"Who controls it is not known: {why}.", None, None, None, None, "control")


def control_of(facts: DependencyFacts, reference: Reference) -> Control:
    steward_id = facts.steward.id if facts.steward else None
    return Control(
        purl=facts.purl,
        controller=controller_of(facts, reference),
        forge=forge_of(facts, reference),
        registry=registry_of(facts, reference),
        funding=funding_of(facts, reference),
        licence_changes=reference.changes_by(steward_id, facts.purl),
    )


# ------------------------------------------------------------------------------------------ exit options


@dataclass(frozen=True)
class ExitOption:
    """Another implementation of the same interface, with who stewards it, under which law, and its health."""

    subject: str
    name: str
    steward: str | None
    jurisdiction: str  # foundation | public body | EU law | company | community | individual | not known
    country: str | None
    truck_factor: float | None
    active_maintainers: float | None
    independent: bool  # independent control and code (not the same controller, a fork or a binding)
    cost: str | None = None  # drop-in | port | rewrite (analysis.standards), where the catalogue says

    @property
    def marks(self) -> tuple[str, ...]:
        """The marks an architect looks for: stewarded by a foundation or a public body, or under EU law."""
        out = []
        if self.jurisdiction in ("foundation", "public body"):
            out.append(self.jurisdiction)
        if self.country in EU_COUNTRIES:
            out.append("EU law")
        return tuple(out)


def exit_options(facts: DependencyFacts, stewards: Mapping[str, StewardFact]) -> tuple[ExitOption, ...]:
    """The ``exit_options`` score's options (analysis.standards), each marked with its steward's jurisdiction."""
    score = facts.score("exit_options")
    if score is None:
        return ()
    out = []
    for option in score.details.get("options", []):
        steward = stewards.get(str(option.get("steward")))
        kind = steward.kind.replace("-", " ") if steward else "not known"
        concentration = option.get("concentration") or {}
        tf = option.get("truck_factor")
        active = concentration.get("active_maintainers")
        out.append(
            ExitOption(
                subject=str(option.get("purl_or_component")),
                name=str(option.get("name") or option.get("purl_or_component")),
                steward=steward.name if steward else None,
                jurisdiction=kind,
                country=steward.country if steward else None,
                truck_factor=float(tf) if tf is not None else None,
                active_maintainers=float(active) if active is not None else None,
                # The standards step says whether an exit is under independent control; older scores only
                # give the lineage, and another lineage is then the best sign of independence there is.
                independent=option["control"] == "independent"
                if "control" in option
                else str(option.get("lineage")) not in facts.lineages,
                cost=str(option["cost"]) if option.get("cost") else None,
            )
        )
    return tuple(out)
