"""Reads of the git collector's tables for the maintainer scores and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from analysis.queries import table_exists


@dataclass(frozen=True)
class Credit:
    """Non-bot contributions of one person: authored commits and co-authored ones (all time and recent)."""

    person: str
    org: str | None
    authored: int
    authored_recent: int
    co_authored: int
    co_authored_recent: int


@dataclass(frozen=True)
class RepositoryHistory:
    """What the maintainer scores need of one repository, aggregated in SQL where the formula allows."""

    url: str
    head_sha: str | None
    since: datetime  # start of the recent window the *_recent counts use
    human_commits: int
    bot_commits: int
    last_commit_at: datetime | None  # last non-bot commit
    credits: list[Credit]
    # Truck factor input. Paths never involved in a rename keep one history: (path, person, created,
    # changes) aggregated in SQL. Rows touching renamed paths are replayed in order: (person, status,
    # path, old_path), oldest commit first, renames first within a commit.
    aggregated: list[tuple[str, str, bool, int]]
    replay: list[tuple[str, str, str, str | None]]
    # The all-names rename history instead: totals of every path (a rename counts as a change of the new
    # path) in ``aggregated``, no replay, and every (old_path, new_path) rename, by anyone, in ``renames``.
    renames: list[tuple[str, str]]
    files: list[str]  # present at the analysed revision
    display_names: dict[str, str]


def mined_repositories(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT url FROM repositories WHERE status = 'ok' AND last_mined_sha IS NOT NULL ORDER BY url"
        ).fetchall()
    ]


def latest_commit_at(conn: duckdb.DuckDBPyConnection, url: str) -> datetime | None:
    rows = conn.execute("SELECT max(committed_at) FROM commits WHERE repository_url = ?", [url]).fetchall()
    return rows[0][0] if rows else None


_HUMAN_CHANGES = """
    SELECT i.person, f.status, f.path, f.old_path, c.committed_at, c.authored_at, c.sha
    FROM commit_files f
    JOIN commits c ON c.repository_url = f.repository_url AND c.sha = f.sha
    JOIN repository_identities i
      ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
    WHERE f.repository_url = $url AND NOT i.is_bot
"""


def _columns(rel: duckdb.DuckDBPyRelation, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows of ``rel`` (whose columns are ``names``, in order) as tuples. Fetched directly, not through
    Arrow: the first Arrow conversion imports pandas, a cost a run with few new commits need not pay."""
    if tuple(rel.columns) != names:
        raise ValueError(f"expected columns {names}, got {tuple(rel.columns)}")
    return rel.fetchall()


def derived_key(conn: duckdb.DuckDBPyConnection, url: str) -> str | None:
    """The fingerprint of what the repository's derived tables were made from (0013_git_mining_state.sql)."""
    rows = conn.execute("SELECT derived_key FROM repositories WHERE url = ?", [url]).fetchall()
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def stored_scores(
    conn: duckdb.DuckDBPyConnection, names: tuple[str, ...]
) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    """(subject_kind, subject, name) -> (version, value, status, label, reason, details as JSON text) of the
    stored scores with these names."""
    placeholders = ", ".join("?" for _ in names)
    return {
        (str(k), str(s), str(n)): tuple(rest)
        for k, s, n, *rest in conn.execute(
            f"SELECT subject_kind, subject, name, version, value, status, label, reason, details::VARCHAR "  # noqa: S608
            f"FROM scores WHERE name IN ({placeholders})",
            list(names),
        ).fetchall()
    }


