"""The organisation's exposure: how much of its critical dependency weight sits with single-company stewards,
on US-operated forges and registries, without an open standard or an independent implementation; by the
controller's country and kind of control; and the top actions (fund, mirror, prepare an exit).

Weight is each dependency's criticality score (0-1). A dependency whose criticality is not known weighs
nothing and is counted apart: unknown is not a fact, so it never moves a share up or down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from analysis.queries.sovereignty import DependencyFacts, StewardFact
from analysis.sovereignty.control import Control, country_name, exit_options

#: The scores the exposure reads (the facts of thousands of packages are read with these only).
SCORES = ("criticality", "truck_factor", "standardisation", "exit_options", "fragility")
#: standardisation >= 2: an open community specification or a standards body (analysis/standards).
OPEN_STANDARD = 2.0


@dataclass(frozen=True)
class Share:
    """Part of the critical weight that has a property, out of the weight where the property is known."""

    label: str
    weight: float
    known_weight: float
    total_weight: float
    packages: int

    @property
    def share(self) -> float | None:
        return self.weight / self.known_weight if self.known_weight else None

    def sentence(self) -> str:
        if self.share is None:
            return f"{self.label}: not known for any dependency."
        unknown = self.total_weight - self.known_weight
        note = (
            f" ({unknown / self.total_weight:.0%} of the weight is not known and is left out)"
            if self.total_weight and unknown > 1e-9
            else ""
        )
        return f"{self.label}: {self.share:.0%} of the critical weight, {self.packages} dependencies{note}."


@dataclass(frozen=True)
class Action:
    """What to do about one dependency: fund, mirror, prepare an exit (one or more), and why each."""

    purl: str
    name: str
    criticality: float
    kinds: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Exposure:
    dependencies: int
    total_weight: float
    unweighted: int  # dependencies whose criticality is not known
    shares: tuple[Share, ...]
    by_jurisdiction: tuple[tuple[str, str, float, int], ...]  # (country, kind of control, weight, packages)
    actions: tuple[Action, ...]


def _share(label: str, rows: Sequence[tuple[float, bool | None]]) -> Share:
    total = sum(w for w, _ in rows)
    known = [(w, v) for w, v in rows if v is not None]
    return Share(
        label,
        sum(w for w, v in known if v),
        sum(w for w, _ in known),
        total,
        sum(1 for _, v in known if v),
    )


def _action(
    facts: DependencyFacts, control: Control, stewards: Mapping[str, StewardFact], weight: float
) -> Action | None:
    kinds: list[str] = []
    reasons: list[str] = []
    fragility = facts.score("fragility")
    if control.single_company or (fragility is not None and fragility.label == "single-actor"):
        options = exit_options(facts, stewards)
        safer = [o for o in options if o.marks]
        where = (
            f"{len(options)} exit option(s), {len(safer)} stewarded by a foundation, a public body or under EU law"
            if options
            else "no exit option is listed in the catalogue"
        )
        kinds.append("prepare an exit")
        reasons.append(f"controlled by {control.controller.entity or 'a single actor'}; {where}")
    truck = facts.value("truck_factor")
    if truck is not None and truck <= 2:
        platforms = sorted({p for p, _ in facts.funding})
        channel = (
            f"through {', '.join(platforms)}"
            if platforms
            else "no funding channel known: contact its maintainers"
        )
        kinds.append("fund")
        reasons.append(f"truck factor {truck:.0f}, {channel}")
    if control.us_operated:
        kinds.append("mirror")
        reasons.append("forge or registry under US law: keep a mirror of its code and releases")
    if not kinds:
        return None
    return Action(facts.purl, facts.name, weight, tuple(kinds), tuple(reasons))


def _independent(facts: DependencyFacts, stewards: Mapping[str, StewardFact]) -> bool | None:
    """Whether another lineage implements its interface; None when the catalogue does not place it."""
    score = facts.score("exit_options")
    if score is None:
        return None
    if "independent" in score.details:
        return int(score.details["independent"]) > 0
    return any(o.independent for o in exit_options(facts, stewards))


def exposure(
    facts: Mapping[str, DependencyFacts],
    controls: Mapping[str, Control],
    stewards: Mapping[str, StewardFact],
    *,
    top: int = 10,
) -> Exposure:
    weights = {p: f.value("criticality") for p, f in facts.items()}
    rows = [(p, weights[p] or 0.0) for p in facts]
    single = [(w, controls[p].single_company if controls[p].controller.known else None) for p, w in rows]
    us_forge = [(w, controls[p].forge.country == "US" if controls[p].forge.known else None) for p, w in rows]
    us_registry = [
        (w, controls[p].registry.country == "US" if controls[p].registry.known else None) for p, w in rows
    ]
    no_standard = []
    no_independent = []
    for p, w in rows:
        s = facts[p].value("standardisation")
        no_standard.append((w, None if s is None else s < OPEN_STANDARD))
        independent = _independent(facts[p], stewards)
        no_independent.append((w, None if independent is None else not independent))
    shares = (
        _share("Controlled by a single company", single),
        _share("Code on a US-operated forge", us_forge),
        _share("Published on a US-operated registry", us_registry),
        _share("Without an open standard", no_standard),
        _share("Without an independent implementation", no_independent),
    )
    groups: dict[tuple[str, str], tuple[float, int]] = {}
    for p, w in rows:
        controller = controls[p].controller
        key = (
            country_name(controller.country) if controller.country else "not known",
            controller.kind or "not known",
        )
        weight, count = groups.get(key, (0.0, 0))
        groups[key] = (weight + w, count + 1)
    by_jurisdiction = tuple(
        sorted(
            ((c, k, round(w, 3), n) for (c, k), (w, n) in groups.items()), key=lambda r: (-r[2], r[0], r[1])
        )
    )
    actions = [a for p, w in rows if (a := _action(facts[p], controls[p], stewards, w)) is not None]
    # Most critical first; at equal weight, more kinds of action (exit before fund before mirror) first.
    actions.sort(key=lambda a: (-a.criticality, -len(a.kinds), a.name))
    return Exposure(
        dependencies=len(facts),
        total_weight=round(sum(w for _, w in rows), 3),
        unweighted=sum(1 for p in facts if weights[p] is None),
        shares=shares,
        by_jurisdiction=by_jurisdiction,
        actions=tuple(actions[:top]),
    )
