"""Vulnerabilities page: the known vulnerabilities of the versions in use, and how much was looked at."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis.queries import signals
from analysis.reports.vulnerabilities import lifecycle_report, report


@dataclass(frozen=True)
class Coverage:
    versions_in_use: int
    covered: int
    sources: tuple[str, ...]
    open_findings: int
    packages_with_open: int


def vulnerability_coverage(conn: duckdb.DuckDBPyConnection) -> Coverage:
    in_use = signals.versions_in_use(conn)
    covered = signals.coverage(conn)
    total = sum(len(v) for v in in_use.values())
    looked = sum(1 for purl, versions in in_use.items() for v in versions if covered.get((purl, v)))
    rows = report(conn, None).rows
    open_rows = [r for r in rows if r[8] == "open"]
    return Coverage(
        total,
        looked,
        tuple(sorted({s for found in covered.values() for s in found})),
        len(open_rows),
        len({r[0] for r in open_rows}),
    )


def vulnerabilities(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    table = report(conn, None)
    return pd.DataFrame(table.rows, columns=table.columns)


def lifecycle(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    table = lifecycle_report(conn, None)
    return pd.DataFrame(table.rows, columns=table.columns)
