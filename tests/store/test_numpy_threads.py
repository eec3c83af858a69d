"""NumPy, imported to write a large history, starts one BLAS thread rather than one per core (its extra
threads spin at import and take CPU from git), unless the user chose a number."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROBE = (
    "import os\n"
    "from collectors.store.git import warm_up\n"
    "warm_up()\n"
    "import numpy\n"
    "tasks = '/proc/self/task'\n"
    "print(os.environ.get('OPENBLAS_NUM_THREADS'), len(os.listdir(tasks)) if os.path.isdir(tasks) else -1)\n"
)


def _probe(**env: str) -> tuple[str, int]:
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | env
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=environ, check=True
    )
    setting, threads = done.stdout.split()
    return setting, int(threads)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through Linux's /proc")
def test_numpy_is_imported_with_one_blas_thread() -> None:
    setting, threads = _probe()
    assert setting == "1"
    assert threads == 1  # the interpreter's own thread alone: no BLAS worker started


def test_a_number_the_user_set_is_kept() -> None:
    assert _probe(OPENBLAS_NUM_THREADS="2")[0] == "2"
