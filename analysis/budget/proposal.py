"""A budget proposal: eligible projects, a method's weights, the allocator, a channel and a rationale per line."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any
from urllib.parse import unquote

from analysis import criticality, risk
from analysis.budget import channels, eligibility, facts, methods
from analysis.budget.allocate import allocate
from analysis.gcpause import gc_paused
from analysis.queries.budget import BudgetData

PLEDGE_PER_DEVELOPER = 2000  # Open Source Pledge: at least $2,000 per full-time developer per year


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
            "company_evidence": sorted(self.rules.company_evidence),
            "risk_weights": self.weights.source,
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
class Proposal:
    method: str
    total: int
    currency: str
    parameters: Mapping[str, Any]
    created_at: datetime
    data_as_of: datetime | None
    lines: tuple[Line, ...]
    left_out: tuple[tuple[str, str], ...]  # (project or package, why)
    notes: tuple[str, ...]


def suggested_total(developers: int) -> int:
    return developers * PLEDGE_PER_DEVELOPER


def package_name(purl: str) -> str:
    """``pkg:npm/%40babel/core`` -> ``@babel/core``; ``pkg:pypi/requests`` -> ``requests``."""
    rest = unquote(purl).split(":", 1)[-1]
    return rest.split("/", 1)[-1] if "/" in rest else rest


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _matches(token: str, purl: str, project: str) -> bool:
    return token in (purl, project, package_name(purl))


def line_key(data: BudgetData, purl: str, per: str) -> str:
    """The line a package belongs to: its repository (``per='project'``, the purl when none is known) or itself."""
    return data.repository.get(purl, purl) if per == "project" else purl


@dataclass(frozen=True)
class _Assessed:
    criticality: float
    risk: risk.RiskResult


Weighed = tuple[dict[str, float], dict[str, str]]  # (weight, rationale) per line


def _equal(
    data: BudgetData, groups: Mapping[str, Sequence[str]], assessed: Mapping[str, _Assessed]
) -> Weighed:
    return {k: 1.0 for k in groups}, {k: f"equal share among {len(groups)} eligible lines" for k in groups}


def _need(
    data: BudgetData, groups: Mapping[str, Sequence[str]], assessed: Mapping[str, _Assessed]
) -> Weighed:
    weights: dict[str, float] = {}
    why: dict[str, str] = {}
    for key, purls in groups.items():
        # The project's most needy package speaks for it: packages of one project share maintainers.
        best = (
            purls[0]
            if len(purls) == 1
            else max(purls, key=lambda p: (methods.need(assessed[p].criticality, assessed[p].risk.value), p))
        )
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
    """Build a proposal; pure given the data and options, so the same store and options give the same lines."""
    if options.method not in methods.METHODS:
        raise ValueError(f"unknown method {options.method!r}; use one of {', '.join(methods.METHODS)}")
    left_out: list[tuple[str, str]] = []
    caveats: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    statuses: dict[tuple[str | None, tuple[str, ...]], str] = {}
    for purl in sorted(data.usage):
        project = line_key(data, purl, options.per)
        if options.exclude and any(_matches(t, purl, project) for t in options.exclude):
            left_out.append((purl, "excluded by --exclude"))
            continue
        meta = data.metadata.get(purl)
        pkg_scores = data.scores.get(purl)
        licence, classifiers = (meta.license, meta.classifiers) if meta else (None, ())
        status = statuses.get((licence, classifiers))
        if status is None:  # a few dozen distinct licences cover thousands of packages: parse each once
            status = statuses[licence, classifiers] = eligibility.licence_status(licence, classifiers)
        v = eligibility.verdict(
            licence=licence,
            classifiers=classifiers,
            elephant_factor=pkg_scores.elephant_factor if pkg_scores else None,
            steward_kind=data.steward_kind.get(purl),
            rules=options.rules,
            status=status,
        )
        if not v.eligible:
            left_out.append((purl, v.reason))
            continue
        groups.setdefault(project, []).append(purl)
        if v.reason:
            caveats.setdefault(project, []).append(f"{package_name(purl)}: {v.reason}")
    notes: list[str] = []
    for flag, tokens in (("--exclude", options.exclude), ("--boost", options.boost)):
        for token in sorted(tokens):
            if not any(_matches(token, p, line_key(data, p, options.per)) for p in data.usage):
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
    for key, purls in groups.items() if options.boost else ():
        factor = max((f for t, f in options.boost.items() for p in purls if _matches(t, p, key)), default=1.0)
        if factor != 1.0:
            weights[key] *= factor
            why[key] += f"; boosted x{factor:g}"
    cap_units = math.floor(options.cap * options.total) if options.cap is not None else None
    result = allocate(weights, options.total, floor=options.floor, cap=cap_units)
    if result.cap_raised:
        notes.append(
            f"the cap of {cap_units:,} {options.currency} cannot hold over {len(result.amounts)} lines; "
            f"raised to {result.cap:,} so the whole total is allocated"
        )
    for key in result.dropped:
        left_out.append(
            (key, f"under the floor of {options.floor} {options.currency}; its share was redistributed")
        )
    for key in sorted(k for k, w in weights.items() if w <= 0):
        left_out.append((key, f"weight 0 under method {options.method}"))
    for table in data.missing_tables:
        notes.append(f"{table} not in the store yet: run `socle refresh` for registry and git data")
    lines = []
    for key, amount in result.amounts.items():
        purls = groups[key]
        channel = channels.choose(link for p in purls for link in facts.funding_links(data, p))
        parts = [why[key]]
        if result.cap is not None and amount >= result.cap:
            parts.append(f"capped at {result.cap:,} {options.currency}")
        parts.extend(caveats.get(key, []))
        lines.append(
            Line(key, tuple(package_name(p) for p in purls), amount, weights[key], channel, "; ".join(parts))
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
    )
