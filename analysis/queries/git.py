"""Reads of the git collector's tables for the maintainer scores and the report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from analysis.queries import table_exists

#: The degree of authorship (analysis.maintainers.authorship.doa) and its thresholds, as query parameters.
DoaParams = Mapping[str, float]


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
    # Truck factor input, at-rename history (the default): the authors of each file present at the analysed
    # revision that has a non-bot history, by degree of authorship, read from the per-file totals the git
    # collector keeps (collectors/git/file_authorship.py); None when those totals do not describe the
    # analysed revision.
    authors: dict[str, list[str]] | None
    # The all-names rename history instead: totals of every path (a rename counts as a change of the new
    # path) as (path, person, created, changes), and every (old_path, new_path) rename, by anyone.
    aggregated: list[tuple[str, str, bool, int]]
    renames: list[tuple[str, str]]
    files: list[str]  # present at the analysed revision
    display_names: dict[str, str]
    # The file filter's category of each of ``files`` (None: it counts), as the git collector stored it with
    # the fingerprint of its filter, ``filter_key`` (None: no categories stored); valid for the filter of
    # that fingerprint only.
    file_categories: list[str | None] = field(default_factory=list)
    filter_key: str | None = None


@dataclass(frozen=True)
class RepositoryHead:
    """What the scores need of a repository's row: the analysed revision, the fingerprint of what its derived
    tables were made from (0013_git_mining_state.sql), and the time of its latest commit when asked for."""

    head_sha: str | None
    derived_key: str | None
    latest_commit_at: datetime | None = None


@dataclass(frozen=True)
class HistoryRequest:
    """One repository whose score inputs to read: the start of its recent window, and whether its per-file
    history (the truck factor's input, the costliest part) is needed."""

    url: str
    since: datetime
    truck_factor_inputs: bool = True


def mined_repositories(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT url FROM repositories WHERE status = 'ok' AND last_mined_sha IS NOT NULL ORDER BY url"
        ).fetchall()
    ]


def repository_heads(
    conn: duckdb.DuckDBPyConnection, urls: Sequence[str], *, latest_commit: bool = False
) -> dict[str, RepositoryHead]:
    """url -> state of each of ``urls`` in the store; with ``latest_commit`` also the time of its latest
    commit (a scan of the commits table, so only when asked)."""
    latest: dict[str, datetime] = {}
    if latest_commit:
        latest = {
            str(u): at
            for u, at in conn.execute(
                "SELECT repository_url, max(committed_at) FROM commits "
                "WHERE repository_url IN (SELECT unnest(?::VARCHAR[])) GROUP BY repository_url",
                [list(urls)],
            ).fetchall()
        }
    return {
        str(u): RepositoryHead(h, None if k is None else str(k), latest.get(str(u)))
        for u, h, k in conn.execute(
            "SELECT url, head_sha, derived_key FROM repositories WHERE url IN (SELECT unnest(?::VARCHAR[]))",
            [list(urls)],
        ).fetchall()
    }


# The repositories of one batch as a relation: (url, since, tf = whether its per-file history is needed).
# Each query below reads the history tables once for the whole batch and keeps the rows of its repositories
# (a hash join against these few hundred URLs), instead of once per repository: DuckDB's min/max zone maps
# cannot skip other repositories' rows, since every URL shares its first bytes ("https://").
_BATCH = """
    batch AS (
        SELECT unnest($urls::VARCHAR[]) AS url, unnest($since::TIMESTAMP[]) AS since,
               unnest($tf::BOOLEAN[]) AS tf
    )
"""

_HUMAN_CHANGES = """
    SELECT f.repository_url, i.person, f.status, f.path, f.old_path, c.committed_at, c.authored_at, c.sha
    FROM commit_files f
    JOIN commits c ON c.repository_url = f.repository_url AND c.sha = f.sha
    JOIN repository_identities i
      ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
    WHERE f.repository_url IN (SELECT url FROM batch WHERE tf) AND NOT i.is_bot
"""


