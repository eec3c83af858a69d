"""Store-side writes (and the collector's own state reads) for the git collector's tables (0003_git.sql).

History tables can hold millions of rows: they are written in columns, never row by row, and for many
repositories at once (a batch of mined repositories is one statement per table: the writer of a parallel
or cluster run applies repositories as fast as workers send them).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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
REPOSITORY_MINERS = writable_table("repository_miners")
FILE_AUTHORSHIP = writable_table("file_authorship")  # written by collectors/store/file_authorship.py

#: Tables holding one repository's history, cleared before a full re-mine (allow-list for identifiers).
_HISTORY_TABLES = (COMMITS, COMMIT_FILES)
#: Tables :func:`insert_rows` writes (allow-list for identifiers).
_BULK_TABLES = (*_HISTORY_TABLES, REPOSITORY_FILES, IDENTITIES, REPOSITORY_MINERS, FILE_AUTHORSHIP)


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


def repository_states(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, RepositoryState]:
    """The stored state of each of ``urls`` that is recorded, in one query."""
    rows = conn.execute(
        "SELECT url, local_path, head_sha, last_mined_sha, status, mined_with, derived_key "
        "FROM repositories WHERE url IN (SELECT unnest(?::VARCHAR[]))",
        [list(urls)],
    ).fetchall()
    return {row[0]: RepositoryState(*row) for row in rows}


def clear_history(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> None:
    """Delete the mined history of ``urls`` (before a full re-mine), one statement per table."""
    if not urls:
        return
    for table in _HISTORY_TABLES:
        delete = f"DELETE FROM {table} WHERE repository_url IN (SELECT unnest(?::VARCHAR[]))"  # noqa: S608
        conn.execute(delete, [list(urls)])


def warm_up() -> None:
    """Import NumPy, which a large batch is written through, while git is still producing history."""
    _numpy()


def _numpy() -> Any:
    """NumPy, imported here, not at the top: a run with few new commits never needs it. Imported by socle,
    it starts one BLAS thread, not one per core: socle does no linear algebra, and the extra threads OpenBLAS
    starts at import spin for 0.07 s of CPU (of 0.13 s for the whole import), taken from git while it reads
    a full history. A value the user set is kept."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import numpy

    return numpy


#: Below this many rows a statement inserts from Python lists (``UNNEST``), above it from NumPy arrays that
#: DuckDB scans in place: five times faster at 15,000 rows (at 1,000 both take about 8 ms). But NumPy takes
#: 0.05 to 0.1 s to import, which a run that writes a few thousand rows would pay for nothing (a full mining
#: imports it while git works: warm_up). Not Arrow: building Arrow arrays from Python lists imports pandas
#: (0.8 s of CPU).
BULK_MIN_ROWS = 10_000

#: Column kinds of :func:`insert_rows`: the SQL that unnests a list parameter of that kind, and the SQL that reads
#: a column of that kind from scanned NumPy arrays (``{}``: the column).
_KINDS: dict[str, tuple[str, str]] = {
    "text": ("unnest(?::VARCHAR[])", "{}::VARCHAR"),
    "bool": ("unnest(?::BOOLEAN[])", "{}::BOOLEAN"),
    "int": ("unnest(?::BIGINT[])", "{}::BIGINT"),
    "epoch": ("make_timestamp(unnest(?::BIGINT[]) * 1000000)", "make_timestamp({} * 1000000)"),  # seconds
    "text_list": ("unnest(?::VARCHAR[][])", "{}::VARCHAR[]"),
}

Columns = Mapping[str, tuple[str, Sequence[Any]]]


def insert_rows(conn: duckdb.DuckDBPyConnection, table: str, columns: Columns) -> int:
    """Insert rows given as columns of known kinds into one of this module's tables, in one statement:
    from Python lists when few, from NumPy arrays DuckDB scans in place when many. Returns the rows."""
    if table not in _BULK_TABLES:
        raise ValueError(f"not a git table: {table}")
    sizes = {len(values) for _, values in columns.values()}
    if len(sizes) != 1:
        raise ValueError(f"{table}: columns of different lengths {sorted(sizes)}")
    (rows,) = sizes
    if rows == 0:
        return 0
    names = ", ".join(columns)  # literal column names from this module
    if rows < BULK_MIN_ROWS:
        select = ", ".join(_KINDS[kind][0] for kind, _ in columns.values())
        conn.execute(
            f"INSERT INTO {table} ({names}) SELECT {select}",
            [list(values) for _, values in columns.values()],
        )
        return rows
    view = f"_bulk_{table}"
    conn.register(view, {name: _array(kind, values) for name, (kind, values) in columns.items()})
    try:
        select = ", ".join(_KINDS[kind][1].format(name) for name, (kind, _) in columns.items())
        conn.execute(f"INSERT INTO {table} ({names}) SELECT {select} FROM {view}")  # noqa: S608
    finally:
        # after a failed statement in a transaction DuckDB refuses even this: keep the original error
        with contextlib.suppress(duckdb.Error):
            conn.unregister(view)
    return rows


