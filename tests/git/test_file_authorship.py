"""The per-file authorship totals the git collector keeps (collectors/git/file_authorship.py): updated with
new commits only when that is exact, rebuilt otherwise, always equal to what a full mining gives; and the
degree of authorship computed in the store equal to the Python formula."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from analysis.maintainers import authorship
from analysis.maintainers.scores import MaintainerParams
from analysis.maintainers.step import score_all
from analysis.queries import git as queries
from collectors.git import file_authorship, identities
from collectors.git.records import HistoryColumns
from collectors.git.step import GitSettings, mine_all
from collectors.store import git as store
from collectors.store import read_connection, write_session
from tests.git.builder import RepoBuilder, body
from tests.git.conftest import Options

URL = "https://github.com/acme/kept"
LOOSE = MaintainerParams(min_commits=1)


def _mine(db: Path, mirror: Path, *, at: str | None = None) -> Any:
    options = Options(db_path=db, mirror_dir=mirror, at=at)
    with write_session(db, "mine") as session:
        store.add_repository(session.conn, URL, "github.com", session.run_id)
        [result] = mine_all(session, options, GitSettings(network=False))
        score_all(session, options.now, at=at, params=LOOSE)
    return result


def _totals(db: Path) -> list[tuple[Any, ...]]:
    with read_connection(db) as conn:
        return conn.execute(
            "SELECT path, author_name, author_email, created, changes FROM file_authorship ORDER BY ALL"
        ).fetchall()


def _truck_factor(db: Path) -> tuple[Any, ...]:
    with read_connection(db) as conn:
        value, status, details = conn.execute(
            "SELECT value, status, details FROM scores WHERE subject = ? AND name = 'truck_factor'", [URL]
        ).fetchall()[0]
    parsed = json.loads(details)
    return value, status, parsed.get("developers"), parsed.get("files_counted")


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The repositories each rebuild of the totals was for (replaying on top of them is not a rebuild)."""
    calls: list[list[str]] = []
    original = file_authorship._rebuild

    def recording(conn: Any, urls: Any, *rest: Any) -> None:
        calls.append(list(urls))
        original(conn, urls, *rest)

    monkeypatch.setattr(file_authorship, "_rebuild", recording)
    return calls


def _history(tmp_path: Path) -> tuple[RepoBuilder, Path, str]:
    """ann writes core.py and util.py; bo renames core.py to engine.py; cy edits engine.py. Returns the
    base commit (the last one)."""
    mirror = tmp_path / "mirrors"
    b = RepoBuilder(mirror / "acme+kept")
    b.commit("Ann", "ann@a.example", {"core.py": body(40, "core"), "util.py": body(30, "util")})
    b.commit("Bo", "bo@b.example", renames={"core.py": "engine.py"})
    base = b.commit("Cy", "cy@c.example", {"engine.py": body(40, "core") + "cy\n"})
    return b, mirror, base


def _full(tmp_path: Path, mirror: Path, name: str) -> Path:
    db = tmp_path / name
    _mine(db, mirror)
    return db


def test_new_commits_are_replayed_on_top_and_equal_a_full_mining(
    tmp_path: Path, rebuilds: list[list[str]]
) -> None:
    b, mirror, base = _history(tmp_path)
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    assert rebuilds == [[URL]]  # the first mining builds them
    # new commits after everything stored: an edit, a new file, and a rename of a path renamed before
    b.commit("Dee", "dee@d.example", {"engine.py": body(40, "core") + "cy\ndee\n", "new.py": body(20, "n")})
    b.commit("Ann", "ann@a.example", renames={"engine.py": "motor.py"})
    b.commit("Bo", "bo@b.example", {"util.py": body(30, "util") + "bo\n"})
    result = _mine(db, mirror)
    assert (result.new_commits, result.full) == (3, False)
    assert rebuilds == [[URL]]  # replayed on top: no second rebuild
    reference = _full(tmp_path, mirror, "full.duckdb")
    assert _totals(db) == _totals(reference)
    assert _truck_factor(db) == _truck_factor(reference)
    # motor.py carries core.py's history: Ann created it, Bo, Cy, Dee and Ann (the rename) changed it
    motor = {(n, c, k) for p, n, _, c, k in _totals(db) if p == "motor.py"}
    assert motor == {("Ann", True, 1), ("Bo", False, 1), ("Cy", False, 1), ("Dee", False, 1)}
    assert base  # the base commit is an ancestor: the run was incremental


