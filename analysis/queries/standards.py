"""Reads for the standards step, the review list and the standards report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb

from analysis.queries import table_exists
from analysis.standards.detect import PackageMetadata


def catalogue_loaded(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether a standards step has run on this store (it loads the catalogue before detecting)."""
    if not table_exists(conn, "cat_interfaces"):
        return False
    return conn.execute("SELECT count(*) FROM (SELECT 1 FROM cat_interfaces LIMIT 1)").fetchone() == (1,)


def packages_in_use(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(purl, ecosystem) of every package some application uses."""
    rows = conn.execute(
        "SELECT DISTINCT p.purl, p.ecosystem FROM packages p JOIN app_packages a USING (purl) ORDER BY 1"
    ).fetchall()
    return [(str(purl), str(ecosystem)) for purl, ecosystem in rows]


def usage_counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """purl -> number of applications using it (the organisation's own usage weight)."""
    rows = conn.execute("SELECT purl, count(DISTINCT app) FROM app_packages GROUP BY purl").fetchall()
    return {str(purl): int(n) for purl, n in rows}


#: Maintainer-concentration scores shown with each exit option (written by the maintainers step).
CONCENTRATION_SCORES = ("truck_factor", "elephant_factor", "active_maintainers", "days_since_last_commit")


def concentration_scores(conn: duckdb.DuckDBPyConnection) -> dict[str, dict[str, float | None]]:
    """purl -> {score name: value} for the maintainer-concentration scores of packages, where known."""
    rows = conn.execute(
        "SELECT subject, name, value FROM scores WHERE subject_kind = 'package' AND list_contains(?, name)",
        [list(CONCENTRATION_SCORES)],
    ).fetchall()
    out: dict[str, dict[str, float | None]] = {}
    for subject, name, value in rows:
        out.setdefault(str(subject), {})[str(name)] = float(value) if value is not None else None
    return out


def package_metadata(conn: duckdb.DuckDBPyConnection) -> list[PackageMetadata]:
    """The registry metadata the detector reads (empty before the registry collectors have run)."""
    if not table_exists(conn, "package_metadata"):
        return []
    rows = conn.execute(
        "SELECT purl, ecosystem, coalesce(summary, ''), coalesce(description, ''), "
        "coalesce(keywords, []), coalesce(classifiers, []) FROM package_metadata ORDER BY purl"
    ).fetchall()
    return [
        PackageMetadata(str(p), str(e), str(s), str(d), tuple(map(str, k)), tuple(map(str, c)))
        for p, e, s, d, k, c in rows
    ]


def described_packages(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """Purls with registry metadata."""
    if not table_exists(conn, "package_metadata"):
        return set()
    return {str(row[0]) for row in conn.execute("SELECT purl FROM package_metadata").fetchall()}


@dataclass(frozen=True)
class ReviewRow:
    purl: str
    hints: tuple[tuple[str, str, str, float], ...]  # (value, field, evidence, confidence)
    suggested: tuple[str, ...]


def review_rows(conn: duckdb.DuckDBPyConnection) -> list[ReviewRow]:
    rows = conn.execute(
        """
        SELECT purl, list((value, field, evidence, confidence) ORDER BY confidence DESC, value),
               list_distinct(flatten(list(coalesce(suggested, []))))
        FROM detection_hints
        WHERE NOT matched AND kind <> 'portability'
        GROUP BY purl ORDER BY max(confidence) DESC, purl
        """
    ).fetchall()
    return [
        ReviewRow(
            str(purl),
            tuple((str(h[0]), str(h[1]), str(h[2]), float(h[3])) for h in hints),
            tuple(sorted(str(s) for s in suggested)),
        )
        for purl, hints, suggested in rows
    ]


@dataclass(frozen=True)
class ScoreCell:
    value: float | None
    status: str
    label: str | None
    reason: str
    details: dict[str, Any]


def scores_of(conn: duckdb.DuckDBPyConnection, subject_kind: str) -> dict[tuple[str, str], ScoreCell]:
    """(subject, score name) -> score, for the four standards scores of one subject kind."""
    rows = conn.execute(
        """
        SELECT subject, name, value, status, label, reason, details::VARCHAR FROM scores
        WHERE subject_kind = ?
          AND name IN ('standardisation', 'implementation_diversity', 'fragility', 'exit_options')
        """,
        [subject_kind],
    ).fetchall()
    return {
        (str(subject), str(name)): ScoreCell(
            value, str(status), label, str(reason), json.loads(details or "{}")
        )
        for subject, name, value, status, label, reason, details in rows
    }


def dependencies(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, bool]]:
    """(purl, ecosystem, applications, direct somewhere) of every dependency of the organisation."""
    rows = conn.execute(
        """
        SELECT a.purl, p.ecosystem, count(DISTINCT a.app), bool_or(a.is_direct)
        FROM app_packages a JOIN packages p USING (purl)
        GROUP BY a.purl, p.ecosystem ORDER BY a.purl
        """
    ).fetchall()
    return [(str(purl), str(eco), int(n), bool(direct)) for purl, eco, n, direct in rows]


def application_ecosystems(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT DISTINCT a.app, p.ecosystem FROM app_packages a JOIN packages p USING (purl) ORDER BY 1, 2"
    ).fetchall()
    return [(str(app), str(eco)) for app, eco in rows]


def package_interfaces(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for purl, interface in conn.execute(
        "SELECT purl, interface_id FROM package_interfaces ORDER BY purl, interface_id"
    ).fetchall():
        out.setdefault(str(purl), []).append(str(interface))
    return out


def review_hints_by_purl(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """purl -> hint values, for packages that the catalogue does not list."""
    out: dict[str, list[str]] = {}
    for purl, value in conn.execute(
        "SELECT purl, value FROM detection_hints WHERE NOT matched AND kind <> 'portability' "
        "ORDER BY purl, confidence DESC, value"
    ).fetchall():
        out.setdefault(str(purl), []).append(str(value))
    return out
