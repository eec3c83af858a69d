"""The truck factor's file filter applied by the git collector (0023_file_categories.sql): each file of the
analysed revision stored with its category and the filter's fingerprint, recomputed when the filter changes,
and used by the scores only when the fingerprint is the one of the filter they score with."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from analysis.maintainers.scores import MaintainerParams
from analysis.maintainers.step import score_all
from collectors.git.filters import FileFilter, load_filter
from collectors.git.step import GitSettings, mine_all
from collectors.store import git as store
from collectors.store import read_connection, write_session
from tests.git.builder import RepoBuilder, body
from tests.git.conftest import Options

URL = "https://github.com/acme/filtered"
LOOSE = MaintainerParams(min_commits=1)


def _mine(db: Path, mirror: Path) -> Any:
    options = Options(db_path=db, mirror_dir=mirror)
    with write_session(db, "mine") as session:
        store.add_repository(session.conn, URL, "github.com", session.run_id)
        [result] = mine_all(session, options, GitSettings(network=False))
        score_all(session, options.now, params=LOOSE)
    return result


def _stored(db: Path) -> tuple[dict[str, str | None], str | None]:
    with read_connection(db) as conn:
        files = dict(conn.execute("SELECT path, category FROM repository_files ORDER BY path").fetchall())
        keys = conn.execute("SELECT filter_key FROM history_state WHERE repository_url = ?", [URL]).fetchall()
    return files, keys[0][0] if keys else None


def _files_counted(db: Path) -> int:
    with read_connection(db) as conn:
        (details,) = conn.execute(
            "SELECT details FROM scores WHERE subject = ? AND name = 'truck_factor'", [URL]
        ).fetchone() or (None,)
    return int(json.loads(details)["files_counted"])


def _repository(tmp_path: Path) -> tuple[RepoBuilder, Path]:
    mirror = tmp_path / "mirrors"
    b = RepoBuilder(mirror / "acme+filtered")
    b.commit(
        "Ann", "ann@a.example",
        {"src/core.py": body(30, "core"), "src/util.py": body(20, "util"), "Documentation/guide.txt": body(9, "g"),
         "vendor/lib.js": body(12, "lib"), "tests/fixtures/case.json": body(5, "case")},
    )  # fmt: skip
    b.commit("Bo", "bo@b.example", {"src/core.py": body(30, "core") + "bo\n"})
    return b, mirror


def test_categories_stored_with_the_filter_fingerprint(tmp_path: Path) -> None:
    _, mirror = _repository(tmp_path)
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    files, key = _stored(db)
    flt = load_filter(URL)
    assert key == flt.fingerprint
    assert files == {path: flt.category(path) for path in files}
    assert files == {
        "Documentation/guide.txt": "docs", "src/core.py": None, "src/util.py": None,
        "tests/fixtures/case.json": "data", "vendor/lib.js": "vendor",
    }  # fmt: skip
    assert _files_counted(db) == 2


def test_new_files_get_their_category_and_the_others_stay(tmp_path: Path) -> None:
    b, mirror = _repository(tmp_path)
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    with read_connection(db) as conn:
        runs_before = dict(conn.execute("SELECT path, run_id FROM repository_files").fetchall())
    b.commit("Cy", "cy@c.example", {"docs/new.md": body(5, "n"), "src/extra.py": body(15, "x")})
    _mine(db, mirror)
    files, _ = _stored(db)
    assert files["docs/new.md"] == "docs" and files["src/extra.py"] is None
    with read_connection(db) as conn:
        runs_after = dict(conn.execute("SELECT path, run_id FROM repository_files").fetchall())
    assert {p: runs_after[p] for p in runs_before} == runs_before  # only the new files were written
    assert _files_counted(db) == 3


def test_a_changed_filter_recomputes_every_category(tmp_path: Path) -> None:
    _, mirror = _repository(tmp_path)
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    with write_session(db, "tamper") as session:  # as if written with another filter
        session.conn.execute("UPDATE repository_files SET category = 'vendor'")
        session.conn.execute("UPDATE history_state SET filter_key = 'another filter'")
    result = _mine(db, mirror)  # no new commit
    assert result.new_commits == 0
    files, key = _stored(db)
    assert key == load_filter(URL).fingerprint
    assert files["src/core.py"] is None and files["vendor/lib.js"] == "vendor"
    assert _files_counted(db) == 2


def test_scores_use_stored_categories_only_under_their_fingerprint(tmp_path: Path) -> None:
    _, mirror = _repository(tmp_path)
    db = tmp_path / "s.duckdb"
    _mine(db, mirror)
    with write_session(db, "tamper") as session:  # src/util.py excluded in the store, under the right key
        session.conn.execute("UPDATE repository_files SET category = 'vendor' WHERE path = 'src/util.py'")
        session.conn.execute("DELETE FROM scores")
    with write_session(db, "score") as session:
        score_all(session, None, params=LOOSE)
    assert _files_counted(db) == 1  # the stored categories were read
    # another filter (one pattern more): the stored categories are not its own, the files are filtered again
    flt = load_filter(URL)
    other = FileFilter(exclude=(*flt.exclude, ("repository", re.compile("^nothing/"))))
    assert other.fingerprint != flt.fingerprint
    with write_session(db, "score") as session:
        session.conn.execute("DELETE FROM scores")
        score_all(session, None, params=MaintainerParams(min_commits=1, file_filter=other))
    assert _files_counted(db) == 2
