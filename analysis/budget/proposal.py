"""A budget proposal: eligible projects, a method's weights, the allocator, a channel and a rationale per line."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from pathlib import PurePath
from typing import Any

from analysis import criticality, risk
from analysis.budget import channels, eligibility, facts, methods, outreach
from analysis.budget.asks import allocate_within_asks, funding_ask
from analysis.budget.decide import decide, matches, package_name
from analysis.queries.budget import BudgetData
from collectors.gcpause import gc_paused

__all__ = ["Line", "Options", "Outreach", "Proposal", "package_name", "propose"]

PLEDGE_PER_DEVELOPER = 2000  # Open Source Pledge: at least $2,000 per full-time developer per year

#: The smallest grant by default, in the proposal's currency. Funders set minimums because each payment
#: costs money and time: ecosyste.ms Funds drops projects under $50, thanks.dev pays at least $10 a month
#: ($120 a year), FLOSS/fund grants start at $10,000. A public buyer's payment (a purchase order, an invoice
#: to book, a transfer) costs tens of euros of staff time, so a yearly grant under 1,000 spends more than a
#: tenth of its value on paperwork; and 1,000 keeps a 20,000 budget to at most 20 lines a person can check.
DEFAULT_FLOOR = 1000
#: What happens to the share of eligible projects without a funding channel (the outreach list).
UNREACHABLE = ("redistribute", "reserve")


def default_floor(total: int) -> int:
    """``DEFAULT_FLOOR``, or the whole total when it is smaller (one line then takes it all)."""
    return min(DEFAULT_FLOOR, total)


@dataclass(frozen=True)
class Options:
    total: int
    currency: str
    weights: risk.RiskWeights
    now: datetime  # ages are measured from here (the store's data as-of, so results are reproducible)
    created_at: datetime | None = None  # when the proposal is made (default: ``now``)
    method: str = "need"
    floor: int = 0
    cap: float | None = None  # fraction of the total per line
    exclude: frozenset[str] = frozenset()
    boost: Mapping[str, float] = field(default_factory=dict)
    per: str = "project"  # project | package
    rules: eligibility.Rules = eligibility.Rules()  # noqa: RUF009 (frozen, immutable default)
    max_lines: int | None = None
    unreachable: str = "redistribute"  # redistribute | reserve: the share of projects without a channel

    def parameters(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "total": self.total,
            "currency": self.currency,
            "min": self.floor,
            "cap": self.cap,
            "exclude": sorted(self.exclude),
            "boost": dict(sorted(self.boost.items())),
            "per": self.per,
            "max_lines": self.max_lines,
            "unreachable": self.unreachable,
            "company_evidence": sorted(self.rules.company_evidence),
            # The file's name only: a path would tell readers of an export where the server keeps its files.
            "risk_weights": PurePath(self.weights.source).name,
        }


@dataclass(frozen=True)
class Line:
    project: str
    packages: tuple[str, ...]
    amount: int
    weight: float
    channel: channels.Channel | None
    rationale: str

    @property
    def channel_text(self) -> str:
        return self.channel.describe() if self.channel else channels.NO_CHANNEL


@dataclass(frozen=True)
class Outreach:
    """An eligible project with no known funding channel: whom to contact, and what it would receive."""

    project: str
    packages: tuple[str, ...]
    amount: int  # its share had it a channel (held in reserve, or redistributed: see Proposal.unreachable)
    contacts: tuple[str, ...]  # public contact points: the repository, the registries' maintainer pages
    rationale: str


@dataclass(frozen=True)
class Proposal:
    method: str
    total: int
    currency: str
    parameters: Mapping[str, Any]
    created_at: datetime
    data_as_of: datetime | None
    lines: tuple[Line, ...]
    left_out: tuple[tuple[str, str], ...]  # (project, or package without a repository, why)
    notes: tuple[str, ...]
    outreach: tuple[Outreach, ...] = ()
    reserve: int = 0  # not paid now: the outreach list's share (``reserve``) or what no line could take
    unknown_amount: int = 0  # money resting on inputs not known (see ``unknown_share``)
    floor: int = 0

    @property
    def allocated(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def unknown_share(self) -> float:
        """The share of the paid money resting on unknowns: each line's amount x (1 - its risk's confidence)."""
        return self.unknown_amount / self.allocated if self.allocated else 0.0


def suggested_total(developers: int) -> int:
    return developers * PLEDGE_PER_DEVELOPER


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def line_key(data: BudgetData, purl: str, per: str) -> str:
    """The line a package belongs to: its project (``per='project'``: its repository, else its source
    package's page, else the purl) or itself."""
    return data.project_of(purl) if per == "project" else purl


@dataclass(frozen=True)
class _Assessed:
    criticality: float
    risk: risk.RiskResult


Weighed = tuple[dict[str, float], dict[str, str]]  # (weight, rationale) per line


def _equal(
    data: BudgetData, groups: Mapping[str, Sequence[str]], assessed: Mapping[str, _Assessed]
) -> Weighed:
    return {k: 1.0 for k in groups}, {k: f"equal share among {len(groups)} eligible lines" for k in groups}


def _speaker(purls: Sequence[str], assessed: Mapping[str, _Assessed]) -> str:
    """The project's most needy package speaks for it: packages of one project share maintainers."""
    if len(purls) == 1:
        return purls[0]
    return max(purls, key=lambda p: (methods.need(assessed[p].criticality, assessed[p].risk.value), p))


def _need(
    data: BudgetData, groups: Mapping[str, Sequence[str]], assessed: Mapping[str, _Assessed]
) -> Weighed:
    weights: dict[str, float] = {}
    why: dict[str, str] = {}
    for key, purls in groups.items():
        best = _speaker(purls, assessed)
        a, u = assessed[best], data.usage[best]
        weights[key] = methods.need(a.criticality, a.risk.value)
        r = a.risk
        risk_text = (
            f"risk {r.value:.2f} ({'; '.join([*risk.drivers(r), f'confidence {r.confidence:.0%}'])})"
            if r.value is not None
            else f"risk unknown, counted as {methods.NEUTRAL_RISK} (no registry or git data yet)"
        )
        why[key] = (
            f"criticality {a.criticality:.2f} (used by {u.apps} of {data.total_apps} applications, "
            f"{u.scope}) x {risk_text}"
        )
    return weights, why


def _stackaid(
    data: BudgetData, groups: Mapping[str, Sequence[str]], assessed: Mapping[str, _Assessed]
) -> Weighed:
    if data.children is None:
        raise ValueError("the stackaid method needs the dependency graph: load the data with graph=True")
    children = data.children
    shares = methods.stackaid(sorted(data.direct), children)
    givers: dict[str, set[str]] = {}
    for parent in data.direct:
        for child in children.get(parent, ()):
            givers.setdefault(child, set()).add(parent)
    weights: dict[str, float] = {}
    why: dict[str, str] = {}
    for key, purls in groups.items():
        share = sum((shares.get(p, Fraction(0)) for p in purls), start=Fraction(0))
        weights[key] = float(share)
        parts = [f"StackAid share {float(share):.1%} before eligibility, floors and caps"]
        if any(p in data.direct for p in purls):
            parts.append("a direct dependency")
        passing = set().union(*(givers.get(p, set()) for p in purls))
        if passing:
            parts.append(
                f"5% passed on by {_count(len(passing), 'direct dependency', 'direct dependencies')}"
            )
        why[key] = "; ".join(parts)
    return weights, why


def _usage(
    data: BudgetData, groups: Mapping[str, Sequence[str]], assessed: Mapping[str, _Assessed]
) -> Weighed:
    metrics = {
        key: {
            "dependent_apps": float(max(data.usage[p].apps for p in purls)),
            "dependent_packages": float(max(data.usage[p].reverse_reach for p in purls)),
        }
        for key, purls in groups.items()
    }
    normalised = methods.normalised_usage(metrics)
    why = {
        key: f"usage score {normalised[key]:.2f}: "
        f"{_count(int(m['dependent_apps']), 'dependent application')}, "
        f"{_count(int(m['dependent_packages']), 'dependent package')} (each / max, x 0.2)"
        for key, m in metrics.items()
    }
    return normalised, why


_METHODS: dict[str, Callable[[BudgetData, Mapping[str, Sequence[str]], Mapping[str, _Assessed]], Weighed]] = {
    "need": _need,
    "equal": _equal,
    "stackaid": _stackaid,
    "usage": _usage,
}

#: The methods that read each package's criticality and risk (the others weigh usage or the graph alone).
_ASSESSED = frozenset({"need"})


@gc_paused
def propose(data: BudgetData, options: Options) -> Proposal:
    """Build a proposal; pure given the data and options, so the same store and options give the same lines.

    Every project is decided once (``decide``); eligible projects are weighed by the method and allocated
    with the floor, the cap, ``max_lines`` and their funding.json asks. Projects without a funding channel
    are not paid: they go to the outreach list, their share redistributed or held in reserve.
    """
    if options.method not in methods.METHODS:
        raise ValueError(f"unknown method {options.method!r}; use one of {', '.join(methods.METHODS)}")
    if options.unreachable not in UNREACHABLE:
        raise ValueError(
            f"unknown --unreachable {options.unreachable!r}; use one of {', '.join(UNREACHABLE)}"
        )
    statuses: dict[tuple[str | None, tuple[str, ...]], str] = {}

    def status_of(licence: str | None, classifiers: tuple[str, ...]) -> str:
        # A few dozen distinct licences cover thousands of packages: parse each once.
        if (licence, classifiers) not in statuses:
            statuses[licence, classifiers] = eligibility.licence_status(licence, classifiers)
        return statuses[licence, classifiers]

    decisions = decide(data, exclude=options.exclude, rules=options.rules, status_of=status_of)
    left_out = list(decisions.left_out)
    project_of: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for project, purls in decisions.eligible.items():
        for purl in purls:
            key = project if options.per == "project" else purl
            project_of[key] = project
            groups.setdefault(key, []).append(purl)
    notes: list[str] = []
    for flag, tokens in (("--exclude", options.exclude), ("--boost", options.boost)):
        for token in sorted(tokens):
            if not any(matches(token, p, line_key(data, p, "project")) for p in data.usage):
                notes.append(f"{flag} {token} matches no package or project of the organisation")
    assessed: dict[str, _Assessed] = {}
    if options.method in _ASSESSED:  # only the eligible packages, and only for a method that weighs risk
        crit = criticality.values(data.usage, data.total_apps)
        assessed = {
            p: _Assessed(crit[p], risk.assess(facts.risk_inputs(data, p, options.now), options.weights))
            for purls in groups.values()
            for p in purls
        }
    weights, why = _METHODS[options.method](data, groups, assessed)
    for key in groups if options.boost else ():
        # A boost naming any package of the project boosts the project (one decision per project).
        members = decisions.eligible[project_of[key]]
        factor = max(
            (f for t, f in options.boost.items() for p in members if matches(t, p, project_of[key])),
            default=1.0,
        )
        if factor != 1.0:
            weights[key] *= factor
            why[key] += f"; boosted x{factor:g}"
    # One channel per project, from the links of all its packages and of its repository.
    channel_of = {
        key: channels.choose(
            link for p in decisions.eligible[project_of[key]] for link in facts.funding_links(data, p)
        )
        for key in groups
    }
    asks: dict[str, int] = {}
    for key in groups:
        ask, phrase = funding_ask(data, project_of[key], options.currency)
        if phrase:
            why[key] += f"; {phrase}"
        if ask is not None and options.per == "project":
            asks[key] = ask
    cap_units = math.floor(options.cap * options.total) if options.cap is not None else None
    floor = max(options.floor, 1)  # a line of 0 is no grant: even without a floor, each line gets a unit
    everyone, first = allocate_within_asks(weights, options.total, floor, cap_units, options.max_lines, asks)
    unreachable = {k for k in groups if channel_of[k] is None}
    if options.unreachable == "redistribute":
        payable_weights = {k: w for k, w in weights.items() if k not in unreachable}
        amounts, result = allocate_within_asks(
            payable_weights, options.total, floor, cap_units, options.max_lines, asks
        )
    else:
        amounts, result = {k: a for k, a in everyone.items() if k not in unreachable}, first
    reserve = options.total - sum(amounts.values())
    if result.cap_raised:
        notes.append(
            f"the cap of {cap_units:,} {options.currency} cannot hold over {len(result.amounts)} lines; "
            f"raised to {result.cap:,} so the whole total is allocated"
        )
    # --max-lines cut the dropped lines when it kept as many as it allows; otherwise the floor did.
    beyond = options.max_lines is not None and len(amounts) >= options.max_lines
    for key in result.dropped:
        if key in unreachable:
            continue  # counted with the outreach list
        reason = (
            f"beyond the {options.max_lines} largest lines (--max-lines); its share was redistributed"
            if beyond
            else f"under the floor of {floor:,} {options.currency}; its share was redistributed"
        )
        left_out.append((key, reason))
    for key in sorted(k for k, w in weights.items() if w <= 0):
        left_out.append((key, f"weight 0 under method {options.method}"))
    if data.missing_tables:
        notes.append(
            f"not in the store yet: {', '.join(data.missing_tables)}, so what they hold is not known; run "
            "`socle refresh` (it mines repositories where their forge is reachable, or from `--mirror-dir`)"
        )
    outreach_list = [
        Outreach(
            key,
            tuple(package_name(p) for p in groups[key]),
            everyone[key],
            outreach.contacts(data, project_of[key], decisions.eligible[project_of[key]]),
            why[key],
        )
        for key in sorted(everyone, key=lambda k: (-everyone[k], k))
        if key in unreachable
    ]
    smaller = len(unreachable) - len(outreach_list)
    if unreachable:
        held = (
            f"their share ({sum(o.amount for o in outreach_list):,} {options.currency}) is held in reserve"
            if options.unreachable == "reserve"
            else "their share was redistributed to the payable lines"
        )
        notes.append(
            f"{len(unreachable)} eligible projects have no known funding channel: the {len(outreach_list)} "
            f"that would reach the floor are on the outreach list"
            + (f" ({smaller} smaller ones are not listed)" if smaller else "")
            + f"; {held}"
        )
    held_for_outreach = sum(o.amount for o in outreach_list) if options.unreachable == "reserve" else 0
    if not amounts and unreachable:
        notes.append(
            f"no eligible project has a funding channel we know of: the whole {options.total:,} "
            f"{options.currency} is held in reserve until the outreach list is answered"
        )
    elif reserve > held_for_outreach:
        notes.append(
            f"{reserve - held_for_outreach:,} {options.currency} could not be given to any line "
            "(every payable project reached its funding.json ask) and is held in reserve"
        )
    lines = []
    unknown = Fraction(0)
    for key, amount in amounts.items():
        purls = groups[key]
        parts = [why[key]]
        if result.cap is not None and amount >= result.cap:
            parts.append(f"capped at {result.cap:,} {options.currency}")
        if key in asks and amount == asks[key]:
            parts.append("paid what it asks")
        if options.per == "package" and len(decisions.eligible[project_of[key]]) > 1:
            parts.append(f"project {project_of[key]} decided as a whole")
        parts.extend(decisions.caveats.get(project_of[key], []))
        if assessed:
            unknown += amount * (1 - Fraction(assessed[_speaker(purls, assessed)].risk.confidence))
        lines.append(
            Line(
                key,
                tuple(package_name(p) for p in purls),
                amount,
                weights[key],
                channel_of[key],
                "; ".join(parts),
            )
        )
    lines.sort(key=lambda line: (-line.amount, line.project))
    return Proposal(
        options.method,
        options.total,
        options.currency,
        options.parameters(),
        options.created_at or options.now,
        data.data_as_of,
        tuple(lines),
        tuple(left_out),
        tuple(notes),
        outreach=tuple(outreach_list),
        reserve=reserve,
        unknown_amount=math.floor(unknown),
        floor=options.floor,
    )
