"""The maintainer scores read their inputs for many repositories at once (analysis.maintainers.step,
BATCH_REPOSITORIES): repositories of different shapes built in tmp_path, mined into one store, then scored in
one batch, one by one and in uneven batches, each from a copy of the same store; every stored score row must
be the same. Unchanged repositories are still found unchanged, batch or not."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from analysis.maintainers import step
from analysis.maintainers.scores import MaintainerParams
from analysis.queries import git as queries
from collectors.git.step import GitSettings, mine_all
from collectors.store import copy_store, read_connection, write_session
from collectors.store import git as store
from tests.git.builder import RepoBuilder, body
from tests.git.conftest import Options

NAMES = ("alpha", "beta", "delta", "epsilon", "gamma", "zeta")
PACKAGE = "pkg:pypi/delta"
#: Five commits are enough here, so that the small repositories are inconclusive and the others are not.
PARAMS = MaintainerParams(min_commits=5)


def url(name: str) -> str:
    return f"https://github.com/acme/{name}"


def build_estate(mirror: Path) -> dict[str, RepoBuilder]:
    """Six repositories: plain histories of different sizes and authors (alpha, beta), renames with a path
    re-created under its old name (delta), too little history (epsilon), a co-author, a bot and a mailmap
    (gamma), only a bot (zeta)."""
    people = [("Alice", "alice@acme.example"), ("Bob", "bob@gmail.com"), ("Carol", "carol@x.example")]
    builders = {name: RepoBuilder(mirror / f"acme+{name}") for name in NAMES}
    for i, name in enumerate(("alpha", "beta", "delta", "gamma")):
        for n in range(6 + 3 * i):
            who, email = people[n % (1 + i % 3)]
            builders[name].commit(who, email, {f"src/f{n % 4}.py": body(10 + n, name)})
    delta = builders["delta"]
    delta.commit("Alice", "alice@acme.example", renames={"src/f0.py": "lib/f0.py"})
    delta.commit("Carol", "carol@x.example", {"src/f0.py": body(8, "shim")})
    delta.commit("Bob", "bob@gmail.com", {"src/f0.py": body(9, "shim"), "lib/f0.py": body(30, "moved")})
    delta.commit("Bob", "bob@gmail.com", renames={"src/f1.py": "lib/f1.py"})
    delta.commit("Carol", "carol@x.example", {"src/f2.py": None})
    gamma = builders["gamma"]
    gamma.commit("Bob", "bob@gmail.com", {".mailmap": "Alice <alice@acme.example> <alice@old.example>\n"})
    gamma.commit("Alice", "alice@old.example", {"src/f9.py": body(5, "old")})
    gamma.commit(
        "Carol",
        "carol@x.example",
        {"src/f8.py": body(7, "co")},
        message="pair\n\nCo-authored-by: Dan <dan@x.example>",
    )
    bot = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
    gamma.commit(*bot, {"package-lock.json": "{}\n"})
    builders["epsilon"].commit("Alice", "alice@acme.example", {"a.py": body(5, "e")})
    builders["epsilon"].commit("Bob", "bob@gmail.com", {"a.py": body(6, "e")})
    for n in range(3):
        builders["zeta"].commit(*bot, {"package-lock.json": f"{{{n}}}\n"})
    return builders


def mine(db: Path, mirror: Path) -> None:
    with write_session(db, "mine") as session:
        session.conn.execute(
            "INSERT INTO package_metadata (purl, ecosystem, repository_url, repository_directory, fetched_at, "
            "run_id) VALUES (?, 'pypi', ?, NULL, now(), 1)",
            [PACKAGE, url("delta")],
        )
        session.conn.execute("INSERT INTO packages VALUES (?, 'pypi', NULL, 'delta', 1)", [PACKAGE])
        for name in NAMES:
            store.add_repository(session.conn, url(name), "github.com", session.run_id)
        results = mine_all(session, Options(db_path=db, mirror_dir=mirror), GitSettings(network=False))
    assert [r.status for r in results] == ["ok"] * len(NAMES)


def score(
    db: Path,
    batch: int,
    monkeypatch: pytest.MonkeyPatch,
    *,
    at: str | None = None,
    now: datetime | None = None,
    **params: Any,
) -> list[tuple[Any, ...]]:
    """Score the store with ``batch`` repositories per batch; every stored score row but the run id."""
    monkeypatch.setattr(step, "BATCH_REPOSITORIES", batch)
    options = Options(db_path=db, mirror_dir=None, at=at)
    with write_session(db, "mine") as session:
        summary = step.score_all(
            session, now or options.now, at=at, params=MaintainerParams(min_commits=5, **params)
        )
    assert (summary.repositories, summary.packages) == (len(NAMES), 1)
    with read_connection(db) as conn:
        return conn.execute(
            "SELECT subject_kind, subject, name, version, value, status, label, reason, details::VARCHAR "
            "FROM scores ORDER BY ALL"
        ).fetchall()


@pytest.fixture
def mined(tmp_path: Path) -> Path:
    mirror, db = tmp_path / "mirrors", tmp_path / "mined.duckdb"
    build_estate(mirror)
    mine(db, mirror)
    return db


def copy(db: Path, name: str) -> Path:
    target = db.with_name(name)
    copy_store(db, target)  # the core file and the history file it names
    return target


@pytest.mark.parametrize(
    ("rename_history", "at"), [("at-rename", None), ("all-names", None), ("at-rename", "HEAD")]
)
def test_one_batch_and_one_by_one_store_the_same_rows(
    mined: Path, monkeypatch: pytest.MonkeyPatch, rename_history: str, at: str | None
) -> None:
    rows = {
        batch: score(
            copy(mined, f"batch-{batch}.duckdb"), batch, monkeypatch, at=at, rename_history=rename_history
        )
        for batch in (1, 4, 500)
    }
    assert rows[500] == rows[1]
    assert rows[4] == rows[1]
    # what is compared: 10 scores for each repository, the same 10 for the package, and its publishers
    assert len(rows[1]) == 10 * len(NAMES) + 10 + 1
    by_subject = {
        (kind, subject, name): (value, status) for kind, subject, name, _, value, status, *_ in rows[1]
    }
    assert by_subject["repository", url("epsilon"), "truck_factor"] == (None, "inconclusive")
    assert by_subject["repository", url("zeta"), "days_since_last_commit"] == (None, "inconclusive")
    assert (
        by_subject["package", PACKAGE, "truck_factor"]
        == by_subject["repository", url("delta"), "truck_factor"]
    )
    truck_factors = {s: v for (k, s, n), (v, st) in by_subject.items() if n == "truck_factor" and st == "ok"}
    assert set(truck_factors) == {url(n) for n in ("alpha", "beta", "delta", "gamma")} | {PACKAGE}
    reasons = {r[7] for r in rows[1] if r[2] == "truck_factor" and r[5] == "ok"}
    assert len(reasons) >= 3  # the repositories differ: nothing of one leaked into another's inputs


def test_unchanged_repositories_are_skipped_in_batches(
    mined: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[bool]] = []
    read = queries.repository_histories

    def recording(
        conn: Any, requests: Sequence[queries.HistoryRequest], rename_history: str, doa: Any
    ) -> Any:
        asked.append([r.truck_factor_inputs for r in requests])
        return read(conn, requests, rename_history, doa)

    monkeypatch.setattr(queries, "repository_histories", recording)
    first = score(mined, 4, monkeypatch)
    with read_connection(mined) as conn:
        [(run_id,)] = conn.execute("SELECT DISTINCT run_id FROM scores").fetchall()
    second = score(mined, 4, monkeypatch)
    with read_connection(mined) as conn:
        # nothing was rewritten: every row still carries the first run's id
        assert conn.execute("SELECT DISTINCT run_id FROM scores").fetchall() == [(run_id,)]
    assert second == first
    # two batches (4 + 2) per run; the second run read no history of the repositories whose scores were all
    # computed from the same inputs: all but epsilon and zeta (too little history: no truck factor computed)
    assert asked == [[True] * 4, [True] * 2, [True], [True]]


def test_scores_kept_when_nothing_changed_equal_a_fresh_computation(
    mined: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later run of the same day with nothing new reads no history, and stores what scoring from scratch
    at that time stores (the days since the last commit counted again); another parameter reads it again."""
    fresh = copy(mined, "fresh.duckdb")
    first = score(mined, 500, monkeypatch)
    later = datetime(2020, 10, 1, 23, 59)
    asked: list[str] = []
    read = queries.repository_histories

    def recording(conn: Any, requests: Sequence[queries.HistoryRequest], *args: Any) -> Any:
        asked.extend(r.url for r in requests)
        return read(conn, requests, *args)

    monkeypatch.setattr(queries, "repository_histories", recording)
    kept = score(mined, 500, monkeypatch, now=later)
    assert sorted(asked) == [url("epsilon"), url("zeta")]

    def days(rows: list[tuple[Any, ...]]) -> list[Any]:
        return [r[4] for r in rows if r[2] == "days_since_last_commit"]

    assert days(kept) != days(first)  # a day more for some: counted again, not copied
    from_scratch = score(fresh, 500, monkeypatch, now=later)
    drop = [i for i, row in enumerate(kept) if row[2] == "truck_factor"]  # its details record the inputs
    assert [r for i, r in enumerate(kept) if i not in drop] == [
        r for i, r in enumerate(from_scratch) if i not in drop
    ]
    asked.clear()
    score(mined, 500, monkeypatch, now=later, threshold=0.8)
    assert len(asked) == len(NAMES)
