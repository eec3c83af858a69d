"""What every benchmark module shares: the figure it reports and a child-process measurement helper."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO


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
    stdout: str = ""  # the end of what the child printed (a summary line)
    stderr: str = ""  # the end of what the child wrote on stderr, to explain a failure


def _tail(file: IO[bytes], size: int = 4000) -> str:
    file.seek(max(0, file.seek(0, os.SEEK_END) - size))
    return file.read().decode(errors="replace")


def run_child(argv: Sequence[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run a command and return its wall time, CPU time and peak resident memory.

    The figures are the child's own, read with ``wait4`` (``RUSAGE_CHILDREN`` would give the largest of every
    child waited for so far). Its output goes to files, not pipes: a chatty child cannot block on a full pipe.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout, stderr = _tail(out), _tail(err)
    cpu = usage.ru_utime + usage.ru_stime
    # ru_maxrss is in KiB on Linux
    return ChildRun(seconds, cpu, usage.ru_maxrss / 1024, proc.returncode, stdout, stderr)


def check(run: ChildRun, what: str) -> ChildRun:
    """``run`` if it exited 0, else an error quoting the end of its stderr."""
    if run.returncode != 0:
        raise RuntimeError(f"{what} exited {run.returncode}:\n{run.stderr}")
    return run


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
