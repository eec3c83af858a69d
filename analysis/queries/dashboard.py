"""Reads behind the dashboard's pages: each function takes an open read-only connection and returns a frame
or a frozen dataclass. Tables another area has not created yet (an older store, a step not run) read as empty,
so a page says "no data yet" rather than failing.

Score names follow the scores contract (truck_factor, fragility, criticality, risk, exit_options, ...).
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from analysis.queries import table_exists as has_table
from analysis.queries import table_names as tables

#: Scores shown as columns of the dependencies table, in order.
TABLE_SCORES = ("criticality", "risk", "truck_factor", "active_maintainers", "fragility", "standardisation")
FRAGILE = ("single-actor", "vigilance")


def _frame(
    conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | dict[str, Any] | None = None
) -> pd.DataFrame:
    return conn.execute(sql, params or []).df()


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in columns})


def _scalar(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = conn.execute(sql, params or []).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class LastRun:
    run_id: int
    kind: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    error_count: int
    counts: dict[str, int] = field(default_factory=dict)
    message: str | None = None


@dataclass(frozen=True)
class Overview:
    applications: int
    packages: int
    truck_factor_one: int
    truck_factor_known: int  # packages with a conclusive truck factor (their repository was mined)
    single_actor: int
    classified: int  # packages with a fragility class (their interface is in the catalogue)
    with_funding: int
    last_run: LastRun | None
    last_refresh: LastRun | None
    metadata_fetched_at: datetime | None


def _last_run(conn: duckdb.DuckDBPyConnection, kind: str | None) -> LastRun | None:
    row = conn.execute(
        "SELECT run_id, kind, status, started_at, ended_at, error_count, counts::VARCHAR, message FROM runs "
        "WHERE (? IS NULL OR kind = ?) AND status <> 'running' ORDER BY run_id DESC LIMIT 1",
        [kind, kind],
    ).fetchone()
    if row is None:
        return None
    counts = {str(k): int(v) for k, v in json.loads(row[6] or "{}").items()}
    return LastRun(int(row[0]), str(row[1]), str(row[2]), row[3], row[4], int(row[5]), counts, row[7])


def overview(conn: duckdb.DuckDBPyConnection) -> Overview:
    """Headline numbers, all read from one connection so they describe the same published store."""
    present = tables(conn)
    # A package has a channel through its own links or through its repository's (FUNDING.yml, funding.json).
    via_repository = (
        "OR purl IN (SELECT pr.purl FROM package_repositories pr JOIN funding_links f "
        "ON f.subject_kind = 'repository' AND f.subject = pr.repository_url)"
        if "package_repositories" in present
        else ""
    )
    counts = conn.execute(
        f"""
        SELECT (SELECT count(*) FROM applications),
               (SELECT count(*) FROM packages),
               (SELECT count(*) FROM scores WHERE subject_kind = 'package' AND name = 'truck_factor'
                    AND status = 'ok' AND value = 1 AND subject IN (SELECT purl FROM packages)),
               (SELECT count(*) FROM scores WHERE subject_kind = 'package' AND name = 'fragility'
                    AND label = 'single-actor' AND subject IN (SELECT purl FROM packages)),
               (SELECT count(*) FROM scores WHERE subject_kind = 'package' AND name = 'truck_factor'
                    AND status = 'ok' AND subject IN (SELECT purl FROM packages)),
               (SELECT count(*) FROM scores WHERE subject_kind = 'package' AND name = 'fragility'
                    AND label IS NOT NULL AND subject IN (SELECT purl FROM packages)),
               (SELECT count(*) FROM packages WHERE purl IN
                    (SELECT subject FROM funding_links WHERE subject_kind = 'package') {via_repository})
        """  # noqa: S608 - the optional clause is fixed text chosen above
    ).fetchone()
    assert counts is not None
    fetched = (
        _scalar(conn, "SELECT max(fetched_at) FROM package_metadata")
        if "package_metadata" in present
        else None
    )
    return Overview(
        applications=int(counts[0]),
        packages=int(counts[1]),
        truck_factor_one=int(counts[2]),
        truck_factor_known=int(counts[4]),
        single_actor=int(counts[3]),
        classified=int(counts[5]),
        with_funding=int(counts[6]),
        last_run=_last_run(conn, None),
        last_refresh=_last_run(conn, "refresh"),
        metadata_fetched_at=fetched,
    )


def applications(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(
        conn,
        """
        SELECT a.name AS application, a.format, count(p.purl) AS packages,
               count(p.purl) FILTER (WHERE p.is_direct) AS direct
        FROM applications a LEFT JOIN app_packages p ON p.app = a.name
        GROUP BY a.name, a.format ORDER BY a.name
        """,
    )


# ---------------------------------------------------------------------------------------------- dependencies


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
    return _frame(conn, sql)


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


def _paths(conn: duckdb.DuckDBPyConnection, purl: str) -> dict[str, str]:
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
        _frame(
            conn,
            "SELECT version, released_at, yanked FROM package_releases WHERE purl = ? "
            "ORDER BY released_at DESC NULLS LAST LIMIT 50",
            [purl],
        )
        if "package_releases" in present
        else _empty("version", "released_at", "yanked")
    )
    repositories = (
        _frame(
            conn,
            "SELECT pr.repository_url, pr.directory, pr.source, r.status, r.mined_at, r.message "
            "FROM package_repositories pr LEFT JOIN repositories r ON r.url = pr.repository_url "
            "WHERE pr.purl = ? ORDER BY 1",
            [purl],
        )
        if "package_repositories" in present and "repositories" in present
        else _empty("repository_url", "directory", "source", "status", "mined_at", "message")
    )
    maintainers = (
        _frame(
            conn, "SELECT login, role, source FROM package_maintainers WHERE purl = ? ORDER BY login", [purl]
        )
        if "package_maintainers" in present
        else _empty("login", "role", "source")
    )
    via_repository = (
        "OR (subject_kind = 'repository' AND subject IN "
        "(SELECT repository_url FROM package_repositories WHERE purl = $purl))"
        if "package_repositories" in present
        else ""
    )
    funding = _frame(
        conn,
        "SELECT subject_kind, platform, url, label, source FROM funding_links "  # noqa: S608 - fixed text
        f"WHERE (subject_kind = 'package' AND subject = $purl) {via_repository} ORDER BY platform, url",
        {"purl": purl},
    )
    scores = _frame(
        conn,
        "SELECT name, value, label, status, reason, version FROM scores "
        "WHERE subject_kind = 'package' AND subject = ? ORDER BY name",
        [purl],
    )
    usage = _frame(
        conn,
        "SELECT app AS application, version, is_direct AS direct, depth, scope FROM app_packages "
        "WHERE purl = ? ORDER BY app, version",
        [purl],
    )
    paths = _paths(conn, purl) if not usage["direct"].all() else {}
    usage["path"] = [
        f"{app} → {purl}" if direct else paths.get(app, f"{app} → … → {purl}")
        for app, direct in zip(usage["application"], usage["direct"], strict=True)
    ]
    return PackageDetail(purl, metadata, releases, repositories, maintainers, funding, scores, usage)


# ---------------------------------------------------------------------------------------------- bus factor


def truck_factor_distribution(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Packages per truck factor; packages without a conclusive value count as "unknown"."""
    return _frame(
        conn,
        """
        SELECT CASE WHEN s.status = 'ok' AND s.value IS NOT NULL THEN CAST(CAST(s.value AS INTEGER) AS VARCHAR)
                    ELSE 'unknown' END AS truck_factor,
               count(*) AS packages
        FROM packages p LEFT JOIN scores s
          ON s.subject_kind = 'package' AND s.subject = p.purl AND s.name = 'truck_factor'
        GROUP BY 1 ORDER BY try_cast(truck_factor AS INTEGER) NULLS LAST
        """,
    )


