"""What one write costs as the store grows: an organisation with 1,000 mined repositories (1x) and 10,000 (10x).

The store is ``bench/synthetic_org.py``'s organisation of 2,000 packages (two per repository, registry facts,
contributors, scores) plus mined history: commits per repository drawn from a log-normal distribution (median
about 55; a few with tens of thousands bring the mean to about 300: most are small, a few are large), three
changed files per commit on average, and the files at the analysed revision. Then, each in a child process
(``socle`` as a user runs it), three writes that change almost nothing:

* ``socle import`` of a small SBOM (200 components) as one more application;
* ``socle refresh --only pypi`` when one package is stale (the others were collected a minute ago), against
  the loopback fake registry;
* ``socle budget --total 50000 --save``.

The store is two files (``collectors/store/layout.py``): the core file and the mined history. Beside the
writes, the same run measures what a write cost before the split, when every write copied one file holding
both: a plain copy of the two files (the baseline), and an empty write session declaring every domain (it
copies both files, as every write did) beside one declaring the core only (what an import, a registry
refresh or a budget save copies now). ``--quick``: 1x only.

    python -m bench store_scale [--quick]
"""

from __future__ import annotations

import math
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

from bench.bench_import import write_sbom
from bench.common import Figure, check, run_child
from bench.fake_registry import FakeRegistry, serve
from bench.registry_documents import answer_for
from bench.synthetic_org import synthetic
from collectors.store import CORE, read_connection, utcnow, write_session
from collectors.store.layout import generation_files

REPOSITORIES_1X = 1_000
#: Packages of the organisation (1,000 of the repositories are theirs) at every scale: the mined history is
#: what grows (a 20,000-package organisation takes more to generate than the whole benchmark should).
PACKAGES = 2_000
SOCLE = [sys.executable, "-m", "analysis.cli"]
#: Log-normal commits per repository: exp(4) = 55 median; capped at 60,000 (the mean is about 300).
MU, SIGMA, MAX_COMMITS = 4.0, 1.5, 60_000
#: Reads timed one after another (a dashboard page makes a few).
READS = 200
#: An empty write session, argv[2] = "all" (copies every file, as every write did before the split) or
#: "core" (copies the core file only).
EMPTY_WRITE = (
    "import sys; from collectors.store import CORE, DOMAINS, write_session\n"
    "with write_session(sys.argv[1], 'noop', domains=DOMAINS if sys.argv[2] == 'all' else {CORE}): pass"
)


def commits_per_repository(repositories: int, seed: int = 7) -> list[int]:
    rnd = random.Random(seed)
    return [min(MAX_COMMITS, 1 + int(rnd.lognormvariate(MU, SIGMA))) for _ in range(repositories)]


def add_history(db: Path, repositories: int) -> tuple[int, int]:
    """Mined history for ``repositories`` repositories: those of the packages, then the organisation's own
    (``socle add-repo``), inserted as Arrow chunks; returns (commits, file rows)."""
    with read_connection(db) as conn:
        urls = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT repository_url FROM package_repositories ORDER BY 1"
            ).fetchall()
        ]
    urls += [f"https://git.example.org/internal/app{i:05d}" for i in range(repositories - len(urls))]
    sizes = commits_per_repository(len(urls))
    totals = [0, 0]
    seconds = pa.timestamp("s")
    with write_session(db, "mine") as session:
        conn, run = session.conn, session.run_id
        chunk: dict[str, list[object]] = {}
        files: dict[str, list[object]] = {}
        head: dict[str, list[object]] = {}

        def flush() -> None:
            for table, columns in (("commits", chunk), ("commit_files", files), ("repository_files", head)):
                if not columns or not columns["repository_url"]:
                    continue
                arrays = {
                    k: pa.array(v, seconds) if k.endswith("_at") else pa.array(v) for k, v in columns.items()
                }
                conn.register("_bench_rows", pa.table(arrays))
                names = ", ".join(columns)
                conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _bench_rows")  # noqa: S608
                conn.unregister("_bench_rows")
                for values in columns.values():
                    values.clear()

        for r, (url, n) in enumerate(zip(urls, sizes, strict=True)):
            for name in ("repository_url", "sha", "author_name", "author_email", "authored_at", "committed_at",
                         "run_id"):  # fmt: skip
                chunk.setdefault(name, [])
            for name in ("repository_url", "sha", "status", "path", "run_id"):
                files.setdefault(name, [])
            for name in ("repository_url", "path", "run_id"):
                head.setdefault(name, [])
            start = 1_300_000_000 + r * 1000
            for k in range(n):
                sha = f"{r:08x}{k:032x}"
                person = k % (1 + r % 8)
                chunk["repository_url"].append(url)
                chunk["sha"].append(sha)
                chunk["author_name"].append(f"Developer {person}")
                chunk["author_email"].append(f"dev{person}@{r}.example")
                chunk["authored_at"].append(start + k * 3600)
                chunk["committed_at"].append(start + k * 3600)
                chunk["run_id"].append(run)
                for f in range(1 + k % 5):
                    files["repository_url"].append(url)
                    files["sha"].append(sha)
                    files["status"].append("A" if k < 20 else "M")
                    files["path"].append(f"src/module{(k + f) % 200}/file{f}.py")
                    files["run_id"].append(run)
            width = min(n, 200) * 5
            head["repository_url"] += [url] * width
            head["path"] += [f"src/module{i // 5}/file{i % 5}.py" for i in range(width)]
            head["run_id"] += [run] * width
            totals[0] += n
            totals[1] += sum(1 + k % 5 for k in range(n))
            if len(chunk["sha"]) > 200_000:
                flush()
        flush()
    return totals[0], totals[1]