def _array(kind: str, values: Sequence[Any]) -> Any:
    np = _numpy()

    if kind in ("int", "epoch"):
        return np.array(values, dtype=np.int64)
    if kind == "bool":
        return np.array(values, dtype=np.bool_)
    if kind == "text":
        return np.fromiter(values, dtype=object, count=len(values))  # strings and None, filled in C
    array = np.full(len(values), None, dtype=object)
    # lists are filled one by one: np.array of equally long lists would make a 2-D array
    for i, value in enumerate(values):
        array[i] = value
    return array


def write_history(conn: duckdb.DuckDBPyConnection, url: str, run_id: int, columns: Any) -> int:
    """One repository's new history: :func:`write_histories` of one. Returns the number of commits."""
    write_histories(conn, [(url, columns)], run_id)
    return len(columns.sha)


def write_histories(
    conn: duckdb.DuckDBPyConnection, histories: Sequence[tuple[str, Any]], run_id: int
) -> None:
    """Insert the mined history of many repositories, given as (url, columns) with the columns of
    ``collectors.git.records.HistoryColumns`` (sha, author_name, author_email, authored_at, committed_at,
    co_authors, file_sha, file_status, file_path, file_old_path; epoch seconds), in one statement per table."""
    commit_url: list[str] = []
    file_url: list[str] = []
    commits: dict[str, list[Any]] = {name: [] for name in _COMMIT_COLUMNS}
    files: dict[str, list[Any]] = {name: [] for name in _FILE_COLUMNS}
    for url, columns in histories:
        commit_url += [url] * len(columns.sha)
        file_url += [url] * len(columns.file_sha)
        for name, values in commits.items():
            values += getattr(columns, name)
        for name, values in files.items():
            values += getattr(columns, name)
    insert_rows(
        conn,
        COMMITS,
        {
            "repository_url": ("text", commit_url),
            "sha": ("text", commits["sha"]),
            "author_name": ("text", commits["author_name"]),
            "author_email": ("text", commits["author_email"]),
            "authored_at": ("epoch", commits["authored_at"]),
            "committed_at": ("epoch", commits["committed_at"]),
            "co_authors": ("text_list", commits["co_authors"]),
            "run_id": ("int", [run_id] * len(commit_url)),
        },
    )
    insert_rows(
        conn,
        COMMIT_FILES,
        {
            "repository_url": ("text", file_url),
            "sha": ("text", files["file_sha"]),
            "status": ("text", files["file_status"]),
            "path": ("text", files["file_path"]),
            "old_path": ("text", files["file_old_path"]),
            "run_id": ("int", [run_id] * len(file_url)),
        },
    )


_COMMIT_COLUMNS = ("sha", "author_name", "author_email", "authored_at", "committed_at", "co_authors")
_FILE_COLUMNS = ("file_sha", "file_status", "file_path", "file_old_path")

RawIdentities = tuple[list[tuple[str, str, int]], list[tuple[str, int]]]


def raw_identities(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, RawIdentities]:
    """Per repository: (name, e-mail, commits) of every author, and (``Name <email>``, commits) of every
    co-author, sorted; two queries for all ``urls``."""
    found: dict[str, RawIdentities] = {url: ([], []) for url in urls}
    if not urls:
        return found
    authors = conn.execute(
        "SELECT repository_url, author_name, author_email, count(*) FROM commits "
        "WHERE repository_url IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL ORDER BY ALL",
        [list(urls)],
    ).fetchall()
    co = conn.execute(
        "SELECT repository_url, c, count(*) FROM (SELECT repository_url, unnest(co_authors) AS c FROM commits "
        "WHERE repository_url IN (SELECT unnest(?::VARCHAR[]))) GROUP BY ALL ORDER BY ALL",
        [list(urls)],
    ).fetchall()
    for url, name, email, n in authors:
        found[url][0].append((str(name), str(email), int(n)))
    for url, value, n in co:
        found[url][1].append((str(value), int(n)))
    return found


@dataclass(frozen=True)
class IdentityRow:
    """A raw identity seen in a repository and the person it was merged into (``repository_identities``)."""

    name: str
    email: str
    person: str
    is_bot: bool
    org: str | None


@dataclass(frozen=True)
class Derived:
    """What is derived for one repository: the files at the analysed revision with their filter category
    (``category``: computed for the files written, see ``recategorise``), and its identity map."""

    url: str
    files: Sequence[str]
    identities: Sequence[IdentityRow] | None  # None: the stored identity map is kept
    category: Callable[[str], str | None] = field(default=lambda path: None)
    recategorise: bool = False  # the filter changed: every file is written again with its category
    stored_identities: Sequence[IdentityRow] | None = None  # the stored map when the caller read it already


