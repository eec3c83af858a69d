"""Writes of the standards catalogue and of detection results (tables of ``0004_catalogue.sql``).

The catalogue is small (hundreds of rows) and always loaded whole: each write replaces the tables'
content inside the caller's transaction, so a reader sees the old or the new catalogue, never a mix.
Rows arrive as columns (``{column: [values]}``) from the analysis side, which owns their meaning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from collectors.store import insert_columns, writable_table

CATALOGUE_TABLES = tuple(
    writable_table(name)
    for name in (
        "cat_standards",
        "cat_stewards",
        "cat_interfaces",
        "cat_interface_standards",
        "cat_implementations",
    )
)
PACKAGE_INTERFACES = writable_table("package_interfaces")
DETECTION_HINTS = writable_table("detection_hints")

Columns = Mapping[str, Sequence[Any]]


def _replace(conn: duckdb.DuckDBPyConnection, table: str, columns: Columns, run_id: int) -> int:
    # table comes from the allow-lists above, never from input
    conn.execute(f"DELETE FROM {table}")  # noqa: S608
    count = len(next(iter(columns.values()), []))
    return insert_columns(conn, table, {**columns, "run_id": [run_id] * count})


def replace_catalogue(
    conn: duckdb.DuckDBPyConnection, tables: Mapping[str, Columns], run_id: int
) -> dict[str, int]:
    """Replace the five ``cat_*`` tables with ``tables`` (keyed by table name). Returns rows per table."""
    unknown = set(tables) - set(CATALOGUE_TABLES)
    if unknown:
        raise ValueError(f"not catalogue tables: {sorted(unknown)}")
    return {table: _replace(conn, table, tables.get(table, {}), run_id) for table in CATALOGUE_TABLES}


def replace_package_interfaces(conn: duckdb.DuckDBPyConnection, columns: Columns, run_id: int) -> int:
    return _replace(conn, PACKAGE_INTERFACES, columns, run_id)


def replace_detection_hints(conn: duckdb.DuckDBPyConnection, columns: Columns, run_id: int) -> int:
    return _replace(conn, DETECTION_HINTS, columns, run_id)


def retire_scores(
    conn: duckdb.DuckDBPyConnection, names: Sequence[str], keep: Sequence[tuple[str, str, str]]
) -> int:
    """Delete current scores named ``names`` whose (subject_kind, subject, name) is not in ``keep``:
    a package that left the catalogue must not keep its old standards scores. History is kept."""
    staged = pa.table(
        {
            "subject_kind": pa.array([k[0] for k in keep], type=pa.string()),
            "subject": pa.array([k[1] for k in keep], type=pa.string()),
            "name": pa.array([k[2] for k in keep], type=pa.string()),
        }
    )
    conn.register("_kept_scores", staged)
    try:
        row = conn.execute(
            """
            DELETE FROM scores s
            WHERE list_contains(?, s.name)
              AND NOT EXISTS (SELECT 1 FROM _kept_scores k
                              WHERE k.subject_kind = s.subject_kind AND k.subject = s.subject AND k.name = s.name)
            RETURNING 1
            """,
            [list(names)],
        ).fetchall()
    finally:
        conn.unregister("_kept_scores")
    return len(row)
