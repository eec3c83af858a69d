"""The store: a core DuckDB file and a history file, their migrations, write sessions and the run ledger.

How writers and readers share the files (DuckDB allows one writing process *or* several readers per file):

* The store is two files (``layout``): the core file (``socle.duckdb``: inventory, registry facts, scores,
  budgets, the ledger, and the manifest naming the current history file) and the git collector's history
  (``socle.duckdb.history-N``). A write session declares the domains it writes; the core is always one.
* A writer (import, refresh, budget save) takes an exclusive lock file beside the database, so a second
  writer fails at once with :class:`StoreBusyError` (a cron job exits 1 and tries next hour).
* It copies the core file, and the history file only when it writes the history, to private temporary files
  and works there (the history it does not write is attached read-only). On success it checkpoints, renames
  the new history generation into place, then ``os.replace``-s the core file that names it over the
  database: that one atomic rename publishes every changed file at once. Readers (the dashboard, reports)
  open short-lived read-only connections on the core file and the generation it names, and always see either
  the old or the new store, never a half-finished run, and are never blocked. A budget save or a one-package
  refresh copies the core file only, never the mined history.
* A fatal error discards the copies: the earlier data stays exactly as it was, and the failed run is still
  recorded in the ledger. A writer that was killed leaves its copies (or an unnamed history generation)
  behind; the next writer records that run as failed ("interrupted") and deletes them.
* One transaction writes one file (DuckDB's rule for attached files): the history tables are the git
  collector's, written together per batch of repositories (its funding links, a core table, in a
  transaction of their own). Ledger events recorded inside a transaction are written when it commits
  (dropped with it when it rolls back), so any transaction may record them.

Every write session is a run: ``runs`` says when it started and ended, its status, counts and errors;
``run_events`` holds its per-file or per-package errors and documented skips. Rows carry the run_id.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from collectors.errors import StoreError
from collectors.store import layout, working
from collectors.store.layout import CORE as CORE
from collectors.store.layout import DOMAINS as DOMAINS
from collectors.store.layout import HISTORY as HISTORY
from collectors.store.layout import MIGRATIONS_DIR as MIGRATIONS_DIR
from collectors.store.layout import migration_files as migration_files
from collectors.store.working import one_line as one_line

#: Statuses a reader may trust: the run ended and committed what it wrote.
TRUSTED_STATUSES = ("ok", "partial")


def utcnow() -> datetime:
    """Naive UTC, the store's convention for TIMESTAMP columns."""
    return datetime.now(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------------------------------------- migrations


def migrate(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction. Returns the names applied.

    A migration is recorded in ``schema_migrations`` (core file) just after its own transaction commits: a
    migration of a history table writes the history file, and one transaction writes one file. Both run on
    the session's private copies, published together or not at all.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations").fetchall()}
    applied: list[str] = []
    for path in migration_files():
        name = path.stem
        if name in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(path.read_text(encoding="utf-8"))
            conn.execute("COMMIT")
        except duckdb.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed: {exc}") from exc
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, utcnow()])
        applied.append(name)
    return applied


# ---------------------------------------------------------------------------------------------- bulk writes

#: Tables that bulk writes may name; identifiers never come from input.
_WRITABLE_TABLES: set[str] = set()


def writable_table(name: str) -> str:
    """Register a table as a bulk-write target (called at import time by the modules that own tables)."""
    _WRITABLE_TABLES.add(name)
    return name


