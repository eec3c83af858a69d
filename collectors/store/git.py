"""Store-side writes (and the collector's own state reads) for the git collector's tables (0003_git.sql).

History tables can hold millions of rows: they are written only through Arrow (:func:`insert_columns`) and
replaced per repository, never row by row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from collectors.store import insert_columns, utcnow, writable_table

REPOSITORIES = writable_table("repositories")
PACKAGE_REPOSITORIES = writable_table("package_repositories")
COMMITS = writable_table("commits")
COMMIT_FILES = writable_table("commit_files")
REPOSITORY_FILES = writable_table("repository_files")
IDENTITIES = writable_table("repository_identities")
CONTRIBUTORS = writable_table("contributors")
MONTHLY = writable_table("monthly_activity")

#: Tables holding one repository's history, cleared before a full re-mine (allow-list for identifiers).
_HISTORY_TABLES = (COMMITS, COMMIT_FILES)
_DERIVED_TABLES = (REPOSITORY_FILES, IDENTITIES, CONTRIBUTORS, MONTHLY)


@dataclass(frozen=True)
class RepositoryState:
    url: str
    local_path: str | None
    head_sha: str | None
    last_mined_sha: str | None
    status: str
    mined_with: str | None = None  # mining parameters of the stored history (0013_git_mining_state.sql)
    derived_key: str | None = None  # fingerprint of the inputs of the derived tables


def repository_state(conn: duckdb.DuckDBPyConnection, url: str) -> RepositoryState | None:
    # fetchall, not fetchone: an unfinished result would block the next statement on this connection
    rows = conn.execute(
        "SELECT url, local_path, head_sha, last_mined_sha, status, mined_with, derived_key "
        "FROM repositories WHERE url = ?",
        [url],
    ).fetchall()
    return RepositoryState(*rows[0]) if rows else None


def known_repositories(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Repositories to mine: those recorded (added or mined before) and those linked to packages."""
    urls = {r[0] for r in conn.execute("SELECT url FROM repositories").fetchall()}
    urls |= {
        r[0] for r in conn.execute("SELECT DISTINCT repository_url FROM package_repositories").fetchall()
    }
    return sorted(urls)


def table_exists(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    rows = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'",
        [name],
    ).fetchall()
    return bool(rows and rows[0][0])


def package_repository_urls(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    """(purl, repository_url, directory) from the registry collectors' package_metadata, if present."""
    if not table_exists(conn, "package_metadata"):
        return []
    rows = conn.execute(
        "SELECT purl, repository_url, repository_directory FROM package_metadata "
        "WHERE repository_url IS NOT NULL ORDER BY purl"
    ).fetchall()
    return [(str(a), str(b), c) for a, b, c in rows]


def replace_package_links(
    conn: duckdb.DuckDBPyConnection, links: Sequence[tuple[str, str, str | None]], source: str, run_id: int
) -> None:
    conn.execute("DELETE FROM package_repositories WHERE source = ?", [source])
    insert_columns(
        conn,
        PACKAGE_REPOSITORIES,
        {
            "purl": [p for p, _, _ in links],
            "repository_url": [u for _, u, _ in links],
            "directory": [d for _, _, d in links],
            "source": [source] * len(links),
            "run_id": [run_id] * len(links),
        },
    )


def record_unreachable(
    conn: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str]], run_id: int
) -> None:
    """Record repositories that could not be read, as (url, status, message), in two statements.

    Like ``upsert_repository(..., mined=False)``: what was mined before (heads) is kept."""
    if not rows:
        return
    import pyarrow as pa  # here: a run that reaches every repository never imports Arrow

    staged = pa.table(
        {
            "url": pa.array([r[0] for r in rows], pa.string()),
            "status": pa.array([r[1] for r in rows], pa.string()),
            "message": pa.array([r[2] for r in rows], pa.string()),
        }
    )
    conn.register("_unreachable", staged)
    try:
        conn.execute(
            "UPDATE repositories SET host = NULL, local_path = NULL, mined_at = NULL, status = n.status, "
            "message = n.message, run_id = ? FROM _unreachable n WHERE repositories.url = n.url",
            [run_id],
        )
        conn.execute(
            "INSERT INTO repositories (url, status, message, run_id) "
            "SELECT url, status, message, ? FROM _unreachable WHERE url NOT IN (SELECT url FROM repositories)",
            [run_id],
        )
    finally:
        with contextlib.suppress(duckdb.Error):
            conn.unregister("_unreachable")