def test_a_merged_branch_dated_before_a_stored_rename_rebuilds(
    tmp_path: Path, rebuilds: list[list[str]]
) -> None:
    """A side branch made before bo's rename (so ordered before it) edits core.py; merged after the first
    mining, replaying it on top would credit the edit to a new core.py, while the full replay moves it to
    engine.py with the rest of core.py's history: the totals are rebuilt, and equal a full mining's."""
    mirror = tmp_path / "mirrors"
    b = RepoBuilder(mirror / "acme+kept")
    root = b.commit("Ann", "ann@a.example", {"core.py": body(40, "core")}, at=1_600_000_000)
    side = b.commit(
        "Eve",
        "eve@e.example",
        {"core.py": body(40, "core") + "eve\n"},
        parents=[root],
        ref=None,
        at=1_600_001_000,
    )
    tip = b.commit("Bo", "bo@b.example", renames={"core.py": "engine.py"}, at=1_600_002_000)
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    b.commit("Bo", "bo@b.example", parents=[tip, side], message="Merge", at=1_600_003_000)
    b.commit("Ann", "ann@a.example", {"other.py": body(10, "o")}, at=1_600_004_000)
    result = _mine(db, mirror)
    assert (result.new_commits, result.full) == (2, False)  # eve's edit and ann's new file
    assert rebuilds == [[URL], [URL]]
    reference = _full(tmp_path, mirror, "full.duckdb")
    assert _totals(db) == _totals(reference)
    engine = {n for p, n, *_ in _totals(db) if p == "engine.py"}
    assert engine == {"Ann", "Bo", "Eve"}


def test_commutes_only_renames_depend_on_order() -> None:
    def change(t: int, status: str, path: str, old: str | None = None) -> Any:
        return (t, t, f"{t:040d}", status, path, old)

    stored_rename = [change(10, "R", "b.py", "a.py")]
    assert not file_authorship.commutes([change(5, "M", "a.py")], stored_rename)  # edit before the rename
    assert file_authorship.commutes([change(15, "M", "a.py")], stored_rename)  # after it
    assert file_authorship.commutes([change(5, "M", "c.py")], stored_rename)  # another path
    assert file_authorship.commutes([change(5, "M", "a.py")], [change(10, "M", "a.py")])  # edits commute
    # a new rename ordered before a stored edit of either of its paths does not
    assert not file_authorship.commutes([change(5, "R", "b.py", "a.py")], [change(10, "M", "b.py")])
    assert not file_authorship.commutes([change(5, "R", "b.py", "a.py")], [change(10, "A", "a.py")])
    assert file_authorship.commutes([change(12, "R", "b.py", "a.py")], [change(10, "M", "b.py")])


def _random_history(rng: random.Random) -> HistoryColumns:
    """Commits sharing timestamps (so the replay order falls back to author time, then sha), each changing one
    to four paths of a small pool with every status, renames among them (a path renamed away and re-added)."""
    history = HistoryColumns()
    pool = [f"p{i}.py" for i in range(8)]
    for _ in range(rng.randint(1, 40)):
        sha = f"{rng.getrandbits(160):040x}"
        history.sha.append(sha)
        history.author_name.append(rng.choice(["Ann", "Bo", "Cy"]))
        history.author_email.append(rng.choice(["a@x.example", "b@x.example"]))
        history.committed_at.append(rng.choice([100, 200, 300]))
        history.authored_at.append(rng.choice([10, 20]))
        history.co_authors.append(None)
        for path in rng.sample(pool, rng.randint(1, 4)):
            status = rng.choice("AMDRT")
            history.file_sha.append(sha)
            history.file_status.append(status)
            history.file_path.append(path)
            history.file_old_path.append(rng.choice(pool) if status == "R" else None)
    return history


