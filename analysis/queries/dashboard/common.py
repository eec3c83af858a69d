"""Shared pieces of the dashboard's reads. The reads behind the dashboard's pages: each function takes an open read-only connection and returns a frame
or a frozen dataclass. Tables another area has not created yet (an older store, a step not run) read as empty,
so a page says "no data yet" rather than failing.

Score names follow the scores contract (truck_factor, fragility, criticality, risk, exit_options, ...).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

#: Scores shown as columns of the dependencies table, in order.
TABLE_SCORES = ("criticality", "risk", "truck_factor", "active_maintainers", "fragility", "standardisation")
FRAGILE = ("single-actor", "vigilance")


def frame(
    conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | dict[str, Any] | None = None
) -> pd.DataFrame:
    return conn.execute(sql, params or []).df()


def empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in columns})


def scalar(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = conn.execute(sql, params or []).fetchone()
    return row[0] if row else None
