"""What every benchmark module shares: the figure it reports and a child-process measurement helper."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]  # where ``bench`` is importable from


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

    The figures are the command's own, read with ``wait4`` by a small launcher (``bench/measure.py`` says
    why). Its output goes to files, not pipes: a chatty command cannot block on a full pipe.
    """
    with (
        tempfile.TemporaryDirectory(prefix="socle-bench-child-") as tmp,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        result = Path(tmp) / "result.json"
        launcher = [sys.executable, "-m", "bench.measure", str(result), "--", *argv]
        subprocess.run(launcher, env=env, stdout=out, stderr=err, check=True, cwd=ROOT)
        measured = json.loads(result.read_text())
        return ChildRun(**measured, stdout=_tail(out), stderr=_tail(err))


def check(run: ChildRun, what: str) -> ChildRun:
    """``run`` if it exited 0, else an error quoting the end of its stderr."""
    if run.returncode != 0:
        raise RuntimeError(f"{what} exited {run.returncode}:\n{run.stderr}")
    return run


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
