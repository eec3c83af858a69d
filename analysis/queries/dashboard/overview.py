"""Overview page: headline numbers and the applications."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd

from analysis.queries import table_names as tables
from analysis.queries.dashboard.common import frame, scalar


@dataclass(frozen=True)
class LastRun:
    run_id: int
    kind: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    error_count: int
    counts: dict[str, int] = field(default_factory=dict)
    message: str | None = None


@dataclass(frozen=True)
class Overview:
    applications: int
    packages: int
    truck_factor_one: int
    truck_factor_known: int  # packages with a conclusive truck factor (their repository was mined)
    single_actor: int
    classified: int  # packages with a fragility class (their interface is in the catalogue)
    with_funding: int
    last_run: LastRun | None
    last_refresh: LastRun | None
    metadata_fetched_at: datetime | None


def _last_run(conn: duckdb.DuckDBPyConnection, kind: str | None) -> LastRun | None:
    row = conn.execute(
        "SELECT run_id, kind, status, started_at, ended_at, error_count, counts::VARCHAR, message FROM runs "
        "WHERE (? IS NULL OR kind = ?) AND status <> 'running' ORDER BY run_id DESC LIMIT 1",
        [kind, kind],
    ).fetchone()
    if row is None:
        return None
    counts = {str(k): int(v) for k, v in json.loads(row[6] or "{}").items()}
    return LastRun(int(row[0]), str(row[1]), str(row[2]), row[3], row[4], int(row[5]), counts, row[7])


def overview(conn: duckdb.DuckDBPyConnection) -> Overview:
    """Headline numbers, all read from one connection so they describe the same published store."""
    present = tables(conn)
    # A package has a channel through its own links or through its repository's (FUNDING.yml, funding.json).
    via_repository = (
        "OR purl IN (SELECT pr.purl FROM package_repositories pr JOIN funding_links f "
        "ON f.subject_kind = 'repository' AND f.subject = pr.repository_url)"
        if "package_repositories" in present
        else ""
    )
    counts = conn.execute(
        f"""
        SELECT (SELECT count(*) FROM applications),
               (SELECT count(*) FROM packages),
               (SELECT count(*) FROM scores WHERE subject_kind = 'package' AND name = 'truck_factor'
                    AND status = 'ok' AND value = 1 AND subject IN (SELECT purl FROM packages)),
               (SELECT count(*) FROM scores WHERE subject_kind = 'package' AND name = 'fragility'
                    AND label = 'single-actor' AND subject IN (SELECT purl FROM packages)),
               (SELECT count(*) FROM scores WHERE subject_kind = 'package' AND name = 'truck_factor'
                    AND status = 'ok' AND subject IN (SELECT purl FROM packages)),
               (SELECT count(*) FROM scores WHERE subject_kind = 'package' AND name = 'fragility'
                    AND label IS NOT NULL AND subject IN (SELECT purl FROM packages)),
               (SELECT count(*) FROM packages WHERE purl IN
                    (SELECT subject FROM funding_links WHERE subject_kind = 'package') {via_repository})
        """  # noqa: S608 - the optional clause is fixed text chosen above
    ).fetchone()
    assert counts is not None
    fetched = (
        scalar(conn, "SELECT max(fetched_at) FROM package_metadata")
        if "package_metadata" in present
        else None
    )
    return Overview(
        applications=int(counts[0]),
        packages=int(counts[1]),
        truck_factor_one=int(counts[2]),
        truck_factor_known=int(counts[4]),
        single_actor=int(counts[3]),
        classified=int(counts[5]),
        with_funding=int(counts[6]),
        last_run=_last_run(conn, None),
        last_refresh=_last_run(conn, "refresh"),
        metadata_fetched_at=fetched,
    )


def applications(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return frame(
        conn,
        """
        SELECT a.name AS application, a.format, count(p.purl) AS packages,
               count(p.purl) FILTER (WHERE p.is_direct) AS direct
        FROM applications a LEFT JOIN app_packages p ON p.app = a.name
        GROUP BY a.name, a.format ORDER BY a.name
        """,
    )
