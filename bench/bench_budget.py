"""``socle budget --total 50000`` end to end on generated organisations of 1,000 and 5,000 packages.

The store (``bench/synthetic_org.py``: 10 applications each using half of the packages, layered dependency
trees, registry and git facts, maintainer scores) is built once per size; the command then runs in a child
process (interpreter start, reading the store, criticality with reverse reach, risk, eligibility, the
allocation and the printed table), three times (``--quick``: once). Figures: median wall time, CPU time and
peak resident memory of the child.

    python -m bench budget [--quick]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, check, median, run_child
from bench.synthetic_org import synthetic

SIZES = (1_000, 5_000)
#: No speed goal has been set for ``socle budget``: the figures are reported without a ratio.
GOAL_SECONDS: float | None = None


def run(quick: bool) -> list[Figure]:
    repeats = 1 if quick else 3
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="socle-bench-budget-") as tmp:
        for size in SIZES:
            db = Path(tmp) / f"budget-{size}.duckdb"
            started = time.perf_counter()
            synthetic(db, size)
            built = time.perf_counter() - started
            argv = [sys.executable, "-m", "analysis.cli", "budget", "--db", str(db), "--total", "50000"]
            runs = [check(run_child(argv), "socle budget") for _ in range(repeats)]
            label = f"socle budget --total 50000, {size:,} packages"
            figures += [
                Figure(f"build the {size:,}-package store", built, "s"),
                Figure(f"{label}: wall", median([r.seconds for r in runs]), "s", GOAL_SECONDS),
                Figure(f"{label}: CPU user+sys", median([r.cpu_seconds for r in runs]), "s"),
                Figure(f"{label}: peak RSS", median([r.max_rss_mb for r in runs]), "MB"),
            ]
    return figures


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table([("budget", f) for f in run("--quick" in sys.argv)])
