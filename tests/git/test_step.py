"""The git and maintainers steps end to end on a real DuckDB store: hand-computed truck factor, identities,
bots, co-authors, funding files, incremental mining and force-pushes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from analysis.maintainers.scores import MaintainerParams
from analysis.maintainers.step import score_all
from collectors.git.step import GitSettings, mine_all
from collectors.store import git as store
from collectors.store import read_connection, write_session
from tests.git.builder import body
from tests.git.conftest import URL, Options, Project

LOOSE = MaintainerParams(min_commits=1)


def mine(
    db: Path, project: Project, *, at: str | None = None, params: MaintainerParams = LOOSE, **kw: Any
) -> Any:
    options = Options(db_path=db, mirror_dir=project.mirror, at=at)
    with write_session(db, "mine") as session:
        store.add_repository(session.conn, URL, "github.com", session.run_id)
        results = mine_all(session, options, GitSettings(network=False, **kw))
        score_all(session, options.now, at=at, params=params)
    return results


def scores(db: Path, subject: str = URL) -> dict[str, tuple[float | None, str, dict[str, Any]]]:
    with read_connection(db) as conn:
        rows = conn.execute(
            "SELECT name, value, status, details FROM scores WHERE subject = ?", [subject]
        ).fetchall()
    return {name: (value, status, json.loads(details)) for name, value, status, details in rows}


def count(db: Path, sql: str, params: list[Any] | None = None) -> Any:
    with read_connection(db) as conn:
        row = conn.execute(sql, params or []).fetchone()
    assert row is not None
    return row[0]


def test_hand_computed_truck_factor(db_path: Path, project: Project) -> None:
    [result] = mine(db_path, project)
    assert (result.status, result.new_commits, result.full) == ("ok", 7, True)
    tf_value, status, details = scores(db_path)["truck_factor"]
    # a.py: alice DOA 4.391 - 0.321 ln 3 = 4.038, bob 3.621 (0.90 > 0.75): both author it.
    # b2.py: alice created b.py and renamed it (DL 1): 4.555. c.py: carol 4.391.
    # docs/ and package-lock.json are filtered out: 3 files. alice (2 files) goes first; bob and carol tie
    # on one file and bob has more commits: after alice and bob only c.py keeps an author (1/3 < 1/2).
    assert (tf_value, status) == (2.0, "ok")
    assert details["files_counted"] == 3
    assert [(d["name"], d["files"]) for d in details["developers"]] == [("Alice", 2), ("Bob", 1)]
    assert "commits" in details["tie_break"]


def test_bots_are_reported_but_excluded(db_path: Path, project: Project) -> None:
    mine(db_path, project)
    assert count(db_path, "SELECT count(*) FROM contributors WHERE is_bot") == 1
    absence = scores(db_path)["contributor_absence_factor"]
    assert absence[2]["contributors"] == 4
    assert absence[2]["bot_commits_excluded"] == 1
    # alice 2, bob 2, carol 1, dave 1 of 6: two people reach 50%
    assert absence[0] == 2.0
    # organisations: acme.example (alice 2 + dave 1), other.example (carol 1); bob uses gmail
    elephant = scores(db_path)["elephant_factor"]
    assert (elephant[0], elephant[2]["unaffiliated_commits"]) == (1.0, 2)


def test_too_little_history_is_inconclusive(db_path: Path, project: Project) -> None:
    mine(db_path, project, params=MaintainerParams())
    value, status, _ = scores(db_path)["truck_factor"]
    assert (value, status) == (None, "inconclusive")
    assert scores(db_path)["days_since_last_commit"][1] == "ok"


def test_incremental_mining_then_force_push(db_path: Path, project: Project) -> None:
    mine(db_path, project)
    b = project.builder
    b.commit("Carol", "carol@other.example", {"src/c.py": body(10, "c") + "more\n"})
    b.commit("Carol", "carol@other.example", {"src/d.py": body(10, "d")})
    [result] = mine(db_path, project)
    assert (result.new_commits, result.full) == (2, False)
    assert count(db_path, "SELECT count(*) FROM commits") == 9
    assert count(db_path, "SELECT count(DISTINCT sha) FROM commits") == 9
    [again] = mine(db_path, project)
    assert again.new_commits == 0
    # force-push: history rewritten from c3
    b.reset_hard(project.shas["c3"])
    new = b.commit("Eve", "eve@acme.example", {"src/e.py": body(10, "e")})
    [rewritten] = mine(db_path, project)
    assert rewritten.full
    assert count(db_path, "SELECT count(*) FROM commits") == 4
    assert count(db_path, "SELECT last_mined_sha FROM repositories WHERE url = ?", [URL]) == new
    assert count(db_path, "SELECT count(*) FROM repository_files WHERE path = 'src/c.py'") == 0


def test_at_revision_analyses_the_past(db_path: Path, project: Project) -> None:
    [result] = mine(db_path, project, at=project.shas["c3"])
    assert result.new_commits == 3
    tf = scores(db_path)["truck_factor"]
    assert tf[2]["files_counted"] == 2  # a.py and b.py only
    [later] = mine(db_path, project)
    assert (later.new_commits, later.full) == (4, False)


def test_mailmap_and_co_authors(db_path: Path, project: Project) -> None:
    b = project.builder
    b.commit("A. Nonymous", "anon@example.org", {"src/a.py": body(20, "a") + "anon\n"},
             message="Tweak\n\nCo-authored-by: Erin <erin@example.org>")  # fmt: skip
    b.commit("Alice", "alice@acme.example", {".mailmap": "Alice <alice@acme.example> <anon@example.org>\n"})
    mine(db_path, project)
    people = count(db_path, "SELECT count(DISTINCT person) FROM repository_identities WHERE NOT is_bot")
    assert people == 5  # alice (with anon), bob, carol, dave, erin
    assert count(db_path, "SELECT commits FROM contributors WHERE display_name = 'Alice'") == 4
    assert scores(db_path)["contributor_absence_factor"][2]["contributors"] == 5


def test_without_mailmap_and_without_co_authors(db_path: Path, project: Project) -> None:
    b = project.builder
    b.commit("A. Nonymous", "anon@example.org", {"src/a.py": body(20, "a") + "anon\n"},
             message="Tweak\n\nCo-authored-by: Erin <erin@example.org>")  # fmt: skip
    b.commit("Alice", "alice@acme.example", {".mailmap": "Alice <alice@acme.example> <anon@example.org>\n"})
    mine(db_path, project, use_mailmap=False, params=MaintainerParams(min_commits=1, credit_co_authors=False))
    assert count(db_path, "SELECT count(DISTINCT person) FROM repository_identities WHERE NOT is_bot") == 6
    assert scores(db_path)["contributor_absence_factor"][2]["contributors"] == 5  # anon counted, erin not


def test_funding_files_and_warnings(db_path: Path, project: Project) -> None:
    project.builder.commit(
        "Alice", "alice@acme.example",
        {".github/FUNDING.yml": "github: [alice]\ncustom: example.org/give\n", "funding.json": "{broken"},
    )  # fmt: skip
    mine(db_path, project)
    with read_connection(db_path) as conn:
        links = conn.execute(
            "SELECT url, label, source FROM funding_links WHERE subject = ? ORDER BY url", [URL]
        ).fetchall()
        warnings = conn.execute("SELECT message FROM run_events WHERE severity = 'warning'").fetchall()
    assert links == [
        ("https://example.org/give", "custom", "funding-yml"),
        ("https://github.com/sponsors/alice", "github", "funding-yml"),
    ]
    assert len(warnings) == 1 and "funding.json" in warnings[0][0]


def test_packages_inherit_scores_and_publishers(db_path: Path, project: Project) -> None:
    with write_session(db_path, "setup") as session:
        conn = session.conn
        conn.execute(
            "INSERT INTO package_metadata (purl, ecosystem, repository_url, repository_directory, fetched_at, run_id) "
            "VALUES ('pkg:pypi/tool', 'pypi', ?, NULL, now(), 1), ('pkg:pypi/other', 'pypi', NULL, NULL, now(), 1)",
            [URL],
        )
        conn.execute(
            "INSERT INTO package_maintainers (purl, login, email, role, source, run_id) VALUES ('pkg:pypi/tool', 'alice', NULL, 'Owner', 'pypi', 1)"
        )
        conn.execute(
            "INSERT INTO packages VALUES ('pkg:pypi/tool', 'pypi', NULL, 'tool', 1), ('pkg:pypi/other', 'pypi', NULL, 'other', 1)"
        )
    mine(db_path, project)  # fmt: skip
    package = scores(db_path, "pkg:pypi/tool")
    assert package["truck_factor"][:2] == (2.0, "ok")
    assert package["publishers"][:2] == (1.0, "ok")
    assert scores(db_path, "pkg:pypi/other")["publishers"][:2] == (None, "inconclusive")
    assert "truck_factor" not in scores(db_path, "pkg:pypi/other")


def test_unknown_repository_is_skipped_with_reason(db_path: Path, project: Project) -> None:
    options = Options(db_path=db_path, mirror_dir=project.mirror)
    with write_session(db_path, "mine") as session:
        store.add_repository(session.conn, "https://github.com/acme/missing", "github.com", session.run_id)
        [result] = mine_all(session, options, GitSettings(network=False))
    assert result.status == "skipped"
    assert "mirror" in result.message
    with read_connection(db_path) as conn:
        row = conn.execute("SELECT status, message FROM repositories").fetchone()
        events = conn.execute("SELECT severity FROM run_events").fetchall()
    assert row is not None and row[0] == "skipped"
    assert events == [("skipped",)]


def test_mirror_mapping_file(db_path: Path, project: Project, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "mirrors.toml").write_text(f'"{URL}" = "{project.mirror / "acme+tool"}"\n', encoding="utf-8")
    options = Options(db_path=db_path, mirror_dir=other)
    with write_session(db_path, "mine") as session:
        store.add_repository(session.conn, URL, "github.com", session.run_id)
        [result] = mine_all(session, options, GitSettings(network=False, engine="pygit2"))
    assert (result.status, result.engine, result.new_commits) == ("ok", "pygit2", 7)


def test_clone_into_cache_from_a_local_source(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectors.git import repos
    from collectors.git.repos import sync_bare

    writes: list[Path] = []
    original = repos.write_commit_graph

    def recording(clone: Path) -> bool:
        writes.append(clone)
        return original(clone)

    monkeypatch.setattr(repos, "write_commit_graph", recording)
    target = tmp_path / "cache" / "tool.git"
    sync_bare(str(project.mirror / "acme+tool" / ".git"), target)
    project.builder.commit("Bob", "bob@gmail.com", {"src/z.py": "z\n"})
    sync_bare(str(project.mirror / "acme+tool" / ".git"), target)
    sync_bare(str(project.mirror / "acme+tool" / ".git"), target)  # nothing new: the graph is left as it is
    assert writes == [target, target]
    import pygit2

    cloned = pygit2.Repository(str(target))
    assert str(cloned.head.target) == str(project.builder.repo.head.target)
    # socle's own clone has a commit-graph, brought up to date by the fetch: git checks it against the
    # commits, and walking with it gives the history walking without it gives
    assert (target / "objects" / "info" / "commit-graphs" / "commit-graph-chain").is_file()
    git = ["git", f"--git-dir={target}"]
    subprocess.run([*git, "commit-graph", "verify"], check=True, capture_output=True)
    walked = [
        subprocess.run([*git, "-c", f"core.commitGraph={on}", "rev-list", "--all", "--parents"],
                       check=True, capture_output=True, text=True).stdout
        for on in ("true", "false")
    ]  # fmt: skip
    source = subprocess.run(
        ["git", f"--git-dir={project.mirror / 'acme+tool' / '.git'}", "rev-list", "--all", "--parents"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert walked[0] == walked[1] == source and str(cloned.head.target) in walked[0]


def test_a_commit_graph_changes_nothing_mined(tmp_path: Path, project: Project) -> None:
    """The same repository mined without and with a commit-graph file gives the same tables."""
    from collectors.git.repos import write_commit_graph

    stored = []
    for name in ("without", "with"):
        if name == "with":
            assert write_commit_graph(project.mirror / "acme+tool" / ".git")
        db = tmp_path / f"{name}.duckdb"
        mine(db, project)
        with read_connection(db) as conn:
            stored.append(
                (
                    conn.execute(
                        "SELECT sha, status, path, old_path FROM commit_files ORDER BY ALL"
                    ).fetchall(),
                    conn.execute("SELECT * EXCLUDE (run_id) FROM commits ORDER BY sha").fetchall(),
                    conn.execute("SELECT name, value, reason FROM scores ORDER BY name").fetchall(),
                )
            )
    assert stored[0] == stored[1] and len(stored[0][1]) == 7


def test_store_has_no_duplicates_after_rerun(db_path: Path, project: Project) -> None:
    mine(db_path, project)
    mine(db_path, project)
    with read_connection(db_path) as conn:  # the history tables are in the history file beside the core
        assert conn.execute("SELECT count(*) FROM repository_files").fetchone() == (5,)
        assert conn.execute("SELECT count(*) FROM contributors").fetchone() == (5,)


def test_both_engines_store_identical_tables(tmp_path: Path, project: Project) -> None:
    stored = {}
    for engine in ("git", "pygit2"):
        db = tmp_path / f"{engine}.duckdb"
        mine(db, project, engine=engine)
        with read_connection(db) as conn:
            stored[engine] = (
                conn.execute("SELECT sha, status, path, old_path FROM commit_files ORDER BY ALL").fetchall(),
                conn.execute("SELECT * EXCLUDE (run_id) FROM commits ORDER BY sha").fetchall(),
                conn.execute("SELECT name, value FROM scores ORDER BY name").fetchall(),
            )
    assert stored["git"] == stored["pygit2"]
    assert len(stored["git"][0]) == 8
    assert "R" in {row[1] for row in stored["git"][0]}


def test_hostile_repository_urls_from_registry_metadata_are_skipped(db_path: Path, project: Project) -> None:
    with write_session(db_path, "setup") as session:
        session.conn.execute(
            "INSERT INTO package_metadata (purl, ecosystem, repository_url, repository_directory, fetched_at, run_id) VALUES "
            "('pkg:npm/a', 'npm', 'local:/etc', NULL, now(), 1), ('pkg:npm/b', 'npm', 'file:///srv/repo', NULL, now(), 1), "
            "('pkg:npm/c', 'npm', 'https://user:pw@github.com/a/c', NULL, now(), 1)"
        )
    mine(db_path, project)
    with read_connection(db_path) as conn:
        linked = conn.execute("SELECT count(*) FROM package_repositories").fetchall()
        skipped = conn.execute(
            "SELECT subject FROM run_events WHERE severity = 'skipped' ORDER BY 1"
        ).fetchall()
        urls = conn.execute("SELECT url FROM repositories").fetchall()
    assert linked == [(0,)]
    assert skipped == [("pkg:npm/a",), ("pkg:npm/b",), ("pkg:npm/c",)]
    assert urls == [(URL,)]
