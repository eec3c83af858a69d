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

from analysis.score import Score, Status

VERSION = "1"
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


@dataclass(frozen=True)
class ImplementationFacts:
    """An implementation in the substitution scope; ``usage`` = the organisation's applications using it."""

    subject: str
    name: str
    lineage: str
    steward: str
    conformance: str = "unknown"  # true | false | unknown
    usage: int = 0


# ------------------------------------------------------------------------------------------ standardisation


def adjusted_openness(
    standard: StandardFacts, *, interface_kind: str, as_of_year: int
) -> tuple[int, list[str]]:
    """Openness lowered by one for a paywalled text and by one for a stale standard (never below 0)."""
    value, why = standard.openness, list[str]()
    if standard.access == "paywalled":
        value, why = value - 1, [*why, "paywalled"]
    stale_by_age = (
        interface_kind == "language"
        and standard.year is not None
        and as_of_year - standard.year > STALE_LANGUAGE_YEARS
    )
    if standard.status.lower() in STALE_STATUSES or stale_by_age:
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


def _weights(implementations: Sequence[ImplementationFacts]) -> tuple[dict[str, float], str]:
    """Weights by subject: the organisation's usage where it uses several implementations of independent
    lineages, else equal weights per lineage (shared among a lineage's members, so eleven builds of four
    compilers weigh as four lineages, not eleven). Using react and react-dom (one lineage) is using one
    implementation: the interface's own diversity then counts, not a 100% share of it."""
    used = [i for i in implementations if i.usage > 0]
    if len({i.lineage for i in used}) >= 2:
        total = sum(i.usage for i in used)
        return {i.subject: i.usage / total for i in used}, "usage"
    members: dict[str, int] = {}
    for impl in implementations:
        members[impl.lineage] = members.get(impl.lineage, 0) + 1
    lineages = len(members)
    return {i.subject: 1 / lineages / members[i.lineage] for i in implementations}, "equal"


def _group_shares(
    implementations: Sequence[ImplementationFacts], weights: Mapping[str, float], key: str
) -> dict[str, float]:
    shares: dict[str, float] = {}
    for impl in implementations:
        weight = weights.get(impl.subject, 0.0)
        if weight > 0:
            group = getattr(impl, key)
            shares[group] = shares.get(group, 0.0) + weight
    return shares


def implementation_diversity(interface_id: str, implementations: Sequence[ImplementationFacts]) -> Score:
    """N2 over lineages and over stewards, keeping the smaller; top share and k66 of the kept grouping.

    Implementations known not to conform are left out; conformant and unknown ones count.
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
    weights, weighting = _weights(eligible)
    by_lineage = _group_shares(eligible, weights, "lineage")
    by_steward = _group_shares(eligible, weights, "steward")
    n2_lineages, n2_stewards = (
        effective_number(list(by_lineage.values())),
        effective_number(list(by_steward.values())),
    )
    kept, shares = ("lineages", by_lineage) if n2_lineages <= n2_stewards else ("stewards", by_steward)
    n2 = min(n2_lineages, n2_stewards)
    top_group, top_share = max(shares.items(), key=lambda item: (item[1], item[0]))
    k66 = k_reaching(list(shares.values()))
    lineages = len({i.lineage for i in eligible})
    stewards = len({i.steward for i in eligible})
    if weighting == "usage":
        basis = f"by the organisation's usage, {top_group} holds {top_share:.0%}"
    elif top_share >= SUPERMAJORITY:
        basis = f"{top_group} holds {top_share:.0%} with equal weights per lineage"
    else:
        basis = "equal weights per lineage"
    reason = (
        f"{interface_id}: {lineages} independent lineage(s) and {stewards} steward(s); effective number "
        f"{n2:.2g} by {kept} ({basis})."
    )
    details = {
        "interface": interface_id,
        "lineages": lineages,
        "stewards": stewards,
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


def exit_options(
    interface_id: str,
    current: str,
    implementations: Sequence[ImplementationFacts],
    concentration: Mapping[str, Mapping[str, float | None]],
) -> Score:
    """The other (conforming or unknown) implementations in scope, other lineages first, each with its
    maintainer-concentration scores where known (``concentration``: subject -> {score name: value})."""
    name = "exit_options"
    here = next((i for i in implementations if i.subject == current), None)
    others = [i for i in implementations if i.subject != current and i.conformance != "false"]
    others.sort(key=lambda i: (here is not None and i.lineage == here.lineage, -i.usage, i.name))
    options = [
        {
            "purl_or_component": i.subject,
            "name": i.name,
            "lineage": i.lineage,
            "steward": i.steward,
            "truck_factor": concentration.get(i.subject, {}).get("truck_factor"),
            "concentration": dict(concentration.get(i.subject, {})),
        }
        for i in others
    ]
    independent = sum(1 for i in others if here is None or i.lineage != here.lineage)
    if not options:
        reason = f"No other implementation of {interface_id} is listed in scope: there is nowhere to move."
    else:
        names = ", ".join(str(o["name"]) for o in options[:3])
        reason = f"{len(options)} other implementation(s) of {interface_id} ({independent} of another lineage), e.g. {names}."
    details = {"interface": interface_id, "independent": independent, "options": options}
    return Score(name, VERSION, float(len(options)), Status.OK, reason, details=details)
