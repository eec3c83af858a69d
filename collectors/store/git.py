"""Store-side writes (and the collector's own state reads) for the git collector's tables (0003_git.sql).

History tables can hold millions of rows: they are written only through Arrow (:func:`insert_columns`) and
replaced per repository, never row by row.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from collectors.store import insert_columns, on_commit, utcnow, writable_table

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
    """Build a tiny Arrow table: pyarrow's first table imports pandas lazily (about a second), which is
    better spent while git is still producing history than after it."""
    pa.table({"x": pa.array([], pa.string())})


#: Below this many rows a few new commits are inserted from Python lists (``UNNEST``), above it through
#: Arrow: Arrow is about three times faster per row, but its first use imports pandas (about 0.3 s).
ARROW_MIN_ROWS = 20_000


def write_history(conn: duckdb.DuckDBPyConnection, url: str, run_id: int, columns: Any) -> int:
    """Insert mined history given as columns (``collectors.git.records.HistoryColumns``: sha, author_name,
    author_email, authored_at, committed_at, co_authors, file_sha, file_status, file_path, file_old_path),
    epoch seconds typed as timestamps. Returns the number of commits."""
    n, m = len(columns.sha), len(columns.file_sha)
    if n + m < ARROW_MIN_ROWS:
        _insert_lists(conn, url, run_id, columns)
        return n
    seconds = pa.timestamp("s")
    commits = pa.table(
        {
            "repository_url": pa.array([url] * n, pa.string()),
            "sha": pa.array(columns.sha, pa.string()),
            "author_name": pa.array(columns.author_name, pa.string()),
            "author_email": pa.array(columns.author_email, pa.string()),
            "authored_at": pa.array(columns.authored_at, seconds),
            "committed_at": pa.array(columns.committed_at, seconds),
            "co_authors": pa.array(columns.co_authors, pa.list_(pa.string())),
            "run_id": pa.array([run_id] * n, pa.int64()),
        }
    )
    files = pa.table(
        {
            "repository_url": pa.array([url] * m, pa.string()),
            "sha": pa.array(columns.file_sha, pa.string()),
            "status": pa.array(columns.file_status, pa.string()),
            "path": pa.array(columns.file_path, pa.string()),
            "old_path": pa.array(columns.file_old_path, pa.string()),
            "run_id": pa.array([run_id] * m, pa.int64()),
        }
    )
    _insert_arrow(conn, COMMITS, commits)
    _insert_arrow(conn, COMMIT_FILES, files)
    return n


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


def _insert_arrow(conn: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    if table not in (COMMITS, COMMIT_FILES):
        raise ValueError(f"not a history table: {table}")
    if data.num_rows == 0:
        return
    view = f"_arrow_{table}"
    conn.register(view, data)
    try:
        columns = ", ".join(data.column_names)
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}")  # noqa: S608
    finally:
        conn.unregister(view)


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
    nothing new then writes nothing, and never imports pandas for Arrow).

    ``funding_links`` is a core table and this is called inside a repository's transaction, which writes
    the history file (one transaction writes one file): the links are staged in TEMP tables (rolled back
    with the transaction) and written when it commits (:func:`apply_staged_funding`), or when the session
    ends if no transaction is open.
    """
    rows = list(links)
    stored = conn.execute(
        "SELECT url, platform, label, source FROM funding_links WHERE subject_kind = 'repository' "
        "AND subject = ? AND source IN ('funding-yml', 'funding-json')",
        [url],
    ).fetchall()
    if sorted(stored, key=repr) == sorted(rows, key=repr):
        return
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _staged_funding_repositories (repository VARCHAR NOT NULL, run_id BIGINT)"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _staged_repository_funding (repository VARCHAR NOT NULL, url VARCHAR NOT NULL, "
        "platform VARCHAR, label VARCHAR, source VARCHAR NOT NULL, run_id BIGINT NOT NULL)"
    )
    conn.execute("DELETE FROM _staged_funding_repositories WHERE repository = ?", [url])
    conn.execute("DELETE FROM _staged_repository_funding WHERE repository = ?", [url])
    conn.execute("INSERT INTO _staged_funding_repositories VALUES (?, ?)", [url, run_id])
    _STAGING.add(conn)
    if rows:
        conn.execute(
            "INSERT INTO _staged_repository_funding SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
            "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?",
            [url, *([r[i] for r in rows] for i in range(4)), run_id],
        )


#: Connections that staged funding links since their last apply: every other commit (thousands in a
#: registry refresh) skips the look-up (a catalogue query costs about 1 ms).
_STAGING: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()


@on_commit
def apply_staged_funding(conn: duckdb.DuckDBPyConnection) -> None:
    """Replace the funding links of the staged repositories in ``funding_links`` (one transaction)."""
    if conn not in _STAGING:
        return
    _STAGING.discard(conn)
    try:
        staged = conn.execute("SELECT count(*) FROM _staged_funding_repositories").fetchall()[0][0]
    except duckdb.CatalogException:
        return  # the transaction that staged them rolled back, creating the tables with it
    if not staged:
        return  # the transaction that staged them rolled back
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute(
            "DELETE FROM funding_links WHERE subject_kind = 'repository' "
            "AND source IN ('funding-yml', 'funding-json', 'drips') "
            "AND subject IN (SELECT repository FROM _staged_funding_repositories)"
        )
        conn.execute(
            "INSERT INTO funding_links (subject_kind, subject, url, platform, label, source, run_id) "
            "SELECT 'repository', repository, url, platform, label, source, run_id FROM _staged_repository_funding"
        )
        conn.execute("DELETE FROM _staged_funding_repositories")
        conn.execute("DELETE FROM _staged_repository_funding")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


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
