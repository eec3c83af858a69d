"""The read side's SQL, in one place: one module per area, each function a parameterised query.

With the store's copy-and-swap writes a reader only ever sees published runs (ok, partial, or a failed run
recorded without its data), never a run in progress.
"""

from __future__ import annotations

import duckdb

from collectors.store import schema_tables


def table_names(conn: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The store's tables, from the migrations it records (``collectors.store.schema_tables``).

    Readers use it to degrade to "no data yet" on a store written before a migration added a table. A
    database without socle's migration ledger, or with a migration this version does not know, is asked
    for its catalogue instead (``duckdb_tables()``: about 12 ms on a freshly attached store, several times
    cheaper than ``information_schema``)."""
    try:
        applied = [str(row[0]) for row in conn.execute("SELECT name FROM schema_migrations").fetchall()]
    except duckdb.CatalogException:
        applied = None
    tables = schema_tables(applied) if applied is not None else None
    if tables is not None:
        return tables
    rows = conn.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    return frozenset(str(row[0]) for row in rows)


def table_exists(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    return name in table_names(conn)