def mark_fresh_but_one(db: Path) -> None:
    """Every PyPI package collected a minute ago except the first: a refresh has one package to collect."""
    with write_session(db, "refresh", domains={CORE}) as session:
        session.conn.execute(
            "INSERT OR REPLACE INTO registry_state (purl, ecosystem, status, attempted_at, succeeded_at, run_id) "
            "SELECT purl, 'pypi', 'ok', ?, ?, ? FROM packages WHERE ecosystem = 'pypi' AND purl <> "
            "(SELECT min(purl) FROM packages WHERE ecosystem = 'pypi')",
            [utcnow(), utcnow(), session.run_id],
        )


def measure(scale: int, work: Path, fake: FakeRegistry) -> list[Figure]:
    db = work / f"store-{scale}x.duckdb"
    repositories = REPOSITORIES_1X * scale
    started = time.perf_counter()
    synthetic(db, PACKAGES)
    commits, file_rows = add_history(db, repositories)
    mark_fresh_but_one(db)
    built = time.perf_counter() - started
    label = f"{scale}x ({repositories:,} repositories)"
    (history,) = generation_files(db)
    figures = [
        Figure(f"{label}: build the store", built, "s"),
        Figure(f"{label}: commits stored", commits, "rows"),
        Figure(f"{label}: commit_files stored", file_rows, "rows"),
        Figure(f"{label}: core file", db.stat().st_size / 1e6, "MB"),
        Figure(f"{label}: history file", history.stat().st_size / 1e6, "MB"),
    ]
    copies = {}
    for name, path in (("core", db), ("history", history)):
        started = time.perf_counter()
        shutil.copyfile(path, work / "copy.duckdb")
        copies[name] = time.perf_counter() - started
        (work / "copy.duckdb").unlink()
    both = copies["core"] + copies["history"]
    figures += [
        Figure(f"{label}: copy of both files (what every write copied before)", both, "s"),
        Figure(f"{label}: copy of the core file (what a core write copies now)", copies["core"], "s", both),
    ]
    every = check(run_child([sys.executable, "-c", EMPTY_WRITE, str(db), "all"]), "empty write, every file")
    empty = check(run_child([sys.executable, "-c", EMPTY_WRITE, str(db), "core"]), "empty write, core")
    (history,) = generation_files(db)  # the write copying every file published a new generation
    figures += [
        Figure(f"{label}: empty write copying every file (as before)", every.seconds, "s"),
        Figure(f"{label}: empty write copying every file, CPU", every.cpu_seconds, "s"),
        Figure(f"{label}: empty write, core only", empty.seconds, "s", every.seconds),
    ]
    started = time.perf_counter()
    for _ in range(READS):
        with read_connection(db) as conn:
            conn.execute("SELECT count(*) FROM commits").fetchall()
    per_read = (time.perf_counter() - started) / READS * 1000
    figures.append(
        Figure(f"{label}: read_connection + one SELECT (core and history attached)", per_read, "ms")
    )
    sbom = work / "small.cdx.json"
    write_sbom(sbom, 200, 400)
    imported = check(run_child([*SOCLE, "import", "--db", str(db), str(sbom)]), "socle import")
    figures += [
        Figure(f"{label}: empty write session, CPU", empty.cpu_seconds, "s"),
        Figure(f"{label}: socle import (200 components)", imported.seconds, "s", empty.seconds),
        Figure(f"{label}: socle import, CPU", imported.cpu_seconds, "s", empty.cpu_seconds),
    ]
    env = {**os.environ, "SOCLE_PYPI_URL": f"{fake.base_url}/pypi"}
    before = len(fake.requests)
    argv = [*SOCLE, "refresh", "--only", "pypi", "--max-age", "24h", "--db", str(db)]
    refreshed = run_child(argv, env=env)  # exit 1 (partial) is a figure too: the write happened
    if refreshed.returncode not in (0, 1):
        check(refreshed, "socle refresh --only pypi")
    figures += [
        Figure(f"{label}: socle refresh of one package", refreshed.seconds, "s", empty.seconds),
        Figure(f"{label}: socle refresh, CPU", refreshed.cpu_seconds, "s", empty.cpu_seconds),
        Figure(f"{label}: refresh requests", len(fake.requests) - before, "req"),
    ]
    budget = check(
        run_child([*SOCLE, "budget", "--total", "50000", "--save", "--db", str(db)]), "socle budget --save"
    )
    print(f"{label}: {refreshed.stdout.strip().splitlines()[-1:]}", file=sys.stderr)
    figures += [
        Figure(f"{label}: socle budget --save", budget.seconds, "s", empty.seconds),
        Figure(f"{label}: socle budget --save, CPU", budget.cpu_seconds, "s", empty.cpu_seconds),
    ]
    if generation_files(db) != [history]:
        raise SystemExit(f"{label}: a write that declared the core only replaced the history file")
    per_gb = every.seconds / max((db.stat().st_size + history.stat().st_size) / 1e9, math.ulp(1.0))
    figures.append(Figure(f"{label}: empty write copying every file, per GB of store", per_gb, "s/GB"))
    for path in (db, history):
        path.unlink()
    return figures


def run(quick: bool) -> list[Figure]:
    fake = FakeRegistry(routes={}, latency=0.0, cache_control="max-age=600", fallback=answer_for)
    figures: list[Figure] = []
    with serve(fake), tempfile.TemporaryDirectory(prefix="socle-bench-store-") as tmp:
        for scale in (1,) if quick else (1, 10):
            figures += measure(scale, Path(tmp), fake)
    return figures


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table([("store_scale", f) for f in run("--quick" in sys.argv)])
