"""The writer of mined repositories (collectors/git/writer.py) applies many repositories per transaction: the
store holds exactly what one repository per transaction gives, a repository whose write fails is recorded as
an error without losing the others, a result sent twice is applied once, a repository mined again replaces
what was stored, and a writer killed between two batches leaves the store as it was."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from collectors.errors import StoreError
from collectors.git import identities, worker, writer
from collectors.git.step import GitSettings
from collectors.store import git as store
from collectors.store import read_connection, write_session
from tests.git.builder import RepoBuilder, body
from tests.git.test_parallel import build_estate, contents, mine, url


@pytest.fixture
def estate(tmp_path: Path) -> tuple[Path, dict[str, RepoBuilder]]:
    mirror = tmp_path / "mirrors"
    return mirror, build_estate(mirror)


def change(builders: dict[str, RepoBuilder]) -> None:
    """New commits on alpha, a force-push on epsilon: an incremental run and a full re-mine."""
    builders["alpha"].commit("Bob", "bob@gmail.com", {"src/new.py": body(3, "n")})
    first = builders["epsilon"].repo.revparse_single("HEAD~5")
    builders["epsilon"].reset_hard(str(first.id))


def test_one_batch_gives_what_one_repository_per_transaction_gives(
    tmp_path: Path, estate: tuple[Path, dict[str, RepoBuilder]], monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror, builders = estate
    single, batched = tmp_path / "single.duckdb", tmp_path / "batched.duckdb"
    applied: list[int] = []
    real_apply = writer.apply_batch

    def counting(session: Any, batch: Sequence[worker.MinedRepository], *args: Any) -> Any:
        applied.append(len(batch))
        return real_apply(session, batch, *args)

    monkeypatch.setattr(writer, "apply_batch", counting)
    with monkeypatch.context() as one_each:
        one_each.setattr(writer, "BATCH_REPOSITORIES", 1)
        one_at_a_time = mine(single, mirror)
    assert applied == [1, 1, 1, 1, 1, 1, 0]  # five repositories, the broken one, then an empty remainder
    applied.clear()
    assert mine(batched, mirror) == one_at_a_time
    assert applied == [6]  # the five repositories and the broken one in one transaction
    assert contents(batched) == contents(single)
    assert len(contents(single)["commits"]) == 59
    with monkeypatch.context() as arrays:  # every table written from NumPy arrays, not Python lists
        arrays.setattr(store, "BULK_MIN_ROWS", 0)
        assert mine(tmp_path / "arrays.duckdb", mirror) == one_at_a_time
    assert contents(tmp_path / "arrays.duckdb") == contents(single)
    applied.clear()

    change(builders)
    with monkeypatch.context() as one_each:
        one_each.setattr(writer, "BATCH_REPOSITORIES", 1)
        again = mine(single, mirror)
    assert mine(batched, mirror) == again
    assert {r.url: (r.new_commits, r.full) for r in again if r.status == "ok"} == {
        url("alpha"): (1, False),
        url("beta"): (0, False),
        url("delta"): (0, False),
        url("epsilon"): (14, True),
        url("gamma"): (0, False),
    }
    assert contents(batched) == contents(single)


def test_a_repository_whose_write_fails_is_an_error_and_the_batch_is_kept(
    tmp_path: Path, estate: tuple[Path, dict[str, RepoBuilder]], monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror, _ = estate
    reference = tmp_path / "reference.duckdb"
    mine(reference, mirror)
    real_replace = store.replace_derived

    def failing_on_gamma(conn: Any, derived: Sequence[store.Derived], run_id: int) -> None:
        if url("gamma") in [d.url for d in derived]:
            raise StoreError("disk says no for gamma")
        real_replace(conn, derived, run_id)

    monkeypatch.setattr(store, "replace_derived", failing_on_gamma)
    db = tmp_path / "failing.duckdb"
    results = {r.url: r for r in mine(db, mirror)}
    assert (results[url("gamma")].status, results[url("gamma")].message) == (
        "error",
        "disk says no for gamma",
    )
    assert [u for u, r in results.items() if r.status == "ok"] == [
        url(n) for n in ("alpha", "beta", "delta", "epsilon")
    ]
    got, expected = contents(db), contents(reference)
    for table, rows in expected.items():
        column = 1 if table == "funding_links" else 0  # the repository's URL
        kept = [r for r in rows if r[column] != url("gamma")]
        assert [r for r in got[table] if r[column] != url("gamma")] == kept, table
        if table in ("commits", "commit_files", "contributors"):
            assert not [r for r in got[table] if r[column] == url("gamma")]  # rolled back, not half-written
    with read_connection(db) as conn:
        assert conn.execute(
            "SELECT status, message FROM repositories WHERE url = ?", [url("gamma")]
        ).fetchall() == [("error", "disk says no for gamma")]


def _mined(mirror: Path, name: str) -> worker.MinedRepository:
    task = worker.MineTask(url=url(name), last_mined_sha=None, network=False, mirror_dir=mirror)
    return worker.mine_repository(task)


def test_a_result_sent_twice_is_applied_once_and_a_retry_replaces(
    tmp_path: Path, estate: tuple[Path, dict[str, RepoBuilder]]
) -> None:
    mirror, _ = estate
    alpha, beta = _mined(mirror, "alpha"), _mined(mirror, "beta")
    settings, rules = GitSettings(network=False), identities.load_rules()
    db = tmp_path / "twice.duckdb"

    def stored() -> list[tuple[Any, ...]]:
        with read_connection(db) as conn:
            return conn.execute(
                "SELECT repository_url, count(*), count(DISTINCT sha) FROM commits GROUP BY ALL ORDER BY ALL"
            ).fetchall()

    with write_session(db, "mine") as session:
        # as a cluster may send it: a task run again after its first worker died having finished it
        results, unreachable = writer.apply_all(session, [alpha, beta, alpha, beta, alpha], settings, rules)
    assert [(r.url, r.new_commits) for r in results] == [(url("alpha"), 3), (url("beta"), 9)]
    assert unreachable == []
    assert stored() == [(url("alpha"), 3, 3), (url("beta"), 9, 9)]
    first = contents(db)
    # a later run applying the same full histories again (a retried repository): replaced, not added
    with write_session(db, "mine") as session:
        writer.apply_all(session, [beta, alpha], settings, rules)
    assert stored() == [(url("alpha"), 3, 3), (url("beta"), 9, 9)]
    assert contents(db) == first


def _killed_mid_run(db: str, mirror: str) -> None:
    """Mine with one repository per batch and die (SIGKILL) once two batches are committed."""
    writer.BATCH_REPOSITORIES = 1
    real_apply = writer.apply_batch
    applied: list[str] = []

    def then_die(session: Any, batch: Sequence[worker.MinedRepository], *args: Any) -> Any:
        if len(applied) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        applied.extend(m.url for m in batch)
        return real_apply(session, batch, *args)

    writer.apply_batch = then_die  # type: ignore[assignment]
    mine(Path(db), Path(mirror))


def test_a_writer_killed_between_batches_leaves_the_store_as_it_was(
    tmp_path: Path, estate: tuple[Path, dict[str, RepoBuilder]]
) -> None:
    mirror, builders = estate
    db, reference = tmp_path / "killed.duckdb", tmp_path / "reference.duckdb"
    mine(db, mirror)
    mine(reference, mirror)
    before = contents(db)
    change(builders)
    process = multiprocessing.get_context("fork").Process(target=_killed_mid_run, args=(str(db), str(mirror)))
    process.start()
    process.join(120)
    assert process.exitcode == -signal.SIGKILL
    assert contents(db) == before  # two batches were committed in the killed run's copy, never published
    # the next run records the killed one as interrupted and mines as if it had never started
    assert mine(db, mirror) == mine(reference, mirror)
    assert contents(db) == contents(reference)
    with read_connection(db) as conn:
        assert conn.execute("SELECT kind, status FROM runs ORDER BY run_id").fetchall() == [
            ("mine", "partial"),  # the missing and the broken repository
            ("mine", "failed"),
            ("mine", "partial"),
        ]


def test_the_raw_identities_of_a_full_mining_are_those_the_store_reads(tmp_path: Path) -> None:
    """A full mining takes its raw identities from the history in memory (while the history is written):
    they must be what the store gives for the same history, names, co-authors and counts included."""
    b = RepoBuilder(tmp_path / "mirrors" / "acme+people")
    b.commit("Ann", "ann@a.example", {"a.py": body(3, "a")})
    b.commit("Åsa Öberg", "asa@b.example", {"a.py": body(4, "a")})
    message = "pair\n\nCo-authored-by: Bo <bo@b.example>\nCo-authored-by: Bo <bo@b.example>\n"
    b.commit("Ann", "ann@a.example", {"b.py": body(2, "b")}, message=message)
    b.commit("ann", "ANN@a.example", {"b.py": body(5, "b")}, message="Co-authored-by: Cy <cy@c.example>")
    task = worker.MineTask(
        url="https://github.com/acme/people",
        last_mined_sha=None,
        mirror_dir=tmp_path / "mirrors",
        network=False,
    )
    mined = worker.mine_repository(task)
    assert mined.full and len(mined.history.sha) == 4
    with write_session(tmp_path / "s.duckdb", "mine") as session:
        store.write_histories(session.conn, [(mined.url, mined.history)], session.run_id)
        stored = store.raw_identities(session.conn, [mined.url])[mined.url]
    in_memory = writer._raw_identities(mined)
    assert in_memory == stored
    assert in_memory == (
        [("Ann", "ann@a.example", 2), ("ann", "ANN@a.example", 1), ("Åsa Öberg", "asa@b.example", 1)],
        [("Bo <bo@b.example>", 2), ("Cy <cy@c.example>", 1)],
    )