def upsert_repository(
    conn: duckdb.DuckDBPyConnection,
    *,
    url: str,
    host: str | None,
    local_path: str | None,
    head_sha: str | None,
    last_mined_sha: str | None,
    status: str,
    message: str | None,
    run_id: int,
    mined: bool,
    mined_with: str | None = None,
    derived_key: str | None = None,
) -> None:
    previous = repository_state(conn, url)
    conn.execute("DELETE FROM repositories WHERE url = ?", [url])
    if not mined and previous is not None:
        # a skipped or failed refresh keeps what was mined before (a failed derivation is not current)
        head_sha = head_sha or previous.head_sha
        last_mined_sha = previous.last_mined_sha
        mined_with = previous.mined_with
    conn.execute(
        "INSERT INTO repositories (url, host, local_path, head_sha, last_mined_sha, mined_at, status, message, "
        "run_id, mined_with, derived_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            url,
            host,
            local_path,
            head_sha,
            last_mined_sha,
            utcnow() if mined else None,
            status,
            message,
            run_id,
            mined_with,
            derived_key if mined else None,
        ],
    )


def clear_history(conn: duckdb.DuckDBPyConnection, url: str) -> None:
    for table in _HISTORY_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE repository_url = ?", [url])  # noqa: S608


def warm_up() -> None:
    """Import NumPy, which a full history is written through, while git is still producing that history."""
    import numpy  # noqa: F401  (here, not at the top: a run with few new commits never needs it)


#: Below this many rows a few new commits are inserted from Python lists (``UNNEST``), above it from NumPy
#: arrays that DuckDB scans in place: about three times faster per row. Not Arrow: building Arrow arrays from
#: Python lists imports pandas (0.8 s of CPU, more than the whole write); NumPy takes 0.05 s to import.
BULK_MIN_ROWS = 20_000


def write_history(conn: duckdb.DuckDBPyConnection, url: str, run_id: int, columns: Any) -> int:
    """Insert mined history given as columns (``collectors.git.records.HistoryColumns``: sha, author_name,
    author_email, authored_at, committed_at, co_authors, file_sha, file_status, file_path, file_old_path),
    epoch seconds typed as timestamps. Returns the number of commits."""
    n, m = len(columns.sha), len(columns.file_sha)
    if n + m < BULK_MIN_ROWS:
        _insert_lists(conn, url, run_id, columns)
        return n
    import numpy as np  # here, not at the top: see warm_up

    def texts(values: list[Any]) -> Any:
        return np.array(values, dtype=object)  # a 1-D array of the same str objects (and None)

    def lists(values: list[list[str] | None]) -> Any:
        # filled one by one: np.array of equally long lists would make a 2-D array
        array = np.full(len(values), None, dtype=object)
        for i, value in enumerate(values):
            if value is not None:
                array[i] = value
        return array

    seconds = "make_timestamp({} * 1000000)"  # epoch seconds -> TIMESTAMP
    _insert_arrays(
        conn,
        COMMITS,
        {
            "sha": ("sha", texts(columns.sha)),
            "author_name": ("author_name", texts(columns.author_name)),
            "author_email": ("author_email", texts(columns.author_email)),
            "authored_at": (seconds.format("authored_at"), np.array(columns.authored_at, dtype=np.int64)),
            "committed_at": (seconds.format("committed_at"), np.array(columns.committed_at, dtype=np.int64)),
            "co_authors": ("co_authors::VARCHAR[]", lists(columns.co_authors)),
        },
        url,
        run_id,
    )
    _insert_arrays(
        conn,
        COMMIT_FILES,
        {
            "sha": ("sha", texts(columns.file_sha)),
            "status": ("status", texts(columns.file_status)),
            "path": ("path", texts(columns.file_path)),
            "old_path": ("old_path::VARCHAR", texts(columns.file_old_path)),
        },
        url,
        run_id,
    )
    return n