def insert_columns(conn: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, Sequence[Any]]) -> int:
    """Insert rows given as columns through Arrow (hundreds of thousands of rows per second).

    ``table`` must be registered with :func:`writable_table`; column names must be plain identifiers.
    """
    if table not in _WRITABLE_TABLES:
        raise StoreError(f"refusing bulk insert into unregistered table {table!r}")
    names = list(columns)
    if not names:
        return 0
    for name in names:
        if not name.isidentifier():
            raise StoreError(f"refusing bulk insert with column name {name!r}")
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise StoreError(f"bulk insert into {table}: columns of different lengths {sorted(lengths)}")
    (count,) = lengths
    if count == 0:
        return 0
    import pyarrow as pa  # here: a command that never bulk-inserts never pays for importing Arrow and NumPy

    arrow = pa.table({name: list(columns[name]) for name in names})
    view = f"_insert_{table}"
    conn.register(view, arrow)
    try:
        column_list = ", ".join(names)
        conn.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {view}")  # noqa: S608
    finally:
        # After a failed statement inside a transaction DuckDB refuses even this; keep the original error.
        with contextlib.suppress(duckdb.Error):
            conn.unregister(view)
    return count


for _table in (
    "runs",
    "run_events",
    "applications",
    "packages",
    "app_packages",
    "app_edges",
    "funding_links",
    "scores",
    "score_history",
):
    writable_table(_table)


# ---------------------------------------------------------------------------------------------- sessions

_Event = tuple[datetime, str, str, str]


