"""Criticality of a package *for this organisation*: how much of what it runs depends on it.

Inputs per package (from the inventory): applications using it directly or transitively, applications
using it directly, the shortest depth, the strongest scope (runtime > optional > dev), and the reverse
reach (how many of the organisation's packages depend on it, transitively). Normalised to [0, 1]::

    base = (2 x apps/total_apps + 1 x direct_apps/total_apps + 1 x 1/min_depth
            + 1 x ln(1 + reach)/ln(1 + max_reach)) / 5
    criticality = base x scope factor (runtime 1, optional 0.6, dev 0.3)

Breadth of use counts double; a package only a test runner needs is far less critical than one every
service imports at run time. The log on reach follows the OpenSSF score's log scaling of counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from analysis.queries.budget import Usage
from analysis.score import Score, Status

VERSION = "1.0"
SCOPE_FACTOR = {"runtime": 1.0, "optional": 0.6, "dev": 0.3}


def value(usage: Usage, total_apps: int, max_reach: int) -> float:
    """The normalised criticality of one package (see the module docstring)."""
    if total_apps <= 0 or usage.apps <= 0:
        return 0.0
    depth = 1.0 / usage.min_depth if usage.min_depth and usage.min_depth > 0 else 0.0
    reach = math.log1p(usage.reverse_reach) / math.log1p(max_reach) if max_reach > 0 else 0.0
    base = (2 * usage.apps / total_apps + usage.direct_apps / total_apps + depth + reach) / 5
    return min(1.0, base * SCOPE_FACTOR.get(usage.scope, 1.0))


def score(usage: Usage, total_apps: int, max_reach: int) -> Score:
    v = value(usage, total_apps, max_reach)
    details = {
        "apps": usage.apps,
        "direct_apps": usage.direct_apps,
        "total_apps": total_apps,
        "min_depth": usage.min_depth,
        "scope": usage.scope,
        "reverse_reach": usage.reverse_reach,
    }
    how = "directly" if usage.direct_apps == usage.apps else f"{usage.direct_apps} directly"
    depth = f", shortest depth {usage.min_depth}" if usage.min_depth else ""
    reason = (
        f"Used by {usage.apps} of {total_apps} applications ({how}){depth}, {usage.scope} scope; "
        f"{usage.reverse_reach} of the organisation's packages depend on it."
    )
    return Score("criticality", VERSION, round(v, 6), Status.OK, reason, details=details)


def values(usages: Mapping[str, Usage], total_apps: int) -> dict[str, float]:
    """The values of ``scores`` (rounded as stored) without their reasons and details."""
    max_reach = max((u.reverse_reach for u in usages.values()), default=0)
    return {purl: round(value(u, total_apps, max_reach), 6) for purl, u in usages.items()}


def scores(usages: Mapping[str, Usage], total_apps: int) -> dict[str, Score]:
    """Criticality of every package the organisation uses."""
    max_reach = max((u.reverse_reach for u in usages.values()), default=0)
    return {purl: score(u, total_apps, max_reach) for purl, u in usages.items()}
