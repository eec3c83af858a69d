"""Beside the cron refresh: a process publishes refreshes in a loop while this one calls the dashboard's read
functions in a loop. Every read must succeed and be internally consistent (a run's counts equal its rows)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import collectors.store.registry  # noqa: F401 - registers the registry tables for bulk writes
from collectors.store import insert_columns, write_scores, write_session
from dashboard import data

REFRESHES = 30
DEADLINE_SECONDS = 60


def _package_count(iteration: int) -> int:
    return 20 + (iteration * 37) % 60


def refresh_loop(db: str, refreshes: int) -> None:
    """A stand-in refresh: each run replaces the organisation with ``n`` packages, half of them with a truck
    factor of 1, and records ``n`` in its counts. Readers can check any published store against itself."""
    started = time.monotonic()
    for iteration in range(refreshes):
        if time.monotonic() - started > DEADLINE_SECONDS:
            return
        n = _package_count(iteration)
        with write_session(Path(db), "refresh", {"iteration": iteration}) as session:
            for table in ("packages", "app_packages", "scores", "package_metadata"):
                session.conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            purls = [f"pkg:pypi/p{iteration}-{k}" for k in range(n)]
            insert_columns(
                session.conn,
                "packages",
                {"purl": purls, "ecosystem": ["pypi"] * n, "name": purls, "run_id": [session.run_id] * n},
            )
            insert_columns(
                session.conn,
                "app_packages",
                {
                    "app": ["app"] * n,
                    "purl": purls,
                    "is_direct": [True] * n,
                    "depth": [1] * n,
                    "scope": ["runtime"] * n,
                    "run_id": [session.run_id] * n,
                },
            )
            write_scores(
                session,
                [
                    {
                        "subject_kind": "package",
                        "subject": purl,
                        "name": "truck_factor",
                        "version": "1",
                        "value": 1.0 if k < n // 2 else 3.0,
                        "status": "ok",
                        "reason": "test",
                    }
                    for k, purl in enumerate(purls)
                ],
            )
            session.count("packages", n)


def test_reads_beside_a_refresh_loop_never_fail_and_are_consistent(tmp_path: Path) -> None:
    db = tmp_path / "socle.duckdb"
    refresh_loop(str(db), 1)
    writer = multiprocessing.get_context("spawn").Process(target=refresh_loop, args=(str(db), REFRESHES))
    writer.start()
    errors: list[str] = []
    seen_runs: set[int] = set()
    reads = 0
    started = time.monotonic()
    try:
        while (writer.is_alive() or reads < 20) and time.monotonic() - started < DEADLINE_SECONDS + 30:
            data.clear_cache()
            try:
                summary = data.overview(db)
                table = data.dependencies(db)
                ledger = data.runs(db)
            except Exception as exc:  # the test counts every failure, whatever its type
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            reads += 1
            assert summary.last_run is not None
            seen_runs.add(summary.last_run.run_id)
            # One published store: the run's counts equal its rows, half of them with a truck factor of 1.
            assert summary.packages == summary.last_run.counts["packages"]
            assert summary.truck_factor_one == summary.packages // 2
            assert len(table) == _package_count(
                int(table["purl"][0].split("-")[0].removeprefix("pkg:pypi/p"))
            )
            assert table["truck_factor"].notna().all() and (table["apps"] == 1).all()
            assert "running" not in set(ledger["status"])
    finally:
        writer.join(timeout=DEADLINE_SECONDS + 30)
    print(f"{reads} consistent reads over {len(seen_runs)} published refreshes")
    assert writer.exitcode == 0
    assert errors == []
    assert reads >= 20
    assert len(seen_runs) >= 3, "the reads did not overlap the refreshes"
