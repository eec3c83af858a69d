"""Reads behind the risk signals: versions in use, vulnerability findings and coverage, lifecycle facts."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb


def tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        str(r[0])
        for r in conn.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()
    }


def versions_in_use(conn: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """purl -> the versions the organisation's applications use (pinned ones; ranges have no version)."""
    found: dict[str, set[str]] = {}
    for purl, version in conn.execute(
        "SELECT DISTINCT purl, version FROM app_packages WHERE version IS NOT NULL AND version <> ''"
    ).fetchall():
        found.setdefault(str(purl), set()).add(str(version))
    return found


def apps_using(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    """(purl, version) -> the applications using that version, sorted."""
    found: dict[tuple[str, str], list[str]] = {}
    for purl, version, app in conn.execute(
        "SELECT DISTINCT purl, version, app FROM app_packages WHERE version IS NOT NULL ORDER BY app"
    ).fetchall():
        found.setdefault((str(purl), str(version)), []).append(str(app))
    return found


def stored_pypi_documents(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, dict[str, Any]]]:
    """(purl, parsed JSON) of every stored PyPI JSON API answer."""
    return stored_documents(conn, "pypi")


def stored_documents(conn: duckdb.DuckDBPyConnection, ecosystem: str) -> list[tuple[str, dict[str, Any]]]:
    """(purl, parsed JSON) of every stored registry answer of one ecosystem (a purl type)."""
    if "registry_documents" not in tables(conn) or not ecosystem.isalnum():
        return []
    out: list[tuple[str, dict[str, Any]]] = []
    for purl, body in conn.execute(
        "SELECT purl, body_zlib FROM registry_documents WHERE purl LIKE ? ORDER BY url",
        [f"pkg:{ecosystem}/%"],
    ).fetchall():
        try:
            document = json.loads(zlib.decompress(body))
        except (zlib.error, json.JSONDecodeError, RecursionError):
            continue
        if isinstance(document, dict):
            out.append((str(purl), document))
    return out


@dataclass(frozen=True)
class FindingRow:
    purl: str
    version: str
    advisory_id: str
    aliases: tuple[str, ...]
    severity: str | None
    cvss_score: float | None
    summary: str | None
    fixed: tuple[str, ...]
    ranges: tuple[str, ...]
    state: str | None
    source: str


def findings(conn: duckdb.DuckDBPyConnection) -> list[FindingRow]:
    if "package_vulnerabilities" not in tables(conn):
        return []
    rows = conn.execute(
        """
        SELECT v.purl, v.version, v.advisory_id, coalesce(a.aliases, []), a.severity, a.cvss_score, a.summary,
               coalesce(v.fixed, []), coalesce(v.ranges, []), v.state, v.source
        FROM package_vulnerabilities v LEFT JOIN vulnerability_advisories a ON a.id = v.advisory_id
        ORDER BY v.purl, v.version, v.advisory_id, v.source
        """
    ).fetchall()
    return [
        FindingRow(str(p), str(v), str(i), tuple(al), sev, cv, su, tuple(fx), tuple(rg), st, str(so))
        for p, v, i, al, sev, cv, su, fx, rg, st, so in rows
    ]


def coverage(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], set[str]]:
    """(purl, version) -> the sources that looked at it."""
    if "vulnerability_coverage" not in tables(conn):
        return {}
    found: dict[tuple[str, str], set[str]] = {}
    for purl, version, source in conn.execute(
        "SELECT purl, version, source FROM vulnerability_coverage"
    ).fetchall():
        found.setdefault((str(purl), str(version)), set()).add(str(source))
    return found


@dataclass(frozen=True)
class LifecycleFacts:
    purl: str
    ecosystem: str
    latest_version: str | None
    deprecated: str | None
    classifiers: tuple[str, ...]
    last_release_at: datetime | None
    releases: tuple[tuple[str, datetime | None, bool], ...]  # (version, released_at, yanked)


def lifecycle_facts(conn: duckdb.DuckDBPyConnection) -> dict[str, LifecycleFacts]:
    """Registry facts of every package with collected metadata."""
    present = tables(conn)
    if "package_metadata" not in present:
        return {}
    releases: dict[str, list[tuple[str, datetime | None, bool]]] = {}
    if "package_releases" in present:
        for purl, version, at, yanked in conn.execute(
            "SELECT purl, version, released_at, yanked FROM package_releases ORDER BY purl, released_at NULLS FIRST"
        ).fetchall():
            releases.setdefault(str(purl), []).append((str(version), at, bool(yanked)))
    out: dict[str, LifecycleFacts] = {}
    for purl, eco, latest, deprecated, classifiers, last in conn.execute(
        "SELECT purl, ecosystem, latest_version, deprecated, coalesce(classifiers, []), last_release_at "
        "FROM package_metadata"
    ).fetchall():
        out[str(purl)] = LifecycleFacts(
            str(purl),
            str(eco),
            latest,
            deprecated,
            tuple(classifiers),
            last,
            tuple(releases.get(str(purl), ())),
        )
    return out


def signal_scores(
    conn: duckdb.DuckDBPyConnection, name: str
) -> dict[str, tuple[float | None, str | None, str, str]]:
    """purl -> (value, label, reason, details JSON) of one signal score (``lifecycle`` or ``libyear``)."""
    if name not in ("lifecycle", "libyear", "vulnerabilities", "provenance"):
        raise ValueError(f"not a signal score: {name}")
    return {
        str(s): (v, lab, str(r), str(d))
        for s, v, lab, r, d in conn.execute(
            "SELECT subject, value, label, reason, details FROM scores WHERE subject_kind = 'package' AND name = ?",
            [name],
        ).fetchall()
    }


def app_packages(conn: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """application -> the purls it uses."""
    found: dict[str, set[str]] = {}
    for app, purl in conn.execute("SELECT DISTINCT app, purl FROM app_packages").fetchall():
        found.setdefault(str(app), set()).add(str(purl))
    return found


@dataclass(frozen=True)
class RegistrySignal:
    """What a registry said about one package version and one signal (``version`` '' for a project-wide one)."""

    purl: str
    version: str
    signal: str  # advisories | project_status | attestation
    source: str  # npm | pypi
    outcome: str  # found | absent | not_collected
    value: str | None
    detail: str | None


def registry_signals(conn: duckdb.DuckDBPyConnection) -> list[RegistrySignal]:
    if "registry_signals" not in tables(conn):
        return []
    return [
        RegistrySignal(str(p), str(v), str(s), str(so), str(o), val, d)
        for p, v, s, so, o, val, d in conn.execute(
            "SELECT purl, version, signal, source, outcome, value, detail FROM registry_signals "
            "ORDER BY purl, version, signal, source"
        ).fetchall()
    ]