def replace_derived(conn: duckdb.DuckDBPyConnection, derived: Sequence[Derived], run_id: int) -> None:
    """Replace the files at the analysed revision and the identity map (unless kept) of many repositories,
    then derive their contributors and monthly series in SQL (bots kept in contributors with is_bot, left out
    of the monthly series): one statement per table for all of them."""
    if not derived:
        return
    urls = [d.url for d in derived]
    for table in (CONTRIBUTORS, MONTHLY):
        delete = f"DELETE FROM {table} WHERE repository_url IN (SELECT unnest(?::VARCHAR[]))"  # noqa: S608
        conn.execute(delete, [urls])
    # files and identities: only the rows that changed are deleted and written (a new commit changes a few
    # files of thousands, and new commits seldom change the identity map)
    # (a changed filter rewrites every file of the repository, with its new category)
    stored_files = _stored_rows(conn, "SELECT repository_url, path FROM repository_files", urls)
    redo = {d.url for d in derived if d.recategorise}
    files = {(d.url, path) for d in derived for path in d.files}
    gone_files = {row for row in stored_files if row not in files or row[0] in redo}
    delete_rows(conn, REPOSITORY_FILES, ("repository_url", "path"), sorted(gone_files))
    added = sorted(row for row in files if row not in stored_files or row[0] in redo)
    category = {d.url: d.category for d in derived}
    insert_rows(
        conn,
        REPOSITORY_FILES,
        {
            "repository_url": ("text", [url for url, _ in added]),
            "path": ("text", [path for _, path in added]),
            "run_id": ("int", [run_id] * len(added)),
            "category": ("text", [category[url](path) for url, path in added]),
        },
    )
    read = [d.url for d in derived if d.identities is not None and d.stored_identities is None]
    stored_map = _stored_rows(conn, _IDENTITY_MAP, read) | {
        (d.url, r.name, r.email, r.person, r.is_bot, r.org)
        for d in derived if d.identities is not None and d.stored_identities is not None
        for r in d.stored_identities
    }  # fmt: skip
    mapped = {
        (d.url, i.name, i.email, i.person, i.is_bot, i.org) for d in derived for i in d.identities or ()
    }
    gone = sorted(stored_map - mapped, key=lambda r: r[:3])
    delete_rows(conn, IDENTITIES, ("repository_url", "name", "email"), gone)
    rows = sorted(mapped - stored_map, key=lambda r: (r[0], r[2], r[1]))
    insert_rows(
        conn,
        IDENTITIES,
        {
            "repository_url": ("text", [r[0] for r in rows]),
            "name": ("text", [r[1] for r in rows]),
            "email": ("text", [r[2] for r in rows]),
            "person": ("text", [r[3] for r in rows]),
            "is_bot": ("bool", [r[4] for r in rows]),
            "org": ("text", [r[5] for r in rows]),
            "run_id": ("int", [run_id] * len(rows)),
        },
    )
    conn.execute(
        """
        INSERT INTO contributors
        SELECT c.repository_url, i.person, arg_max(c.author_name, c.authored_at), any_value(i.org),
               bool_or(i.is_bot), count(*)::INTEGER, min(c.authored_at), max(c.authored_at), ?
        FROM commits c JOIN repository_identities i
          ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
        WHERE c.repository_url IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY c.repository_url, i.person
        """,
        [run_id, urls],
    )
    conn.execute(
        """
        INSERT INTO monthly_activity
        SELECT c.repository_url, date_trunc('month', c.authored_at)::DATE,
               count(DISTINCT i.person)::INTEGER, count(*)::INTEGER, ?
        FROM commits c JOIN repository_identities i
          ON i.repository_url = c.repository_url AND i.name = c.author_name AND i.email = c.author_email
        WHERE c.repository_url IN (SELECT unnest(?::VARCHAR[])) AND NOT i.is_bot
        GROUP BY ALL
        """,
        [run_id, urls],
    )


def identity_maps(conn: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, list[IdentityRow]]:
    """The stored identity map of each of ``urls``."""
    out: dict[str, list[IdentityRow]] = {}
    for url, name, email, person, bot, org in sorted(_stored_rows(conn, _IDENTITY_MAP, urls)):
        out.setdefault(str(url), []).append(IdentityRow(name, email, person, bool(bot), org))
    return out


_IDENTITY_MAP = "SELECT repository_url, name, email, person, is_bot, org FROM repository_identities"
_IDENTIFIER = re.compile(r"[a-z_]+")