def _columns(rel: duckdb.DuckDBPyRelation, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows of ``rel`` (whose columns are ``names``, in order) as tuples. Fetched directly, not through
    Arrow: the first Arrow conversion imports pandas, a cost a run with few new commits need not pay."""
    if tuple(rel.columns) != names:
        raise ValueError(f"expected columns {names}, got {tuple(rel.columns)}")
    return rel.fetchall()


def _by_repository(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows whose first column is the repository URL, split per repository (that column dropped; the order
    of each repository's rows kept)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for url, *rest in rows:
        out.setdefault(str(url), []).append(tuple(rest))
    return out


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


def repository_histories(
    conn: duckdb.DuckDBPyConnection,
    requests: Sequence[HistoryRequest],
    rename_history: str,
    doa: DoaParams,
) -> dict[str, RepositoryHistory]:
    """What the maintainer scores need of each requested repository, read in one query per input for them
    all (call it with a few hundred at a time: the rows of a batch are held in memory). Without
    ``truck_factor_inputs`` (a truck factor computed from the same inputs is reused) a repository's per-file
    history is not read. ``doa``: the degree of authorship's coefficients and thresholds (base, fa, dl, ac,
    norm, abs: analysis.maintainers.authorship.DOA_PARAMS)."""
    if not requests:
        return {}
    batch: dict[str, list[Any]] = {
        "urls": [r.url for r in requests],
        "since": [r.since for r in requests],
        "tf": [r.truck_factor_inputs for r in requests],
    }
    heads = repository_heads(conn, batch["urls"])
    counts = {
        str(u): (int(h), int(b), last)
        for u, h, b, last in conn.execute(
            f"""
            WITH {_BATCH}
            SELECT c.repository_url, count(*) FILTER (WHERE NOT i.is_bot), count(*) FILTER (WHERE i.is_bot),
                   max(c.committed_at) FILTER (WHERE NOT i.is_bot)
            FROM commits c JOIN repository_identities i
              ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
            WHERE c.repository_url IN (SELECT url FROM batch)
            GROUP BY c.repository_url
            """,  # noqa: S608  (built from the constant _BATCH only)
            batch,
        ).fetchall()
    }
    credits = _by_repository(_credits(conn, batch))
    aggregated: dict[str, list[tuple[Any, ...]]] = {}
    authors: dict[str, dict[str, list[str]]] = {}
    renames: dict[str, list[tuple[Any, ...]]] = {}
    files: dict[str, list[tuple[Any, ...]]] = {}
    filter_keys: dict[str, str] = {}
    if any(batch["tf"]):
        if rename_history == "all-names":
            aggregated = _by_repository(_path_totals(conn, batch))
            renames = _by_repository(
                conn.execute(
                    f"""
                    WITH {_BATCH}
                    SELECT DISTINCT repository_url, old_path, path FROM commit_files
                    WHERE repository_url IN (SELECT url FROM batch WHERE tf) AND status = 'R' ORDER BY ALL
                    """,  # noqa: S608
                    batch,
                ).fetchall()
            )
        else:
            authors = _file_authors(conn, batch, doa)
        files = _by_repository(
            conn.execute(
                f"""
                WITH {_BATCH}
                SELECT repository_url, path, category FROM repository_files
                WHERE repository_url IN (SELECT url FROM batch WHERE tf)
                """,  # noqa: S608
                batch,
            ).fetchall()
        )
        filter_keys = dict(
            conn.execute(
                f"""
                WITH {_BATCH}
                SELECT repository_url, filter_key FROM history_state
                WHERE repository_url IN (SELECT url FROM batch WHERE tf) AND filter_key IS NOT NULL
                """,  # noqa: S608
                batch,
            ).fetchall()
        )
    names = _by_repository(
        conn.execute(
            f"""
            WITH {_BATCH}
            SELECT repository_url, person, display_name FROM contributors
            WHERE repository_url IN (SELECT url FROM batch)
            """,  # noqa: S608
            batch,
        ).fetchall()
    )
    out = {}
    for r in requests:
        head = heads.get(r.url)
        human, bots, last = counts.get(r.url, (0, 0, None))
        out[r.url] = RepositoryHistory(
            url=r.url, head_sha=head.head_sha if head else None, since=r.since, human_commits=human,
            bot_commits=bots, last_commit_at=last,
            credits=[Credit(str(p), o, int(a), int(ar), int(co), int(cor))
                     for p, o, a, ar, co, cor in credits.get(r.url, [])],
            authors=authors.get(r.url) if rename_history != "all-names" else None,
            aggregated=aggregated.get(r.url, []),
            renames=[(str(a), str(b)) for a, b in renames.get(r.url, [])],
            files=[str(p) for p, _ in files.get(r.url, [])],
            display_names={str(p): str(d) for p, d in names.get(r.url, [])},
            file_categories=[c for _, c in files.get(r.url, [])], filter_key=filter_keys.get(r.url),
        )  # fmt: skip
    return out


def _credits(conn: duckdb.DuckDBPyConnection, batch: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    """(repository, person, org, authored, authored since the repository's window start, co-authored,
    co-authored since then) of every non-bot person, by repository and person. Co-authors: "Name <email>"
    parsed as collectors.git.identities.split_name_email does."""
    return conn.execute(
        rf"""
        WITH {_BATCH}, raw AS (
            -- commits counted per raw identity first (thousands of rows), then joined to people
            SELECT c.repository_url, c.author_name, c.author_email, count(*) AS n,
                   count(*) FILTER (WHERE c.authored_at >= b.since) AS recent
            FROM commits c JOIN batch b ON b.url = c.repository_url
            GROUP BY c.repository_url, c.author_name, c.author_email
        ), own AS (
            SELECT r.repository_url, i.person, any_value(i.org) AS org, sum(r.n) AS n, sum(r.recent) AS recent
            FROM raw r JOIN repository_identities i
              ON i.repository_url = r.repository_url AND i.name = r.author_name AND i.email = r.author_email
            WHERE NOT i.is_bot
            GROUP BY r.repository_url, i.person
        ), co AS (
            SELECT a.repository_url, i.person, any_value(i.org) AS org, count(*) AS n,
                   count(*) FILTER (WHERE a.authored_at >= a.since) AS recent
            FROM (SELECT c.repository_url, b.since, c.authored_at, ia.person AS author, unnest(c.co_authors) AS v
                  FROM commits c JOIN batch b ON b.url = c.repository_url
                  JOIN repository_identities ia
                    ON ia.repository_url = c.repository_url AND ia.name = c.author_name
                   AND ia.email = c.author_email
                  WHERE len(c.co_authors) > 0) a
            JOIN repository_identities i
              ON i.repository_url = a.repository_url
             AND i.name = trim(regexp_extract(a.v, '^(.*?)\s*<([^>]*)>\s*$', 1))
             AND i.email = trim(regexp_extract(a.v, '^(.*?)\s*<([^>]*)>\s*$', 2))
            WHERE NOT i.is_bot AND i.person <> a.author
            GROUP BY a.repository_url, i.person
        )
        SELECT coalesce(o.repository_url, c.repository_url) AS url, coalesce(o.person, c.person) AS person,
               coalesce(o.org, c.org), coalesce(o.n, 0), coalesce(o.recent, 0), coalesce(c.n, 0),
               coalesce(c.recent, 0)
        FROM own o FULL OUTER JOIN co c ON c.repository_url = o.repository_url AND c.person = o.person
        ORDER BY url, person
        """,  # noqa: S608  (built from the constant _BATCH only)
        batch,
    ).fetchall()


def _path_totals(conn: duckdb.DuckDBPyConnection, batch: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    """(repository, path, person, created, changes) of every path; a rename is a change of its new path."""
    return _columns(
        conn.sql(
            f"""
            WITH {_BATCH}, changes AS ({_HUMAN_CHANGES})
            SELECT repository_url, path, person, bool_or(status = 'A') AS created,
                   (count(*) FILTER (WHERE status IN ('M', 'T', 'R')))::INTEGER AS changes
            FROM changes WHERE status <> 'D' GROUP BY repository_url, path, person
            """,  # noqa: S608  (built from the constants _BATCH and _HUMAN_CHANGES only)
            params=batch,
        ),
        ("repository_url", "path", "person", "created", "changes"),
    )


def _file_authors(
    conn: duckdb.DuckDBPyConnection, batch: dict[str, list[Any]], doa: DoaParams
) -> dict[str, dict[str, list[str]]]:
    """Per repository whose per-file totals describe its analysed revision (history_state): path ->
    sorted authors of every file present there with a non-bot history (an empty list: nobody above the
    thresholds). The degree of authorship is computed here, with the same operations in the same order as
    analysis.maintainers.authorship.doa, so each value is the same double; only the authors leave the
    database."""
    rows = conn.execute(
        f"""
        WITH {_BATCH}, current AS (
            SELECT r.url FROM repositories r JOIN history_state h
              ON h.repository_url = r.url AND h.authorship_head = r.head_sha
            WHERE r.url IN (SELECT url FROM batch WHERE tf)
        ), per AS MATERIALIZED (
            SELECT a.repository_url, a.path, i.person, bool_or(a.created) AS created,
                   sum(a.changes)::BIGINT AS dl
            FROM file_authorship a
            JOIN repository_identities i
              ON i.repository_url = a.repository_url AND i.name = a.author_name AND i.email = a.author_email
            WHERE a.repository_url IN (SELECT url FROM current) AND NOT i.is_bot
              AND EXISTS (SELECT 1 FROM repository_files p
                          WHERE p.repository_url = a.repository_url AND p.path = a.path)
            GROUP BY a.repository_url, a.path, i.person
        ), total AS (
            SELECT repository_url, path, sum(dl) AS changes FROM per GROUP BY repository_url, path
        ), scored AS MATERIALIZED (
            SELECT p.repository_url, p.path, p.person, p.created,
                   $base + $fa * p.created::INTEGER::DOUBLE + $dl * p.dl::DOUBLE
                   - $ac * ln(1 + (t.changes - p.dl)::DOUBLE) AS value
            FROM per p JOIN total t ON t.repository_url = p.repository_url AND t.path = p.path
        ), best AS (
            SELECT repository_url, path, max(value) AS value FROM scored GROUP BY repository_url, path
        )
        SELECT s.repository_url, s.path,
               string_agg(s.person, chr(10) ORDER BY s.person)
                   FILTER (WHERE s.value / b.value > $norm AND (s.value >= $abs OR s.created))
        FROM scored s JOIN best b ON b.repository_url = s.repository_url AND b.path = s.path
        GROUP BY s.repository_url, s.path
        UNION ALL
        SELECT url, NULL, NULL FROM current
        """,  # noqa: S608  (built from the constant _BATCH only)
        {**batch, **{k: float(doa[k]) for k in ("base", "fa", "dl", "ac", "norm", "abs")}},
    ).fetchall()
    out: dict[str, dict[str, list[str]]] = {}
    for url, path, people in rows:
        files = out.setdefault(str(url), {})
        if path is not None:  # people: one per line (identity keys hold no line break)
            files[str(path)] = str(people).split("\n") if people else []
    return out


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
