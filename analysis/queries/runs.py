"""Reads of the run ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class RunRow:
    run_id: int
    kind: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    error_count: int
    counts: str | None
    message: str | None


def recent_runs(conn: duckdb.DuckDBPyConnection, limit: int = 5) -> list[RunRow]:
    rows = conn.execute(
        "SELECT run_id, kind, started_at, ended_at, status, error_count, counts::VARCHAR, message "
        "FROM runs ORDER BY run_id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [RunRow(*row) for row in rows]


def run_events(conn: duckdb.DuckDBPyConnection, run_id: int) -> list[tuple[str, str, str]]:
    """(severity, subject, message) of one run, errors first."""
    return [
        (str(a), str(b), str(c))
        for a, b, c in conn.execute(
            "SELECT severity, subject, message FROM run_events WHERE run_id = ? "
            "ORDER BY severity = 'error' DESC, subject",
            [run_id],
        ).fetchall()
    ]
