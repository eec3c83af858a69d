"""``socle report --score maintainers``: each package and repository with its truck factor, factors,
activity and the truck factor's reason."""

from __future__ import annotations

from typing import Any

import duckdb

from analysis.queries import git as queries
from analysis.reports import ReportOptions, ReportTable, sort_rows

COLUMNS = [
    "kind", "subject", "repository", "truck_factor", "absence_factor", "absence_factor_12m", "pony_factor",
    "pony_factor_12m", "elephant_factor", "elephant_factor_12m", "commit_hhi", "active_maintainers",
    "days_since_last_commit", "publishers", "reason",
]  # fmt: skip
_VALUE_COLUMNS = {
    "truck_factor": "truck_factor",
    "contributor_absence_factor": "absence_factor",
    "contributor_absence_factor_12m": "absence_factor_12m",
    "pony_factor": "pony_factor",
    "pony_factor_12m": "pony_factor_12m",
    "elephant_factor": "elephant_factor",
    "elephant_factor_12m": "elephant_factor_12m",
    "commit_hhi": "commit_hhi",
    "active_maintainers": "active_maintainers",
    "days_since_last_commit": "days_since_last_commit",
    "publishers": "publishers",
}


def report(conn: duckdb.DuckDBPyConnection, options: ReportOptions) -> ReportTable:
    repo_of = queries.repository_of_package(conn)
    subjects: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, subject, name, value, status, reason in queries.maintainer_scores(conn):
        row = subjects.setdefault((kind, subject), {})
        column = _VALUE_COLUMNS.get(name)
        if column is not None:
            row[column] = _number(value) if status == "ok" else None
        # the truck factor's reason is the row's; otherwise the first inconclusive reason
        if name == "truck_factor" or ("reason" not in row and status != "ok"):
            row["reason"] = reason
    rows = []
    for (kind, subject), values in sorted(subjects.items(), key=lambda kv: (kv[0][0] != "package", kv[0][1])):
        repository = repo_of.get(subject) if kind == "package" else subject
        rows.append(
            (kind, subject, repository, *(values.get(c) for c in COLUMNS[3:-1]), values.get("reason", ""))
        )
    table = sort_rows(ReportTable(list(COLUMNS), rows), options.sort)
    if options.limit is not None:
        table = ReportTable(table.columns, table.rows[: options.limit])
    return table


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 4)