def test_the_replay_of_renamed_paths_keeps_the_replay_order() -> None:
    """The replay of renamed paths from a history in memory, grouped by commit, equals the changes of those
    paths sorted one by one by the replay order's key (commit time, author time, sha, renames first, path),
    on 300 random histories, ties included."""
    rng = random.Random(17)
    for _ in range(300):
        history = _random_history(rng)
        renamed = {p for s, p, o in zip(history.file_status, history.file_path, history.file_old_path, strict=True)
                   if s == "R" for p in (p, o) if p}  # fmt: skip
        one_by_one = sorted(file_authorship._new_changes(history, renamed), key=file_authorship._key)
        expected = file_authorship._replay_rows(history, one_by_one) if renamed else []
        assert file_authorship._renamed_replay(history) == expected


def test_totals_missing_make_the_truck_factor_not_known_until_mined_again(tmp_path: Path) -> None:
    """A store whose history was mined before the totals existed (or written around the collector): the truck
    factor says why it is not known; the next mining, even with nothing new, builds them."""
    _, mirror, _ = _history(tmp_path)
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    before = _truck_factor(db)
    assert before[1] == "ok"
    with write_session(db, "old store", domains={"core", "history"}) as session:
        session.conn.execute("DELETE FROM file_authorship")
        session.conn.execute("DELETE FROM history_state")
        # other parameters: the stored truck factor (from the same history) is not simply reused
        pruned = MaintainerParams(min_commits=1, truck_factor_variant="pruned")
        score_all(session, Options(db_path=db, mirror_dir=mirror).now, params=pruned)
    value, status, _, _ = _truck_factor(db)
    assert (value, status) == (None, "inconclusive")
    with read_connection(db) as conn:
        reason = conn.execute("SELECT reason FROM scores WHERE name = 'truck_factor'").fetchall()[0][0]
    assert "mine the repository again" in reason
    result = _mine(db, mirror)
    assert result.new_commits == 0
    assert _truck_factor(db) == before


def test_a_rename_by_a_bot_moves_the_history_and_the_bot_authors_nothing(tmp_path: Path) -> None:
    mirror = tmp_path / "mirrors"
    b = RepoBuilder(mirror / "acme+kept")
    b.commit("Ann", "ann@a.example", {"core.py": body(40, "core")})
    b.commit("renovate[bot]", "bot@renovate.example", renames={"core.py": "lib/core.py"})
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    value, status, developers, files = _truck_factor(db)
    assert (value, status, files) == (1.0, "ok", 1)
    assert [d["name"] for d in developers] == ["Ann"]  # lib/core.py is Ann's, through the bot's rename


def test_identity_map_is_kept_when_its_inputs_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    merged: list[int] = []  # how many identities each merge was given
    original = identities.merge_identities

    def recording(given: Any, rules: Any, **kw: Any) -> Any:
        given = list(given)
        merged.append(len(set(given)))
        return original(given, rules, **kw)

    monkeypatch.setattr(identities, "merge_identities", recording)
    b, mirror, _ = _history(tmp_path)
    b.commit("Ann", "ann@a.example", {"util.py": body(30, "util") + "ann\n"})  # Ann: 2 commits
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    assert merged == [3]

    def identities_rows() -> list[tuple[Any, ...]]:
        with read_connection(db) as conn:
            return conn.execute(
                "SELECT name, email, person, run_id FROM repository_identities ORDER BY ALL"
            ).fetchall()

    kept = identities_rows()
    b.commit("Ann", "ann@a.example", {"util.py": body(30, "util") + "ann 2\n"})  # Ann had 2 already
    _mine(db, mirror)
    assert merged == [3] and identities_rows() == kept  # not merged again, not rewritten
    b.commit("Bo", "bo@b.example", {"util.py": body(30, "util") + "bo\n"})  # Bo: 1 -> 2, the evidence changes
    _mine(db, mirror)
    assert merged == [3, 1]  # Bo's part merged again, alone
    b.commit("Fay", "fay@f.example", {"util.py": body(30, "util") + "fay\n"})  # someone new
    _mine(db, mirror)
    assert merged == [3, 1, 1]  # Fay merged alone: nothing of hers is anyone else's
    b.commit("Fay B.", "bo@b.example", {"util.py": body(30, "util") + "fay 2\n"})  # Bo's address: redone
    _mine(db, mirror)
    assert merged == [3, 1, 1, 2]  # Fay B. with Bo, whose address she used
    reference = _full(tmp_path, mirror, "full.duckdb")
    with read_connection(reference) as conn:
        full_map = conn.execute(
            "SELECT name, email, person FROM repository_identities ORDER BY ALL"
        ).fetchall()
    assert [row[:3] for row in identities_rows()] == full_map


