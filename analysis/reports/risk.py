"""``socle report --score risk``: risk and criticality per package, sortable by either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analysis.budget.assess import assess_all
from analysis.queries.budget import load
from analysis.reports import ReportTable
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
SORTS = ("risk", "criticality")


def report(conn: duckdb.DuckDBPyConnection, options: Any) -> ReportTable:
    """Computed from the store as it is, with the weights file in ``options.weights`` if given.

    ``options.sort``: ``risk`` (default) or ``criticality``, largest first; ties by package.
    """
    sort = getattr(options, "sort", None) or "risk"
    if sort not in SORTS:
        raise ValueError(f"risk report sorts by {' or '.join(SORTS)}, not {sort!r}")
    weights_path = getattr(options, "weights", None)
    data = load(conn)
    rows: list[tuple[Any, ...]] = []
    for entry in assess_all(data, load_weights(Path(weights_path) if weights_path else None)):
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
    index = COLUMNS.index(sort)
    rows.sort(key=lambda r: (-(r[index] if r[index] is not None else -1.0), r[0]))
    return ReportTable(list(COLUMNS), rows)
