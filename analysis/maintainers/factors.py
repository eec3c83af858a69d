"""Share-of-contributions factors and concentration.

* Contributor Absence Factor (CHAOSS, https://chaoss.community/kb/metric-contributor-absence-factor/): the
  smallest number of contributors responsible for 50% of contributions.
* Pony factor (Apache, D. Gruno): the smallest number of committers whose commits make up 50% of all.
* Elephant factor (CHAOSS, https://chaoss.community/kb/metric-elephant-factor/): the same over organisations.
* HHI = sum of squared shares (https://www.justice.gov/atr/herfindahl-hirschman-index).

Tools disagree on ">= 50%" vs "> 50%" and on 50% vs 51%: both are parameters; the default is CHAOSS's.
"""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_THRESHOLD = 0.5
DEFAULT_OPERATOR = ">="


def smallest_share_count(
    contributions: Iterable[float], threshold: float = DEFAULT_THRESHOLD, operator: str = DEFAULT_OPERATOR
) -> int:
    """The smallest k such that the k largest contributions reach ``threshold`` of the total (0 if none)."""
    if operator not in (">=", ">"):
        raise ValueError(f"unknown operator {operator!r}")
    values = sorted((v for v in contributions if v > 0), reverse=True)
    total = sum(values)
    if total <= 0:
        return 0
    running = 0.0
    for k, value in enumerate(values, start=1):
        running += value
        share = running / total
        if share > threshold or (operator == ">=" and share >= threshold):
            return k
    return len(values)


def hhi(contributions: Iterable[float]) -> float:
    """Herfindahl-Hirschman index of the shares, between 0 and 1 (x10,000 for the merger-guideline scale)."""
    values = [v for v in contributions if v > 0]
    total = sum(values)
    if total <= 0:
        return 0.0
    return sum((v / total) ** 2 for v in values)


def lfx_band(k: int, *, organisations: bool = False) -> int:
    """LFX Insights points (0-5) for how many contributors (or organisations) reach 51%."""
    bands = (1, 2, 3, 5, 7) if organisations else (1, 2, 4, 6, 9)
    for points, upper in enumerate(bands):
        if k <= upper:
            return points
    return 5
