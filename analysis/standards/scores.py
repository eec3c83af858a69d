"""Standardisation, implementation diversity, fragility class and exit options: pure functions.

The principle (IETF RFC 2026 section 4.1.2; W3C Process, Candidate Recommendation exit criteria): depending
on an interface is safe when an open standard governs it and several independent implementations exist,
and fragile when one actor controls it. Concentration is measured as in antitrust and political science:
HHI = sum of squared shares, effective number N2 = 1/HHI (Laakso-Taagepera, inverse Simpson index;
https://en.wikipedia.org/wiki/Effective_number_of_parties), and k66, the smallest number of groups that
reach two thirds of usage (the "supermajority" line used for client diversity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.score import Score, Status

VERSION = "2"  # 2: stewards grouped by control level; exits ranked by cost and independence
#: A language standard older than this (in years) lags the language its implementations accept.
STALE_LANGUAGE_YEARS = 10
#: Statuses that mark a standard as no longer current, whatever its kind.
STALE_STATUSES = frozenset({"withdrawn", "superseded", "obsolete", "historic", "stale"})
SUPERMAJORITY = 2 / 3
FRAGILITY_VALUES = {"commons-grade": 2.0, "vigilance": 1.0, "single-actor": 0.0}


@dataclass(frozen=True)
class StandardFacts:
    id: str
    openness: int
    access: str  # free | paywalled
    status: str = ""
    year: int | None = None
    superseded_by: str | None = None  # a newer edition known to the catalogue


@dataclass(frozen=True)
class ImplementationFacts:
    """An implementation in the substitution scope; ``usage`` = the organisation's applications using it.

    ``control`` is who controls the steward at the organisation's chosen level (its ultimate parent by
    default; empty = the steward itself); ``licensor_control`` the same for the company selling its
    licence, if any. ``depends_on`` and ``drop_in_for`` are subjects (purls or components).
    """

    subject: str
    name: str
    lineage: str
    steward: str
    conformance: str = "unknown"  # true | false | unknown
    usage: int = 0
    control: str = ""
    licensor_control: str | None = None
    depends_on: tuple[str, ...] = ()
    drop_in_for: tuple[str, ...] = ()
    drop_in_evidence: str | None = None
    conformance_note: str | None = None
    evidence: str = ""

    @property
    def controller(self) -> str:
        return self.control or self.steward

    @property
    def controllers(self) -> frozenset[str]:
        """Everyone with control: the steward's controller and the licensor's."""
        found = {self.controller}
        if self.licensor_control:
            found.add(self.licensor_control)
        return frozenset(found)


#: How the stewards were grouped, for the reasons (see ``model.CONTROL_LEVELS``).
CONTROL_LEVEL_WORDS = {
    "ultimate": "stewards grouped by their ultimate parent organisation",
    "parent": "stewards grouped by their parent organisation",
    "steward": "stewards counted as named, parents ignored",
}


# ------------------------------------------------------------------------------------------ standardisation


def adjusted_openness(
    standard: StandardFacts, *, interface_kind: str, as_of_year: int
) -> tuple[int, list[str]]:
    """Openness lowered by one for a paywalled text and by one for a stale standard: withdrawn,
    superseded (a newer edition is known), or a language standard older than ``STALE_LANGUAGE_YEARS``
    (never below 0)."""
    value, why = standard.openness, list[str]()
    if standard.access == "paywalled":
        value, why = value - 1, [*why, "paywalled"]
    stale_by_age = (
        interface_kind == "language"
        and standard.year is not None
        and as_of_year - standard.year > STALE_LANGUAGE_YEARS
    )
    if standard.status.lower() in STALE_STATUSES or stale_by_age or standard.superseded_by:
        value, why = value - 1, [*why, "stale"]
    return max(value, 0), why


def standardisation(
    interface_id: str, interface_kind: str, standards: Sequence[StandardFacts], *, as_of_year: int
) -> Score:
    """S = the highest adjusted openness among the interface's standards (0 when it has none)."""
    name = "standardisation"
    if not standards:
        return Score(
            name,
            VERSION,
            0.0,
            Status.OK,
            f"{interface_id} follows no published standard.",
            details={"interface": interface_id, "standards": []},
        )
    graded = [
        (adjusted_openness(s, interface_kind=interface_kind, as_of_year=as_of_year), s) for s in standards
    ]
    (value, why), best = max(graded, key=lambda item: (item[0][0], item[1].openness, item[1].id))
    adjustment = f" (openness {best.openness}, lowered: {', '.join(why)})" if why else ""
    reason = f"{interface_id} follows {best.id}, graded {value} of 3{adjustment}."
    details = {
        "interface": interface_id,
        "best": best.id,
        "openness": best.openness,
        "adjustments": why,
        "standards": [s.id for s in standards],
    }
    return Score(name, VERSION, float(value), Status.OK, reason, details=details)