def _insert_arrays(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    arrays: Mapping[str, tuple[str, Any]],
    url: str,
    run_id: int,
) -> None:
    """Insert one repository's rows into a history table from NumPy arrays DuckDB scans in place: ``arrays``
    maps each column to (the SQL expression reading it from the scanned arrays, the array)."""
    if table not in _HISTORY_TABLES:
        raise ValueError(f"not a history table: {table}")
    view = f"_bulk_{table}"
    conn.register(view, {name: array for name, (_, array) in arrays.items()})
    try:
        names = ", ".join(arrays)  # literal column names from this module
        select = ", ".join(expression for expression, _ in arrays.values())
        conn.execute(
            f"INSERT INTO {table} (repository_url, {names}, run_id) SELECT ?, {select}, ? FROM {view}",  # noqa: S608
            [url, run_id],
        )
    finally:
        # after a failed statement in a transaction DuckDB refuses even this: keep the original error
        with contextlib.suppress(duckdb.Error):
            conn.unregister(view)


def _insert_lists(conn: duckdb.DuckDBPyConnection, url: str, run_id: int, columns: Any) -> None:
    """A few commits, inserted from Python lists in two statements (no Arrow)."""
    if columns.sha:
        conn.execute(
            "INSERT INTO commits (repository_url, sha, author_name, author_email, authored_at, committed_at, "
            "co_authors, run_id) SELECT ?, unnest(?), unnest(?), unnest(?), make_timestamp(unnest(?::BIGINT[]) * 1000000), "
            "make_timestamp(unnest(?::BIGINT[]) * 1000000), unnest(?::VARCHAR[][]), ?",
            [url, columns.sha, columns.author_name, columns.author_email, columns.authored_at,
             columns.committed_at, columns.co_authors, run_id],
        )  # fmt: skip
    if columns.file_sha:
        conn.execute(
            "INSERT INTO commit_files (repository_url, sha, status, path, old_path, run_id) "
            "SELECT ?, unnest(?), unnest(?), unnest(?), unnest(?::VARCHAR[]), ?",
            [url, columns.file_sha, columns.file_status, columns.file_path, columns.file_old_path, run_id],
        )


def raw_identities(
    conn: duckdb.DuckDBPyConnection, url: str
) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]]]:
    """(name, e-mail, commits) of every author, and (``Name <email>``, commits) of every co-author."""
    authors = conn.execute(
        "SELECT author_name, author_email, count(*) FROM commits WHERE repository_url = ? "
        "GROUP BY ALL ORDER BY ALL",
        [url],
    ).fetchall()
    co = conn.execute(
        "SELECT c, count(*) FROM (SELECT unnest(co_authors) AS c FROM commits WHERE repository_url = ?) "
        "GROUP BY ALL ORDER BY ALL",
        [url],
    ).fetchall()
    return [(str(a), str(b), int(n)) for a, b, n in authors], [(str(v), int(n)) for v, n in co]


