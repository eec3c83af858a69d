"""Turn weights into whole-unit amounts that sum exactly to the total, with floors and caps.

ecosyste.ms Funds caps each project at 10% of the pot and drops projects under the minimum, leaving what
the cap frees unallocated (with few projects, most of the pot). Here everything is redistributed until
stable, so the whole total is allocated:

1. Lines are ranked by weight (ties: the key, so the result never depends on input order).
2. Caps by water-filling: a line whose proportional share exceeds the cap is fixed at the cap and the rest
   is shared again among the others, until no share exceeds the cap. A cap that cannot hold (cap x lines
   < total) is raised to the smallest whole amount that lets the total be allocated, and reported.
3. Floors: the largest set of top-ranked lines whose smallest share still reaches the floor is kept; the
   lines under the floor are dropped and their money is shared among the kept ones (step 2 again). With
   ``max_lines`` at most that many top-ranked lines are kept, the same way.
4. Whole units by the largest-remainder method (Hamilton): each line gets the integer part of its share,
   the units left go to the largest fractional parts (ties: rank order).

Exact arithmetic (integers over a common denominator) keeps the result identical across platforms for the same inputs.
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


# Shares are exact rationals over one common denominator: each float weight is a dyadic fraction, so scaled
# to a common power of two they become integers N_i, and a line's share is R x N_i / P (R the whole units
# left once capped lines are paid, P the sum of the open lines' N). Integer arithmetic on these gives the
# same result as fractions, at a fraction of the cost.


def _numerators(weights: Sequence[float]) -> list[int]:
    """Integers proportional to ``weights`` exactly (a common power-of-two denominator)."""
    ratios = [w.as_integer_ratio() for w in weights]
    common = max((d for _, d in ratios), default=1)
    return [n * (common // d) for n, d in ratios]


def _water_fill(numerators: Sequence[int], total: int, cap: int | None) -> tuple[list[int], int]:
    """Proportional shares of ``total`` where no share exceeds ``cap``, as (numerators, denominator).

    ``numerators`` are in decreasing order, so the capped lines are always a prefix: the first ``k`` whose
    next line's share, with those ``k`` capped and the rest shared again, stays under the cap. Capping a
    line only raises the others' shares, so this is the fixed point of capping every line over the cap and
    sharing again until none is (sum(cap) >= total is assumed).
    """
    n = len(numerators)
    if cap is None:
        pool = sum(numerators)
        return [total * w for w in numerators], pool
    suffix = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix[i] = suffix[i + 1] + numerators[i]
    k = 0
    while k < n and (total - k * cap) * numerators[k] > cap * suffix[k]:
        k += 1
    pool = suffix[k]
    if pool == 0:  # every line capped
        return [cap] * k, 1
    remaining = total - k * cap
    return [cap * pool] * k + [remaining * w for w in numerators[k:]], pool


def largest_remainder(shares: Sequence[Fraction], total: int) -> list[int]:
    """Whole amounts summing to ``total``: integer parts, then one unit each to the largest remainders."""
    whole = [math.floor(s) for s in shares]
    left = total - sum(whole)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - whole[i]), i))
    for i in order[:left]:
        whole[i] += 1
    return whole


def _largest_remainder(shares: Sequence[int], denominator: int, total: int) -> list[int]:
    """``largest_remainder`` of the shares ``shares[i] / denominator``, in integers."""
    whole = [s // denominator for s in shares]
    left = total - sum(whole)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - whole[i] * denominator), i))
    for i in order[:left]:
        whole[i] += 1
    return whole


def _effective_cap(cap: int | None, total: int, lines: int) -> int | None:
    if cap is None or lines == 0:
        return cap
    return max(cap, math.ceil(total / lines))


def allocate(
    weights: Mapping[str, float],
    total: int,
    *,
    floor: int = 0,
    cap: int | None = None,
    max_lines: int | None = None,
) -> Allocation:
    """Allocate ``total`` whole units over ``weights`` (see the module docstring for the rules).

    Keys with a weight of zero or less receive nothing and are not reported as dropped.
    """
    if total < 0 or floor < 0:
        raise ValueError("the total and the floor cannot be negative")
    if floor > total:
        raise ValueError(f"the floor {floor} is larger than the total {total}")
    if max_lines is not None and max_lines < 1:
        raise ValueError(f"at most {max_lines} lines: there must be room for one")
    ranked = _rank(weights)
    if not ranked or total == 0:
        return Allocation({}, tuple(ranked), cap, False)

    numerators = _numerators([weights[k] for k in ranked])

    def reaches_floor(n: int) -> bool:
        shares, denominator = _water_fill(numerators[:n], total, _effective_cap(cap, total, n))
        return shares[-1] >= floor * denominator

    # Largest n whose n-th (smallest) share reaches the floor: shares grow as lines are dropped. ``lo``
    # is always a verified count (one line gets the whole total >= floor), so kept lines meet the floor.
    lo, hi = 1, len(ranked) if max_lines is None else min(len(ranked), max_lines)
    if floor > 0:
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if reaches_floor(mid):
                lo = mid
            else:
                hi = mid - 1
        kept = ranked[:lo]
    else:
        kept = ranked[:hi]
    effective = _effective_cap(cap, total, len(kept))
    shares, denominator = _water_fill(numerators[: len(kept)], total, effective)
    amounts = _largest_remainder(shares, denominator, total)
    return Allocation(
        dict(zip(kept, amounts, strict=True)),
        tuple(ranked[len(kept) :]),
        effective,
        effective is not None and cap is not None and effective > cap,
    )
