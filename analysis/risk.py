"""Risk per package: maintainer concentration, fragility, activity and funding, every component visible.

Each component maps one input to [0, 1] (1 = most at risk); the risk is their weighted mean over the
components whose inputs are known (weights in ``data/risk_weights.toml``). Missing inputs are left out,
lower the confidence and are named in the score; they are never guessed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from analysis.score import Score, Status
from collectors.errors import InputError
from collectors.paths import DATA_DIR

VERSION = "1.0"
DEFAULT_WEIGHTS_PATH = DATA_DIR / "risk_weights.toml"
COMPONENTS = (
    "truck_factor",
    "contributor_absence_factor",
    "active_maintainers",
    "fragility",
    "commit_staleness",
    "release_staleness",
    "release_cadence",
    "deprecated",
    "yanked",
    "funding",
    "vulnerabilities",
    "provenance",
)
_FRAGILITY = {"single-actor": 1.0, "vigilance": 0.5, "commons-grade": 0.0}
#: Lifecycle labels (analysis.signals.lifecycle) as the ``deprecated`` component reads them.
_LIFECYCLE = {
    "quarantined": 1.0,
    "deprecated": 1.0,
    "yanked": 0.8,
    "archived": 0.7,
    "dormant": 0.0,
    "finished": 0.0,
    "active": 0.0,
}
#: The highest severity among a package's open vulnerabilities -> the ``vulnerabilities`` component.
_SEVERITY = {"critical": 1.0, "high": 0.8, "medium": 0.5, "low": 0.25, "unknown": 0.5, "none": 0.0}
_DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class RiskWeights:
    weights: Mapping[str, float]
    stale_days: float = 730.0
    source: str = "defaults"

    @cached_property
    def plan(self) -> tuple[tuple[str, Callable[[RiskInputs, RiskWeights], float | None], float], ...]:
        """(component, rule, weight) in ``COMPONENTS`` order: what ``assess`` walks for every package."""
        return tuple((name, rule, self.weights.get(name, 0.0)) for name, rule in _RULE_ITEMS)

    @cached_property
    def total(self) -> float:
        """All the weight, known or not, summed in component order."""
        return sum(weight for _, _, weight in self.plan)

    @cached_property
    def ranked(self) -> tuple[tuple[int, str, float], ...]:
        """(position, component, weight) of the components with a weight > 0, for ``drivers``."""
        return tuple((i, name, w) for i, (name, _, w) in enumerate(self.plan) if w > 0)


@dataclass(frozen=True)
class RiskInputs:
    """What risk is computed from; None means "not known" (not collected, or no data)."""

    truck_factor: float | None = None
    truck_top_share: float | None = None  # share of files the top author holds, for the reason
    contributor_absence_factor: float | None = None
    active_maintainers: float | None = None
    fragility: str | None = None
    days_since_last_commit: float | None = None
    days_since_last_release: float | None = None
    releases_last_12m: int | None = None
    deprecated: bool | None = None
    yanked_last_12m: int | None = None
    has_funding_channel: bool | None = None
    vulnerabilities: float | None = None  # open advisories on the versions in use; None: not collected
    vulnerability_severity: str | None = None  # their highest severity (or "unknown")
    vulnerability_reason: str | None = None
    lifecycle: str | None = None  # see analysis.signals.lifecycle; None: not known
    lifecycle_reason: str | None = None
    provenance: str | None = None  # the provenance label: changed | attested | unattested; None: not given
    provenance_reason: str | None = None

    @property
    def finished(self) -> bool:
        """A finished, stable project: its quiet is not abandonment, so staleness does not count."""
        return self.lifecycle == "finished"


@dataclass(frozen=True)
class Component:
    name: str
    value: float  # in [0, 1]
    weight: float
    phrase: str  # how the reason says it


@dataclass(frozen=True)
class RiskResult:
    """The risk of one package. Its components (with the phrases reasons are made of) are built when first
    read: a budget reads them for one package per line, not for every package it weighs."""

    value: float | None
    confidence: float
    missing: tuple[str, ...]
    inputs: RiskInputs = field(repr=False)
    scales: RiskWeights = field(repr=False)
    values: tuple[float | None, ...] = field(repr=False)  # per COMPONENTS: each value, None when not known

    @property
    def weights(self) -> Mapping[str, float]:
        return self.scales.weights

    @cached_property
    def components(self) -> tuple[Component, ...]:
        """Every known component, in ``COMPONENTS`` order, with its weight and phrase."""
        out = []
        for position, name in enumerate(COMPONENTS):
            found = self.values[position]
            if found is not None:
                out.append(
                    Component(name, found, self.scales.weights.get(name, 0.0), _PHRASES[name](self.inputs))
                )
        return tuple(out)


def load_weights(path: Path | None = None) -> RiskWeights:
    """Read the weights file (defaults shipped in ``data/risk_weights.toml``), validating every entry."""
    path = path or DEFAULT_WEIGHTS_PATH
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(path), f"cannot read risk weights ({exc})") from exc
    raw = data.get("weights", {})
    if not isinstance(raw, dict):
        raise InputError(str(path), "[weights] must be a table")
    weights: dict[str, float] = {}
    for name, value in raw.items():
        if name not in COMPONENTS:
            raise InputError(str(path), f"unknown risk component {name!r}", where="[weights]")
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise InputError(str(path), f"weight of {name} must be a number >= 0", where="[weights]")
        weights[name] = float(value)
    stale = data.get("scales", {}).get("stale_days", 730)
    if not isinstance(stale, int | float) or stale <= 0:
        raise InputError(str(path), "stale_days must be a positive number", where="[scales]")
    return RiskWeights(weights, float(stale), str(path))


def _months(days: float) -> int:
    return round(days / _DAYS_PER_MONTH)


def _plural(n: float, word: str) -> str:
    return f"{n:g} {word}" + ("" if n == 1 else "s")


# Each component: a value in [0, 1] from its input (None when the input is not known), and the phrase the
# reason uses for it. Values are computed for every package; phrases only for the components read.


def _truck(i: RiskInputs, _: RiskWeights) -> float | None:
    return None if i.truck_factor is None else 1.0 / max(i.truck_factor, 1.0)


def _truck_phrase(i: RiskInputs) -> str:
    tf = i.truck_factor
    assert tf is not None
    phrase = f"truck factor {tf:g}"
    if tf <= 1 and i.truck_top_share is not None:
        phrase += f" (one person authors {i.truck_top_share:.0%} of files)"
    return phrase


def _absence(i: RiskInputs, _: RiskWeights) -> float | None:
    n = i.contributor_absence_factor
    return None if n is None else 1.0 / max(n, 1.0)


def _absence_phrase(i: RiskInputs) -> str:
    n = i.contributor_absence_factor
    assert n is not None
    who = "one person makes" if n <= 1 else f"{n:g} people make"
    return f"absence factor {n:g} ({who} half the commits)"


def _active(i: RiskInputs, _: RiskWeights) -> float | None:
    n = i.active_maintainers
    if n is None:
        return None
    return 1.0 if n <= 0 else min(1.0, 0.8 / n)


def _active_phrase(i: RiskInputs) -> str:
    n = i.active_maintainers
    assert n is not None
    return (
        "no active maintainer in 12 months" if n <= 0 else f"{_plural(n, 'active maintainer')} in 12 months"
    )


def _fragility(i: RiskInputs, _: RiskWeights) -> float | None:
    return _FRAGILITY.get(i.fragility) if i.fragility is not None else None


def _fragility_phrase(i: RiskInputs) -> str:
    return {"single-actor": "single-actor interface", "vigilance": "interface under vigilance"}.get(
        str(i.fragility), "commons-grade interface"
    )


def _commit_stale(i: RiskInputs, w: RiskWeights) -> float | None:
    d = i.days_since_last_commit
    if d is None:
        return None
    return 0.0 if i.finished else min(1.0, max(0.0, d) / w.stale_days)


def _commit_stale_phrase(i: RiskInputs) -> str:
    assert i.days_since_last_commit is not None
    return f"no commit for {_plural(_months(i.days_since_last_commit), 'month')}"


def _release_stale(i: RiskInputs, w: RiskWeights) -> float | None:
    d = i.days_since_last_release
    if d is None:
        return None
    return 0.0 if i.finished else min(1.0, max(0.0, d) / w.stale_days)


def _release_stale_phrase(i: RiskInputs) -> str:
    assert i.days_since_last_release is not None
    return f"no release for {_plural(_months(i.days_since_last_release), 'month')}"


def _cadence(i: RiskInputs, _: RiskWeights) -> float | None:
    n = i.releases_last_12m
    if n is None:
        return None
    return 0.0 if i.finished else max(0.0, 1.0 - n / 4)


def _cadence_phrase(i: RiskInputs) -> str:
    n = i.releases_last_12m
    assert n is not None
    return "no release in 12 months" if n == 0 else f"only {_plural(n, 'release')} in 12 months"


def _deprecated(i: RiskInputs, _: RiskWeights) -> float | None:
    if i.lifecycle in _LIFECYCLE:
        return _LIFECYCLE[i.lifecycle]
    return None if i.deprecated is None else (1.0 if i.deprecated else 0.0)


def _sentence_part(text: str) -> str:
    """A score's reason as a part of another sentence: no final full stop, first letter lower-case."""
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def _deprecated_phrase(i: RiskInputs) -> str:
    if i.lifecycle in _LIFECYCLE and i.lifecycle_reason:
        return _sentence_part(i.lifecycle_reason)
    return "deprecated on the registry" if i.deprecated else "not deprecated"