@dataclass
class WriteSession:
    """An open write session on the private copy of the store: one run of the ledger."""

    conn: duckdb.DuckDBPyConnection
    run_id: int
    kind: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    status_override: str | None = None
    message: str | None = None
    #: Steps that were asked for and achieved nothing ("git: all 12 repositories were skipped"): the run
    #: is ``partial`` even without a per-package error, so cron is not told "ok" when nothing worked.
    shortfalls: list[str] = field(default_factory=list)
    #: The domains this session may write (``layout``); the others are attached read-only.
    domains: frozenset[str] = DOMAINS
    #: Events recorded inside the open transaction: written when it commits, dropped when it rolls back.
    _staged_events: list[_Event] = field(default_factory=list)
    _in_transaction: bool = False

    def event(self, severity: str, subject: str, message: str) -> None:
        """Record an error, warning or documented skip for a file or package on this run."""
        self.events(severity, [(subject, message)])

    def events(self, severity: str, items: Sequence[tuple[str, str]]) -> None:
        """Record many (subject, message) events of one severity in one bulk insert."""
        if severity not in ("error", "warning", "skipped"):
            raise ValueError(f"unknown severity {severity!r}")
        if not items:
            return
        if severity == "error":
            self.errors += len(items)
        elif severity == "warning":
            self.warnings += len(items)
        now = utcnow()
        staged = [(now, severity, subject, message) for subject, message in items]
        if self._in_transaction:
            # the transaction may be writing the history file, and one transaction writes one file
            self._staged_events += staged
        else:
            self._write_events(staged)

    def _write_events(self, events: Sequence[_Event]) -> None:
        if len(events) == 1:
            # one event (the usual case): no Arrow, whose first use imports pandas
            self.conn.execute(
                "INSERT INTO run_events (run_id, at_time, severity, subject, message) VALUES (?, ?, ?, ?, ?)",
                [self.run_id, *events[0]],
            )
            return
        insert_columns(
            self.conn,
            "run_events",
            {
                "run_id": [self.run_id] * len(events),
                "at_time": [e[0] for e in events],
                "severity": [e[1] for e in events],
                "subject": [e[2] for e in events],
                "message": [e[3] for e in events],
            },
        )

    def apply_staged(self) -> None:
        """Write the events recorded inside the transaction that just committed."""
        events, self._staged_events = self._staged_events, []
        if events:
            self._write_events(events)

    def fell_short(self, reason: str) -> None:
        """Record that a step that was asked for achieved nothing (one sentence saying why)."""
        self.shortfalls.append(reason)

    @property
    def summary_message(self) -> str | None:
        """What the ledger says about the run beyond its counts: the step's own message, then shortfalls."""
        parts = ([self.message] if self.message else []) + self.shortfalls
        return "; ".join(parts)[:2000] if parts else None

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    @contextlib.contextmanager
    def transaction(self, *, direct: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing for one unit (an application, a package): rolled back on any exception.

        ``direct``: a large unit's rows are written straight into the session's copy of the store when it
        commits (DuckDB checkpoints instead of writing its log), not into the log first and into the file
        again when the session publishes. The copy is private until published, so the log protects nothing
        there: 0.11 s less for the 280,000 rows of a full mining of rails."""
        if direct:
            self.conn.execute(f"SET checkpoint_threshold = '{DIRECT_COMMIT_THRESHOLD}'")
        try:
            self.conn.execute("BEGIN TRANSACTION")
            self._in_transaction = True
            try:
                yield self.conn
            except BaseException:
                self._in_transaction = False
                self._staged_events.clear()
                self.conn.execute("ROLLBACK")
                raise
            self._in_transaction = False
            self.conn.execute("COMMIT")
        finally:
            if direct:
                # a setting of this session's own: a store that failed to commit may refuse even this
                with contextlib.suppress(duckdb.Error):
                    self.conn.execute("RESET checkpoint_threshold")
        # A failure here is a failure of the store (a full disk): fatal for the session, which then
        # publishes nothing, so the unit's history is never kept without its events.
        self.apply_staged()

    @property
    def status(self) -> str:
        if self.status_override:
            return self.status_override
        return "partial" if self.errors or self.shortfalls else "ok"


#: What a ``direct`` transaction sets DuckDB's checkpoint threshold to: any unit logging more than this is
#: checkpointed at its commit instead of logged.
DIRECT_COMMIT_THRESHOLD = "1MB"


def _next_run_id(conn: duckdb.DuckDBPyConnection) -> int:
    row = conn.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
    assert row is not None
    return int(row[0])


def _insert_run(conn: duckdb.DuckDBPyConnection, run_id: int, kind: str, params: Mapping[str, Any]) -> None:
    conn.execute(
        "INSERT INTO runs (run_id, kind, started_at, status, params) VALUES (?, ?, ?, 'running', ?)",
        [run_id, kind, utcnow(), json.dumps(dict(params), default=str)],
    )


def _finish_run(
    conn: duckdb.DuckDBPyConnection,
    run_id: int,
    status: str,
    counts: Mapping[str, int],
    errors: int,
    message: str | None,
) -> None:
    conn.execute(
        "UPDATE runs SET ended_at = ?, status = ?, counts = ?, error_count = ?, message = ? WHERE run_id = ?",
        [utcnow(), status, json.dumps(dict(counts)), errors, message, run_id],
    )


def _record_interrupted(conn: duckdb.DuckDBPyConnection, interrupted: Sequence[tuple[str, datetime]]) -> None:
    for kind, started in interrupted:
        published = conn.execute(
            "SELECT count(*) FROM runs WHERE kind = ? AND started_at = ?", [kind, started]
        ).fetchall()
        if published[0][0]:
            continue  # killed after its publish, while deleting what it no longer needed
        run_id = _next_run_id(conn)
        conn.execute(
            "INSERT INTO runs (run_id, kind, started_at, ended_at, status, error_count, message) "
            "VALUES (?, ?, ?, ?, 'failed', 1, ?)",
            [run_id, kind, started, utcnow(), "interrupted: the process stopped before the run completed"],
        )


def _clear_leftovers(db_path: Path) -> list[tuple[str, datetime]]:
    """Delete what killed or failed writers left (noting the runs they were doing), before copying again:
    on a full disk they are what filled it, stale history generations included."""
    leftovers = working.leftover_copies(db_path)
    interrupted = [
        found
        for path in leftovers
        if working.is_core_copy(path) and (found := working.read_abandoned_run(path)) is not None
    ]
    for path in leftovers:
        working.discard(path)
    working.remove_stale_generations_first(db_path)
    return interrupted


def _prepare(session_files: working.Working) -> None:
    """Migrate the working copies, and move the history out of a core file that still holds it."""
    migrate(session_files.conn)
    if session_files.history is not None and layout.tables_to_move(session_files.conn):
        layout.move_history_tables(session_files.conn)
        session_files.compact = True


def _record_failed_run(db_path: Path, kind: str, params: Mapping[str, Any], message: str) -> int:
    """After a fatal error: publish a copy of the untouched core file that only adds the failed run."""
    session_files = working.open_working(db_path, writes_history=False)
    try:
        conn = session_files.conn
        _prepare(session_files)
        run_id = _next_run_id(conn)
        _insert_run(conn, run_id, kind, params)
        _finish_run(conn, run_id, "failed", {}, 1, message[:2000])
        working.publish_working(session_files)
    finally:
        working.discard_working(session_files)
    return run_id


def copy_store(source: Path, target: Path) -> None:
    """Copy a store (its core file and the history file it names) to ``target``, under the source's lock so
    no writer publishes half-way through. ``target`` must not be a store in use."""
    source, target = Path(source), Path(target)
    with working.exclusive_lock(source):
        conn = duckdb.connect(":memory:")
        try:
            conn.execute(f"ATTACH ? AS {layout.STORE_ALIAS} (READ_ONLY)", [str(source)])
            current = layout.current_history(conn, source)
        except duckdb.Error as exc:
            raise StoreError(f"{source}: cannot read the store ({one_line(exc)})") from exc
        finally:
            conn.close()
        for stale in layout.generation_files(target):
            stale.unlink()
        if current is not None:
            shutil.copyfile(current[1], layout.generation_path(target, current[0]))
        shutil.copyfile(source, target)


def _declared_domains(domains: Collection[str] | None) -> frozenset[str]:
    # not declared: every domain, as a write cost before the split (slower, never wrong); the commands
    # declare theirs (analysis/commands, analysis/pipeline.py)
    chosen = DOMAINS if domains is None else frozenset(domains) | {CORE}
    unknown = chosen - DOMAINS
    if unknown:
        raise ValueError(f"unknown store domains {sorted(unknown)}")
    return chosen


@contextlib.contextmanager
def write_session(
    db_path: Path,
    kind: str,
    params: Mapping[str, Any] | None = None,
    *,
    domains: Collection[str] | None = None,
) -> Iterator[WriteSession]:
    """Open the store for writing as one run of the ledger (see the module docstring).

    ``domains``: what the run writes, ``{CORE}`` or ``{CORE, HISTORY}`` (default: both); only those files
    are copied, the others are attached read-only and a write to them fails the session.
    On normal exit the run ends ``ok`` (or ``partial`` if errors were recorded) and the work is published
    atomically. On an exception nothing the session wrote is kept, the run is recorded as ``failed``, and
    the exception propagates.
    """
    params = dict(params or {})
    db_path = Path(db_path)
    chosen = _declared_domains(domains)
    if not db_path.parent.is_dir():
        raise StoreError(f"{db_path}: folder {db_path.parent} does not exist")
    with working.exclusive_lock(db_path):
        interrupted = _clear_leftovers(db_path)
        session_files = working.open_working(db_path, writes_history=HISTORY in chosen)
        # a generation the core file does not name is one a killed or finished writer left
        working.remove_stale_generations(db_path, session_files.current)
        conn = session_files.conn
        session: WriteSession | None = None
        try:
            _prepare(session_files)
            _record_interrupted(conn, interrupted)
            run_id = _next_run_id(conn)
            _insert_run(conn, run_id, kind, params)
            session = WriteSession(conn=conn, run_id=run_id, kind=kind, domains=chosen)
            yield session
            session.apply_staged()
            _finish_run(conn, run_id, session.status, session.counts, session.errors, session.summary_message)
            working.publish_working(session_files)
        except BaseException as exc:
            working.discard_working(session_files)
            if session is not None and db_path.exists():
                with contextlib.suppress(StoreError, duckdb.Error, OSError):
                    _record_failed_run(db_path, kind, params, f"{type(exc).__name__}: {one_line(exc)}")
            if isinstance(exc, duckdb.Error | OSError):
                # A full disk inside DuckDB, an unwritable folder: one line for the operator, the store as it was.
                raise StoreError(
                    f"{db_path}: cannot write the store ({one_line(exc)}); nothing was changed"
                ) from exc
            raise


# ---------------------------------------------------------------------------------------------- scores


#: Up to this many score rows are staged without Arrow (see write_scores).
_SMALL_SCORE_WRITE = 5_000


def write_scores(session: WriteSession, rows: Sequence[Mapping[str, Any]]) -> int:
    """Upsert current scores and append a history row where value, status or version changed.

    Each row has: subject_kind, subject, name, version, value, status, label, reason, details (a mapping).
    """
    if not rows:
        return 0
    conn = session.conn
    columns: dict[str, list[Any]] = {
        key: []
        for key in ("subject_kind", "subject", "name", "version", "value", "status", "label", "reason")
    }
    details: list[str] = []
    for row in rows:
        for key in columns:
            columns[key].append(row.get(key))
        details.append(json.dumps(row.get("details") or {}, default=str, sort_keys=True))
    small = len(rows) <= _SMALL_SCORE_WRITE
    if small:
        # a few rows (a refresh with little new): staged from Python lists, as the first Arrow table imports
        # pandas (about 0.3 s, more than the whole write)
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE _new_scores AS SELECT unnest(?::VARCHAR[]) AS subject_kind, "
            "unnest(?::VARCHAR[]) AS subject, unnest(?::VARCHAR[]) AS name, unnest(?::VARCHAR[]) AS version, "
            "unnest(?::DOUBLE[]) AS value, unnest(?::VARCHAR[]) AS status, unnest(?::VARCHAR[]) AS label, "
            "unnest(?::VARCHAR[]) AS reason, unnest(?::VARCHAR[]) AS details",
            [*columns.values(), details],
        )
    else:
        import pyarrow as pa  # here, as in insert_columns

        staged = pa.table(
            {
                **{
                    k: pa.array(v, type=pa.float64() if k == "value" else pa.string())
                    for k, v in columns.items()
                },
                "details": pa.array(details, type=pa.string()),
            }
        )
        conn.register("_new_scores", staged)
    try:
        conn.execute(
            """
            INSERT INTO score_history
            SELECT n.subject_kind, n.subject, n.name, n.version, n.value, n.status, n.label, ?
            FROM _new_scores n
            LEFT JOIN scores s USING (subject_kind, subject, name)
            WHERE s.name IS NULL OR s.version <> n.version OR s.status <> n.status
               OR s.value IS DISTINCT FROM n.value OR s.label IS DISTINCT FROM n.label
            """,
            [session.run_id],
        )
        conn.execute(
            """
            INSERT OR REPLACE INTO scores
            SELECT subject_kind, subject, name, version, value, status, label, reason, details::JSON, ?
            FROM _new_scores
            """,
            [session.run_id],
        )
    finally:
        with contextlib.suppress(duckdb.Error):
            if small:
                conn.execute("DROP TABLE IF EXISTS _new_scores")
            else:
                conn.unregister("_new_scores")
    return len(rows)


# ---------------------------------------------------------------------------------------------- readers


#: The name the core file is attached under in a reader's own in-memory instance (fixed text, not input).
_READ_ALIAS = layout.STORE_ALIAS
#: Attempts at opening the core file and the history generation it names: a publish between the two
#: attaches deletes that generation, and the next attempt opens the new core file.
_READ_ATTEMPTS = 5
#: In-memory DuckDB instances between reads, detached from every store. Starting an instance costs about
#: 20 ms (DuckDB registers its built-in functions), more than most dashboard reads; a read takes an idle one,
#: attaches the store, and gives it back detached. Only the instance is reused: every read attaches the file
#: again, so it opens what the path names now, and nothing it read stays behind.
_IDLE_READERS: list[duckdb.DuckDBPyConnection] = []
_IDLE_LOCK = threading.Lock()
_IDLE_MAX = 4


def _reader_instance() -> duckdb.DuckDBPyConnection:
    with _IDLE_LOCK:
        if _IDLE_READERS:
            return _IDLE_READERS.pop()
    return _new_reader()


def _new_reader() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(":memory:")
    # no blocks of a file kept across reads by path: a publish replaces the core file under the same path
    conn.execute("SET enable_external_file_cache = false")
    return conn


def _release_reader(conn: duckdb.DuckDBPyConnection) -> None:
    """Detach the store and keep the instance for the next read (closed instead if that fails)."""
    try:
        _detach_store(conn)
    except duckdb.Error:
        with contextlib.suppress(duckdb.Error):
            conn.close()
        return
    with _IDLE_LOCK:
        if len(_IDLE_READERS) < _IDLE_MAX:
            _IDLE_READERS.append(conn)
            return
    conn.close()


class _HistoryGone(Exception):
    """The history generation the core file named was deleted before it was attached."""


def _attach_store(conn: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Attach the core file and the history generation it names (a store not split yet has none)."""
    conn.execute(f"ATTACH ? AS {_READ_ALIAS} (READ_ONLY)", [str(db_path)])
    conn.execute(f"USE {_READ_ALIAS}")
    current = layout.current_history(conn, db_path)
    if current is None:
        return
    try:
        layout.attach_history(conn, current[1], read_only=True)
    except duckdb.IOException as exc:
        if not current[1].exists():
            raise _HistoryGone(current[1].name) from exc
        raise


def _detach_store(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("USE memory")
    conn.execute("RESET search_path")
    conn.execute(f"DETACH DATABASE IF EXISTS {layout.HISTORY_ALIAS}")
    conn.execute(f"DETACH DATABASE IF EXISTS {_READ_ALIAS}")


@contextlib.contextmanager
def read_connection(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection. Hold it for one query or one page, never longer.

    It sees the store as published when it opens, even while other reads in this process are open.
    ``duckdb.connect(path)`` would not: DuckDB's client keeps one database instance per path and hands it to
    every connect on that path while a connection to it is open (https://github.com/duckdb/duckdb/issues/15912),
    and that instance holds the file it first opened, the store before the refresh renamed a new one over it.
    The dashboard serves each session in a thread, so its reads overlap and, with a shared instance, could
    keep showing the old store (cached under the new store's version) as long as any read was open. Each read
    here has an in-memory instance to itself (an idle one reused, or a new one) and attaches the store
    read-only, so it always opens the file the path names now; the store is detached when the read ends.
    The history file the core file names is attached beside it, read-only, and the search path makes the
    tables of both answer to their plain names.
    Settings a reader changes stay with the instance: a reader that changes one restores it.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise StoreError(f"{db_path}: no store here yet; run `socle import` first")
    conn = _reader_instance()
    for attempt in range(_READ_ATTEMPTS):
        try:
            _attach_store(conn, db_path)
            break
        except _HistoryGone as gone:
            if attempt == _READ_ATTEMPTS - 1:
                conn.close()
                raise StoreError(
                    f"{db_path}: the history file it names, {gone.args[0]}, is missing; put it back beside the "
                    "store (a backup holds both files)"
                ) from gone
            # a fresh instance: nothing kept of the core file the publish just replaced under the same path
            conn.close()
            conn = _new_reader()
        except duckdb.IOException as exc:
            # a read of a core file that a publish replaced while this instance was opening it (seen under
            # load: a block "beyond the end" of the file): a fresh instance opens the file the path names now
            conn.close()
            if attempt == _READ_ATTEMPTS - 1:
                raise StoreError(f"{db_path}: cannot open the store read-only ({exc})") from exc
            conn = _new_reader()
        except duckdb.Error as exc:
            conn.close()
            raise StoreError(f"{db_path}: cannot open the store read-only ({exc})") from exc
    try:
        yield conn
    finally:
        _release_reader(conn)
