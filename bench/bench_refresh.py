"""A whole ``socle refresh`` of the example organisation against a loopback fake registry, cold then warm.

``socle import`` of the PyPI and npm example applications into a fresh store, then ``socle refresh --no-clone`` (every step: pypi, npm,
completion, git, maintainers, standards, criticality, risk; repositories are skipped, nothing is cloned) in a
child process with ``$SOCLE_PYPI_URL`` / ``$SOCLE_NPM_URL`` pointing at a fake registry on 127.0.0.1 that adds
50 ms to every answer and generates a document of typical size (about 30 KB) for any package
(``bench/registry_documents.py``). Cold: empty store and HTTP cache; warm: the same command again (every
package fresh within the default ``--max-age 24h``). Three runs of each (``--quick``: one); medians.

The baselines are the registry refresh's goals for 1,000 packages (10 s cold, 2 s warm), not scaled down to
the organisation's 354 packages: a whole refresh also starts the interpreter, loads the catalogue and scores.

    python -m bench refresh [--quick]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.common import ChildRun, Figure, check, median, run_child
from bench.fake_registry import FakeRegistry, serve
from bench.registry_documents import answer_for
from collectors.store import read_connection

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
PYPI_NPM_EXAMPLES = ("citizen-portal-api", "open-data-pipeline", "services-web")
LATENCY = 0.05
COLD_GOAL = 10.0
WARM_GOAL = 2.0
SOCLE = [sys.executable, "-m", "analysis.cli"]


def _packages(db: Path) -> int:
    """How many packages the organisation has."""
    with read_connection(db) as conn:
        row = conn.execute("SELECT count(*) FROM packages").fetchone()
    return int(row[0]) if row else 0


def _refresh_once(work: Path, base_url: str, fake: FakeRegistry) -> tuple[int, list[ChildRun], list[int]]:
    """Import, then a cold and a warm refresh: (packages, [import, cold, warm], [requests cold, warm])."""
    db = work / "socle.duckdb"
    # The PyPI and npm applications: the fake registry generates answers for those two registries only
    # (the Maven, Go, Cargo and Debian examples would reach the live registries; see bench_polyglot).
    examples = [str(EXAMPLES / name) for name in PYPI_NPM_EXAMPLES]
    imported = check(run_child([*SOCLE, "import", "--db", str(db), *examples]), "socle import")
    env = {**os.environ, "SOCLE_PYPI_URL": f"{base_url}/pypi", "SOCLE_NPM_URL": f"{base_url}/npm"}
    runs, requests = [imported], []
    for _ in ("cold", "warm"):
        before = len(fake.requests)
        refreshed = run_child([*SOCLE, "refresh", "--db", str(db), "--no-clone"], env=env)
        runs.append(check(refreshed, "socle refresh"))
        requests.append(len(fake.requests) - before)
    return _packages(db), runs, requests


def run(quick: bool) -> list[Figure]:
    repeats = 1 if quick else 3
    fake = FakeRegistry(routes={}, latency=LATENCY, cache_control="max-age=600", fallback=answer_for)
    results = []
    with serve(fake):
        for _ in range(repeats):
            with tempfile.TemporaryDirectory(prefix="socle-bench-refresh-") as tmp:
                results.append(_refresh_once(Path(tmp), fake.base_url, fake))
    packages = results[0][0]
    figures = [Figure("example organisation: packages", packages, "packages")]
    for index, label, goal in (
        (1, "cold", COLD_GOAL),
        (2, "warm", WARM_GOAL),
    ):
        runs = [r[1][index] for r in results]
        figures += [
            Figure(f"refresh --no-clone, {label}: wall", median([r.seconds for r in runs]), "s", goal),
            Figure(f"refresh --no-clone, {label}: CPU user+sys", median([r.cpu_seconds for r in runs]), "s"),
            Figure(f"refresh --no-clone, {label}: peak RSS", median([r.max_rss_mb for r in runs]), "MB"),
            Figure(
                f"refresh --no-clone, {label}: requests", median([r[2][index - 1] for r in results]), "req"
            ),
        ]
    imports = [r[1][0] for r in results]
    figures.append(
        Figure("import of the PyPI and npm examples: wall", median([r.seconds for r in imports]), "s")
    )
    return figures


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table([("refresh", f) for f in run("--quick" in sys.argv)])
