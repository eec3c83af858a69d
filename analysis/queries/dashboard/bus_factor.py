"""Bus factor page: truck-factor distribution, riskiest packages, contributors per repository."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from analysis.queries import table_exists as has_table
from analysis.queries import table_names as tables
from analysis.queries.dashboard.common import empty, frame


def truck_factor_distribution(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Packages per truck factor; packages without a conclusive value count as "unknown"."""
    return frame(
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
    return frame(
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
    """Known repositories, those mined first (the page opens on one that has contributors to show), riskiest
    first: lowest truck factor (of their packages, else their own), then most critical."""
    present = tables(conn)
    if "repositories" not in present:
        return []
    if "package_repositories" not in present:
        return [
            str(r[0])
            for r in conn.execute("SELECT url FROM repositories ORDER BY status <> 'ok', url").fetchall()
        ]
    rows = conn.execute(
        """
        SELECT r.url FROM repositories r
        LEFT JOIN package_repositories pr ON pr.repository_url = r.url
        LEFT JOIN scores t ON t.subject_kind = 'package' AND t.subject = pr.purl AND t.name = 'truck_factor'
        LEFT JOIN scores c ON c.subject_kind = 'package' AND c.subject = pr.purl AND c.name = 'criticality'
        LEFT JOIN scores own ON own.subject_kind = 'repository' AND own.subject = r.url
                            AND own.name = 'truck_factor'
        GROUP BY r.url, r.status
        ORDER BY r.status <> 'ok', coalesce(min(t.value), min(own.value)) NULLS LAST,
                 max(c.value) DESC NULLS LAST, r.url
        """
    ).fetchall()
    return [str(r[0]) for r in rows]


def contributor_shares(conn: duckdb.DuckDBPyConnection, repository_url: str) -> pd.DataFrame:
    """Contributors (bots removed) by commits, with their share and the cumulative share: a Pareto chart."""
    if not has_table(conn, "contributors"):
        return empty("person", "display_name", "org", "commits", "share", "cumulative_share")
    return frame(
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
        return empty("month", "active_contributors", "commits")
    return frame(
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


def unmined_repositories(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every used package without a truck factor, with why: its repository was skipped or failed (the
    repository's own message), no repository URL is known, or the score was inconclusive (its reason)."""
    present = tables(conn)
    repos = {"package_repositories", "repositories"} <= present
    repository = "any_value(pr.repository_url)" if repos else "NULL::VARCHAR"
    join = (
        "LEFT JOIN package_repositories pr ON pr.purl = p.purl LEFT JOIN repositories r ON r.url = pr.repository_url"
        if repos
        else ""
    )
    status = "any_value(r.status)" if repos else "NULL::VARCHAR"
    message = "any_value(r.message)" if repos else "NULL::VARCHAR"
    return frame(
        conn,
        f"""
        SELECT p.purl, {repository} AS repository,
               CASE WHEN {repository} IS NULL THEN 'no repository'
                    WHEN {status} IS NULL THEN 'not tried'
                    WHEN {status} <> 'ok' THEN {status}
                    ELSE 'inconclusive' END AS status,
               CASE WHEN {repository} IS NULL
                        THEN 'No repository URL is known: the registry metadata names none.'
                    WHEN {status} IS NULL
                        THEN 'No refresh has tried to clone it yet (socle refresh --only git).'
                    WHEN {status} <> 'ok' THEN coalesce({message}, 'The refresh recorded no message.')
                    ELSE coalesce(any_value(t.reason), 'No truck factor was computed.') END AS reason
        FROM packages p {join}
        LEFT JOIN scores t ON t.subject_kind = 'package' AND t.subject = p.purl AND t.name = 'truck_factor'
        WHERE p.purl IN (SELECT purl FROM app_packages)
        GROUP BY p.purl
        HAVING NOT coalesce(bool_or(t.status = 'ok'), false)
        ORDER BY status, p.purl
        """,  # noqa: S608 - the optional joins and columns are fixed text chosen above
    )