def _vulnerabilities(i: RiskInputs, _: RiskWeights) -> float | None:
    if i.vulnerabilities is None:
        return None  # not collected: never zero
    if i.vulnerabilities <= 0:
        return 0.0
    return _SEVERITY.get(i.vulnerability_severity or "unknown", 0.5)


def _vulnerabilities_phrase(i: RiskInputs) -> str:
    if i.vulnerability_reason:
        return _sentence_part(i.vulnerability_reason)
    n = i.vulnerabilities or 0
    return f"{_plural(n, 'known vulnerability')}" if n else "no known vulnerability"


def _yanked(i: RiskInputs, _: RiskWeights) -> float | None:
    n = i.yanked_last_12m
    return None if n is None else min(1.0, n / 2)


def _yanked_phrase(i: RiskInputs) -> str:
    assert i.yanked_last_12m is not None
    return f"{_plural(i.yanked_last_12m, 'yanked release')} in 12 months"


def _funding(i: RiskInputs, _: RiskWeights) -> float | None:
    return None if i.has_funding_channel is None else (0.0 if i.has_funding_channel else 1.0)


def _funding_phrase(i: RiskInputs) -> str:
    return "a known funding channel" if i.has_funding_channel else "no known funding channel"


def _provenance(i: RiskInputs, _: RiskWeights) -> float | None:
    # A publisher that changed, or an attestation lost, between the version in use and the newest is what an
    # account takeover looks like; an unattested release is today's norm, not a finding.
    return {"changed": 1.0, "attested": 0.0, "unattested": 0.0}.get(i.provenance or "")


