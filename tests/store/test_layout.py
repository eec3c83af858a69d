"""The store in two files: a write copies only the domains it declares; the history generation and the core
file that names it are published together; readers see one generation; old single-file stores are split once.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from collectors.errors import StoreError
from collectors.store import (
    CORE,
    DOMAINS,
    insert_columns,
    migration_files,
    read_connection,
    write_session,
)
from collectors.store import git as git_store
from collectors.store.layout import generation_files

ROOT = Path(__file__).resolve().parents[2]
URL = "https://github.com/acme/tool"


def _commits(session_conn: duckdb.DuckDBPyConnection, run_id: int, n: int, start: int = 0) -> None:
    insert_columns(
        session_conn,
        git_store.COMMITS,  # registered as a bulk-write target by collectors.store.git
        {
            "repository_url": [URL] * n,
            "sha": [f"{start + i:040x}" for i in range(n)],
            "author_name": ["Ada"] * n,
            "author_email": ["ada@example.org"] * n,
            "authored_at": [f"2024-01-01 00:00:{i % 60:02d}" for i in range(n)],
            "committed_at": [f"2024-01-01 00:00:{i % 60:02d}" for i in range(n)],
            "run_id": [run_id] * n,
        },
    )


def _mined_store(db: Path, commits: int = 3) -> Path:
    """A store whose history holds ``commits`` commits; returns its history generation file."""
    with write_session(db, "mine", domains=DOMAINS) as session:
        _commits(session.conn, session.run_id, commits)
    (history,) = generation_files(db)
    return history


def _read(db: Path, sql: str) -> list[tuple[object, ...]]:
    with read_connection(db) as conn:
        return conn.execute(sql).fetchall()


def test_a_core_write_does_not_copy_or_touch_the_history_file(db_path: Path) -> None:
    history = _mined_store(db_path)
    before = history.stat()
    core_before = db_path.stat().st_ino
    with write_session(db_path, "budget", domains={CORE}) as session:
        session.conn.execute(
            "INSERT INTO applications VALUES ('web', 'w', 'cyclonedx', 'h1', ?)", [session.run_id]
        )
    after = history.stat()
    # the same file, never rewritten nor replaced; no new generation; no copy of it left anywhere
    assert generation_files(db_path) == [history]
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert db_path.stat().st_ino != core_before  # the core file was published
    assert not list(db_path.parent.glob(".*.tmp"))
    assert _read(db_path, "SELECT count(*) FROM commits") == [(3,)]
    assert _read(db_path, "SELECT name FROM applications") == [("web",)]


def test_socle_budget_save_leaves_the_history_file_alone(tmp_path: Path) -> None:
    from analysis.cli import main
    from tests.budget import fixture_store

    db = fixture_store.build(tmp_path / "org.duckdb")  # inventory, registry facts, contributors
    (history,) = generation_files(db)
    before = history.stat()
    contributors = _read(db, "SELECT count(*) FROM contributors")
    assert main(["budget", "--db", str(db), "--total", "50000", "--save"]) == 0
    assert generation_files(db) == [history]
    assert (history.stat().st_ino, history.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert _read(db, "SELECT kind, status FROM runs ORDER BY run_id DESC LIMIT 1") == [("budget", "ok")]
    assert _read(db, "SELECT count(*) FROM budget_proposals") == [(1,)]
    assert _read(db, "SELECT count(*) FROM contributors") == contributors


def test_a_history_write_publishes_a_new_generation_and_deletes_the_old(db_path: Path) -> None:
    first = _mined_store(db_path)
    with write_session(db_path, "mine", domains=DOMAINS) as session:
        _commits(session.conn, session.run_id, 2, start=100)
    (second,) = generation_files(db_path)
    assert first.name.endswith(".history-1") and second.name.endswith(".history-2")
    assert not first.exists()
    assert _read(db_path, "SELECT count(*) FROM commits") == [(5,)]


def test_a_write_to_an_undeclared_domain_fails_and_changes_nothing(db_path: Path) -> None:
    history = _mined_store(db_path)
    with (
        pytest.raises(StoreError, match="cannot write the store"),
        write_session(db_path, "budget", domains={CORE}) as session,
    ):
        _commits(session.conn, session.run_id, 1, start=50)
    assert generation_files(db_path) == [history]
    assert _read(db_path, "SELECT count(*) FROM commits") == [(3,)]
    assert _read(db_path, "SELECT kind, status FROM runs ORDER BY run_id") == [
        ("mine", "ok"),
        ("budget", "failed"),
    ]


def test_a_reader_during_a_history_write_sees_the_old_generation_throughout(db_path: Path) -> None:
    _mined_store(db_path)
    with read_connection(db_path) as older:
        with write_session(db_path, "mine", domains=DOMAINS) as session:
            session.conn.execute("DELETE FROM commits")
            _commits(session.conn, session.run_id, 7, start=1000)
            # mid-run: a new reader sees the published store, not the session's copies
            assert _read(db_path, "SELECT count(*), max(run_id) FROM commits") == [(3, 1)]
            assert _read(db_path, "SELECT max(run_id) FROM runs") == [(1,)]
        assert _read(db_path, "SELECT count(*), max(run_id) FROM commits") == [(7, 2)]
        # the read opened before the publish keeps its generation (deleted, still open) and its core file
        assert older.execute("SELECT count(*) FROM commits").fetchall() == [(3,)]
        assert older.execute("SELECT max(run_id) FROM runs").fetchall() == [(1,)]


def test_events_inside_a_history_transaction_follow_it(db_path: Path) -> None:
    with write_session(db_path, "mine", domains=DOMAINS) as session:
        with session.transaction() as conn:
            _commits(conn, session.run_id, 2)
            session.event("warning", URL, "FUNDING.yml: unknown platform")
        with pytest.raises(ValueError), session.transaction() as conn:
            _commits(conn, session.run_id, 1, start=10)
            session.event("warning", "https://github.com/acme/lost", "never recorded")
            raise ValueError("this repository failed")
    assert _read(db_path, "SELECT subject, message FROM run_events") == [
        (URL, "FUNDING.yml: unknown platform")
    ]
    assert _read(db_path, "SELECT count(*) FROM commits") == [(2,)]
    assert _read(db_path, "SELECT status, error_count FROM runs") == [("ok", 0)]


#: Runs a history write in a child and kills it (SIGKILL) at the publish step named by argv[2]:
#: "core" after the new history generation was renamed into place, before the core file that names it.
_KILLED_MID_PUBLISH = """
import os, signal, sys
from pathlib import Path
from collectors.store import DOMAINS, write_session
from tests.store.test_layout import _commits

