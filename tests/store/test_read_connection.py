"""Readers see the store as published when they open it, whatever else the process holds open.

DuckDB's Python client keeps one database instance per file path and hands it to every ``connect`` on that
path while any connection to it is open (https://github.com/duckdb/duckdb/issues/15912). The instance has the
file it first opened: after a refresh renames a new store over the path, a reader that shares it reads the
store before the refresh. The dashboard serves each browser session in a thread, so connections overlap.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from collectors.store import read_connection, write_session


def _last_run(conn: object) -> int:
    row = conn.execute("SELECT max(run_id) FROM runs").fetchone()  # type: ignore[attr-defined]
    return int(row[0])


def test_a_read_opened_after_a_publish_sees_it_while_an_older_read_is_open(db_path: Path) -> None:
    with write_session(db_path, "import"):
        pass
    with read_connection(db_path) as older:
        assert _last_run(older) == 1
        with write_session(db_path, "refresh"):
            pass
        with read_connection(db_path) as newer:
            assert _last_run(newer) == 2
        assert _last_run(older) == 1  # the older read keeps the store it opened: one consistent snapshot


def test_reads_in_threads_follow_each_publish(db_path: Path) -> None:
    with write_session(db_path, "import"):
        pass
    seen: list[int] = []
    stop = threading.Event()

    def hold_reads_open() -> None:
        # Another dashboard session: always one read connection open on the store.
        while not stop.is_set():
            with read_connection(db_path) as conn:
                _last_run(conn)
                stop.wait(0.01)

    other = threading.Thread(target=hold_reads_open)
    other.start()
    try:
        for _ in range(4):
            with write_session(db_path, "refresh"):
                pass
            with read_connection(db_path) as conn:
                seen.append(_last_run(conn))
    finally:
        stop.set()
        other.join()
    assert seen == [2, 3, 4, 5]


def test_a_reused_instance_opens_the_store_the_path_names_now(db_path: Path) -> None:
    with write_session(db_path, "import"):
        pass
    with read_connection(db_path) as first:
        assert _last_run(first) == 1
    with write_session(db_path, "refresh"):
        pass
    with read_connection(db_path) as second:
        assert second is first  # the idle instance, reused
        assert _last_run(second) == 2
        attached = second.execute(
            "SELECT database_name FROM duckdb_databases() WHERE NOT internal"
        ).fetchall()
    # the core file and the history generation it names, nothing kept from the first read
    assert sorted(r[0] for r in attached) == ["history", "memory", "store"]


def test_an_instance_goes_back_detached_after_a_failed_read_and_a_closed_one_is_dropped(
    db_path: Path,
) -> None:
    with write_session(db_path, "import"):
        pass
    with pytest.raises(ZeroDivisionError), read_connection(db_path) as conn:
        conn.execute("SELECT 1 FROM runs").fetchall()
        raise ZeroDivisionError
    with read_connection(db_path) as again:
        assert again is conn and _last_run(again) == 1
        again.close()  # a caller that closes it: the instance is not kept
    with read_connection(db_path) as fresh:
        assert fresh is not again and _last_run(fresh) == 1


def test_a_read_that_catches_a_publish_mid_open_opens_again(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error while attaching the core file (a file a publish replaced as it was being opened) is
    retried on a fresh instance; one that persists is one line naming the store."""
    import duckdb

    import collectors.store as store_module

    with write_session(db_path, "import"):
        pass
    real = store_module._attach_store
    failures = [1]

    def flaky(conn: object, path: Path) -> None:
        if failures[0]:
            failures[0] -= 1
            raise duckdb.IOException("attempted to read 262144 bytes from location 6303744")
        real(conn, path)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "_attach_store", flaky)
    with read_connection(db_path) as conn:
        assert _last_run(conn) == 1
    assert failures == [0]
    failures[0] = 100
    with (
        pytest.raises(store_module.StoreError, match="cannot open the store read-only"),
        read_connection(db_path),
    ):
        pass
