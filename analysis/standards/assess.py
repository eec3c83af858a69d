"""From the catalogue and the organisation's packages to score rows: scope, weights, then the pure scores.

Subjects: a package (``subject_kind='package'``, its purl) gets the four scores of the interface it
implements (of the most fragile one when the catalogue lists several); an interface gets them too
(``subject_kind='interface'``; subject = the interface id for a ``global`` scope, ``id@ecosystem`` for an
``ecosystem`` scope, since only same-language libraries substitute). Every application of an ecosystem
depends on its language runtime (``python-language`` for PyPI, ``ecmascript`` for npm), scored as an
interface with no current implementation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.score import Score
from analysis.standards import scores
from analysis.standards.model import (
    DEFAULT_CONTROL_LEVEL,
    RUNTIME_INTERFACES,
    Catalogue,
    Implementation,
    Interface,
)

SCORE_NAMES = ("standardisation", "implementation_diversity", "fragility", "exit_options")


@dataclass(frozen=True)
class Assessment:
    interface: str
    subject_in_scope: str  # the interface subject: id or id@ecosystem
    standardisation: Score
    diversity: Score
    fragility: Score
    exit_options: Score

    def scores(self) -> tuple[Score, ...]:
        return (self.standardisation, self.diversity, self.fragility, self.exit_options)


def interface_subject(interface: Interface, ecosystem: str) -> str:
    return interface.id if interface.scope == "global" else f"{interface.id}@{ecosystem}"


def in_scope(catalogue: Catalogue, interface: Interface, ecosystem: str) -> list[Implementation]:
    impls = catalogue.implementations_of(interface.id)
    if interface.scope == "ecosystem":
        impls = [i for i in impls if i.ecosystem == ecosystem]
    return sorted(impls, key=lambda i: i.subject)


def assess(
    catalogue: Catalogue,
    interface_id: str,
    ecosystem: str,
    current: str,
    *,
    usage: Mapping[str, int],
    concentration: Mapping[str, Mapping[str, float | None]],
    as_of_year: int,
    cache: dict[str, _Scope] | None = None,
    control_level: str = DEFAULT_CONTROL_LEVEL,
) -> Assessment:
    """The four scores of one interface, in the scope seen from ``ecosystem``, for the ``current`` subject.

    ``cache`` keeps the scope's implementations and its first three scores across packages of one run;
    ``control_level`` says how high up the steward hierarchy independent control is counted.
    """
    interface = catalogue.interfaces[interface_id]
    subject = interface_subject(interface, ecosystem)
    scope = (cache or {}).get(subject)
    if scope is None:
        facts = [
            implementation_facts(catalogue, i, usage.get(i.subject, 0), control_level)
            for i in in_scope(catalogue, interface, ecosystem)
        ]
        standards = [
            scores.StandardFacts(s.id, s.openness, s.access, s.status, s.year, s.superseded_by)
            for s in (catalogue.standards[sid] for sid in interface.standards if sid in catalogue.standards)
        ]
        s_score = scores.standardisation(interface_id, interface.kind, standards, as_of_year=as_of_year)
        d_score = scores.implementation_diversity(interface_id, facts, control_level=control_level)
        scope = _Scope(facts, s_score, d_score, scores.fragility(interface_id, s_score, d_score))
        if cache is not None:
            cache[subject] = scope
    return Assessment(
        interface=interface_id,
        subject_in_scope=subject,
        standardisation=scope.standardisation,
        diversity=scope.diversity,
        fragility=scope.fragility,
        exit_options=scores.exit_options(
            interface_id,
            current,
            scope.facts,
            concentration,
            interface_kind=interface.kind,
            standards=interface.standards,
        ),
    )


def implementation_facts(
    catalogue: Catalogue, impl: Implementation, usage: int, control_level: str = DEFAULT_CONTROL_LEVEL
) -> scores.ImplementationFacts:
    """The facts the pure scores read, with the steward and licensor resolved to who controls them."""
    return scores.ImplementationFacts(
        subject=impl.subject,
        name=impl.name,
        lineage=impl.lineage,
        steward=impl.steward,
        conformance=impl.conformance,
        usage=usage,
        control=catalogue.controller(impl.steward, control_level),
        licensor_control=catalogue.controller(impl.licensor, control_level) if impl.licensor else None,
        depends_on=impl.depends_on,
        drop_in_for=impl.drop_in_for,
        drop_in_evidence=impl.drop_in_evidence,
        conformance_note=impl.conformance_note,
        evidence=impl.evidence,
    )


@dataclass(frozen=True)
class _Scope:
    facts: list[scores.ImplementationFacts]
    standardisation: Score
    diversity: Score
    fragility: Score


def _fragility_rank(assessment: Assessment) -> tuple[float, str]:
    value = assessment.fragility.value
    return (value if value is not None else 3.0, assessment.interface)


def score_rows(
    catalogue: Catalogue,
    packages: Sequence[tuple[str, str]],
    *,
    usage: Mapping[str, int],
    concentration: Mapping[str, Mapping[str, float | None]],
    as_of_year: int,
    control_level: str = DEFAULT_CONTROL_LEVEL,
) -> list[dict[str, Any]]:
    """Rows for ``write_scores``: every classified package, every interface in use, every runtime."""
    rows: list[dict[str, Any]] = []
    interface_rows: dict[str, Assessment] = {}
    cache: dict[str, _Scope] = {}
    # Usage and maintainer scores are keyed by stored purls; an operating-system package's catalogue subject
    # has no distro qualifier (one entry for every release), so both are folded onto the subject.
    subject_usage: dict[str, int] = {}
    for purl, count in usage.items():
        subject = catalogue.subject_of(purl)
        subject_usage[subject] = subject_usage.get(subject, 0) + count
    usage = subject_usage
    concentration = {catalogue.subject_of(purl): found for purl, found in concentration.items()}
    ecosystems = sorted({ecosystem for _purl, ecosystem in packages})
    for purl, ecosystem in sorted(packages):
        interfaces = sorted({impl.interface for impl in catalogue.interfaces_of(purl)})
        if not interfaces:
            continue
        found = [
            assess(
                catalogue,
                iid,
                ecosystem,
                catalogue.subject_of(purl),
                usage=usage,
                concentration=concentration,
                as_of_year=as_of_year,
                cache=cache,
                control_level=control_level,
            )
            for iid in interfaces
        ]
        worst = min(found, key=_fragility_rank)
        for score in worst.scores():
            row = score.row("package", purl)
            row["details"] = {**row["details"], "interface": worst.interface, "interfaces": interfaces}
            rows.append(row)
        for assessment in found:
            interface_rows.setdefault(assessment.subject_in_scope, assessment)
    for ecosystem in ecosystems:
        runtime = RUNTIME_INTERFACES.get(ecosystem)
        if runtime and runtime in catalogue.interfaces:
            assessment = assess(
                catalogue,
                runtime,
                ecosystem,
                "",
                usage=usage,
                concentration=concentration,
                as_of_year=as_of_year,
                cache=cache,
                control_level=control_level,
            )
            interface_rows.setdefault(assessment.subject_in_scope, assessment)
    for subject, assessment in sorted(interface_rows.items()):
        # seen from the interface, every implementation in scope is an exit option
        options = assess(
            catalogue,
            assessment.interface,
            subject.partition("@")[2] or "",
            "",
            usage=usage,
            concentration=concentration,
            as_of_year=as_of_year,
            cache=cache,
            control_level=control_level,
        ).exit_options
        for score in (*assessment.scores()[:3], options):
            rows.append(score.row("interface", subject))
    return rows