def test_degree_of_authorship_in_the_store_equals_the_formula() -> None:
    """Random file histories, near the thresholds: the authors the query picks are those
    analysis.maintainers.authorship.file_authors picks from the same totals."""
    rng = random.Random(2016)
    conn = duckdb.connect()
    conn.execute(
        "CREATE TABLE file_authorship (repository_url VARCHAR, path VARCHAR, author_name VARCHAR, "
        "author_email VARCHAR, created BOOLEAN, changes INTEGER)"
    )
    conn.execute(
        "CREATE TABLE repository_identities (repository_url VARCHAR, name VARCHAR, email VARCHAR, "
        "person VARCHAR, is_bot BOOLEAN, org VARCHAR)"
    )
    conn.execute("CREATE TABLE repository_files (repository_url VARCHAR, path VARCHAR)")
    conn.execute("CREATE TABLE repositories (url VARCHAR, head_sha VARCHAR)")
    conn.execute("CREATE TABLE history_state (repository_url VARCHAR, authorship_head VARCHAR)")
    conn.execute("INSERT INTO repositories VALUES ('u', 'h'), ('stale', 'h2')")
    conn.execute("INSERT INTO history_state VALUES ('u', 'h'), ('stale', 'h1')")
    people = [f"p{i}" for i in range(12)]
    for person in people:  # two raw identities each, one of them a bot's for p11
        for alias in ("a", "b"):
            conn.execute(
                "INSERT INTO repository_identities VALUES ('u', ?, ?, ?, ?, NULL)",
                [f"{person}{alias}", f"{person}{alias}@x.example", person, person == "p11"],
            )
    expected: dict[str, list[str]] = {}
    for f in range(400):
        path = f"f{f}.py"
        history = authorship.FileHistory()
        for _ in range(rng.randint(1, 6)):
            person, alias = rng.choice(people), rng.choice("ab")
            created = rng.random() < 0.3
            changes = rng.choice([0, 1, 1, 2, 3, 5, 8, 20, 60]) if not created or rng.random() < 0.5 else 0
            if not created and changes == 0:
                changes = 1
            conn.execute(
                "INSERT INTO file_authorship VALUES ('u', ?, ?, ?, ?, ?)",
                [path, f"{person}{alias}", f"{person}{alias}@x.example", created, changes],
            )
            if person == "p11":
                continue  # bots are left out of the scores
            if created:
                history.creators.add(person)
            if changes:
                history.changes[person] += changes
        conn.execute("INSERT INTO repository_files VALUES ('u', ?)", [path])
        if history.creators or history.changes:
            expected[path] = authorship.file_authors(history)
    conn.execute("INSERT INTO repository_files VALUES ('u', 'gone.py')")  # present, no history: not listed
    conn.execute("INSERT INTO file_authorship VALUES ('u', 'deleted.py', 'p1a', 'p1a@x.example', true, 0)")
    batch = {"urls": ["u", "stale"], "since": [None, None], "tf": [True, True]}
    found = queries._file_authors(conn, batch, authorship.DOA_PARAMS)
    assert set(found) == {"u"}  # the stale repository's totals are not used
    assert found["u"] == expected
    assert any(len(a) > 1 for a in expected.values()) and any(not a for a in expected.values())