def riskiest_packages(conn: duckdb.DuckDBPyConnection, limit: int = 20) -> pd.DataFrame:
    """Lowest truck factor first, then the most critical for the organisation."""
    return _frame(
        conn,
        """
        SELECT t.subject AS purl, t.value AS truck_factor, c.value AS criticality,
               a.value AS active_maintainers, t.reason
        FROM scores t
        LEFT JOIN scores c ON c.subject_kind = 'package' AND c.subject = t.subject AND c.name = 'criticality'
        LEFT JOIN scores a ON a.subject_kind = 'package' AND a.subject = t.subject AND a.name = 'active_maintainers'
        WHERE t.subject_kind = 'package' AND t.name = 'truck_factor' AND t.status = 'ok'
        ORDER BY t.value, c.value DESC NULLS LAST, t.subject LIMIT ?
        """,
        [limit],
    )


def repositories(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Mined repositories, riskiest first: lowest truck factor of their packages, then most critical."""
    present = tables(conn)
    if "repositories" not in present:
        return []
    if "package_repositories" not in present:
        return [str(r[0]) for r in conn.execute("SELECT url FROM repositories ORDER BY url").fetchall()]
    rows = conn.execute(
        """
        SELECT r.url FROM repositories r
        LEFT JOIN package_repositories pr ON pr.repository_url = r.url
        LEFT JOIN scores t ON t.subject_kind = 'package' AND t.subject = pr.purl AND t.name = 'truck_factor'
        LEFT JOIN scores c ON c.subject_kind = 'package' AND c.subject = pr.purl AND c.name = 'criticality'
        GROUP BY r.url ORDER BY min(t.value) NULLS LAST, max(c.value) DESC NULLS LAST, r.url
        """
    ).fetchall()
    return [str(r[0]) for r in rows]


def contributor_shares(conn: duckdb.DuckDBPyConnection, repository_url: str) -> pd.DataFrame:
    """Contributors (bots removed) by commits, with their share and the cumulative share: a Pareto chart."""
    if not has_table(conn, "contributors"):
        return _empty("person", "display_name", "org", "commits", "share", "cumulative_share")
    return _frame(
        conn,
        """
        SELECT person, display_name, org, commits,
               commits / sum(commits) OVER () AS share,
               sum(commits) OVER (ORDER BY commits DESC, person ROWS UNBOUNDED PRECEDING)
                   / sum(commits) OVER () AS cumulative_share
        FROM contributors WHERE repository_url = ? AND NOT coalesce(is_bot, false)
        ORDER BY commits DESC, person
        """,
        [repository_url],
    )


def monthly_activity(conn: duckdb.DuckDBPyConnection, repository_url: str) -> pd.DataFrame:
    if not has_table(conn, "monthly_activity"):
        return _empty("month", "active_contributors", "commits")
    return _frame(
        conn,
        "SELECT month, active_contributors, commits FROM monthly_activity WHERE repository_url = ? ORDER BY month",
        [repository_url],
    )


def truck_factor_developers(conn: duckdb.DuckDBPyConnection, repository_url: str) -> pd.DataFrame:
    """The developers the truck factor removed, from the score's details (repository row, else a package's)."""
    via_packages = (
        "OR (subject_kind = 'package' AND subject IN "
        "(SELECT purl FROM package_repositories WHERE repository_url = $url))"
        if has_table(conn, "package_repositories")
        else ""
    )
    row = conn.execute(
        "SELECT details::VARCHAR FROM scores WHERE name = 'truck_factor' AND status = 'ok' "  # noqa: S608
        f"AND ((subject_kind = 'repository' AND subject = $url) {via_packages}) "
        "ORDER BY subject_kind = 'repository' DESC, subject LIMIT 1",
        {"url": repository_url},
    ).fetchone()
    developers = json.loads(row[0] or "{}").get("developers", []) if row else []
    return pd.DataFrame(
        [{"name": str(d.get("name")), "files": d.get("files"), "share": d.get("share")} for d in developers],
        columns=["name", "files", "share"],
    )


# ---------------------------------------------------------------------------------------------- standards


def fragility_classes(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(
        conn,
        """
        SELECT coalesce(s.label, 'unclassified') AS fragility, count(*) AS packages
        FROM packages p LEFT JOIN scores s
          ON s.subject_kind = 'package' AND s.subject = p.purl AND s.name = 'fragility'
        GROUP BY 1 ORDER BY 2 DESC, 1
        """,
    )


def interfaces_in_use(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    if not has_table(conn, "package_interfaces"):
        return _empty("interface_id", "name", "kind", "packages", "fragility", "standardisation", "diversity")
    catalogue = has_table(conn, "cat_interfaces")
    name, kind = ("ci.title", "ci.kind") if catalogue else ("NULL::VARCHAR", "NULL::VARCHAR")
    join = "LEFT JOIN cat_interfaces ci ON ci.id = pi.interface_id" if catalogue else ""
    return _frame(
        conn,
        f"""
        SELECT pi.interface_id, any_value({name}) AS name, any_value({kind}) AS kind,
               count(DISTINCT pi.purl) AS packages,
               string_agg(DISTINCT f.label, ', ') AS fragility,
               max(st.value) AS standardisation, min(dv.value) AS diversity
        FROM package_interfaces pi {join}
        LEFT JOIN scores f ON f.subject_kind = 'package' AND f.subject = pi.purl AND f.name = 'fragility'
        LEFT JOIN scores st ON st.subject_kind = 'package' AND st.subject = pi.purl AND st.name = 'standardisation'
        LEFT JOIN scores dv ON dv.subject_kind = 'package' AND dv.subject = pi.purl
             AND dv.name = 'implementation_diversity'
        GROUP BY pi.interface_id ORDER BY packages DESC, pi.interface_id
        """,  # noqa: S608 - the joined names are fixed text chosen above
    )


def exit_options(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per exit option of each fragile dependency (single-actor or vigilance); none listed as such.

    The options are unpacked from the ``exit_options`` score's details by DuckDB's JSON functions."""
    return _frame(
        conn,
        """
        WITH fragile AS (
            SELECT subject, label FROM scores
            WHERE subject_kind = 'package' AND name = 'fragility' AND label IN (?, ?)),
        options AS (
            SELECT subject, unnest(from_json(details -> '$.options',
                '[{"purl_or_component": "VARCHAR", "lineage": "VARCHAR", "steward": "VARCHAR",
                   "truck_factor": "DOUBLE"}]')) AS o
            FROM scores WHERE subject_kind = 'package' AND name = 'exit_options'
              AND subject IN (SELECT subject FROM fragile))
        SELECT f.subject AS purl, f.label AS fragility,
               coalesce(o.o.purl_or_component, 'none known') AS exit_option,
               o.o.lineage AS lineage, o.o.steward AS steward, o.o.truck_factor AS truck_factor
        FROM fragile f LEFT JOIN options o USING (subject)
        ORDER BY f.label, f.subject, exit_option
        """,
        list(FRAGILE),
    )