# ------------------------------------------------------------------------------------------ diversity


def effective_number(shares: Sequence[float]) -> float:
    """N2 = 1 / HHI, with HHI = sum of squared shares (the shares sum to 1)."""
    hhi = sum(p * p for p in shares)
    return 1.0 / hhi


def k_reaching(shares: Sequence[float], threshold: float = SUPERMAJORITY) -> int:
    """The smallest number of groups whose shares reach ``threshold``."""
    total, count = 0.0, 0
    for share in sorted(shares, reverse=True):
        total += share
        count += 1
        if total >= threshold - 1e-9:
            break
    return count


def effective_lineages(implementations: Sequence[ImplementationFacts]) -> dict[str, str]:
    """Subject -> lineage, where an implementation that depends on another one in scope joins that one's
    lineage (a linter built on another linter falls with it): it is not an independent implementation."""
    by_subject = {i.subject: i for i in implementations}

    def resolve(impl: ImplementationFacts, seen: frozenset[str]) -> str:
        for dependency in impl.depends_on:
            target = by_subject.get(dependency)
            if target is not None and dependency not in seen:
                return resolve(target, seen | {dependency})
        return impl.lineage

    return {i.subject: resolve(i, frozenset({i.subject})) for i in implementations}


def _weights(
    implementations: Sequence[ImplementationFacts], lineage_of: Mapping[str, str]
) -> tuple[dict[str, float], str]:
    """Weights by subject: the organisation's usage where it uses several implementations of independent
    lineages, else equal weights per lineage (shared among a lineage's members, so eleven builds of four
    compilers weigh as four lineages, not eleven). Using react and react-dom (one lineage) is using one
    implementation: the interface's own diversity then counts, not a 100% share of it."""
    used = [i for i in implementations if i.usage > 0]
    if len({lineage_of[i.subject] for i in used}) >= 2:
        total = sum(i.usage for i in used)
        return {i.subject: i.usage / total for i in used}, "usage"
    members: dict[str, int] = {}
    for impl in implementations:
        members[lineage_of[impl.subject]] = members.get(lineage_of[impl.subject], 0) + 1
    lineages = len(members)
    return {i.subject: 1 / lineages / members[lineage_of[i.subject]] for i in implementations}, "equal"


def _group_shares(
    implementations: Sequence[ImplementationFacts],
    weights: Mapping[str, float],
    group_of: Mapping[str, str],
) -> dict[str, float]:
    shares: dict[str, float] = {}
    for impl in implementations:
        weight = weights.get(impl.subject, 0.0)
        if weight > 0:
            group = group_of[impl.subject]
            shares[group] = shares.get(group, 0.0) + weight
    return shares


