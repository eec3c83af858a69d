"""The store's write sessions: migrations, the run ledger, atomic publish, the writer lock."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import duckdb
import pytest

from collectors.errors import StoreBusyError
from collectors.git.records import HistoryColumns
from collectors.store import insert_columns, migration_files, read_connection, write_scores, write_session
from collectors.store.git import write_histories
from collectors.store.layout import HISTORY_ALIAS


def _count(db: Path, sql: str) -> int:
    with read_connection(db) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_first_session_creates_schema_and_records_run(db_path: Path) -> None:
    with write_session(db_path, "import", {"paths": ["a"]}) as session:
        session.count("applications", 2)
    with read_connection(db_path) as conn:
        migrations = [
            r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
        ]
        run = conn.execute(
            "SELECT run_id, kind, status, counts::VARCHAR, ended_at IS NOT NULL FROM runs"
        ).fetchall()
    assert migrations == [p.stem for p in migration_files()]
    assert run == [(1, "import", "ok", '{"applications": 2}', True)]


def test_errors_make_a_partial_run_with_events(db_path: Path) -> None:
    with write_session(db_path, "import") as session:
        session.event("error", "bad.json", "truncated JSON")
        session.event("skipped", "pkg:pypi/x", "no repository URL")
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT status, error_count FROM runs").fetchall() == [("partial", 1)]
        assert conn.execute("SELECT severity, subject FROM run_events ORDER BY subject").fetchall() == [
            ("error", "bad.json"),
            ("skipped", "pkg:pypi/x"),
        ]


def test_fatal_error_keeps_earlier_data_and_records_failed_run(db_path: Path) -> None:
    with write_session(db_path, "import") as session:
        insert_columns(
            session.conn,
            "packages",
            {
                "purl": ["pkg:pypi/a"],
                "ecosystem": ["pypi"],
                "namespace": [None],
                "name": ["a"],
                "run_id": [session.run_id],
            },
        )
    with pytest.raises(RuntimeError, match="boom"), write_session(db_path, "refresh") as session:
        session.conn.execute("DELETE FROM packages")
        raise RuntimeError("boom")
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT purl FROM packages").fetchall() == [("pkg:pypi/a",)]
        assert conn.execute("SELECT run_id, kind, status, message FROM runs ORDER BY run_id").fetchall() == [
            (1, "import", "ok", None),
            (2, "refresh", "failed", "RuntimeError: boom"),
        ]
    assert not list(db_path.parent.glob(".*.tmp"))


def test_transaction_rolls_back_one_unit_only(db_path: Path) -> None:
    with write_session(db_path, "import") as session:
        with session.transaction() as conn:
            conn.execute(
                "INSERT INTO applications VALUES ('kept', 'k', 'cyclonedx', 'h1', ?)", [session.run_id]
            )
        with pytest.raises(ValueError), session.transaction() as conn:
            conn.execute(
                "INSERT INTO applications VALUES ('lost', 'l', 'cyclonedx', 'h2', ?)", [session.run_id]
            )
            raise ValueError("bad file")
    assert _count(db_path, "SELECT count(*) FROM applications") == 1


def _hold_session(db: str, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    with write_session(Path(db), "refresh"):
        ready.set()
        time.sleep(30)


def test_second_writer_fails_at_once_and_readers_are_not_blocked(db_path: Path) -> None:
    with write_session(db_path, "import"):
        pass
    ready = multiprocessing.get_context("fork").Event()
    proc = multiprocessing.get_context("fork").Process(target=_hold_session, args=(str(db_path), ready))
    proc.start()
    try:
        assert ready.wait(10)
        started = time.monotonic()
        with (
            pytest.raises(StoreBusyError, match="another import or refresh is running"),
            write_session(db_path, "refresh"),
        ):
            pass
        assert time.monotonic() - started < 5
        # A reader opens the published store while the writer works on its private copy.
        assert _count(db_path, "SELECT count(*) FROM runs") == 1
    finally:
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
    # The killed writer left its copy; the next writer records its run as interrupted and removes the copy.
    assert list(db_path.parent.glob(".*.tmp"))
    with write_session(db_path, "refresh"):
        pass
    with read_connection(db_path) as conn:
        rows = conn.execute("SELECT kind, status, message FROM runs ORDER BY run_id").fetchall()
    assert rows == [
        ("import", "ok", None),
        ("refresh", "failed", "interrupted: the process stopped before the run completed"),
        ("refresh", "ok", None),
    ]
    assert not list(db_path.parent.glob(".*.tmp"))


def test_scores_upsert_and_history_only_on_change(db_path: Path) -> None:
    row = {
        "subject_kind": "repository",
        "subject": "https://github.com/a/b",
        "name": "truck_factor",
        "version": "1",
        "value": 1.0,
        "status": "ok",
        "label": None,
        "reason": "one author",
        "details": {"k": 1},
    }
    for _ in range(2):
        with write_session(db_path, "refresh") as session:
            write_scores(session, [row])
    with write_session(db_path, "refresh") as session:
        write_scores(session, [{**row, "value": 2.0, "reason": "two authors"}])
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT value, reason, run_id FROM scores").fetchall() == [
            (2.0, "two authors", 3)
        ]
        assert conn.execute("SELECT value, run_id FROM score_history ORDER BY run_id").fetchall() == [
            (1.0, 1),
            (2.0, 3),
        ]


def test_unregistered_table_is_refused(db_path: Path) -> None:
    conn = duckdb.connect(":memory:")
    with pytest.raises(Exception, match="unregistered table"):
        insert_columns(conn, "runs; DROP TABLE runs", {"a": [1]})


def _history(commits: int) -> HistoryColumns:
    columns = HistoryColumns()
    for i in range(commits):
        sha = f"{i:040x}"
        columns.sha.append(sha)
        columns.author_name.append(f"Dev {i % 50}")
        columns.author_email.append(f"dev{i % 50}@example.org")
        columns.authored_at.append(1_600_000_000 + i)
        columns.committed_at.append(1_600_000_000 + i)
        columns.co_authors.append(None)
        for path in (f"src/m{i % 300}.py", f"tests/t{i % 300}.py"):
            columns.file_sha.append(sha)
            columns.file_status.append("M")
            columns.file_path.append(path)
            columns.file_old_path.append(None)
    return columns


def _wal_bytes(conn: duckdb.DuckDBPyConnection, database: str) -> str:
    row = conn.execute("SELECT wal_size FROM pragma_database_size() WHERE database_name = ?", [database])
    found = row.fetchone()
    assert found is not None
    return str(found[0])


def test_a_direct_unit_is_written_into_the_file_not_the_log(db_path: Path) -> None:
    default = "16.0 MiB"
    with write_session(db_path, "mine") as session:
        threshold = session.conn.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
        assert threshold == (default,)
        with session.transaction() as conn:  # logged: DuckDB's log holds the rows until publication
            write_histories(conn, [("https://example.org/logged", _history(20_000))], session.run_id)
        assert _wal_bytes(session.conn, HISTORY_ALIAS) != "0 bytes"
        with session.transaction(direct=True) as conn:  # checkpointed at commit: the log is emptied
            write_histories(conn, [("https://example.org/direct", _history(20_000))], session.run_id)
        assert _wal_bytes(session.conn, HISTORY_ALIAS) == "0 bytes"
        with pytest.raises(ValueError, match="bad"), session.transaction(direct=True) as conn:
            write_histories(conn, [("https://example.org/lost", _history(20_000))], session.run_id)
            raise ValueError("bad unit")
        # the setting is the session's default again, whether the unit committed or rolled back
        assert session.conn.execute("SELECT current_setting('checkpoint_threshold')").fetchone() == (default,)
    with read_connection(db_path) as conn:
        counted = conn.execute(
            "SELECT repository_url, count(*) FROM commits GROUP BY ALL ORDER BY repository_url"
        ).fetchall()
    assert counted == [("https://example.org/direct", 20_000), ("https://example.org/logged", 20_000)]
