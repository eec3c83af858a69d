"""A write session's private files: the lock, the working copies, their atomic publish or their discard.

A session copies the core file and, only when it writes the history domain (or the store needs migrating or
splitting), the current history file; it attaches the published history read-only otherwise. Publishing
renames the new history generation into place (nothing names it yet), then the core file that names it:
that one ``os.replace`` is the commit point. The generation it replaced is deleted afterwards (readers
that hold it open keep reading it: an unlinked file lives while it is open). See ``layout``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from collectors.errors import StoreBusyError, StoreError
from collectors.store import layout
from collectors.store.layout import HISTORY_ALIAS, STORE_ALIAS

#: Suffixes of a session's working files (``.socle.duckdb.<pid><suffix>``); the core copy has ``.tmp``.
_HISTORY_SUFFIX = ".history.tmp"
_COMPACT_SUFFIX = ".compact.tmp"


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (DuckDB's carry several), bounded for the ledger and the CLI."""
    words = " ".join(str(exc).split()) or type(exc).__name__
    return words[:500]


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _working_name(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(f".{db_path.name}.{os.getpid()}{suffix}")


def leftover_copies(db_path: Path) -> list[Path]:
    """Working files a killed or failed writer left behind (core and history copies alike)."""
    return sorted(db_path.parent.glob(f".{db_path.name}.*.tmp"))


def is_core_copy(path: Path) -> bool:
    return not path.name.endswith((_HISTORY_SUFFIX, _COMPACT_SUFFIX))


@contextlib.contextmanager
def exclusive_lock(db_path: Path) -> Iterator[None]:
    lock_file = lock_path(db_path)
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


def discard(tmp: Path) -> None:
    for path in (tmp, Path(str(tmp) + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _copy(source: Path | None, tmp: Path, db_path: Path) -> Path:
    """``tmp`` as a copy of ``source`` (nothing: a new file). A full disk leaves nothing behind."""
    try:
        tmp.unlink(missing_ok=True)
        if source is not None and source.exists():
            shutil.copyfile(source, tmp)
    except OSError as exc:
        # A full disk (or quota) mid-copy: leave nothing behind, so freeing space is enough to recover.
        discard(tmp)
        raise StoreError(
            f"{db_path}: cannot make the working copy of the store in {db_path.parent} "
            f"({exc.strerror or one_line(exc)}); nothing was changed"
        ) from exc
    return tmp


def remove_stale_generations(db_path: Path, current: tuple[int, Path] | None) -> None:
    """Delete history generations the published core file does not name (a writer killed mid-publish, or
    the generation a publish replaced). ``current``: what the core file names, as read by the session that
    holds the lock (only a session that could read the core file calls this: without it, nobody can tell
    which generation is current)."""
    for path in layout.generation_files(db_path):
        if current is None or path != current[1]:
            discard(path)


def remove_stale_generations_first(db_path: Path) -> None:
    """Before copying (on a full disk a stale generation may be what filled it): when more than one
    generation is there, read which one the core file names and delete the others. With one there is
    nothing to free that the session's own check after opening would not delete (and reading the core file
    costs a DuckDB instance)."""
    if not db_path.exists() or len(layout.generation_files(db_path)) < 2:
        return
    conn = duckdb.connect(":memory:")
    try:
        conn.execute(f"ATTACH ? AS {STORE_ALIAS} (READ_ONLY)", [str(db_path)])
        current = layout.current_history(conn, db_path)
    except (duckdb.Error, StoreError):
        return
    finally:
        conn.close()
    remove_stale_generations(db_path, current)


@dataclass
class Working:
    """The private files of one write session and the connection that has them attached."""

    db_path: Path
    conn: duckdb.DuckDBPyConnection
    core: Path
    #: The private copy of the history (None: the published one is attached read-only and stays as it is).
    history: Path | None = None
    #: (generation, file) of the published history when the session opened (None: not split yet).
    current: tuple[int, Path] | None = None
    #: The history tables left the core file in this session: rewrite it without their space on publish.
    compact: bool = False


def open_working(db_path: Path, *, writes_history: bool, pending_migrations: bool | None = None) -> Working:
    """Copy the core file (and the history, when written), attach both, set the search path."""
    core = _copy(db_path, _working_name(db_path, ".tmp"), db_path)
    conn = duckdb.connect(":memory:")
    try:
        conn.execute(f"ATTACH ? AS {STORE_ALIAS}", [str(core)])
        conn.execute(f"USE {STORE_ALIAS}")
    except duckdb.Error as exc:
        conn.close()
        discard(core)
        raise StoreError(f"{db_path}: not a readable DuckDB store ({one_line(exc)})") from exc
    working = Working(db_path, conn, core)
    try:
        working.current = layout.current_history(conn, db_path)
        if working.current is not None and not working.current[1].exists():
            # never start an empty history in its place: the mined history would be lost without a word
            raise StoreError(
                f"{db_path}: the history file it names, {working.current[1].name}, is missing; put it back "
                "beside the store (a backup holds both files)"
            )
        pending = _has_pending_migrations(conn) if pending_migrations is None else pending_migrations
        if writes_history or pending or working.current is None:
            source = working.current[1] if working.current else None
            working.history = _copy(source, _working_name(db_path, _HISTORY_SUFFIX), db_path)
            layout.attach_history(conn, working.history, read_only=False)
        else:
            assert working.current is not None
            layout.attach_history(conn, working.current[1], read_only=True)
    except duckdb.Error as exc:
        discard_working(working)
        raise StoreError(f"{db_path}: cannot open its history file ({one_line(exc)})") from exc
    except BaseException:
        discard_working(working)
        raise
    return working


def _has_pending_migrations(conn: duckdb.DuckDBPyConnection) -> bool:
    if not layout.has_table(conn, STORE_ALIAS, "schema_migrations"):
        return True
    done = {r[0] for r in conn.execute(f"SELECT name FROM {STORE_ALIAS}.main.schema_migrations").fetchall()}  # noqa: S608
    return any(path.stem not in done for path in layout.migration_files())


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries (a rename is durable once its folder is flushed)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_working(working: Working) -> None:
    """Checkpoint and publish: the new history generation first, then the core file that names it."""
    conn = working.conn
    target: Path | None = None
    if working.history is not None:
        # above every generation file present, so a file left by someone else is never written over
        generation = (
            max([working.current[0] if working.current else 0, *_generation_numbers(working.db_path)]) + 1
        )
        target = layout.generation_path(working.db_path, generation)
        layout.record_history(conn, generation, target)
        conn.execute(f"CHECKPOINT {HISTORY_ALIAS}")
    conn.execute(f"CHECKPOINT {STORE_ALIAS}")
    core = working.core
    if working.compact:
        # DuckDB keeps the space of dropped tables in the file: after the history left it, the core file is
        # written afresh (COPY FROM DATABASE keeps every definition and constraint) so it copies small.
        core = _working_name(working.db_path, _COMPACT_SUFFIX)
        discard(core)
        conn.execute("ATTACH ? AS compacted", [str(core)])
        conn.execute(f"COPY FROM DATABASE {STORE_ALIAS} TO compacted")
        conn.execute("DETACH compacted")
    conn.close()
    if working.history is not None and target is not None:
        _fsync(working.history)
        os.replace(working.history, target)  # not named by the published core file yet: invisible
    _fsync(core)
    os.replace(core, working.db_path)  # the commit point: readers opening now see every changed domain
    _fsync(working.db_path.parent)
    discard(working.core)
    if target is not None and working.current is not None:
        discard(working.current[1])  # readers that hold it open keep reading it


def _generation_numbers(db_path: Path) -> list[int]:
    return [layout.generation_of(path) for path in layout.generation_files(db_path)]


def discard_working(working: Working) -> None:
    """Close and delete the session's private files (what is published is untouched)."""
    with contextlib.suppress(duckdb.Error):
        working.conn.close()
    discard(working.core)
    if working.history is not None:
        discard(working.history)
    discard(_working_name(working.db_path, _COMPACT_SUFFIX))


def read_abandoned_run(path: Path) -> tuple[str, datetime] | None:
    """The kind and start of the run a killed writer was doing, read from its abandoned core copy.

    Its last run, whatever its status: a writer killed while publishing had already marked it ended."""
    conn = duckdb.connect(":memory:")
    try:
        conn.execute("ATTACH ? AS abandoned (READ_ONLY)", [str(path)])
        row = conn.execute(
            "SELECT kind, started_at FROM abandoned.main.runs ORDER BY run_id DESC LIMIT 1"
        ).fetchone()
    except duckdb.Error:
        return None
    finally:
        conn.close()
    return (str(row[0]), row[1]) if row else None
