"""Reads over the uniform scores table, whatever area wrote them."""

from __future__ import annotations

import duckdb


def package_score_counts(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int, int]]:
    """(score name, ok, inconclusive, error) over packages, by name."""
    return [
        (str(name), int(ok), int(inconclusive), int(error))
        for name, ok, inconclusive, error in conn.execute(
            """
            SELECT name,
                   count(*) FILTER (WHERE status = 'ok'),
                   count(*) FILTER (WHERE status = 'inconclusive'),
                   count(*) FILTER (WHERE status = 'error')
            FROM scores WHERE subject_kind = 'package'
            GROUP BY name ORDER BY name
            """
        ).fetchall()
    ]