real_replace = os.replace
def replace(src, dst):
    if Path(dst) == Path(sys.argv[1]):
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)
os.replace = replace
with write_session(Path(sys.argv[1]), "mine", domains=DOMAINS) as session:
    session.conn.execute("DELETE FROM commits")
    _commits(session.conn, session.run_id, 9, start=500)
    session.conn.execute("INSERT INTO applications VALUES ('half', 'h', 'cyclonedx', 'h', ?)", [session.run_id])
"""


def test_a_writer_killed_between_the_two_renames_leaves_the_old_generation(db_path: Path) -> None:
    history = _mined_store(db_path)
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_PUBLISH, str(db_path)], cwd=ROOT, capture_output=True, timeout=120
    )
    assert child.returncode == -9, child.stderr
    # the new generation is on disk, unnamed: readers still see generation 1 and the core file that names it
    assert [p.name for p in generation_files(db_path)] == [history.name, "socle.duckdb.history-2"]
    assert _read(db_path, "SELECT count(*) FROM commits") == [(3,)]
    assert _read(db_path, "SELECT count(*) FROM applications") == [(0,)]
    # the next writer records the run as interrupted and deletes what the killed one left
    with write_session(db_path, "budget", domains={CORE}):
        pass
    assert generation_files(db_path) == [history]
    assert not list(db_path.parent.glob(".*.tmp"))
    assert _read(db_path, "SELECT kind, status, message FROM runs ORDER BY run_id") == [
        ("mine", "ok", None),
        ("mine", "failed", "interrupted: the process stopped before the run completed"),
        ("budget", "ok", None),
    ]
    assert _read(db_path, "SELECT count(*) FROM commits") == [(3,)]


def _old_single_file_store(db: Path, commits: int) -> None:
    """A store as socle wrote it before 0021_history_domain: every table in one file."""
    with contextlib.closing(duckdb.connect(str(db))) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
        for path in migration_files():
            if path.stem >= "0021":
                continue
            conn.execute(path.read_text(encoding="utf-8"))
            conn.execute("INSERT INTO schema_migrations VALUES (?, now())", [path.stem])
        conn.execute(
            "INSERT INTO runs (run_id, kind, started_at, ended_at, status) VALUES (1, 'mine', now(), now(), 'ok')"
        )
        conn.execute("INSERT INTO repositories (url, status, run_id) VALUES (?, 'ok', 1)", [URL])
        conn.execute("INSERT INTO repository_miners VALUES (1, ?, 'host:1')", [URL])
        _commits(conn, 1, commits)


def test_an_old_single_file_store_is_split_once_and_keeps_everything(db_path: Path) -> None:
    _old_single_file_store(db_path, 200_000)
    # readers work on the old layout before any write
    assert _read(db_path, "SELECT count(*) FROM commits") == [(200_000,)]
    size_before = db_path.stat().st_size
    with write_session(db_path, "budget", domains={CORE}):
        pass  # the first write after the upgrade splits the store, whatever it declares
    (history,) = generation_files(db_path)
    with contextlib.closing(duckdb.connect(str(db_path), read_only=True)) as core:
        core_tables = {r[0] for r in core.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "commits" not in core_tables and "repositories" not in core_tables and "runs" in core_tables
    assert db_path.stat().st_size < size_before / 2  # the core file was written afresh without the history
    assert _read(db_path, "SELECT count(*), count(DISTINCT sha) FROM commits") == [(200_000, 200_000)]
    assert _read(db_path, "SELECT url, status FROM repositories") == [(URL, "ok")]
    assert _read(db_path, "SELECT name FROM schema_migrations ORDER BY name") == [
        (p.stem,) for p in migration_files()
    ]
    # keys survived the move: a repository applied twice in one run still fails (0016)
    with pytest.raises(StoreError), write_session(db_path, "mine", domains=DOMAINS) as session:
        session.conn.execute("INSERT INTO repository_miners VALUES (1, ?, 'host:2')", [URL])
    # the next core write copies the small core file only: the history generation stays
    with write_session(db_path, "import", domains={CORE}):
        pass
    assert generation_files(db_path) == [history]


def test_a_store_copied_with_copy_store_under_another_name_reads_the_same(
    db_path: Path, tmp_path: Path
) -> None:
    from collectors.store import copy_store

    _mined_store(db_path)
    target = tmp_path / "elsewhere" / "org.duckdb"
    target.parent.mkdir()
    copy_store(db_path, target)
    assert [p.name for p in generation_files(target)] == ["org.duckdb.history-1"]
    assert _read(target, "SELECT count(*) FROM commits") == [(3,)]
    with write_session(target, "budget", domains={CORE}):
        pass
    assert _read(target, "SELECT count(*) FROM runs") == [(2,)]
    assert _read(db_path, "SELECT count(*) FROM runs") == [(1,)]


def test_a_read_that_finds_its_generation_deleted_starts_again(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectors.store import layout

    history = _mined_store(db_path)
    real = layout.current_history
    answers = iter([(0, db_path.with_name("socle.duckdb.history-0"))])  # a generation a publish just deleted

    def first_stale(conn: duckdb.DuckDBPyConnection, path: Path) -> tuple[int, Path] | None:
        return next(answers, None) or real(conn, path)

    monkeypatch.setattr(layout, "current_history", first_stale)
    assert _read(db_path, "SELECT count(*) FROM commits") == [(3,)]
    assert next(answers, "used") == "used"  # the stale answer was given, and the read started again
    assert history.exists()


def test_a_missing_history_file_is_one_clear_error_and_nothing_is_deleted(db_path: Path) -> None:
    history = _mined_store(db_path)
    moved = history.rename(history.with_name("elsewhere"))
    with pytest.raises(StoreError, match=r"the history file it names, socle\.duckdb\.history-1, is missing"):
        _read(db_path, "SELECT count(*) FROM commits")
    for domains in ({CORE}, DOMAINS):  # a write neither fails obscurely nor starts an empty history
        with (
            pytest.raises(StoreError, match=r"socle\.duckdb\.history-1, is missing"),
            write_session(db_path, "mine", domains=domains),
        ):
            pass
    assert generation_files(db_path) == []
    moved.rename(history)
    assert _read(db_path, "SELECT count(*) FROM commits") == [(3,)]


def test_a_history_write_cuts_its_rows_into_row_groups_of_the_set_size(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a session adds to the history file is stored in row groups of ``HISTORY_ROW_GROUP_SIZE`` rows
    (DuckDB then writes each group a large insert fills while the insert runs, not all at commit)."""
    from collectors.store import layout

    assert layout.HISTORY_ROW_GROUP_SIZE == 65_536
    monkeypatch.setattr(layout, "HISTORY_ROW_GROUP_SIZE", 2048)
    _mined_store(db_path, commits=5000)
    groups = "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('history.commits')"
    # 2048 + 2048 + 904 rows; one group of 5,000 with DuckDB's default
    assert _read(db_path, groups) == [(3,)]
    assert _read(db_path, "SELECT count(*), count(DISTINCT sha) FROM commits") == [(5000, 5000)]
