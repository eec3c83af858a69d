"""The read side's SQL, in one place: one module per area, each function a parameterised query.

With the store's copy-and-swap writes a reader only ever sees published runs (ok, partial, or a failed run
recorded without its data), never a run in progress.
"""

from __future__ import annotations

import duckdb


def table_names(conn: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The store's tables (``duckdb_tables()`` is several times cheaper than ``information_schema``).

    Readers use it to degrade to "no data yet" on a store written before a migration added a table."""
    rows = conn.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    return frozenset(str(row[0]) for row in rows)


def table_exists(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    return name in table_names(conn)
