"""Reads of the git collector's tables for the maintainer scores and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class CommitRow:
    sha: str
    person: str
    is_bot: bool
    org: str | None
    authored_at: datetime
    committed_at: datetime
    co_authors: tuple[str, ...]


@dataclass(frozen=True)
class RepositoryHistory:
    url: str
    head_sha: str | None
    commits: list[CommitRow]  # oldest first
    replay: list[
        tuple[str, str, str, str | None]
    ]  # (person, status, path, old_path) of non-bot commits, in order
    files: list[str]  # present at the analysed revision
    identities: dict[tuple[str, str], tuple[str, bool, str | None]]  # (name, email) -> (person, bot, org)
    display_names: dict[str, str]


def table_exists(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    rows = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'",
        [name],
    ).fetchall()
    return bool(rows and rows[0][0])


def mined_repositories(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT url FROM repositories WHERE status = 'ok' AND last_mined_sha IS NOT NULL ORDER BY url"
        ).fetchall()
    ]


def repository_history(conn: duckdb.DuckDBPyConnection, url: str) -> RepositoryHistory:
    head = next(iter(conn.execute("SELECT head_sha FROM repositories WHERE url = ?", [url]).fetchall()), None)
    identities = {
        (str(n), str(e)): (str(p), bool(b), o)
        for n, e, p, b, o in conn.execute(
            "SELECT name, email, person, is_bot, org FROM repository_identities WHERE repository_url = ?",
            [url],
        ).fetchall()
    }
    commits = []
    # Oldest first; equal timestamps are ordered by sha so that both mining engines replay identically.
    for sha, name, email, authored, committed, co in conn.execute(
        "SELECT sha, author_name, author_email, authored_at, committed_at, co_authors FROM commits "
        "WHERE repository_url = ? ORDER BY committed_at, authored_at, sha",
        [url],
    ).fetchall():
        person, bot, org = identities.get((name, email), (email.lower(), False, None))
        commits.append(CommitRow(sha, person, bot, org, authored, committed, tuple(co or ())))
    # Within a commit, renames first (a path renamed away may be re-added in the same commit).
    arrow = conn.sql(
        """
        SELECT i.person, f.status, f.path, f.old_path
        FROM commit_files f
        JOIN commits c ON c.repository_url = f.repository_url AND c.sha = f.sha
        JOIN repository_identities i
          ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
        WHERE f.repository_url = ? AND NOT i.is_bot
        ORDER BY c.committed_at, c.authored_at, c.sha,
                 CASE f.status WHEN 'R' THEN 0 WHEN 'D' THEN 1 WHEN 'A' THEN 2 ELSE 3 END, f.path
        """,
        params=[url],
    ).to_arrow_table()
    replay = list(
        zip(
            *(arrow.column(name).to_pylist() for name in ("person", "status", "path", "old_path")),
            strict=True,
        )
    )
    files = [
        str(r[0])
        for r in conn.execute("SELECT path FROM repository_files WHERE repository_url = ?", [url]).fetchall()
    ]
    names = {
        str(p): str(d)
        for p, d in conn.execute(
            "SELECT person, display_name FROM contributors WHERE repository_url = ?", [url]
        ).fetchall()
    }
    return RepositoryHistory(url, head[0] if head else None, commits, replay, files, identities, names)


def package_links(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """repository URL -> purls of the packages that live there."""
    out: dict[str, list[str]] = {}
    for purl, url in conn.execute(
        "SELECT DISTINCT purl, repository_url FROM package_repositories ORDER BY 1"
    ).fetchall():
        out.setdefault(str(url), []).append(str(purl))
    return out


def publishers(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str | None]]] | None:
    """purl -> (person, role) with publish rights; None when the registry table is absent."""
    if not table_exists(conn, "package_maintainers"):
        return None
    out: dict[str, list[tuple[str, str | None]]] = {}
    for purl, person, role in conn.execute(
        "SELECT DISTINCT purl, coalesce(login, lower(email)), role FROM package_maintainers "
        "WHERE coalesce(login, email) IS NOT NULL ORDER BY 1, 2"
    ).fetchall():
        out.setdefault(str(purl), []).append((str(person), role))
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