def replace_derived(
    conn: duckdb.DuckDBPyConnection,
    url: str,
    run_id: int,
    *,
    files: Sequence[str],
    identities: Sequence[Mapping[str, Any]],
) -> None:
    """Replace the files at the analysed revision and the identity map, then derive contributors and the
    monthly series in SQL (bots kept in contributors with is_bot, left out of the monthly series)."""
    for table in _DERIVED_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE repository_url = ?", [url])  # noqa: S608
    # thousands of rows: from Python lists in one statement each (no Arrow, whose first use imports pandas)
    if files:
        conn.execute(
            "INSERT INTO repository_files (repository_url, path, run_id) SELECT ?, unnest(?::VARCHAR[]), ?",
            [url, list(files), run_id],
        )
    if identities:
        conn.execute(
            "INSERT INTO repository_identities (repository_url, name, email, person, is_bot, org, run_id) "
            "SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::BOOLEAN[]), "
            "unnest(?::VARCHAR[]), ?",
            [
                url,
                *([i[key] for i in identities] for key in ("name", "email", "person", "is_bot", "org")),
                run_id,
            ],
        )
    conn.execute(
        """
        INSERT INTO contributors
        SELECT c.repository_url, i.person, arg_max(c.author_name, c.authored_at), any_value(i.org),
               bool_or(i.is_bot), count(*)::INTEGER, min(c.authored_at), max(c.authored_at), ?
        FROM commits c JOIN repository_identities i
          ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
        WHERE c.repository_url = ?
        GROUP BY c.repository_url, i.person
        """,
        [run_id, url],
    )
    conn.execute(
        """
        INSERT INTO monthly_activity
        SELECT c.repository_url, date_trunc('month', c.authored_at)::DATE,
               count(DISTINCT i.person)::INTEGER, count(*)::INTEGER, ?
        FROM commits c JOIN repository_identities i
          ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
        WHERE c.repository_url = ? AND NOT i.is_bot
        GROUP BY ALL
        """,
        [run_id, url],
    )


def replace_repository_funding(
    conn: duckdb.DuckDBPyConnection, url: str, links: Iterable[tuple[str, str | None, str, str]], run_id: int
) -> None:
    """links: (url, platform, label, source). Nothing is written when the stored links are these (a run with
    nothing new then writes nothing, and never imports pandas for Arrow)."""
    rows = list(links)
    stored = conn.execute(
        "SELECT url, platform, label, source FROM funding_links WHERE subject_kind = 'repository' "
        "AND subject = ? AND source IN ('funding-yml', 'funding-json')",
        [url],
    ).fetchall()
    if sorted(stored, key=repr) == sorted(rows, key=repr):
        return
    conn.execute(
        "DELETE FROM funding_links WHERE subject_kind = 'repository' AND subject = ? "
        "AND source IN ('funding-yml', 'funding-json', 'drips')",
        [url],
    )
    insert_columns(
        conn,
        "funding_links",
        {
            "subject_kind": ["repository"] * len(rows),
            "subject": [url] * len(rows),
            "url": [r[0] for r in rows],
            "platform": [r[1] for r in rows],
            "label": [r[2] for r in rows],
            "source": [r[3] for r in rows],
            "run_id": [run_id] * len(rows),
        },
    )


def add_repository(
    conn: duckdb.DuckDBPyConnection, url: str, host: str | None, run_id: int, purls: Sequence[str] = ()
) -> bool:
    """Record a repository to mine (``socle add-repo``); True when it was new. Links it to ``purls``."""
    exists = repository_state(conn, url) is not None
    if not exists:
        conn.execute(
            "INSERT INTO repositories (url, host, status, message, run_id) VALUES (?, ?, 'skipped', ?, ?)",
            [url, host, "added, not mined yet", run_id],
        )
    for purl in purls:
        conn.execute("DELETE FROM package_repositories WHERE purl = ? AND source = 'add-repo'", [purl])
        conn.execute(
            "INSERT INTO package_repositories (purl, repository_url, directory, source, run_id) "
            "VALUES (?, ?, NULL, 'add-repo', ?)",
            [purl, url, run_id],
        )
    return not exists


REPOSITORY_MINERS = writable_table("repository_miners")


def record_miner(conn: duckdb.DuckDBPyConnection, url: str, worker: str, run_id: int) -> None:
    """Which worker (host:pid, or a cluster worker's address) mined ``url`` in this run (0016)."""
    conn.execute(
        "INSERT INTO repository_miners (run_id, repository_url, worker) VALUES (?, ?, ?)",
        [run_id, url, worker],
    )
