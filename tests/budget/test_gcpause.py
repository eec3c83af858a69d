"""The collector pause used around bulk reads: it never leaves the collector off, nor turns it on."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from collectors.gcpause import gc_paused, paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_paused_inside_and_restored_after_even_on_error() -> None:
    @gc_paused
    def inside(fail: bool) -> bool:
        if fail:
            raise ValueError("boom")
        return gc.isenabled()

    assert inside(False) is False
    assert gc.isenabled()
    with pytest.raises(ValueError, match="boom"):
        inside(True)
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_nested_pause_leaves_the_outer_one_in_charge() -> None:
    with paused():
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block did not turn it back on
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_collector_switched_off_by_the_application_stays_off() -> None:
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()
