"""Reports: ``socle report --score NAME`` looks NAME up in :data:`REPORTS`; each report is a function of a
read-only connection and the options, returning a :class:`ReportTable` that the command renders as a
terminal table, CSV or JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb


@dataclass(frozen=True)
class ReportOptions:
    """What a report may be asked: the sort column (a column name, ``-`` prefix for descending)."""

    sort: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class ReportTable:
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


Report = Callable[[duckdb.DuckDBPyConnection, ReportOptions], ReportTable]


def _maintainers(conn: duckdb.DuckDBPyConnection, options: ReportOptions) -> ReportTable:
    from analysis.reports.maintainers import report

    return report(conn, options)


def _standards(conn: duckdb.DuckDBPyConnection, options: ReportOptions) -> ReportTable:
    from analysis.reports.standards import report

    return report(conn, options)


def _risk(conn: duckdb.DuckDBPyConnection, options: ReportOptions) -> ReportTable:
    from analysis.reports.risk import report

    return report(conn, options)


def _vulnerabilities(conn: duckdb.DuckDBPyConnection, options: ReportOptions) -> ReportTable:
    from analysis.reports.vulnerabilities import report

    return report(conn, options)


def _lifecycle(conn: duckdb.DuckDBPyConnection, options: ReportOptions) -> ReportTable:
    from analysis.reports.vulnerabilities import lifecycle_report

    return lifecycle_report(conn, options)


# Imports sit inside the wrappers: report modules import ReportTable from here.
REPORTS: dict[str, Report] = {
    "maintainers": _maintainers,
    "standards": _standards,
    "risk": _risk,
    "vulnerabilities": _vulnerabilities,
    "lifecycle": _lifecycle,
}


def sort_rows(table: ReportTable, sort: str | None) -> ReportTable:
    """Sort by a column (``-col`` descending); None values last."""
    if not sort:
        return table
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in table.columns:
        raise ValueError(f"unknown sort column {name!r}; one of {', '.join(table.columns)}")
    index = table.columns.index(name)
    present = [r for r in table.rows if r[index] is not None]
    missing = [r for r in table.rows if r[index] is None]
    present.sort(key=lambda r: r[index], reverse=descending)
    return ReportTable(table.columns, present + missing)


def sort_and_limit(
    table: ReportTable, options: ReportOptions, default_sort: str | None = None
) -> ReportTable:
    """``--sort`` (or the report's default order) then ``--limit``: what every report does with its rows."""
    table = sort_rows(table, options.sort or default_sort)
    if options.limit is not None:
        table = ReportTable(table.columns, table.rows[: max(options.limit, 0)])
    return table
