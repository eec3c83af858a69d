"""``socle report --score standards``: every dependency with its interface, standardisation, diversity,
fragility class, exit options and reason; then one row per application for its language runtime.

Exit options are shown cheapest first, each with its cost class (drop-in, port, rewrite), its independence
("same control" when the organisation that controls the package also controls the exit) and its truck
factor."""

from __future__ import annotations

from typing import Any

import duckdb

from analysis.queries import standards as queries
from analysis.reports import ReportOptions, ReportTable, sort_and_limit
from analysis.standards.model import RUNTIME_INTERFACES

COLUMNS = ["dependency", "interface", "standardisation", "diversity", "fragility", "exit_options", "reason"]
_ORDER = {"single-actor": 0, "vigilance": 1, "commons-grade": 2}


def _exit_text(cell: queries.ScoreCell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    options = cell.details.get("options", [])
    names = []
    for option in options[:3]:
        # ranked by cost, then independence, then health: say all three
        notes = [str(option[k]) for k in ("cost", "control") if option.get(k)]
        tf = option.get("truck_factor")
        if isinstance(tf, int | float):
            notes.append(f"TF {tf:g}")
        names.append(f"{option['name']} ({', '.join(notes)})" if notes else str(option["name"]))
    more = f", +{len(options) - 3}" if len(options) > 3 else ""
    return f"{int(cell.value)}" + (f": {', '.join(names)}{more}" if names else "")


def _row(
    subject: str, interface: str, cells: dict[tuple[str, str], queries.ScoreCell], key: str
) -> tuple[Any, ...]:
    s = cells.get((key, "standardisation"))
    d = cells.get((key, "implementation_diversity"))
    f = cells.get((key, "fragility"))
    e = cells.get((key, "exit_options"))
    diversity = round(d.value, 2) if d and d.value is not None else None
    reason = (
        " ".join(c.reason for c in (f, d) if c is not None)
        or "no standards score yet: run the standards step"
    )
    return (
        subject,
        interface,
        s.value if s else None,
        diversity,
        f.label if f else None,
        _exit_text(e),
        reason,
    )


def report(conn: duckdb.DuckDBPyConnection, options: ReportOptions | None = None) -> ReportTable:
    """One row per dependency of the organisation, then one per application for its language runtime."""
    package_cells = queries.scores_of(conn, "package")
    interface_cells = queries.scores_of(conn, "interface")
    interfaces = queries.package_interfaces(conn)
    hints = queries.review_hints_by_purl(conn)
    described = queries.described_packages(conn)
    rows: list[tuple[Any, ...]] = []
    for purl, _ecosystem, _apps, _direct in queries.dependencies(conn):
        cell = package_cells.get((purl, "fragility"))
        if purl in interfaces:
            main = str(cell.details.get("interface")) if cell else interfaces[purl][0]
            others = len(interfaces[purl]) - 1
            rows.append(_row(purl, main + (f" (+{others})" if others else ""), package_cells, purl))
        else:
            found = hints.get(purl, [])
            if found:
                why = f"Not in the catalogue; to review, hints: {', '.join(found[:4])}."
            elif purl in described:
                why = "Not in the catalogue and no standard or protocol named in its metadata."
            else:
                why = "Not in the catalogue; its registry metadata has not been collected yet."
            rows.append((purl, "unclassified", None, None, None, "", why))
    for app, ecosystem in queries.application_ecosystems(conn):
        runtime = RUNTIME_INTERFACES.get(ecosystem)
        if runtime is None:
            continue
        subject = f"app:{app}"
        key = next(
            (k for k in (runtime, f"{runtime}@{ecosystem}") if (k, "fragility") in interface_cells), None
        )
        if key is not None:
            rows.append(_row(subject, runtime, interface_cells, key))
        else:
            rows.append(
                (subject, runtime, None, None, None, "", f"The catalogue has no {runtime} interface.")
            )
    # Default order: the most fragile first, unclassified last; then ``--sort`` and ``--limit``.
    rows.sort(key=lambda r: (r[1] == "unclassified", _ORDER.get(str(r[4]), 3), str(r[0])))
    return sort_and_limit(ReportTable(list(COLUMNS), rows), options or ReportOptions())