def interface_control(conn: duckdb.DuckDBPyConnection, min_criticality: float = 0.0) -> pd.DataFrame:
    """Who controls the interfaces the organisation's critical packages implement: steward, kind, country."""
    needed = ("package_interfaces", "cat_implementations", "cat_stewards")
    if not all(has_table(conn, t) for t in needed):
        return _empty("interface_id", "steward", "kind", "country", "packages", "max_criticality")
    return _frame(
        conn,
        """
        SELECT pi.interface_id, st.name AS steward, st.kind, st.country,
               count(DISTINCT pi.purl) AS packages, max(c.value) AS max_criticality
        FROM package_interfaces pi
        JOIN cat_implementations ci ON ci.interface_id = pi.interface_id AND ci.purl = pi.purl
        LEFT JOIN cat_stewards st ON st.id = ci.steward
        LEFT JOIN scores c ON c.subject_kind = 'package' AND c.subject = pi.purl AND c.name = 'criticality'
        GROUP BY ALL HAVING coalesce(max(c.value), 0) >= ?
        ORDER BY max_criticality DESC NULLS LAST, pi.interface_id
        """,
        [min_criticality],
    )


def review_list(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Packages with metadata hints and no catalogue entry, for a catalogue maintainer to confirm."""
    if not has_table(conn, "detection_hints"):
        return _empty("purl", "hint", "evidence", "confidence")
    return _frame(
        conn,
        "SELECT purl, value AS hint, evidence, confidence FROM detection_hints WHERE NOT matched "
        "ORDER BY confidence DESC, purl, hint",
    )


# ---------------------------------------------------------------------------------------------- history


def score_names(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        str(r[0]) for r in conn.execute("SELECT DISTINCT name FROM score_history ORDER BY name").fetchall()
    ]


def score_trend(conn: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """Per trusted run, the packages' values of one score as of that run (the last change at or before it)."""
    return _frame(
        conn,
        """
        WITH r AS (SELECT run_id, started_at FROM runs WHERE status IN ('ok', 'partial')),
        as_of AS (
            SELECT r.run_id, r.started_at, h.subject, arg_max(h.value, h.run_id) AS value
            FROM r JOIN score_history h ON h.run_id <= r.run_id
            WHERE h.name = ? AND h.subject_kind = 'package'
            GROUP BY ALL)
        SELECT run_id, started_at, count(*) AS packages, avg(value) AS mean, median(value) AS median
        FROM as_of GROUP BY ALL ORDER BY run_id
        """,
        [name],
    )


def score_changes(conn: duckdb.DuckDBPyConnection, name: str, limit: int = 200) -> pd.DataFrame:
    """Changes of one score after its first value: subject, run, previous and new value or label."""
    return _frame(
        conn,
        """
        WITH h AS (
            SELECT subject, run_id, value, label, status,
                   lag(value) OVER w AS previous_value, lag(label) OVER w AS previous_label,
                   row_number() OVER w AS n
            FROM score_history WHERE name = ? AND subject_kind = 'package'
            WINDOW w AS (PARTITION BY subject ORDER BY run_id))
        SELECT subject AS purl, run_id, previous_value, value, previous_label, label, status
        FROM h WHERE n > 1 ORDER BY run_id DESC, purl LIMIT ?
        """,
        [name, limit],
    )


def proposals(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Saved budget proposals (``0005_budget.sql``), newest first, with their line count and parameters."""
    if not (has_table(conn, "budget_proposals") and has_table(conn, "budget_lines")):
        return _empty(
            "proposal_id",
            "created_at",
            "method",
            "total",
            "currency",
            "lines",
            "data_as_of",
            "parameters",
            "run_id",
        )
    return _frame(
        conn,
        """
        SELECT p.proposal_id, p.created_at, p.method, p.total, p.currency, count(l.position) AS lines,
               p.data_as_of, p.parameters::VARCHAR AS parameters, p.run_id
        FROM budget_proposals p LEFT JOIN budget_lines l USING (proposal_id)
        GROUP BY ALL ORDER BY p.proposal_id DESC
        """,
    )


def proposal_lines(conn: duckdb.DuckDBPyConnection, proposal_id: int) -> pd.DataFrame:
    """The lines of one saved proposal, in the order they were shown (largest amount first)."""
    if not has_table(conn, "budget_lines"):
        return _empty("project", "packages", "amount", "channel", "rationale")
    return _frame(
        conn,
        "SELECT project, array_to_string(packages, ', ') AS packages, amount, channel, rationale "
        "FROM budget_lines WHERE proposal_id = ? ORDER BY position",
        [proposal_id],
    )


# ---------------------------------------------------------------------------------------------- runs


def runs(conn: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    return _frame(
        conn,
        """
        SELECT r.run_id, r.kind, r.status, r.started_at, r.ended_at, r.error_count,
               count(e.run_id) FILTER (WHERE e.severity = 'warning') AS warnings,
               count(e.run_id) FILTER (WHERE e.severity = 'skipped') AS skipped,
               r.counts::VARCHAR AS counts, r.message
        FROM runs r LEFT JOIN run_events e USING (run_id)
        GROUP BY ALL ORDER BY r.run_id DESC LIMIT ?
        """,
        [limit],
    )


def run_problems(conn: duckdb.DuckDBPyConnection, run_id: int) -> pd.DataFrame:
    """Per package (or file) of one run: errors, warnings, skips and the messages."""
    return _frame(
        conn,
        """
        SELECT subject, count(*) FILTER (WHERE severity = 'error') AS errors,
               count(*) FILTER (WHERE severity = 'warning') AS warnings,
               count(*) FILTER (WHERE severity = 'skipped') AS skipped,
               string_agg(severity || ': ' || message, ' | ' ORDER BY at_time) AS messages
        FROM run_events WHERE run_id = ? GROUP BY subject ORDER BY errors DESC, subject
        """,
        [run_id],
    )