def _provenance_phrase(i: RiskInputs) -> str:
    if i.provenance == "changed" and i.provenance_reason:
        return _sentence_part(i.provenance_reason)
    return "releases with a provenance attestation" if i.provenance == "attested" else "no publisher change"


_RULES: dict[str, Callable[[RiskInputs, RiskWeights], float | None]] = {
    "truck_factor": _truck,
    "contributor_absence_factor": _absence,
    "active_maintainers": _active,
    "fragility": _fragility,
    "commit_staleness": _commit_stale,
    "release_staleness": _release_stale,
    "release_cadence": _cadence,
    "deprecated": _deprecated,
    "yanked": _yanked,
    "funding": _funding,
    "vulnerabilities": _vulnerabilities,
    "provenance": _provenance,
}
_RULE_ITEMS = tuple((name, _RULES[name]) for name in COMPONENTS)
_PHRASES: dict[str, Callable[[RiskInputs], str]] = {
    "truck_factor": _truck_phrase,
    "contributor_absence_factor": _absence_phrase,
    "active_maintainers": _active_phrase,
    "fragility": _fragility_phrase,
    "commit_staleness": _commit_stale_phrase,
    "release_staleness": _release_stale_phrase,
    "release_cadence": _cadence_phrase,
    "deprecated": _deprecated_phrase,
    "yanked": _yanked_phrase,
    "funding": _funding_phrase,
    "vulnerabilities": _vulnerabilities_phrase,
    "provenance": _provenance_phrase,
}


def assess(inputs: RiskInputs, weights: RiskWeights) -> RiskResult:
    """The weighted mean of the known components, and the confidence (known weight / all weight)."""
    missing: list[str] = []
    values: list[float | None] = []
    known = 0.0
    weighted = 0.0
    for name, rule, weight in weights.plan:
        found = rule(inputs, weights)
        values.append(found)
        if found is None:
            if weight > 0:
                missing.append(name)
            continue
        # Summed in component order from 0, as ``sum`` over the components does: the same float result.
        known += weight
        weighted += weight * found
    value = weighted / known if known > 0 else None
    all_weight = weights.total
    confidence = known / all_weight if all_weight > 0 else 0.0
    return RiskResult(value, confidence, tuple(missing), inputs, weights, tuple(values))


def drivers(result: RiskResult, top: int = 3) -> list[str]:
    """Phrases of the components that drive the risk most (value >= 0.5), largest weighted part first."""
    parts = []  # (weighted part, component order, name) of the components with a say
    values = result.values
    for position, name, weight in result.scales.ranked:
        value = values[position]
        if value is not None and value >= 0.5:
            parts.append((-(weight * value), position, name))
    parts.sort()
    return [_PHRASES[name](result.inputs) for _, _, name in parts[:top]]


def reason(result: RiskResult, top: int = 3) -> str:
    """ "Risk 0.81: truck factor 1 (one person authors 90% of files); single-actor interface; no release for
    26 months." plus the confidence and the inputs not known, when some are missing."""
    if result.value is None:
        return "Risk unknown: none of its inputs is collected yet (" + ", ".join(result.missing) + ")."
    head = "; ".join(drivers(result, top)) or "no component signals a high risk"
    if result.inputs.finished and result.inputs.lifecycle_reason:
        head += "; " + _sentence_part(result.inputs.lifecycle_reason)
    text = f"Risk {result.value:.2f}: {head}"
    if result.missing:
        text += f". Confidence {result.confidence:.0%}; not known: {', '.join(result.missing)}"
    return text + "."


def score(inputs: RiskInputs, weights: RiskWeights) -> Score:
    result = assess(inputs, weights)
    details = {
        "components": {c.name: {"value": round(c.value, 4), "weight": c.weight} for c in result.components},
        "weights": dict(result.weights),
        "weights_source": weights.source,
        "missing": list(result.missing),
        "confidence": round(result.confidence, 4),
    }
    status = Status.OK if result.value is not None else Status.INCONCLUSIVE
    value = round(result.value, 6) if result.value is not None else None
    return Score("risk", VERSION, value, status, reason(result), details=details)
