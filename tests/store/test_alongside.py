"""Work on the session's connection in a thread beside the caller: errors of either side, and the
interpreter's switch interval put back."""

from __future__ import annotations

import sys
import time

import pytest

from collectors.errors import StoreError
from collectors.store.alongside import SWITCH_INTERVAL, alongside


def test_work_alongside_a_block_raises_either_error_once_both_are_done() -> None:
    before = sys.getswitchinterval()
    done: list[str] = []
    seen: list[float] = []

    def failing() -> None:
        time.sleep(0.05)
        done.append("work")
        raise StoreError("disk full")

    with pytest.raises(StoreError, match="disk full"), alongside(failing):
        done.append("block")
        seen.append(sys.getswitchinterval())
    assert done == ["block", "work"]  # the block did not wait for the work, the caller did
    assert seen == [pytest.approx(SWITCH_INTERVAL)]
    assert sys.getswitchinterval() == before
    done.clear()
    with pytest.raises(ValueError, match="bad"), alongside(lambda: done.append("work")):
        time.sleep(0.05)
        raise ValueError("bad")
    assert done == ["work"]  # the thread ran to its end before the block's error went up
    assert sys.getswitchinterval() == before
