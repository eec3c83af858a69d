"""The allocator: exact sums, floors and caps with redistribution, determinism."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.budget.allocate import allocate

weights_st = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=3),
    st.one_of(st.just(0.0), st.floats(min_value=0.001, max_value=1000, allow_nan=False)),
    min_size=1,
    max_size=25,
)


@st.composite
def problems(draw: st.DrawFn) -> tuple[dict[str, float], int, int, int | None]:
    weights = draw(weights_st)
    total = draw(st.integers(min_value=1, max_value=1_000_000))
    floor = draw(st.integers(min_value=0, max_value=total))
    cap = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=total)))
    return weights, total, floor, cap


@settings(max_examples=300, deadline=None)
@given(problems())
def test_properties(problem: tuple[dict[str, float], int, int, int | None]) -> None:
    weights, total, floor, cap = problem
    result = allocate(weights, total, floor=floor, cap=cap)
    positive = {k for k, w in weights.items() if w > 0}
    if not positive:
        assert result.amounts == {}
        return
    assert sum(result.amounts.values()) == total  # the whole total, exactly
    assert all(a >= 0 for a in result.amounts.values())
    assert all(a >= floor for a in result.amounts.values())  # or the line was dropped
    assert set(result.amounts) | set(result.dropped) == positive
    assert not set(result.amounts) & set(result.dropped)
    if cap is not None:
        assert result.cap is not None
        assert all(a <= result.cap for a in result.amounts.values())
        # the cap is only raised when it cannot hold, and then just enough
        expected = max(cap, math.ceil(total / len(result.amounts)))
        assert result.cap == expected and result.cap_raised == (expected > cap)
    # a larger weight never gets less
    kept = sorted(result.amounts, key=lambda k: weights[k])
    for low, high in itertools.pairwise(kept):
        if weights[high] > weights[low]:
            assert result.amounts[high] >= result.amounts[low]


@settings(max_examples=100, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_deterministic_whatever_the_input_order(
    problem: tuple[dict[str, float], int, int, int | None], rnd: random.Random
) -> None:
    weights, total, floor, cap = problem
    items = list(weights.items())
    rnd.shuffle(items)
    assert allocate(dict(items), total, floor=floor, cap=cap) == allocate(
        weights, total, floor=floor, cap=cap
    )


def test_floor_drops_the_smallest_and_redistributes() -> None:
    result = allocate({"a": 50, "b": 30, "c": 15, "d": 5}, 100, floor=10)
    # d (5) is under the floor; 100 over 95 weight: 52.63, 31.58, 15.79 -> largest remainders c, a
    assert result.amounts == {"a": 53, "b": 31, "c": 16}
    assert result.dropped == ("d",)


def test_cap_excess_is_redistributed_not_left_unallocated() -> None:
    result = allocate({"a": 8, "b": 1, "c": 1}, 100, cap=50)
    assert result.amounts == {"a": 50, "b": 25, "c": 25}
    assert not result.cap_raised


def test_a_cap_that_cannot_hold_is_raised_just_enough() -> None:
    # ecosyste.ms would give 100 + 100 + 100 and leave 700 unallocated.
    result = allocate({"a": 10, "b": 1, "c": 1}, 1000, cap=100)
    assert sum(result.amounts.values()) == 1000
    assert result.cap == 334 and result.cap_raised
    assert result.amounts == {"a": 334, "b": 333, "c": 333}


def test_equal_weights_break_ties_by_key() -> None:
    assert allocate({"b": 1, "a": 1, "c": 1}, 100).amounts == {"a": 34, "b": 33, "c": 33}


def test_floor_above_total_is_refused() -> None:
    with pytest.raises(ValueError, match="larger than the total"):
        allocate({"a": 1}, 10, floor=11)
