"""Store-side reads and writes of the per-file authorship totals and the history state
(0022_file_authorship.sql, 0023_file_categories.sql), for :mod:`collectors.git.file_authorship` and the writer. Every statement takes
the repositories of a writer's batch at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from collectors.store import git as git_store
from collectors.store.git import FILE_AUTHORSHIP

#: A stored or new change as the replay orders it: (commit time, author time, sha) in epoch seconds, then
#: (status, path, old_path).
Change = tuple[int, int, str, str, str, str | None]
#: One row of totals: (repository, path, author name, author e-mail, created, changes).
Total = tuple[str, str, str, str, bool, int]


#: The columns of history_state a repository's state is read from or written to (literal identifiers).
_STATE_COLUMNS = ("authorship_head", "identities_key", "filter_key")


def _state(conn: duckdb.DuckDBPyConnection, column: str, urls: Sequence[str]) -> dict[str, str]:
    if column not in _STATE_COLUMNS:
        raise ValueError(f"not a history_state column: {column}")
    return {
        str(url): str(value)
        for url, value in conn.execute(
            f"SELECT repository_url, {column} FROM history_state "  # noqa: S608  (an allowed column)
            f"WHERE repository_url IN (SELECT unnest(?::VARCHAR[])) AND {column} IS NOT NULL",
            [list(urls)],
        ).fetchall()
    }


def heads(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, str]:
    """Repository -> the commit its totals were replayed up to."""
    return _state(conn, "authorship_head", urls)


def identities_keys(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, str]:
    """Repository -> the fingerprint of what its stored identity map was made from."""
    return _state(conn, "identities_key", urls)


def filter_keys(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, str]:
    """Repository -> the fingerprint of the file filter its stored file categories were computed with."""
    return _state(conn, "filter_key", urls)


def _set_state(
    conn: duckdb.DuckDBPyConnection, column: str, rows: Sequence[tuple[str, str | None]], run_id: int
) -> None:
    if column not in _STATE_COLUMNS:
        raise ValueError(f"not a history_state column: {column}")
    if not rows:
        return
    conn.execute(
        f"""
        INSERT INTO history_state (repository_url, {column}, run_id)
        SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?
        ON CONFLICT (repository_url) DO UPDATE SET {column} = excluded.{column}, run_id = excluded.run_id
        """,
        [[url for url, _ in rows], [value for _, value in rows], run_id],
    )


def set_heads(conn: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str]], run_id: int) -> None:
    """Record (repository, commit) as what the totals now describe."""
    _set_state(conn, "authorship_head", rows, run_id)


def set_identities_keys(
    conn: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str]], run_id: int
) -> None:
    """Record (repository, fingerprint) of the identity maps just written."""
    _set_state(conn, "identities_key", rows, run_id)


def set_filter_keys(conn: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str]], run_id: int) -> None:
    """Record (repository, filter fingerprint) of the file categories just written."""
    _set_state(conn, "filter_key", rows, run_id)


def clear(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> None:
    """Delete the totals of ``urls`` and forget what they described (before they are rebuilt)."""
    conn.execute(
        "DELETE FROM file_authorship WHERE repository_url IN (SELECT unnest(?::VARCHAR[]))", [list(urls)]
    )
    conn.execute(
        "UPDATE history_state SET authorship_head = NULL WHERE repository_url IN (SELECT unnest(?::VARCHAR[]))",
        [list(urls)],
    )


# Paths a rename ever touched, old and new (built from constants only): only their history depends on order.
_RENAMED = """
    urls AS (SELECT unnest($urls::VARCHAR[]) AS url),
    renamed AS MATERIALIZED (
        SELECT repository_url, path FROM commit_files
        WHERE repository_url IN (SELECT url FROM urls) AND status = 'R'
        UNION SELECT repository_url, old_path FROM commit_files
        WHERE repository_url IN (SELECT url FROM urls) AND status = 'R'
    )
