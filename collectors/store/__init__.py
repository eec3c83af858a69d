"""The store: one DuckDB file, its migrations, its write sessions and the run ledger.

How writers and readers share one file (DuckDB allows one writing process *or* several readers):

* A writer (import, refresh, budget save) takes an exclusive lock file beside the database, so a second
  writer fails at once with :class:`StoreBusyError` (a cron job exits 1 and tries next hour).
* It copies the database to a private temporary file, works there, and on success checkpoints, closes and
  ``os.replace``-s the copy over the database: one atomic rename. Readers (the dashboard, reports) open
  short-lived read-only connections on the database path and always see either the old or the new file,
  never a half-finished refresh, and are never blocked.
* A fatal error discards the copy: the earlier data stays exactly as it was, and the failed run is still
  recorded in the ledger. A writer that was killed leaves its copy behind; the next writer records that
  run as failed ("interrupted") and deletes the copy.

Every write session is a run: ``runs`` says when it started and ended, its status, counts and errors;
``run_events`` holds its per-file or per-package errors and documented skips. Rows carry the run_id.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from collectors.errors import StoreBusyError, StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: Statuses a reader may trust: the run ended and committed what it wrote.
TRUSTED_STATUSES = ("ok", "partial")


def utcnow() -> datetime:
    """Naive UTC, the store's convention for TIMESTAMP columns."""
    return datetime.now(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------------------------------------- migrations


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def migrate(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction. Returns the names applied."""
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
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, utcnow()])
            conn.execute("COMMIT")
        except duckdb.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed: {exc}") from exc
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

    def event(self, severity: str, subject: str, message: str) -> None:
        """Record an error, warning or documented skip for a file or package on this run."""
        if severity not in ("error", "warning", "skipped"):
            raise ValueError(f"unknown severity {severity!r}")
        if severity == "error":
            self.errors += 1
        elif severity == "warning":
            self.warnings += 1
        self.conn.execute(
            "INSERT INTO run_events (run_id, at_time, severity, subject, message) VALUES (?, ?, ?, ?, ?)",
            [self.run_id, utcnow(), severity, subject, message],
        )

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
        insert_columns(
            self.conn,
            "run_events",
            {
                "run_id": [self.run_id] * len(items),
                "at_time": [now] * len(items),
                "severity": [severity] * len(items),
                "subject": [subject for subject, _ in items],
                "message": [message for _, message in items],
            },
        )

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
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing for one unit (an application, a package): rolled back on any exception."""
        self.conn.execute("BEGIN TRANSACTION")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @property
    def status(self) -> str:
        if self.status_override:
            return self.status_override
        return "partial" if self.errors or self.shortfalls else "ok"


def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _tmp_prefix(db_path: Path) -> str:
    return f".{db_path.name}."


def _orphan_copies(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob(_tmp_prefix(db_path) + "*.tmp"))


def _read_orphan_run(path: Path) -> tuple[str, datetime] | None:
    """The kind and start of the run a killed writer was doing, read from its abandoned copy."""
    try:
        with contextlib.closing(duckdb.connect(str(path), read_only=True)) as conn:
            row = conn.execute(
                "SELECT kind, started_at FROM runs WHERE status = 'running' ORDER BY run_id DESC LIMIT 1"
            ).fetchone()
    except duckdb.Error:
        return None
    return (str(row[0]), row[1]) if row else None


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
        run_id = _next_run_id(conn)
        conn.execute(
            "INSERT INTO runs (run_id, kind, started_at, ended_at, status, error_count, message) "
            "VALUES (?, ?, ?, ?, 'failed', 1, ?)",
            [run_id, kind, started, utcnow(), "interrupted: the process stopped before the run completed"],
        )


@contextlib.contextmanager
def _exclusive_lock(db_path: Path) -> Iterator[None]:
    lock_file = _lock_path(db_path)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreBusyError(
                f"{db_path}: another import or refresh is running (lock {lock_file.name}); try again later"
            ) from exc
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (DuckDB's carry several), bounded for the ledger and the CLI."""
    words = " ".join(str(exc).split()) or type(exc).__name__
    return words[:500]


def _fresh_copy(db_path: Path) -> Path:
    tmp = db_path.with_name(f"{_tmp_prefix(db_path)}{os.getpid()}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        if db_path.exists():
            shutil.copyfile(db_path, tmp)
    except OSError as exc:
        # A full disk (or quota) mid-copy: leave nothing behind, so freeing space is enough to recover.
        _discard(tmp)
        raise StoreError(
            f"{db_path}: cannot make the working copy of the store in {db_path.parent} "
            f"({exc.strerror or one_line(exc)}); nothing was changed"
        ) from exc
    return tmp


def _publish(tmp: Path, db_path: Path) -> None:
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, db_path)


def _discard(tmp: Path) -> None:
    for path in (tmp, Path(str(tmp) + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _record_failed_run(db_path: Path, kind: str, params: Mapping[str, Any], message: str) -> int:
    """After a fatal error: publish a copy of the untouched store that only adds the failed run."""
    tmp = _fresh_copy(db_path)
    try:
        with contextlib.closing(duckdb.connect(str(tmp))) as conn:
            migrate(conn)
            run_id = _next_run_id(conn)
            _insert_run(conn, run_id, kind, params)
            _finish_run(conn, run_id, "failed", {}, 1, message[:2000])
            conn.execute("CHECKPOINT")
        _publish(tmp, db_path)
    finally:
        _discard(tmp)
    return run_id


@contextlib.contextmanager
def write_session(
    db_path: Path, kind: str, params: Mapping[str, Any] | None = None
) -> Iterator[WriteSession]:
    """Open the store for writing as one run of the ledger (see the module docstring).

    On normal exit the run ends ``ok`` (or ``partial`` if errors were recorded) and the work is published
    atomically. On an exception nothing the session wrote is kept, the run is recorded as ``failed``, and
    the exception propagates.
    """
    params = dict(params or {})
    db_path = Path(db_path)
    if not db_path.parent.is_dir():
        raise StoreError(f"{db_path}: folder {db_path.parent} does not exist")
    with _exclusive_lock(db_path):
        # Copies left by a killed or failed writer: note what they were doing, then free their space before
        # copying again (on a full disk they are what filled it).
        orphans = _orphan_copies(db_path)
        interrupted = [found for orphan in orphans if (found := _read_orphan_run(orphan)) is not None]
        for orphan in orphans:
            _discard(orphan)
        tmp = _fresh_copy(db_path)
        session: WriteSession | None = None
        try:
            conn = duckdb.connect(str(tmp))
        except duckdb.Error as exc:
            _discard(tmp)
            raise StoreError(f"{db_path}: not a readable DuckDB store ({one_line(exc)})") from exc
        try:
            migrate(conn)
            _record_interrupted(conn, interrupted)
            run_id = _next_run_id(conn)
            _insert_run(conn, run_id, kind, params)
            session = WriteSession(conn=conn, run_id=run_id, kind=kind)
            yield session
            _finish_run(conn, run_id, session.status, session.counts, session.errors, session.summary_message)
            conn.execute("CHECKPOINT")
            conn.close()
            _publish(tmp, db_path)
        except BaseException as exc:
            with contextlib.suppress(duckdb.Error):
                conn.close()
            _discard(tmp)
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


#: The name the store is attached under in a reader's own in-memory instance (fixed text, not input).
_READ_ALIAS = "store"
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
    return duckdb.connect(":memory:")


def _release_reader(conn: duckdb.DuckDBPyConnection) -> None:
    """Detach the store and keep the instance for the next read (closed instead if that fails)."""
    try:
        conn.execute("USE memory")
        conn.execute(f"DETACH {_READ_ALIAS}")
    except duckdb.Error:
        with contextlib.suppress(duckdb.Error):
            conn.close()
        return
    with _IDLE_LOCK:
        if len(_IDLE_READERS) < _IDLE_MAX:
            _IDLE_READERS.append(conn)
            return
    conn.close()


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
    Settings a reader changes stay with the instance: a reader that changes one restores it.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise StoreError(f"{db_path}: no store here yet; run `socle import` first")
    conn = _reader_instance()
    try:
        conn.execute(f"ATTACH ? AS {_READ_ALIAS} (READ_ONLY)", [str(db_path)])
        conn.execute(f"USE {_READ_ALIAS}")
    except duckdb.Error as exc:
        conn.close()
        raise StoreError(f"{db_path}: cannot open the store read-only ({exc})") from exc
    try:
        yield conn
    finally:
        _release_reader(conn)
