"""Dependencies page: every package with its scores, and one package in detail."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analysis.queries import table_exists as has_table
from analysis.queries import table_names as tables
from analysis.queries.dashboard.common import TABLE_SCORES, empty, frame


def dependencies(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per package: usage, metadata and the headline scores (value, or label for fragility)."""
    meta = has_table(conn, "package_metadata")
    summary = "m.summary" if meta else "NULL::VARCHAR"
    latest = "m.latest_version" if meta else "NULL::VARCHAR"
    join = "LEFT JOIN package_metadata m ON m.purl = p.purl" if meta else ""
    # Identifiers below come from the fixed TABLE_SCORES tuple, never from input.
    pivots = ",\n".join(
        f"max(CASE WHEN s.name = '{n}' THEN {'s.label' if n == 'fragility' else 's.value'} END) AS {n}"
        for n in TABLE_SCORES
    )
    sql = f"""
        WITH usage AS (
            SELECT purl, count(DISTINCT app) AS apps, bool_or(is_direct) AS direct, min(depth) AS min_depth,
                   CASE WHEN bool_or(scope = 'runtime') THEN 'runtime' ELSE min(scope) END AS scope
            FROM app_packages GROUP BY purl),
        sc AS (
            SELECT s.subject AS purl, {pivots},
                   max(CASE WHEN s.name = 'risk' THEN s.reason END) AS risk_reason
            FROM scores s WHERE s.subject_kind = 'package' GROUP BY s.subject),
        funding AS (
            SELECT subject AS purl, string_agg(DISTINCT coalesce(platform, 'other'), ', ') AS funding
            FROM funding_links WHERE subject_kind = 'package' GROUP BY subject)
        SELECT p.purl, p.ecosystem, p.name, {latest} AS latest_version, u.apps, u.direct, u.min_depth,
               u.scope, {", ".join(f"sc.{n}" for n in TABLE_SCORES)}, f.funding, sc.risk_reason,
               {summary} AS summary
        FROM packages p LEFT JOIN usage u USING (purl) LEFT JOIN sc USING (purl)
        LEFT JOIN funding f USING (purl) {join}
        ORDER BY sc.criticality DESC NULLS LAST, p.purl
    """  # noqa: S608 - see the comment above
    return frame(conn, sql)


@dataclass(frozen=True)
class PackageDetail:
    purl: str
    metadata: dict[str, Any]
    releases: pd.DataFrame
    repositories: pd.DataFrame
    maintainers: pd.DataFrame
    funding: pd.DataFrame
    scores: pd.DataFrame
    usage: pd.DataFrame


def paths_to(conn: duckdb.DuckDBPyConnection, purl: str) -> dict[str, str]:
    """Per application using ``purl`` transitively: the shortest path from one of its direct dependencies,
    found by a breadth-first walk of that application's graph (two queries for all applications)."""
    edges = conn.execute(
        "SELECT app, parent_purl, child_purl FROM app_edges WHERE app IN "
        "(SELECT app FROM app_packages WHERE purl = ? AND NOT is_direct)",
        [purl],
    ).fetchall()
    starts = conn.execute(
        "SELECT app, purl FROM app_packages WHERE is_direct AND app IN "
        "(SELECT app FROM app_packages WHERE purl = ? AND NOT is_direct) ORDER BY app, purl",
        [purl],
    ).fetchall()
    children: dict[tuple[str, str], list[str]] = {}
    for app, parent, child in edges:
        children.setdefault((app, parent), []).append(child)
    direct: dict[str, list[str]] = {}
    for app, start in starts:
        direct.setdefault(app, []).append(start)
    paths: dict[str, str] = {}
    for app, first in direct.items():
        queue: deque[list[str]] = deque([start] for start in first)
        seen = set(first)
        while queue:
            path = queue.popleft()
            if path[-1] == purl:
                paths[app] = " → ".join([app, *path])
                break
            for child in sorted(children.get((app, path[-1]), [])):
                if child not in seen:
                    seen.add(child)
                    queue.append([*path, child])
    return paths


def package_detail(conn: duckdb.DuckDBPyConnection, purl: str) -> PackageDetail:
    present = tables(conn)
    metadata: dict[str, Any] = {}
    if "package_metadata" in present:
        cursor = conn.execute(
            "SELECT latest_version, summary, homepage, repository_url, license, deprecated, last_release_at, "
            "releases_last_12m, fetched_at FROM package_metadata WHERE purl = ?",
            [purl],
        )
        row = cursor.fetchone()
        if row is not None:
            metadata = dict(zip([d[0] for d in cursor.description], row, strict=True))
    releases = (
        frame(
            conn,
            "SELECT version, released_at, yanked FROM package_releases WHERE purl = ? "
            "ORDER BY released_at DESC NULLS LAST LIMIT 50",
            [purl],
        )
        if "package_releases" in present
        else empty("version", "released_at", "yanked")
    )
    repositories = (
        frame(
            conn,
            "SELECT pr.repository_url, pr.directory, pr.source, r.status, r.mined_at, r.message "
            "FROM package_repositories pr LEFT JOIN repositories r ON r.url = pr.repository_url "
            "WHERE pr.purl = ? ORDER BY 1",
            [purl],
        )
        if "package_repositories" in present and "repositories" in present
        else empty("repository_url", "directory", "source", "status", "mined_at", "message")
    )
    maintainers = (
        frame(
            conn, "SELECT login, role, source FROM package_maintainers WHERE purl = ? ORDER BY login", [purl]
        )
        if "package_maintainers" in present
        else empty("login", "role", "source")
    )
    via_repository = (
        "OR (subject_kind = 'repository' AND subject IN "
        "(SELECT repository_url FROM package_repositories WHERE purl = $purl))"
        if "package_repositories" in present
        else ""
    )
    funding = frame(
        conn,
        "SELECT subject_kind, platform, url, label, source FROM funding_links "  # noqa: S608 - fixed text
        f"WHERE (subject_kind = 'package' AND subject = $purl) {via_repository} ORDER BY platform, url",
        {"purl": purl},
    )
    scores = frame(
        conn,
        "SELECT name, value, label, status, reason, version FROM scores "
        "WHERE subject_kind = 'package' AND subject = ? ORDER BY name",
        [purl],
    )
    usage = frame(
        conn,
        "SELECT app AS application, version, is_direct AS direct, depth, scope FROM app_packages "
        "WHERE purl = ? ORDER BY app, version",
        [purl],
    )
    paths = paths_to(conn, purl) if not usage["direct"].all() else {}
    usage["path"] = [
        f"{app} → {purl}" if direct else paths.get(app, f"{app} → … → {purl}")
        for app, direct in zip(usage["application"], usage["direct"], strict=True)
    ]
    return PackageDetail(purl, metadata, releases, repositories, maintainers, funding, scores, usage)
