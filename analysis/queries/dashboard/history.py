"""History page: scores across runs, and saved budget proposals."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.queries import table_exists as has_table
from analysis.queries.dashboard.common import empty, frame


def score_names(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        str(r[0]) for r in conn.execute("SELECT DISTINCT name FROM score_history ORDER BY name").fetchall()
    ]


def score_trend(conn: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """Per trusted run, the packages' values of one score as of that run (the last change at or before it)."""
    return frame(
        conn,
        """
        WITH r AS (SELECT run_id, started_at FROM runs WHERE status IN ('ok', 'partial')),
        as_of AS (
            SELECT r.run_id, r.started_at, h.subject, arg_max(h.value, h.run_id) AS value
            FROM r JOIN score_history h ON h.run_id <= r.run_id
            WHERE h.name = ? AND h.subject_kind = 'package'
            GROUP BY ALL)
        SELECT run_id, started_at, count(*) AS packages, avg(value) AS mean, median(value) AS median
        FROM as_of GROUP BY ALL ORDER BY run_id
        """,
        [name],
    )


def score_changes(conn: duckdb.DuckDBPyConnection, name: str, limit: int = 200) -> pd.DataFrame:
    """Changes of one score after its first value: subject, run, previous and new value or label."""
    return frame(
        conn,
        """
        WITH h AS (
            SELECT subject, run_id, value, label, status,
                   lag(value) OVER w AS previous_value, lag(label) OVER w AS previous_label,
                   row_number() OVER w AS n
            FROM score_history WHERE name = ? AND subject_kind = 'package'
            WINDOW w AS (PARTITION BY subject ORDER BY run_id))
        SELECT subject AS purl, run_id, previous_value, value, previous_label, label, status
        FROM h WHERE n > 1 ORDER BY run_id DESC, purl LIMIT ?
        """,
        [name, limit],
    )


def proposals(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Saved budget proposals (``0005_budget.sql``), newest first, with their line count and parameters."""
    if not (has_table(conn, "budget_proposals") and has_table(conn, "budget_lines")):
        return empty(
            "proposal_id",
            "created_at",
            "method",
            "total",
            "currency",
            "lines",
            "data_as_of",
            "parameters",
            "run_id",
        )
    return frame(
        conn,
        """
        SELECT p.proposal_id, p.created_at, p.method, p.total, p.currency, count(l.position) AS lines,
               p.data_as_of, p.parameters::VARCHAR AS parameters, p.run_id
        FROM budget_proposals p LEFT JOIN budget_lines l USING (proposal_id)
        GROUP BY ALL ORDER BY p.proposal_id DESC
        """,
    )


def proposal_lines(conn: duckdb.DuckDBPyConnection, proposal_id: int) -> pd.DataFrame:
    """The lines of one saved proposal, in the order they were shown (largest amount first)."""
    if not has_table(conn, "budget_lines"):
        return empty("project", "packages", "amount", "channel", "rationale")
    return frame(
        conn,
        "SELECT project, array_to_string(packages, ', ') AS packages, amount, channel, rationale "
        "FROM budget_lines WHERE proposal_id = ? ORDER BY position",
        [proposal_id],
    )
