"""Mining in worker processes gives the store exactly what mining in one process gives: repositories built in
tmp_path (histories, a .mailmap, a FUNDING.yml, a force-push, one missing and one broken repository), mined
one after another into one store and by a pool of two processes into another, compared table by table."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from analysis.cli import main
from collectors.git import parallel, worker
from collectors.git.step import GitSettings, mine_all
from collectors.git.writer import MineResult
from collectors.store import git as store
from collectors.store import read_connection, write_session
from tests.git.builder import RepoBuilder, body
from tests.git.conftest import Options

#: What each table holds for the comparison: every column but the run that wrote it and when.
TABLES = {
    "repositories": "url, host, local_path, head_sha, last_mined_sha, status, message",
    "commits": "repository_url, sha, author_name, author_email, authored_at, committed_at, co_authors",
    "commit_files": "repository_url, sha, status, path, old_path",
    "repository_files": "repository_url, path",
    "repository_identities": "repository_url, name, email, person, is_bot, org",
    "contributors": "* EXCLUDE (run_id)",
    "monthly_activity": "* EXCLUDE (run_id)",
    "funding_links": "subject_kind, subject, url, platform, label, source",
}

MISSING = "https://github.com/acme/missing"
BROKEN = "https://github.com/acme/broken"


def url(name: str) -> str:
    return f"https://github.com/acme/{name}"


def build_estate(mirror: Path) -> dict[str, RepoBuilder]:
    """Five repositories of different shapes in a mirror folder, plus a broken one (no commit)."""
    builders: dict[str, RepoBuilder] = {}
    for i, name in enumerate(("alpha", "beta", "gamma", "delta", "epsilon")):
        b = RepoBuilder(mirror / f"acme+{name}")
        people = [("Alice", "alice@acme.example"), ("Bob", "bob@gmail.com"), ("Carol", "carol@x.example")]
        for n in range(3 + 4 * i):
            who, email = people[n % (1 + i % 3)]
            b.commit(who, email, {f"src/f{n % 4}.py": body(10 + n, name)})
        builders[name] = b
    builders["beta"].commit(
        "Bob", "bob@gmail.com", {".mailmap": "Alice <alice@acme.example> <alice@old.example>\n"}
    )
    builders["beta"].commit("Alice", "alice@old.example", {"src/f9.py": body(5, "old")})
    builders["gamma"].commit(
        "Carol",
        "carol@x.example",
        {".github/FUNDING.yml": "github: [acme]\nopen_collective: acme\n"},
        message="fund\n\nCo-authored-by: Dan <dan@x.example>",
    )
    builders["delta"].commit("Alice", "alice@acme.example", renames={"src/f0.py": "lib/f0.py"})
    (mirror / "acme+broken").mkdir()
    (mirror / "acme+broken" / "HEAD").write_text("ref: refs/heads/main\n")
    (mirror / "acme+broken" / "objects").mkdir()
    return builders


def mine(db: Path, mirror: Path, **settings: Any) -> list[MineResult]:
    with write_session(db, "mine") as session:
        for name in ("alpha", "beta", "gamma", "delta", "epsilon", "missing", "broken"):
            store.add_repository(session.conn, url(name), "github.com", session.run_id)
        return mine_all(
            session, Options(db_path=db, mirror_dir=mirror), GitSettings(network=False, **settings)
        )


def contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with read_connection(db) as conn:
        return {
            table: conn.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()  # noqa: S608
            for table, columns in TABLES.items()
        }


def miners(db: Path) -> dict[str, str]:
    with read_connection(db) as conn:
        rows = conn.execute("SELECT repository_url, worker FROM repository_miners ORDER BY ALL").fetchall()
    return dict(rows)


def die(task: worker.MineTask) -> worker.MinedRepository:
    """A worker process killed mid-repository (the kernel's OOM killer, an operator's kill -9)."""
    os._exit(9)


@pytest.fixture
def estate(tmp_path: Path) -> tuple[Path, dict[str, RepoBuilder]]:
    mirror = tmp_path / "mirrors"
    return mirror, build_estate(mirror)


def test_pool_gives_what_one_process_gives(
    tmp_path: Path, estate: tuple[Path, dict[str, RepoBuilder]]
) -> None:
    mirror, builders = estate
    one, pool = tmp_path / "one.duckdb", tmp_path / "pool.duckdb"
    sequential = mine(one, mirror)
    parallel_results = mine(pool, mirror, workers=2)
    assert parallel_results == sequential
    assert [(r.url, r.status, r.new_commits) for r in sequential] == [
        (url("alpha"), "ok", 3),
        (url("beta"), "ok", 9),
        (BROKEN, "error", 0),
        (url("delta"), "ok", 16),
        (url("epsilon"), "ok", 19),
        (url("gamma"), "ok", 12),
        (MISSING, "skipped", 0),
    ]
    expected = contents(one)
    assert contents(pool) == expected
    assert len(expected["commits"]) == 59
    assert [row[2] for row in expected["funding_links"]] == [
        "https://github.com/sponsors/acme",
        "https://opencollective.com/acme",
    ]
    beta = {r[2]: r[3] for r in expected["repository_identities"] if r[0] == url("beta")}
    assert beta["alice@old.example"] == beta["alice@acme.example"]  # the .mailmap read from the worker
    # which process mined what: this one, or the two pool workers (never this process)
    assert set(miners(one).values()) == {worker.worker_name()}
    pool_miners = miners(pool)
    assert sorted(pool_miners) == sorted(url(n) for n in ("alpha", "beta", "gamma", "delta", "epsilon"))
    assert all(not w.endswith(f":{os.getpid()}") for w in pool_miners.values())

    # incremental: new commits on one, a force-push on another; both ways again, same store
    builders["alpha"].commit("Bob", "bob@gmail.com", {"src/new.py": body(3, "n")})
    first = builders["epsilon"].repo.revparse_single("HEAD~5")
    builders["epsilon"].reset_hard(str(first.id))
    again_one, again_pool = mine(one, mirror), mine(pool, mirror, workers=2)
    assert again_pool == again_one
    assert {r.url: (r.new_commits, r.full) for r in again_one if r.status == "ok"} == {
        url("alpha"): (1, False),
        url("beta"): (0, False),
        url("delta"): (0, False),
        url("epsilon"): (14, True),
        url("gamma"): (0, False),
    }
    assert contents(pool) == contents(one)


def test_a_dead_pool_process_is_an_error_retried_next_run(tmp_path: Path) -> None:
    task = worker.MineTask(url=url("alpha"), last_mined_sha=None, network=False, mirror_dir=tmp_path)
    [result] = parallel.mine_in_pool([task], 2, function=die)
    assert (result.url, result.status, result.located) == (url("alpha"), "error", False)
    assert "died" in result.message


def test_mine_command_takes_workers(
    tmp_path: Path, estate: tuple[Path, dict[str, RepoBuilder]], capsys: pytest.CaptureFixture[str]
) -> None:
    mirror, _ = estate
    db = tmp_path / "cli.duckdb"
    for name in ("alpha", "beta", "gamma"):
        assert main(["add-repo", url(name), "--db", str(db)]) == 0
    args = ["mine", "--mirror-dir", str(mirror), "--offline", "--workers", "2", "--db", str(db)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"ok       {url('beta')}  9 new commits" in out
    assert len(miners(db)) == 3