def repository_history(
    conn: duckdb.DuckDBPyConnection,
    url: str,
    since: datetime,
    rename_history: str = "at-rename",
    *,
    truck_factor_inputs: bool = True,
) -> RepositoryHistory:
    """What the maintainer scores need; without ``truck_factor_inputs`` (a truck factor computed from the
    same inputs is reused) the per-file history, its costliest part, is not read."""
    head = next(iter(conn.execute("SELECT head_sha FROM repositories WHERE url = ?", [url]).fetchall()), None)
    counts = conn.execute(
        """
        SELECT count(*) FILTER (WHERE NOT i.is_bot), count(*) FILTER (WHERE i.is_bot),
               max(c.committed_at) FILTER (WHERE NOT i.is_bot)
        FROM commits c JOIN repository_identities i
          ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
        WHERE c.repository_url = ?
        """,
        [url],
    ).fetchall()[0]
    # Co-authors: "Name <email>" parsed as collectors.git.identities.split_name_email does.
    credits = [
        Credit(str(p), o, int(a), int(ar), int(co), int(cor))
        for p, o, a, ar, co, cor in conn.execute(
            r"""
            WITH authored AS (
                SELECT c.sha, c.authored_at, c.co_authors, i.person, i.org, i.is_bot
                FROM commits c JOIN repository_identities i
                  ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
                WHERE c.repository_url = $url
            ), co AS (
                SELECT a.authored_at, i.person, i.org
                FROM (SELECT authored_at, person AS author, unnest(co_authors) AS v FROM authored) a
                JOIN repository_identities i
                  ON i.repository_url = $url
                 AND i.name = trim(regexp_extract(a.v, '^(.*?)\s*<([^>]*)>\s*$', 1))
                 AND i.email = trim(regexp_extract(a.v, '^(.*?)\s*<([^>]*)>\s*$', 2))
                WHERE NOT i.is_bot AND i.person <> a.author
            ), credit AS (
                SELECT person, org, authored_at, 1 AS own FROM authored WHERE NOT is_bot
                UNION ALL
                SELECT person, org, authored_at, 0 AS own FROM co
            )
            SELECT person, any_value(org),
                   count(*) FILTER (WHERE own = 1), count(*) FILTER (WHERE own = 1 AND authored_at >= $since),
                   count(*) FILTER (WHERE own = 0), count(*) FILTER (WHERE own = 0 AND authored_at >= $since)
            FROM credit GROUP BY person ORDER BY person
            """,
            {"url": url, "since": since},
        ).fetchall()
    ]
    replay: list[tuple[Any, ...]] = []
    aggregated: list[tuple[Any, ...]] = []
    renames: list[tuple[str, str]] = []
    if truck_factor_inputs and rename_history == "all-names":
        aggregated = _path_totals(conn, url)
        renames = [
            (str(a), str(b))
            for a, b in conn.execute(
                "SELECT DISTINCT old_path, path FROM commit_files "
                "WHERE repository_url = ? AND status = 'R' ORDER BY ALL",
                [url],
            ).fetchall()
        ]
    elif truck_factor_inputs:
        aggregated, replay = _moved_at_rename(conn, url)
    files = (
        [
            str(r[0])
            for r in conn.execute(
                "SELECT path FROM repository_files WHERE repository_url = ?", [url]
            ).fetchall()
        ]
        if truck_factor_inputs
        else []
    )
    names = {
        str(p): str(d)
        for p, d in conn.execute(
            "SELECT person, display_name FROM contributors WHERE repository_url = ?", [url]
        ).fetchall()
    }
    return RepositoryHistory(
        url=url, head_sha=head[0] if head else None, since=since, human_commits=int(counts[0]),
        bot_commits=int(counts[1]), last_commit_at=counts[2], credits=credits, aggregated=aggregated,
        replay=replay, renames=renames, files=files, display_names=names,
    )  # fmt: skip


def _path_totals(conn: duckdb.DuckDBPyConnection, url: str) -> list[tuple[Any, ...]]:
    """(path, person, created, changes) of every path; a rename is a change of its new path."""
    return _columns(
        conn.sql(
            f"""
            WITH changes AS ({_HUMAN_CHANGES})
            SELECT path, person, bool_or(status = 'A') AS created,
                   (count(*) FILTER (WHERE status IN ('M', 'T', 'R')))::INTEGER AS changes
            FROM changes WHERE status <> 'D' GROUP BY path, person
            """,  # noqa: S608  (built from the constant _HUMAN_CHANGES only)
            params={"url": url},
        ),
        ("path", "person", "created", "changes"),
    )