def _stored_rows(conn: duckdb.DuckDBPyConnection, select: str, urls: Sequence[str]) -> set[tuple[Any, ...]]:
    """The rows of ``select`` (a constant of this module, first column the repository) for ``urls``."""
    if not urls:
        return set()
    query = f"{select} WHERE repository_url IN (SELECT unnest(?::VARCHAR[]))"
    return set(conn.execute(query, [list(urls)]).fetchall())


def delete_rows(
    conn: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Delete the rows of ``table`` (one that :func:`insert_rows` writes) whose text ``columns`` equal the
    first values of one of ``rows``, in one statement: the counterpart of writing only what changed."""
    if table not in _BULK_TABLES:
        raise ValueError(f"not a git table: {table}")
    if not all(_IDENTIFIER.fullmatch(c) for c in columns):
        raise ValueError(f"not column names: {columns}")
    if not rows:
        return
    keys = ", ".join(f"unnest($k{i}::VARCHAR[]) AS k{i}" for i in range(len(columns)))
    match = " AND ".join(f"w.k{i} = t.{column}" for i, column in enumerate(columns))
    conn.execute(
        f"DELETE FROM {table} t USING (SELECT {keys}) w WHERE {match}",  # noqa: S608  (checked names)
        {f"k{i}": [row[i] for row in rows] for i in range(len(columns))},
    )


FundingLink = tuple[str, str | None, str, str]  # url, platform, label, source


def replace_funding_links(
    conn: duckdb.DuckDBPyConnection, links: Mapping[str, Sequence[FundingLink]], run_id: int
) -> None:
    """The funding links read from each repository's files, as {repository: [(url, platform, label, source)]}.
    Only repositories whose stored links differ are rewritten (a run with nothing new writes nothing, and
    never imports pandas for Arrow)."""
    if not links:
        return
    stored: dict[str, list[FundingLink]] = {url: [] for url in links}
    for subject, *link in conn.execute(
        "SELECT subject, url, platform, label, source FROM funding_links WHERE subject_kind = 'repository' "
        "AND subject IN (SELECT unnest(?::VARCHAR[])) AND source IN ('funding-yml', 'funding-json')",
        [list(links)],
    ).fetchall():
        stored[subject].append((link[0], link[1], link[2], link[3]))
    changed = [url for url, rows in links.items() if sorted(stored[url], key=repr) != sorted(rows, key=repr)]
    if not changed:
        return
    conn.execute(
        "DELETE FROM funding_links WHERE subject_kind = 'repository' "
        "AND subject IN (SELECT unnest(?::VARCHAR[])) AND source IN ('funding-yml', 'funding-json', 'drips')",
        [changed],
    )
    rows = [(url, link) for url in changed for link in links[url]]
    insert_columns(
        conn,
        "funding_links",
        {
            "subject_kind": ["repository"] * len(rows),
            "subject": [url for url, _ in rows],
            "url": [link[0] for _, link in rows],
            "platform": [link[1] for _, link in rows],
            "label": [link[2] for _, link in rows],
            "source": [link[3] for _, link in rows],
            "run_id": [run_id] * len(rows),
        },
    )


@dataclass(frozen=True)
class MinedState:
    """A repository just mined, as ``repositories`` records it."""

    url: str
    host: str | None
    local_path: str | None
    head_sha: str
    message: str
    mined_with: str
    derived_key: str


def record_mined(conn: duckdb.DuckDBPyConnection, mined: Sequence[MinedState], run_id: int) -> None:
    """Record repositories mined in this run (status ok, mined up to their head), replacing what was stored:
    one delete and one insert for all of them."""
    if not mined:
        return
    conn.execute(
        "DELETE FROM repositories WHERE url IN (SELECT unnest(?::VARCHAR[]))", [[m.url for m in mined]]
    )
    now = utcnow()
    conn.execute(
        "INSERT INTO repositories (url, host, local_path, head_sha, last_mined_sha, mined_at, status, message, "
        "run_id, mined_with, derived_key) SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
        "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?, 'ok', unnest(?::VARCHAR[]), ?, "
        "unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
        [
            [m.url for m in mined],
            [m.host for m in mined],
            [m.local_path for m in mined],
            [m.head_sha for m in mined],
            [m.head_sha for m in mined],
            now,
            [m.message for m in mined],
            run_id,
            [m.mined_with for m in mined],
            [m.derived_key for m in mined],
        ],
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


def record_miners(conn: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str]], run_id: int) -> None:
    """Which worker (host:pid, or a cluster worker's address) mined each repository, as (url, worker), in
    this run (0016)."""
    insert_rows(
        conn,
        REPOSITORY_MINERS,
        {
            "run_id": ("int", [run_id] * len(rows)),
            "repository_url": ("text", [url for url, _ in rows]),
            "worker": ("text", [worker for _, worker in rows]),
        },
    )