"""


def insert_unrenamed_totals(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> None:
    """Sum, in SQL, the stored history of every path no rename ever touched: its totals do not depend on the
    order of its changes. Deletions are left out (they neither create nor change a file)."""
    conn.execute(
        f"""
        INSERT INTO file_authorship
        WITH {_RENAMED}
        SELECT f.repository_url, f.path, c.author_name, c.author_email, bool_or(f.status = 'A'),
               (count(*) FILTER (WHERE f.status IN ('M', 'T')))::INTEGER
        FROM commit_files f JOIN commits c ON c.repository_url = f.repository_url AND c.sha = f.sha
        WHERE f.repository_url IN (SELECT url FROM urls) AND f.status <> 'D'
          AND NOT EXISTS (SELECT 1 FROM renamed r WHERE r.repository_url = f.repository_url AND r.path = f.path)
        GROUP BY f.repository_url, f.path, c.author_name, c.author_email
        """,  # noqa: S608  (built from the constant _RENAMED only)
        {"urls": list(urls)},
    )


def renamed_changes(
    conn: duckdb.DuckDBPyConnection, urls: Sequence[str]
) -> dict[str, list[tuple[str, str, str, str, str | None]]]:
    """Per repository, the stored changes of the paths a rename touched, in replay order: (author name,
    author e-mail, status, path, old path). A rename's old path is in ``renamed`` with its new one, so
    testing the path is enough."""
    rows = conn.execute(
        f"""
        WITH {_RENAMED}
        SELECT f.repository_url, c.author_name, c.author_email, f.status, f.path, f.old_path
        FROM commit_files f JOIN commits c ON c.repository_url = f.repository_url AND c.sha = f.sha
        WHERE f.repository_url IN (SELECT url FROM urls)
          AND EXISTS (SELECT 1 FROM renamed r WHERE r.repository_url = f.repository_url AND r.path = f.path)
        ORDER BY f.repository_url, c.committed_at, c.authored_at, c.sha,
                 CASE f.status WHEN 'R' THEN 0 WHEN 'D' THEN 1 WHEN 'A' THEN 2 ELSE 3 END, f.path
        """,  # noqa: S608  (built from the constant _RENAMED only)
        {"urls": list(urls)},
    ).fetchall()
    out: dict[str, list[tuple[str, str, str, str, str | None]]] = {}
    for url, name, email, status, path, old in rows:
        out.setdefault(str(url), []).append((name, email, status, path, old))
    return out


def _pairs(touched: dict[str, set[str]]) -> dict[str, list[str]]:
    return {
        "urls": [url for url, paths in touched.items() for _ in paths],
        "paths": [path for paths in touched.values() for path in paths],
    }


def totals_of(
    conn: duckdb.DuckDBPyConnection,
    paths: dict[str, set[str]],
    rows: dict[str, set[tuple[str, str, str]]],
) -> list[Total]:
    """Stored totals: every row of ``paths`` (repository -> paths), and the rows ``rows`` names
    (repository -> (path, author name, author e-mail)). DuckDB hands the columns over as the Python types of
    :data:`Total`."""
    whole = _pairs(paths)
    some = [(url, *row) for url, wanted in rows.items() for row in wanted]
    found: list[Total] = conn.execute(
        """
        WITH whole AS (SELECT unnest($urls::VARCHAR[]) AS url, unnest($paths::VARCHAR[]) AS path),
        picked AS (
            SELECT unnest($some_urls::VARCHAR[]) AS url, unnest($some_paths::VARCHAR[]) AS path,
                   unnest($some_names::VARCHAR[]) AS name, unnest($some_emails::VARCHAR[]) AS email
        )
        SELECT a.repository_url, a.path, a.author_name, a.author_email, a.created, a.changes
        FROM file_authorship a SEMI JOIN whole w ON w.url = a.repository_url AND w.path = a.path
        UNION
        SELECT a.repository_url, a.path, a.author_name, a.author_email, a.created, a.changes
        FROM file_authorship a SEMI JOIN picked s
          ON s.url = a.repository_url AND s.path = a.path AND s.name = a.author_name AND s.email = a.author_email
        """,
        {
            **whole, "some_urls": [r[0] for r in some], "some_paths": [r[1] for r in some],
            "some_names": [r[2] for r in some], "some_emails": [r[3] for r in some],
        },
    ).fetchall()  # fmt: skip
    return found


def delete_totals(conn: duckdb.DuckDBPyConnection, rows: Sequence[Total]) -> None:
    """Delete these rows of totals (matched on repository, path and raw identity)."""
    git_store.delete_rows(
        conn, FILE_AUTHORSHIP, ("repository_url", "path", "author_name", "author_email"), rows
    )


def stored_changes_of(
    conn: duckdb.DuckDBPyConnection, touched: dict[str, set[str]], new_shas: Sequence[str], since: int
) -> dict[str, list[Change]]:
    """Per repository, the stored changes (not those of ``new_shas``) committed at or after ``since`` (epoch
    seconds: the earliest new commit; no older change can be ordered after a new one) whose path or old path
    is one of these, with their replay keys: whether new changes may be replayed on top of the stored totals
    is decided on them (collectors.git.file_authorship). Only the commits of that stretch are joined."""
    rows = conn.execute(
        """
        WITH wanted AS (SELECT unnest($urls::VARCHAR[]) AS url, unnest($paths::VARCHAR[]) AS path),
        later AS MATERIALIZED (
            SELECT repository_url, sha, committed_at, authored_at FROM commits
            WHERE repository_url IN (SELECT url FROM wanted) AND committed_at >= make_timestamp($since::BIGINT * 1000000)
              AND sha NOT IN (SELECT unnest($new::VARCHAR[]))
        ),
        hits AS (
            SELECT f.* FROM commit_files f SEMI JOIN later l ON l.repository_url = f.repository_url AND l.sha = f.sha
        )
        SELECT DISTINCT h.repository_url, epoch(c.committed_at)::BIGINT, epoch(c.authored_at)::BIGINT, h.sha,
               h.status, h.path, h.old_path
        FROM hits h JOIN later c ON c.repository_url = h.repository_url AND c.sha = h.sha
        WHERE EXISTS (SELECT 1 FROM wanted w WHERE w.url = h.repository_url AND w.path = h.path)
           OR EXISTS (SELECT 1 FROM wanted w WHERE w.url = h.repository_url AND w.path = h.old_path)
        """,
        {**_pairs(touched), "new": list(new_shas), "since": since},
    ).fetchall()
    out: dict[str, list[Change]] = {}
    for url, committed, authored, sha, status, path, old in rows:
        out.setdefault(str(url), []).append(
            (int(committed), int(authored), str(sha), str(status), str(path), old)
        )
    return out


def insert_totals(conn: duckdb.DuckDBPyConnection, rows: Sequence[Total]) -> None:
    if not rows:
        return
    columns: dict[str, tuple[str, Sequence[Any]]] = {
        "repository_url": ("text", [r[0] for r in rows]),
        "path": ("text", [r[1] for r in rows]),
        "author_name": ("text", [r[2] for r in rows]),
        "author_email": ("text", [r[3] for r in rows]),
        "created": ("bool", [r[4] for r in rows]),
        "changes": ("int", [r[5] for r in rows]),
    }
    git_store.insert_rows(conn, FILE_AUTHORSHIP, columns)