def implementation_diversity(
    interface_id: str,
    implementations: Sequence[ImplementationFacts],
    *,
    control_level: str = "ultimate",
) -> Score:
    """N2 over lineages and over independent controllers, keeping the smaller; top share and k66 of the
    kept grouping.

    Stewards are grouped by who controls them at ``control_level`` (``ImplementationFacts.control``): CNCF
    and OpenJS projects count as the Linux Foundation's by default. An implementation that depends on
    another one in scope shares its lineage. Implementations known not to conform are left out; conformant
    and unknown ones count.
    """
    name = "implementation_diversity"
    eligible = [i for i in implementations if i.conformance != "false"]
    if not eligible:
        return Score.inconclusive(
            name,
            VERSION,
            f"The catalogue lists no conforming implementation of {interface_id}.",
            interface=interface_id,
        )
    lineage_of = effective_lineages(eligible)
    weights, weighting = _weights(eligible, lineage_of)
    by_lineage = _group_shares(eligible, weights, lineage_of)
    by_steward = _group_shares(eligible, weights, {i.subject: i.controller for i in eligible})
    n2_lineages, n2_stewards = (
        effective_number(list(by_lineage.values())),
        effective_number(list(by_steward.values())),
    )
    kept, shares = ("lineages", by_lineage) if n2_lineages <= n2_stewards else ("stewards", by_steward)
    n2 = min(n2_lineages, n2_stewards)
    top_group, top_share = max(shares.items(), key=lambda item: (item[1], item[0]))
    k66 = k_reaching(list(shares.values()))
    lineages = len(set(lineage_of.values()))
    controllers = len({i.controller for i in eligible})
    named = len({i.steward for i in eligible})
    if weighting == "usage":
        basis = f"by the organisation's usage, {top_group} holds {top_share:.0%}"
    elif top_share >= SUPERMAJORITY:
        basis = f"{top_group} holds {top_share:.0%} with equal weights per lineage"
    else:
        basis = "equal weights per lineage"
    grouped = f" ({named} as named)" if named != controllers else ""
    reason = (
        f"{interface_id}: {lineages} independent lineage(s) and {controllers} independent steward(s)"
        f"{grouped}, {CONTROL_LEVEL_WORDS.get(control_level, control_level)}; effective number "
        f"{n2:.2g} by {kept} ({basis})."
    )
    details = {
        "interface": interface_id,
        "lineages": lineages,
        "stewards": controllers,
        "stewards_named": named,
        "control_level": control_level,
        "implementations": len(eligible),
        "n2_lineages": round(n2_lineages, 4),
        "n2_stewards": round(n2_stewards, 4),
        "kept": kept,
        "top": top_group,
        "top_share": round(top_share, 4),
        "k66": k66,
        "weighting": weighting,
    }
    return Score(name, VERSION, round(n2, 4), Status.OK, reason, details=details)


# ------------------------------------------------------------------------------------------ fragility


def fragility(interface_id: str, standardisation_score: Score, diversity_score: Score) -> Score:
    """commons-grade: S >= 2, N2 >= 3 and top share < 2/3; single-actor: S <= 1 and N2 of stewards < 1.5;
    vigilance otherwise (a standard but little diversity, or diversity but no standard)."""
    name = "fragility"
    s, n2 = standardisation_score.value, diversity_score.value
    if s is None or n2 is None:
        return Score.inconclusive(
            name, VERSION, f"{interface_id}: standardisation or diversity is unknown.", interface=interface_id
        )
    top = float(diversity_score.details["top_share"])
    n2_stewards = float(diversity_score.details["n2_stewards"])
    details = {
        "interface": interface_id,
        "standardisation": s,
        "n2": n2,
        "n2_stewards": n2_stewards,
        "top_share": top,
    }
    if s >= 2 and n2 >= 3 and top < SUPERMAJORITY:
        label = "commons-grade"
        reason = f"{interface_id} follows an open standard (S={s:g}) with {n2:.2g} effective independent implementations."
    elif s <= 1 and n2_stewards < 1.5:
        label = "single-actor"
        reason = f"{interface_id} has no open standard (S={s:g}) and one actor controls its implementations."
    else:
        label = "vigilance"
        if s >= 2:
            reason = f"{interface_id} follows an open standard (S={s:g}) but its implementations are concentrated (N2={n2:.2g}, top {top:.0%})."
        else:
            reason = (
                f"{interface_id} has several implementations (N2={n2:.2g}) but no open standard (S={s:g})."
            )
    return Score(name, VERSION, FRAGILITY_VALUES[label], Status.OK, reason, label=label, details=details)


# ------------------------------------------------------------------------------------------ exit options


#: Exit cost classes, cheapest first (see ``exit_cost``).
EXIT_COSTS = ("drop-in", "port", "rewrite")
#: How independent an exit is from the package left, most independent first.
EXIT_CONTROL = ("independent", "same control", "same lineage", "depends on it")
#: Interface kinds where every implementation follows the same language, format or protocol: moving
#: between them changes code at the edges, even without a formal standard (CPython -> PyPy).
_SHARED_CONTRACT_KINDS = frozenset({"protocol", "format", "language"})


