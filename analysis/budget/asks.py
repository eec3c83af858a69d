"""What a project's funding.json asks for, and an allocation where no line exceeds its ask."""

from __future__ import annotations

import math
from collections.abc import Mapping

from analysis.budget.allocate import Allocation, allocate
from analysis.queries.budget import BudgetData


def funding_ask(data: BudgetData, project: str, currency: str) -> tuple[int | None, str]:
    """What the project's funding.json asks a year in ``currency`` (the largest active plan), and a phrase
    for the rationale: the ask, or why a plan could not be used, and the history it reports."""
    parts: list[str] = []
    asks: list[float] = []
    other: list[str] = []
    for plan in data.plans.get(project, ()):
        yearly = plan.yearly
        if plan.status != "active" or yearly is None:
            continue
        if plan.currency == currency:
            asks.append(yearly)
        else:
            other.append(f"{yearly:,.0f} {plan.currency}")
    ask = math.floor(max(asks)) if asks else None
    if ask is not None:
        parts.append(f"its funding.json asks {ask:,} {currency} a year")
    elif other:
        parts.append(f"its funding.json asks {other[0]} a year (another currency: not used as a cap)")
    history = data.history.get(project, ())
    if history:
        last = max(h.year for h in history)
        received = "; ".join(f"{h.amount:,.0f} {h.currency}" for h in history if h.year == last)
        parts.append(f"it reports receiving {received} in {last}")
    return ask, "; ".join(parts)


def allocate_within_asks(
    weights: Mapping[str, float],
    total: int,
    floor: int,
    cap: int | None,
    max_lines: int | None,
    asks: Mapping[str, int],
) -> tuple[dict[str, int], Allocation]:
    """``allocate`` where a line never exceeds its funding.json ask: a line over its ask is fixed at it and
    the rest is shared again among the others, until none is over (an ask under the floor is not a cap)."""
    fixed: dict[str, int] = {}
    remaining_weights = dict(weights)
    while True:
        remaining = total - sum(fixed.values())
        slots = None if max_lines is None else max_lines - len(fixed)
        if (
            remaining <= 0
            or floor > remaining
            or slots == 0
            or not any(w > 0 for w in remaining_weights.values())
        ):
            result = Allocation({}, tuple(k for k, w in remaining_weights.items() if w > 0), cap, False)
            break
        result = allocate(remaining_weights, remaining, floor=floor, cap=cap, max_lines=slots)
        over = {k: asks[k] for k, a in result.amounts.items() if k in asks and a > asks[k] >= floor}
        if not over:
            break
        fixed.update(over)
        for key in over:
            del remaining_weights[key]
    return {**fixed, **result.amounts}, result
