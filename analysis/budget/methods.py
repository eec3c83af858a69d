"""The allocation methods, as pure functions from literal inputs to weights.

The allocator (``allocate.py``) turns any method's weights into whole amounts with floors and caps, so a
method only says how strongly each project should be funded relative to the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

METHODS = ("need", "equal", "stackaid", "usage")

#: StackAid: each direct dependency passes 5% of its share to each of its own dependencies, at most half.
STACKAID_PASS = Fraction(5, 100)
STACKAID_MAX_PASSED = Fraction(1, 2)

#: ecosyste.ms Funds weights each normalised metric 0.2; socle has two of its usage metrics (see README).
USAGE_METRIC_WEIGHTS: Mapping[str, float] = {"dependent_apps": 0.2, "dependent_packages": 0.2}

#: Risk used by ``need`` when nothing about a package's risk is known: neutral, and said in the rationale.
NEUTRAL_RISK = 0.5


def stackaid(direct: Sequence[str], children: Mapping[str, Sequence[str]]) -> dict[str, Fraction]:
    """Shares of 1 under StackAid's published rule (https://www.stackaid.us/, "How it works").

    The amount is split evenly over the direct dependencies; each direct dependency passes 5% of its
    share to each of its own dependencies, never more than half of its share in total (so with more than
    ten dependencies each receives an equal part of the half). One level, as the rule states.
    """
    shares: dict[str, Fraction] = {}
    roots = sorted(set(direct))
    if not roots:
        return shares
    each = Fraction(1, len(roots))
    for root in roots:
        shares[root] = shares.get(root, Fraction(0)) + each
    for root in roots:
        kids = sorted({c for c in children.get(root, ()) if c != root})
        if not kids:
            continue
        per_kid = min(STACKAID_PASS, STACKAID_MAX_PASSED / len(kids)) * each
        for kid in kids:
            shares[kid] = shares.get(kid, Fraction(0)) + per_kid
        shares[root] -= per_kid * len(kids)
    return shares


def normalised_usage(
    metrics: Mapping[str, Mapping[str, float]], weights: Mapping[str, float] = USAGE_METRIC_WEIGHTS
) -> dict[str, float]:
    """ecosyste.ms Funds' score: each metric divided by its maximum over the fund, weighted, summed.

    https://github.com/ecosyste-ms/funds (``Project#score``): downloads, dependent repositories and
    dependent packages, each / max, x 0.2. A metric whose maximum is 0 contributes nothing.
    """
    maxima = {m: max((float(v.get(m, 0.0)) for v in metrics.values()), default=0.0) for m in weights}
    return {
        key: sum(weights[m] * float(values.get(m, 0.0)) / maxima[m] for m in weights if maxima[m] > 0)
        for key, values in metrics.items()
    }


def need(criticality: float, risk: float | None) -> float:
    """Criticality for the organisation x risk of the package (neutral risk when unknown)."""
    return criticality * (NEUTRAL_RISK if risk is None else risk)
