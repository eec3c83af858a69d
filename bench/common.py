"""What every benchmark module shares: the figure it reports and a child-process measurement helper."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure; ``baseline`` is the goal or the earlier value it is compared with."""

    name: str
    value: float
    unit: str
    baseline: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    cpu_seconds: float  # user + system: what the run costs whatever else the machine is doing
    max_rss_mb: float
    returncode: int


def run_child(argv: Sequence[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run a command and return its wall time and peak resident memory (its own, read with wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        proc.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return ChildRun(seconds, cpu, usage.ru_maxrss / 1024, proc.returncode)  # ru_maxrss is in KiB on Linux


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
