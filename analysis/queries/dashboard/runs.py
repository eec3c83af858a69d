"""Runs page: the refresh ledger and its problems per package."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.queries.dashboard.common import frame


def runs(conn: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    return frame(
        conn,
        """
        SELECT r.run_id, r.kind, r.status, r.started_at, r.ended_at, r.error_count,
               count(e.run_id) FILTER (WHERE e.severity = 'warning') AS warnings,
               count(e.run_id) FILTER (WHERE e.severity = 'skipped') AS skipped,
               r.counts::VARCHAR AS counts, r.message
        FROM runs r LEFT JOIN run_events e USING (run_id)
        GROUP BY ALL ORDER BY r.run_id DESC LIMIT ?
        """,
        [limit],
    )


def run_problems(conn: duckdb.DuckDBPyConnection, run_id: int) -> pd.DataFrame:
    """Per package (or file) of one run: errors, warnings, skips and the messages."""
    return frame(
        conn,
        """
        SELECT subject, count(*) FILTER (WHERE severity = 'error') AS errors,
               count(*) FILTER (WHERE severity = 'warning') AS warnings,
               count(*) FILTER (WHERE severity = 'skipped') AS skipped,
               string_agg(severity || ': ' || message, ' | ' ORDER BY at_time) AS messages
        FROM run_events WHERE run_id = ? GROUP BY subject ORDER BY errors DESC, subject
        """,
        [run_id],
    )
