"""Statements on a session's connection run in a thread while the caller runs Python beside them.

A full mining writes 280,000 rows of rails's history (DuckDB converting and compressing them, 0.27 s) and
derives from the same history in memory what needs nothing from the store (0.4 s of Python): run together
they take 0.54 s. DuckDB needs the interpreter's lock only to read each chunk of Python strings; at the
default switch interval (5 ms) it waits that long for the lock each time, and the two together took as long
as one after the other, so the interval is lowered while both run.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator

#: The interpreter's switch interval while the work runs beside the caller (seconds).
SWITCH_INTERVAL = 0.0002


@contextlib.contextmanager
def alongside(work: Callable[[], object]) -> Iterator[None]:
    """Run ``work`` (statements on the session's connection) in a thread while the block runs code that
    does not touch the connection; an error of either is raised once both are done."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # raised again in the caller's thread
            failed.append(exc)

    previous = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    thread = threading.Thread(target=run, name="socle-store-writer")
    thread.start()
    try:
        yield
    finally:
        thread.join()
        sys.setswitchinterval(previous)
    if failed:
        raise failed[0]
