"""``socle report --score vulnerabilities``: one row per known vulnerability of a package version in use, with
the fixed versions and the applications affected; ``socle report --score lifecycle``: lifecycle and libyear per
package, then per application."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from analysis.queries import signals as queries
from analysis.reports import ReportTable
from analysis.signals.vulnerabilities import NOT_EXPOSED, SEVERITIES

COLUMNS = [
    "package",
    "version",
    "advisory",
    "aliases",
    "severity",
    "cvss",
    "fixed_in",
    "apps",
    "status",
    "source",
    "summary",
]


def _name(purl: str) -> str:
    return purl.split("/", 1)[1].replace("%40", "@") if "/" in purl else purl


def report(conn: duckdb.DuckDBPyConnection, options: Any) -> ReportTable:
    """Open vulnerabilities first, most severe first; those analysed away (VEX) last, with their state."""
    apps = queries.apps_using(conn)
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in queries.findings(conn):
        key = (row.purl, row.version, row.advisory_id)
        entry = merged.setdefault(
            key,
            {"row": row, "sources": set(), "fixed": set(), "states": set()},
        )
        entry["sources"].add(row.source)
        entry["fixed"].update(row.fixed)
        if row.state:
            entry["states"].add(row.state)
    rows: list[tuple[Any, ...]] = []
    for (purl, version, advisory), entry in merged.items():
        row = entry["row"]
        states = entry["states"]
        exposed = not states or not states <= NOT_EXPOSED
        status = "open" if exposed else "not affected (" + ", ".join(sorted(states)) + ")"
        rows.append(
            (
                _name(purl),
                version,
                advisory,
                ", ".join(row.aliases),
                row.severity or "unknown",
                row.cvss_score,
                ", ".join(sorted(entry["fixed"])) or "no fix known",
                ", ".join(apps.get((purl, version), [])),
                status,
                ", ".join(sorted(entry["sources"])),
                (row.summary or "").strip().splitlines()[0][:200] if row.summary else "",
            )
        )
    order = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    rows.sort(key=lambda r: (r[8] != "open", order.get(r[4], len(order)), -(r[5] or 0.0), r[0], r[1], r[2]))
    return ReportTable(list(COLUMNS), rows)


LIFECYCLE_COLUMNS = [
    "package",
    "lifecycle",
    "libyear",
    "releases_behind",
    "majors_behind",
    "newest",
    "provenance",
    "reason",
]


def lifecycle_report(conn: duckdb.DuckDBPyConnection, options: Any) -> ReportTable:
    """Packages whose lifecycle is not plain active first, then the most outdated; then one row per application
    with its libyears summed over its packages (``app:NAME``)."""
    lifecycle = queries.signal_scores(conn, "lifecycle")
    libyear = queries.signal_scores(conn, "libyear")
    provenance = queries.signal_scores(conn, "provenance")
    rows: list[tuple[Any, ...]] = []
    for purl in sorted(set(lifecycle) | set(libyear)):
        label = lifecycle.get(purl, (None, None, "", "{}"))
        years = libyear.get(purl, (None, None, "", "{}"))
        details = json.loads(years[3] or "{}")
        signed = provenance.get(purl, (None, None, "", "{}"))
        reason = "; ".join(r.rstrip(".") for r in (label[2], years[2], signed[2]) if r) + "."
        rows.append(
            (
                _name(purl),
                label[1] or "not known",
                years[0],
                details.get("releases_behind"),
                details.get("majors_behind"),
                details.get("newest"),
                signed[1] or "not known",
                reason,
            )
        )
    rank = {
        "quarantined": 0,
        "deprecated": 1,
        "yanked": 2,
        "archived": 3,
        "dormant": 4,
        "finished": 6,
        "active": 7,
    }
    rows.sort(key=lambda r: (rank.get(r[1], 5), -(r[2] or 0.0), r[0]))
    for app, purls in sorted(queries.app_packages(conn).items()):
        known = [float(v) for p in purls if p in libyear and (v := libyear[p][0]) is not None]
        rows.append(
            (
                f"app:{app}",
                "",
                round(sum(known), 2) if known else None,
                None,
                None,
                None,
                "",
                f"{sum(known):.1f} libyears over {len(known)} of its {len(purls)} packages "
                f"({len(purls) - len(known)} without release dates)."
                if purls
                else "No packages.",
            )
        )
    return ReportTable(list(LIFECYCLE_COLUMNS), rows)
