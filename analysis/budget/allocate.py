"""Turn weights into whole-unit amounts that sum exactly to the total, with floors and caps.

ecosyste.ms Funds caps each project at 10% of the pot and drops projects under the minimum, leaving what
the cap frees unallocated (with few projects, most of the pot). Here everything is redistributed until
stable, so the whole total is allocated:

1. Lines are ranked by weight (ties: the key, so the result never depends on input order).
2. Caps by water-filling: a line whose proportional share exceeds the cap is fixed at the cap and the rest
   is shared again among the others, until no share exceeds the cap. A cap that cannot hold (cap x lines
   < total) is raised to the smallest whole amount that lets the total be allocated, and reported.
3. Floors: the largest set of top-ranked lines whose smallest share still reaches the floor is kept; the
   lines under the floor are dropped and their money is shared among the kept ones (step 2 again).
4. Whole units by the largest-remainder method (Hamilton): each line gets the integer part of its share,
   the units left go to the largest fractional parts (ties: rank order).

Exact arithmetic (fractions) keeps the result identical across platforms for the same inputs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Allocation:
    """Whole amounts per kept key, the keys dropped under the floor, and the cap that applied."""

    amounts: Mapping[str, int]
    dropped: tuple[str, ...]
    cap: int | None
    cap_raised: bool


def _rank(weights: Mapping[str, float]) -> list[str]:
    return sorted((k for k, w in weights.items() if w > 0), key=lambda k: (-weights[k], k))


def water_fill(weights: Sequence[Fraction], total: Fraction, cap: Fraction | None) -> list[Fraction]:
    """Proportional shares of ``total`` where no share exceeds ``cap`` (sum(cap) >= total is assumed)."""
    shares: list[Fraction | None] = [None] * len(weights)
    remaining = total
    while True:
        open_idx = [i for i, s in enumerate(shares) if s is None]
        pool = sum((weights[i] for i in open_idx), Fraction(0))
        if not open_idx or pool == 0:
            break
        over = [i for i in open_idx if cap is not None and remaining * weights[i] / pool > cap]
        if not over:
            for i in open_idx:
                shares[i] = remaining * weights[i] / pool
            break
        for i in over:
            assert cap is not None
            shares[i] = cap
            remaining -= cap
    return [s if s is not None else Fraction(0) for s in shares]


def largest_remainder(shares: Sequence[Fraction], total: int) -> list[int]:
    """Whole amounts summing to ``total``: integer parts, then one unit each to the largest remainders."""
    whole = [math.floor(s) for s in shares]
    left = total - sum(whole)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - whole[i]), i))
    for i in order[:left]:
        whole[i] += 1
    return whole


def _shares(ranked: list[str], weights: Mapping[str, float], total: int, cap: int | None) -> list[Fraction]:
    return water_fill(
        [Fraction(weights[k]) for k in ranked], Fraction(total), Fraction(cap) if cap is not None else None
    )


def _effective_cap(cap: int | None, total: int, lines: int) -> int | None:
    if cap is None or lines == 0:
        return cap
    return max(cap, math.ceil(total / lines))


def allocate(
    weights: Mapping[str, float], total: int, *, floor: int = 0, cap: int | None = None
) -> Allocation:
    """Allocate ``total`` whole units over ``weights`` (see the module docstring for the rules).

    Keys with a weight of zero or less receive nothing and are not reported as dropped.
    """
    if total < 0 or floor < 0:
        raise ValueError("the total and the floor cannot be negative")
    if floor > total:
        raise ValueError(f"the floor {floor} is larger than the total {total}")
    ranked = _rank(weights)
    if not ranked or total == 0:
        return Allocation({}, tuple(ranked), cap, False)

    def smallest_share(n: int) -> Fraction:
        return _shares(ranked[:n], weights, total, _effective_cap(cap, total, n))[-1]

    # Largest n whose n-th (smallest) share reaches the floor: shares grow as lines are dropped. ``lo``
    # is always a verified count (one line gets the whole total >= floor), so kept lines meet the floor.
    lo, hi = 1, len(ranked)
    if floor > 0:
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if smallest_share(mid) >= floor:
                lo = mid
            else:
                hi = mid - 1
        kept = ranked[:lo]
    else:
        kept = ranked
    effective = _effective_cap(cap, total, len(kept))
    amounts = largest_remainder(_shares(kept, weights, total, effective), total)
    return Allocation(
        dict(zip(kept, amounts, strict=True)),
        tuple(ranked[len(kept) :]),
        effective,
        effective is not None and cap is not None and effective > cap,
    )