def exit_cost(
    current: ImplementationFacts | None,
    option: ImplementationFacts,
    *,
    interface_id: str,
    interface_kind: str,
    standards: Sequence[str],
) -> tuple[str, str]:
    """(cost class, evidence): **drop-in** when the option offers the current package's API (a compat
    layer, with its evidence); **port** when both follow the same standard, protocol, format or language
    (code changes at the edges); **rewrite** otherwise (same job, different model)."""
    if current is not None and current.subject in option.drop_in_for:
        return "drop-in", option.drop_in_evidence or option.evidence
    if standards:
        return "port", f"both implement {', '.join(standards[:3])}"
    if interface_kind in _SHARED_CONTRACT_KINDS:
        return "port", f"both implement the {interface_id} {interface_kind}"
    return "rewrite", f"{interface_id} has no shared standard or API: same job, different model"


def exit_control(
    current: ImplementationFacts | None, option: ImplementationFacts, lineage_of: Mapping[str, str]
) -> str:
    """How independent ``option`` is of ``current``: one of ``EXIT_CONTROL``."""
    if current is None:
        return "independent"
    if current.subject in option.depends_on:
        return "depends on it"
    if lineage_of.get(option.subject, option.lineage) == lineage_of.get(current.subject, current.lineage):
        return "same lineage"
    if option.controllers & current.controllers:
        return "same control"
    return "independent"


def _health_key(truck_factor: float | None) -> tuple[bool, float]:
    # a known truck factor ranks by its value (higher is healthier); unknown ones come after the known
    return (truck_factor is None, -(truck_factor or 0.0))


def exit_options(
    interface_id: str,
    current: str,
    implementations: Sequence[ImplementationFacts],
    concentration: Mapping[str, Mapping[str, float | None]],
    *,
    interface_kind: str = "api",
    standards: Sequence[str] = (),
) -> Score:
    """The other implementations in scope that are real exits, ranked by cost (drop-in, port, rewrite),
    then independence (``EXIT_CONTROL``), then health (truck factor), each with its evidence.

    Implementations known not to conform (decode without validating, only write, only parse replies) are
    not exits: they are listed apart in ``details["not_exits"]`` with the reason. An exit controlled by the
    same organisation (steward or licensor, at the chosen level) as the package left is "same control";
    one that depends on it is "depends on it"; neither counts as independent.
    ``concentration``: subject -> {score name: value}, the maintainer-concentration scores where known.
    """
    name = "exit_options"
    here = next((i for i in implementations if i.subject == current), None)
    lineage_of = effective_lineages(implementations)
    others = [i for i in implementations if i.subject != current]
    exits = [i for i in others if i.conformance != "false"]
    not_exits = [
        {"purl_or_component": i.subject, "name": i.name, "why": i.conformance_note or "known not to conform"}
        for i in others
        if i.conformance == "false"
    ]
    ranked: list[tuple[tuple[int, int, tuple[bool, float], int, str], dict[str, Any]]] = []
    for impl in exits:
        cost, cost_evidence = exit_cost(
            here, impl, interface_id=interface_id, interface_kind=interface_kind, standards=standards
        )
        control = exit_control(here, impl, lineage_of)
        truck_factor = concentration.get(impl.subject, {}).get("truck_factor")
        option = {
            "purl_or_component": impl.subject,
            "name": impl.name,
            "lineage": impl.lineage,
            "steward": impl.steward,
            "control": control,
            "controlled_by": sorted(impl.controllers),
            "cost": cost,
            "cost_evidence": cost_evidence,
            "truck_factor": truck_factor,
            "concentration": dict(concentration.get(impl.subject, {})),
            "usage": impl.usage,
        }
        key = (
            EXIT_COSTS.index(cost),
            EXIT_CONTROL.index(control),
            _health_key(truck_factor),
            -impl.usage,
            impl.name,
        )
        ranked.append((key, option))
    options = [option for _key, option in sorted(ranked, key=lambda item: item[0])]
    independent = sum(1 for o in options if o["control"] == "independent")
    if not options:
        reason = f"No other implementation of {interface_id} is listed in scope: there is nowhere to move."
    else:
        best = options[0]
        reason = (
            f"{len(options)} exit(s) from {here.name if here else interface_id} ({independent} independent); "
            f"cheapest: {best['name']} ({best['cost']}, {best['control']})."
        )
    if not_exits:
        reason += f" {len(not_exits)} listed implementation(s) do not conform and are not exits."
    details = {
        "interface": interface_id,
        "independent": independent,
        "options": options,
        "not_exits": not_exits,
    }
    return Score(name, VERSION, float(len(options)), Status.OK, reason, details=details)
