"""``socle report --score risk``: risk and criticality per package, sortable by either."""

from __future__ import annotations

from typing import Any

import duckdb

from analysis.budget.assess import assess_all
from analysis.queries.budget import load
from analysis.reports import ReportOptions, ReportTable, sort_and_limit
from analysis.risk import load_weights

COLUMNS = [
    "package",
    "risk",
    "confidence",
    "criticality",
    "openssf_criticality",
    "apps",
    "reverse_reach",
    "scope",
    "reason",
]


def report(conn: duckdb.DuckDBPyConnection, options: ReportOptions) -> ReportTable:
    """Computed from the store as it is. ``options.sort``: any column, ``-`` for descending (default
    ``-risk``: the riskiest first; ties by package, packages without a value last); ``options.limit``."""
    data = load(conn)
    rows: list[tuple[Any, ...]] = []
    for entry in assess_all(data, load_weights()):
        usage = data.usage[entry.purl]
        rows.append(
            (
                entry.purl,
                entry.risk.value,
                entry.risk.details.get("confidence"),
                entry.criticality.value,
                entry.openssf.value,
                usage.apps,
                usage.reverse_reach,
                usage.scope,
                entry.risk.reason,
            )
        )
    # rows arrive in purl order and the sort is stable: ties stay in package order
    return sort_and_limit(ReportTable(list(COLUMNS), rows), options, default_sort="-risk")
