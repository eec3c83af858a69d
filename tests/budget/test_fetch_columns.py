"""The columnar read gives exactly the values of row tuples: lists, timestamps, NULLs, an empty result."""

from __future__ import annotations

import duckdb
import pytest

from analysis.queries.budget import _fetch_columns


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(":memory:")
    conn.execute(
        """
        CREATE TABLE t AS SELECT
            i,
            'pkg:pypi/p' || i AS purl,
            CASE WHEN i % 7 = 0 THEN NULL ELSE 'MIT' END AS licence,
            CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN [] ELSE ['License :: OSI Approved', 'Typing :: Typed'] END AS cls,
            CASE WHEN i % 2 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01 10:00:00.123456' + to_days(i) END AS at,
            CASE WHEN i % 5 = 0 THEN NULL ELSE i END AS n,
            CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
            CASE WHEN i % 6 = 0 THEN NULL ELSE i / 7 END AS share
        FROM range(300) r(i)
        """
    )
    return conn


def test_bulk_equals_row_tuples_value_for_value_and_type_for_type(conn: duckdb.DuckDBPyConnection) -> None:
    sql = "SELECT * FROM t ORDER BY i"
    rows = _fetch_columns(conn, sql)
    bulk = _fetch_columns(conn, sql, bulk=True)
    assert bulk == rows
    assert [[type(v) for v in column] for column in bulk] == [[type(v) for v in column] for column in rows]
    assert bulk[3][2] == ["License :: OSI Approved", "Typing :: Typed"] and bulk[3][1] == []


def test_an_empty_result_is_no_columns_either_way(conn: duckdb.DuckDBPyConnection) -> None:
    sql = "SELECT * FROM t WHERE i < 0"
    assert _fetch_columns(conn, sql) == [] == _fetch_columns(conn, sql, bulk=True)
