"""Each rule that makes socle's git mining faithful to the truck-factor study (Avelino et al. 2016), end to end
on repositories built in tmp_path: mined into a real DuckDB store and scored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analysis.maintainers.scores import MaintainerParams
from analysis.maintainers.step import score_all
from collectors.git.step import GitSettings, mine_all
from collectors.store import git as store
from collectors.store import read_connection, write_session
from tests.git.builder import RepoBuilder, body
from tests.git.conftest import Options

URL = "https://github.com/acme/study"
LOOSE = MaintainerParams(min_commits=1)


def _mine(
    db: Path, mirror: Path, *, at: str | None = None, params: MaintainerParams = LOOSE, **kw: Any
) -> Any:
    options = Options(db_path=db, mirror_dir=mirror, at=at)
    with write_session(db, "mine") as session:
        store.add_repository(session.conn, URL, "github.com", session.run_id)
        [result] = mine_all(session, options, GitSettings(network=False, **kw))
        score_all(session, options.now, at=at, params=params)
    return result


def _truck_factor(db: Path) -> tuple[float | None, dict[str, Any]]:
    with read_connection(db) as conn:
        value, details = conn.execute(
            "SELECT value, details FROM scores WHERE subject = ? AND name = 'truck_factor'", [URL]
        ).fetchall()[0]
    return value, json.loads(details)


def _people(db: Path) -> dict[str, int]:
    with read_connection(db) as conn:
        rows = conn.execute(
            "SELECT display_name, commits FROM contributors WHERE repository_url = ? ORDER BY 1", [URL]
        ).fetchall()
    return {str(name): int(n) for name, n in rows}


def _builder(tmp_path: Path) -> tuple[RepoBuilder, Path]:
    mirror = tmp_path / "mirrors"
    return RepoBuilder(mirror / "acme+study"), mirror


def test_rename_history_at_rename_and_all_names(tmp_path: Path) -> None:
    """ann creates core.py; bo renames it to engine.py; cy re-creates core.py as a shim and edits it; dan
    writes util.py. at-rename: engine.py is ann's (creator) and bo's (one change); all-names (the reference
    tool's): engine.py also gets cy's commits made under core.py after the rename."""
    b, mirror = _builder(tmp_path)
    b.commit("Ann", "ann@a.example", {"core.py": body(40, "core")})
    b.commit("Bo", "bo@b.example", renames={"core.py": "engine.py"})
    b.commit("Cy", "cy@c.example", {"core.py": "from engine import *\n"})
    for i in range(3):
        b.commit("Cy", "cy@c.example", {"core.py": f"from engine import *\n# {i}\n"})
    b.commit("Dan", "dan@d.example", {"util.py": body(10, "u")})
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    value, details = _truck_factor(db)
    # at-rename: engine.py: ann created it (4.391 - 0.321 ln 2 = 4.17), bo renamed it (3.457, 0.83 of it):
    # both author it; core.py is cy's, util.py dan's. Each developer authors one file: cy goes first (most
    # commits), then ann (identity key), then bo leaves engine.py uncovered: 1/3. TF 3
    assert details["rename_history"] == "at-rename"
    assert (value, details["files_counted"]) == (3.0, 3)
    _mine(db, mirror, params=MaintainerParams(min_commits=1, rename_history="all-names"))
    value, details = _truck_factor(db)
    # all-names: engine.py gets core.py's whole history: creators ann and cy, changes bo 1 and cy 3.
    # DOA cy = 3.293 + 1.098 + 0.164*3 - 0.321 ln 2 = 4.66; ann = 4.391 - 0.321 ln 5 = 3.87 (0.83);
    # bo = 3.457 - 0.321 ln 4 = 3.01 (0.65: not an author). core.py: cy 4.88, ann 3.95 (0.81): both.
    # cy and ann author two files each: removing both leaves util.py alone. TF 2
    assert details["rename_history"] == "all-names"
    assert details["developers"][0] == {"name": "Cy", "files": 2, "share": 0.6667}
    assert value == 2.0


def test_mixed_case_documentation_and_test_data_are_not_source(tmp_path: Path) -> None:
    b, mirror = _builder(tmp_path)
    b.commit("Ann", "ann@a.example", {"src/main.c": body(10, "m")})
    b.commit("Bo", "bo@b.example", {f"Documentation/page{i}.c": body(5, f"d{i}") for i in range(3)})
    b.commit("Bo", "bo@b.example", {"Examples/demo.c": body(5, "e"), "ThirdParty/Lib/x.c": body(5, "t")})
    b.commit("Bo", "bo@b.example", {f"t/t4013/diff.log_-p_{i}": body(5, f"o{i}") for i in range(4)})
    b.commit("Cy", "cy@c.example", {"t/t0001-basic.sh": body(5, "t1"), "Vendor/y.c": body(5, "v")})
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    value, details = _truck_factor(db)
    # counted: src/main.c (ann) and t/t0001-basic.sh (cy); bo's 10 files are docs, examples, vendored code
    # and test data
    assert (details["files_present"], details["files_excluded"], details["files_counted"]) == (12, 10, 2)
    assert {d["name"] for d in details["developers"]} == {"Ann", "Cy"}  # one file each: TF 2
    assert value == 2.0


def test_at_date_mines_the_default_branch_as_it_was_and_says_which_commit(tmp_path: Path) -> None:
    b, mirror = _builder(tmp_path)
    day, start = 86_400, 1_420_070_400  # 2015-01-01
    base = b.commit("Ann", "ann@a.example", {"a.py": body(5, "a")}, at=start)
    on_main = b.commit("Ann", "ann@a.example", {"a.py": body(6, "a")}, at=start + 10 * day)
    side = b.commit(
        "Bo", "bo@b.example", {"b.py": body(5, "b")}, parents=[base], ref=None, at=start + 20 * day
    )
    tip = b.commit("Ann", "ann@a.example", {"a.py": body(7, "a")}, at=start + 40 * day)
    b.commit("Ann", "ann@a.example", parents=[tip, side], message="Merge", at=start + 41 * day)
    db = tmp_path / "s.duckdb"
    result = _mine(db, mirror, at="2015-01-25")
    assert result.message == f"2 new commits; at 2015-01-25: {on_main[:12]} (committed 2015-01-11)"
    with read_connection(db) as conn:
        shas = {r[0] for r in conn.execute("SELECT sha FROM commits").fetchall()}
        head, message = conn.execute("SELECT head_sha, message FROM repositories").fetchall()[0]
    assert shas == {base, on_main} and side not in shas
    assert head == on_main and f"at 2015-01-25: {on_main[:12]}" in message
    assert _people(db) == {"Ann": 2}


def test_generic_identities_and_a_borrowed_address(tmp_path: Path) -> None:
    """Two people committing as root on their machines stay two people; Bo's one commit made with Ann's
    address stays Bo's and does not move Ann's commits to him."""
    b, mirror = _builder(tmp_path)
    for i in range(3):
        b.commit("Ann", "ann@a.example", {f"ann{i}.py": body(5, f"a{i}")})
    for i in range(2):
        b.commit("Bo", "bo@b.example", {f"bo{i}.py": body(5, f"b{i}")})
    b.commit("Bo", "ann@a.example", {"bo9.py": body(5, "b9")})  # on Ann's machine
    b.commit("root", "root@build-1.(none)", {"x.py": body(5, "x")})
    b.commit("root", "root@build-2.(none)", {"y.py": body(5, "y")})
    b.commit("unknown", "unknown", {"z.py": body(5, "z")})  # no address at all
    b.commit("Unknown", "nobody@localhost", {"w.py": body(5, "w")})
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    with read_connection(db) as conn:
        people = conn.execute(
            "SELECT display_name, commits FROM contributors WHERE repository_url = ? ORDER BY ALL", [URL]
        ).fetchall()
    assert people == [("Ann", 3), ("Bo", 3), ("Unknown", 1), ("root", 1), ("root", 1), ("unknown", 1)]
    with read_connection(db) as conn:
        persons = conn.execute(
            "SELECT count(DISTINCT person) FROM repository_identities WHERE repository_url = ?", [URL]
        ).fetchall()[0][0]
    assert persons == 6


def test_a_run_with_nothing_new_repeats_no_work_and_a_changed_input_redoes_it(tmp_path: Path) -> None:
    b, mirror = _builder(tmp_path)
    for i in range(4):
        b.commit("Ann", "ann@a.example", {f"a{i}.py": body(5, f"a{i}")})
    b.commit("Bo", "bo@b.example", {"b.py": body(5, "b")})
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    _, first = _truck_factor(db)

    def runs() -> tuple[Any, ...]:
        with read_connection(db) as conn:
            return tuple(
                conn.execute(
                    "SELECT (SELECT max(run_id) FROM contributors), (SELECT max(run_id) FROM repository_files),"
                    " (SELECT run_id FROM scores WHERE subject = ? AND name = 'truck_factor')",
                    [URL],
                ).fetchall()[0]
            )

    before = runs()
    result = _mine(db, mirror)
    assert result.message == "0 new commits"
    assert runs() == before  # nothing derived or scored again
    assert _truck_factor(db)[1] == first
    # an alias is an input of the identities: they are derived again, and the truck factor recomputed
    _mine(db, mirror, aliases=(("ann@a.example", "bo@b.example"),))
    after = runs()
    assert after[0] > before[0] and after[2] > before[2]
    assert list(_people(db).values()) == [5]  # one person
    # a different rename limit is a different history: mined again in full
    result = _mine(db, mirror, rename_limit=1000)
    assert (result.new_commits, result.full) == (5, True)