def _moved_at_rename(
    conn: duckdb.DuckDBPyConnection, url: str
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Totals of the paths never involved in a rename that are present at the analysed commit (only those
    count), and the ordered replay of the paths involved in a rename."""
    # built from the constant _HUMAN_CHANGES only; materialised: the join runs once per query, not thrice
    renamed = """
        renamed AS (
            SELECT path FROM changes WHERE status = 'R'
            UNION SELECT old_path FROM changes WHERE status = 'R'
        )
    """
    aggregated = _columns(
        conn.sql(
            f"""
            WITH changes AS MATERIALIZED ({_HUMAN_CHANGES}), {renamed}
            SELECT path, person, bool_or(status = 'A') AS created,
                   (count(*) FILTER (WHERE status IN ('M', 'T')))::INTEGER AS changes
            FROM changes WHERE path NOT IN (SELECT path FROM renamed)
              AND path IN (SELECT path FROM repository_files WHERE repository_url = $url)
            GROUP BY path, person
            """,  # noqa: S608
            params={"url": url},
        ),
        ("path", "person", "created", "changes"),
    )
    # Within a commit, renames first (a path renamed away may be re-added in the same commit); equal
    # timestamps are ordered by sha so that both mining engines replay identically.
    replay = _columns(
        conn.sql(
            f"""
            WITH changes AS MATERIALIZED ({_HUMAN_CHANGES}), {renamed}
            SELECT person, status, path, old_path FROM changes
            WHERE path IN (SELECT path FROM renamed) OR old_path IN (SELECT path FROM renamed)
            ORDER BY committed_at, authored_at, sha,
                     CASE status WHEN 'R' THEN 0 WHEN 'D' THEN 1 WHEN 'A' THEN 2 ELSE 3 END, path
            """,  # noqa: S608
            params={"url": url},
        ),
        ("person", "status", "path", "old_path"),
    )
    return aggregated, replay


def package_links(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """repository URL -> purls of the packages that live there."""
    out: dict[str, list[str]] = {}
    for purl, url in conn.execute(
        "SELECT DISTINCT purl, repository_url FROM package_repositories ORDER BY 1"
    ).fetchall():
        out.setdefault(str(url), []).append(str(purl))
    return out


def publishers(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str | None, str]]] | None:
    """purl -> (person, role, source registry) of the people a registry lists; None when the table is absent."""
    if not table_exists(conn, "package_maintainers"):
        return None
    out: dict[str, list[tuple[str, str | None, str]]] = {}
    for purl, person, role, source in conn.execute(
        "SELECT DISTINCT purl, coalesce(login, lower(email)), role, source FROM package_maintainers "
        "WHERE coalesce(login, email) IS NOT NULL ORDER BY 1, 2, 3, 4"
    ).fetchall():
        out.setdefault(str(purl), []).append((str(person), role, str(source)))
    return out


def all_packages(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT purl FROM packages ORDER BY purl").fetchall()]


MAINTAINER_SCORES = (
    "truck_factor",
    "contributor_absence_factor",
    "contributor_absence_factor_12m",
    "pony_factor",
    "pony_factor_12m",
    "elephant_factor",
    "elephant_factor_12m",
    "commit_hhi",
    "active_maintainers",
    "days_since_last_commit",
    "publishers",
)


def maintainer_scores(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, float | None, str, str]]:
    """(subject_kind, subject, name, value, status, reason) of the maintainer scores."""
    placeholders = ", ".join("?" for _ in MAINTAINER_SCORES)
    return [
        (str(a), str(b), str(c), d, str(e), str(f))
        for a, b, c, d, e, f in conn.execute(
            f"SELECT subject_kind, subject, name, value, status, reason FROM scores "  # noqa: S608
            f"WHERE subject_kind IN ('package', 'repository') AND name IN ({placeholders}) "
            "ORDER BY subject_kind, subject, name",
            list(MAINTAINER_SCORES),
        ).fetchall()
    ]


def repository_of_package(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {
        str(p): str(u)
        for p, u in conn.execute(
            "SELECT purl, min(repository_url) FROM package_repositories GROUP BY purl"
        ).fetchall()
    }


def repository_status_counts(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """(status, repositories, commits stored) per repository status: ok, skipped, error."""
    return [
        (str(status), int(repos), int(commits))
        for status, repos, commits in conn.execute(
            """
            SELECT r.status, count(*), coalesce(sum(c.n), 0)
            FROM repositories r
            LEFT JOIN (SELECT repository_url, count(*) AS n FROM commits GROUP BY 1) c ON c.repository_url = r.url
            GROUP BY r.status ORDER BY r.status
            """
        ).fetchall()
    ]
