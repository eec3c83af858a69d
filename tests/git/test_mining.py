"""History mining on repositories built with pygit2: both engines give identical records."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pygit2
import pytest

from collectors.errors import InputError, TerminalError
from collectors.git import git_engine, mining
from collectors.git.records import HistoryColumns
from tests.git.builder import RepoBuilder, body
from tests.git.conftest import Project


def _both(
    path: Path, head: str, stop: str | None = None
) -> tuple[list[mining.CommitRecord], list[mining.CommitRecord]]:
    repo = mining.open_repository(path)
    by_git = sorted(
        git_engine.mine_git(Path(repo.path), head, stop, "git", mining.RENAME_LIMIT), key=lambda r: r.sha
    )
    by_pygit2 = sorted(mining.mine_pygit2(repo, head, stop), key=lambda r: r.sha)
    return by_git, by_pygit2


def test_engines_agree_on_renames_merges_readds_and_unicode(tmp_path: Path, parser: str) -> None:
    b = RepoBuilder(tmp_path / "r")
    b.commit(
        "Ann", "ann@example.org", {"a.py": body(30, "a"), "b.py": body(30, "b"), "naïve/été.py": body(5, "u")}
    )
    base = b.commit("Bo", "bo@example.org", renames={"a.py": "lib/a.py"})
    side = b.commit("Cy", "cy@example.org", {"side.py": body(5, "s")}, parents=[base], ref=None)
    main = b.commit("Ann", "ann@example.org", {"b.py": None})
    merge = b.commit("Ann", "ann@example.org", parents=[main, side], message="Merge side")
    b.repo.checkout_tree(b.repo[merge].peel(pygit2.Tree))
    b.commit("Di", "di@example.org", {"b.py": body(3, "new")},
             message="Re-add b\n\nCo-authored-by: Eve <eve@example.org>")  # fmt: skip
    head = str(b.repo.head.target)
    by_git, by_pygit2 = _both(tmp_path / "r" / ".git", head)
    assert by_git == by_pygit2
    shas = {r.sha for r in by_git}
    assert merge not in shas and side in shas
    assert len(by_git) == 5
    rename = next(r for r in by_git if r.sha == base)
    assert rename.files == (mining.FileChange("R", "lib/a.py", "a.py"),)
    readd = by_git[[r.sha for r in by_git].index(head)]
    assert readd.files == (mining.FileChange("A", "b.py"),)
    assert readd.co_authors == ("Eve <eve@example.org>",)
    root = next(r for r in by_git if not any(f.status != "A" for f in r.files) and len(r.files) == 3)
    assert {f.path for f in root.files} == {"a.py", "b.py", "naïve/été.py"}


def test_co_author_trailers_are_read_whatever_their_case(tmp_path: Path, parser: str) -> None:
    """``Co-Authored-By`` and ``CO-AUTHORED-BY`` are co-author trailers as much as ``Co-authored-by`` (158
    commits of rails write it so): both engines read them."""
    b = RepoBuilder(tmp_path / "r")
    b.commit("Ann", "ann@example.org", {"a.py": body(3, "a")},
             message="One\n\nCo-Authored-By: Bo <bo@example.org>")  # fmt: skip
    b.commit("Ann", "ann@example.org", {"a.py": body(4, "a")},
             message="Two\n\nCO-AUTHORED-BY: Cy <cy@example.org>\nCo-authored-by: Di <di@example.org>")  # fmt: skip
    b.commit("Ann", "ann@example.org", {"a.py": body(5, "a")},
             message="Three\n\nco-Authored-by: Eve <eve@example.org>")  # fmt: skip
    b.commit("Ann", "ann@example.org", {"a.py": body(6, "a")}, message="Four: co-authored by nobody")
    head = str(b.repo.head.target)
    by_git, by_pygit2 = _both(tmp_path / "r" / ".git", head)
    assert by_git == by_pygit2
    found = sorted(value for record in by_git for value in record.co_authors)
    assert found == [
        "Bo <bo@example.org>",
        "Cy <cy@example.org>",
        "Di <di@example.org>",
        "Eve <eve@example.org>",
    ]


def test_engines_agree_incrementally(project: Project) -> None:
    path = project.mirror / "acme+tool" / ".git"
    head = str(project.builder.repo.head.target)
    by_git, by_pygit2 = _both(path, head, stop=project.shas["c3"])
    assert by_git == by_pygit2
    assert {r.sha for r in by_git} == {project.shas[k] for k in ("c4", "c5", "c6", "c7")}


def test_mine_picks_an_engine_and_both_give_the_same_columns(project: Project) -> None:
    repo = mining.open_repository(project.mirror / "acme+tool")
    engine, by_pygit2 = mining.mine(repo, project.shas["c7"], engine="pygit2")
    assert engine == "pygit2"
    assert len(by_pygit2) == 7
    engine, by_git = mining.mine(repo, project.shas["c7"], engine="git")
    assert engine == "git"
    assert by_git.rows() == by_pygit2.rows()
    commits, files = by_git.rows()
    assert len(commits) == 7 and len(files) == 8
    assert sum(1 for f in files if f[1] == "R") == 1


def _history_with_merges(root: Path) -> tuple[Path, str]:
    """Renames, a merged side branch, a deletion, unicode paths, an empty commit with a co-author, and
    commits sharing a timestamp (the walk order then rests on git's tie-breaking)."""
    b = RepoBuilder(root)
    b.commit("Ann", "ann@example.org", {"a.py": body(30, "a"), "naïve/été.py": body(5, "u")})
    base = b.commit("Bo", "bo@example.org", renames={"a.py": "lib/a.py"})
    side = b.commit("Cy", "cy@example.org", {"side.py": body(5, "s")}, parents=[base], ref=None)
    side_2 = b.commit(
        "Cy", "cy@example.org", {"side2.py": body(5, "t")}, parents=[side], ref=None, at=b.clock
    )
    main = b.commit("Ann", "ann@example.org", {"naïve/été.py": None}, parents=[base], at=b.clock)
    merge = b.commit("Ann", "ann@example.org", parents=[main, side_2], message="Merge side")
    b.repo.checkout_tree(b.repo[merge].peel(pygit2.Tree))
    for i in range(6):
        b.commit(f"Dev {i}", f"dev{i}@example.org", {f"m{i % 3}.py": body(4 + i, "m")})
    b.commit("Di", "di@example.org", {}, message="Empty\n\nCo-authored-by: Eve <eve@example.org>")
    return root / ".git", str(b.repo.head.target)


@pytest.mark.parametrize(("ends", "chunk"), [(1, 1 << 20), (2, 1 << 20), (2, 64), (2, 1)])
def test_columns_and_records_agree_with_renames_merges_and_unicode(
    tmp_path: Path, ends: int, chunk: int, parser: str
) -> None:
    path, head = _history_with_merges(tmp_path / "r")
    # tiny chunks: the outputs of both ends arrive interleaved, so the two ends meet inside the history
    columns = git_engine.mine_git_columns(path, head, None, "git", 0, ends=ends, chunk=chunk)
    records = HistoryColumns()
    for record in mining.mine_pygit2(mining.open_repository(path), head):
        records.add(record)
    assert columns.rows() == records.rows()
    assert len(columns) == 12  # the merge is left out; the empty commit is kept
    assert len(set(columns.sha)) == 12
    assert columns.co_authors[columns.sha.index(head)] == ["Eve <eve@example.org>"]
    # git log's own order, wherever the two ends met
    log = subprocess.run(
        ["git", f"--git-dir={path}", "log", "--no-merges", "--format=%H", head],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert columns.sha == log


def _end_pieces(path: Path, head: str, *, reverse: bool) -> list[bytes]:
    """The output of one end of the history, run to completion, one commit per piece."""
    argv = git_engine._log_argv("git", path, head, None, 0, reverse=reverse)
    out = subprocess.run(argv, capture_output=True, check=True).stdout
    return [git_engine._MARK + piece for piece in out.split(git_engine._MARK) if piece]


def test_the_two_ends_meet_wherever_the_reading_stops(tmp_path: Path, parser: str) -> None:
    """Whatever share each end has read when they meet, every commit is kept exactly once."""
    path, head = _history_with_merges(tmp_path / "r")
    newest = _end_pieces(path, head, reverse=False)
    oldest = _end_pieces(path, head, reverse=True)
    assert newest == oldest[::-1]  # git's reverse is the same walk reversed
    one_end = git_engine._TwoEnds(path, 1)
    one_end.add(0, b"".join(newest))
    everything = one_end.history()
    for k in range(len(newest) + 1):
        ends = git_engine._TwoEnds(path, 2)
        assert not ends.add(0, b"".join(newest[:k]))
        # the oldest end reads until it reaches a commit the newest end already has
        assert ends.add(1, b"".join(oldest)) is (k > 0)
        columns = ends.history()
        # every commit once, in git log's order, each with its files in git's order
        assert columns.sha == everything.sha, k
        assert columns.file_sha == everything.file_sha, k
        assert columns.file_path == everything.file_path, k
        assert columns.rows() == everything.rows(), k


def test_ends_that_do_not_mirror_each_other_are_an_error(tmp_path: Path, parser: str) -> None:
    path, head = _history_with_merges(tmp_path / "r")
    newest = _end_pieces(path, head, reverse=False)
    ends = git_engine._TwoEnds(path, 2)
    ends.add(0, b"".join(newest[:6]))
    # an "oldest first" end that repeats a commit other than the newest end's last one: a gap would follow
    with pytest.raises(TerminalError, match="met at"):
        ends.add(1, b"".join(newest[:1]))


def test_a_failing_git_is_an_error_not_a_short_history(tmp_path: Path) -> None:
    path, _ = _history_with_merges(tmp_path / "r")
    with pytest.raises(TerminalError, match="git log failed"):
        git_engine.mine_git_columns(path, "0" * 40, None, "git", 0)


def test_at_revision_by_sha_and_by_date(project: Project) -> None:
    repo = mining.open_repository(project.mirror / "acme+tool")
    assert str(mining.resolve_revision(repo, project.shas["c3"]).id) == project.shas["c3"]
    assert str(mining.resolve_revision(repo, None).id) == project.shas["c7"]
    # commits are an hour apart from 2020-09-13 12:26 UTC: the last one on 2020-09-13 is c7
    assert str(mining.resolve_revision(repo, "2020-09-13").id) == project.shas["c7"]
    with pytest.raises(InputError):
        mining.resolve_revision(repo, "2001-01-01")
    with pytest.raises(InputError):
        mining.resolve_revision(repo, "no-such-branch")


def test_tree_paths_and_blobs(project: Project) -> None:
    repo = mining.open_repository(project.mirror / "acme+tool")
    head = mining.resolve_revision(repo, None)
    assert mining.tree_paths(head) == [
        "docs/index.md",
        "package-lock.json",
        "src/a.py",
        "src/b2.py",
        "src/c.py",
    ]
    assert mining.read_blob(head, "docs/index.md") == b"# Tool\n"
    assert mining.read_blob(head, "missing") is None


def test_at_date_follows_the_default_branchs_first_parent_chain(tmp_path: Path) -> None:
    """A side-branch commit dated before the snapshot but merged after it was never on the default branch
    at that date: --at must pick the default branch's last commit then, not the side commit."""
    day = 86_400
    b = RepoBuilder(tmp_path / "r")
    start = 1_420_070_400  # 2015-01-01 00:00 UTC
    base = b.commit("Ann", "ann@example.org", {"a.py": body(5, "a")}, at=start)
    main_1 = b.commit("Ann", "ann@example.org", {"a.py": body(6, "a")}, at=start + 10 * day)  # 2015-01-11
    side = b.commit(
        "Bo", "bo@example.org", {"b.py": body(5, "b")}, parents=[base], ref=None, at=start + 20 * day
    )
    main_2 = b.commit("Ann", "ann@example.org", {"a.py": body(7, "a")}, at=start + 40 * day)  # 2015-02-10
    merge = b.commit("Ann", "ann@example.org", parents=[main_2, side], message="Merge", at=start + 41 * day)
    repo = mining.open_repository(tmp_path / "r" / ".git")
    # 2015-01-25: the side commit (2015-01-21) is the newest of any branch, but main then was main_1
    chosen = mining.resolve_revision(repo, "2015-01-25")
    assert str(chosen.id) == main_1 != side
    assert (
        mining.describe_revision(chosen, "2015-01-25")
        == f"at 2015-01-25: {main_1[:12]} (committed 2015-01-11)"
    )
    assert str(mining.resolve_revision(repo, "2015-02-10").id) == main_2
    assert str(mining.resolve_revision(repo, "2015-02-11").id) == merge
    assert str(mining.resolve_revision(repo, "2015-01-01").id) == base
    with pytest.raises(InputError, match="default branch"):
        mining.resolve_revision(repo, "2014-12-31")


def test_few_and_many_new_commits_are_stored_alike(
    tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few new commits are inserted from Python lists, many from NumPy arrays: the same rows either way."""
    from collectors.store import git as store
    from collectors.store import write_session

    repo = mining.open_repository(project.mirror / "acme+tool")
    _, columns = mining.mine(repo, project.shas["c7"], engine="git")
    stored = []
    for threshold in (1_000_000, 0):
        monkeypatch.setattr(store, "BULK_MIN_ROWS", threshold)
        db = tmp_path / f"{threshold}.duckdb"
        with write_session(db, "test") as session:
            assert store.write_history(session.conn, "u", 1, columns) == 7
            stored.append(
                (
                    session.conn.execute("SELECT * EXCLUDE (run_id) FROM commits ORDER BY sha").fetchall(),
                    session.conn.execute(
                        "SELECT * EXCLUDE (run_id) FROM commit_files ORDER BY ALL"
                    ).fetchall(),
                )
            )
    assert stored[0] == stored[1]
    assert len(stored[0][0]) == 7 and len(stored[0][1]) == 8
    assert str(stored[0][0][0][4].year) == "2020"


def test_is_ancestor_follows_the_graph_not_dates(tmp_path: Path) -> None:
    """What decides between mining only the new commits and mining everything again (a force-push)."""
    b = RepoBuilder(tmp_path / "r")
    root = b.commit("Ann", "ann@a.example", {"a.py": body(5, "a")}, at=1_600_000_000)
    side = b.commit("Bo", "bo@b.example", {"b.py": body(5, "b")}, at=1_600_100_000, parents=[root], ref=None)
    main = b.commit("Cy", "cy@c.example", {"c.py": body(5, "c")}, at=1_600_000_500, parents=[root])
    merge = b.commit("Cy", "cy@c.example", {"d.py": body(5, "d")}, at=1_600_200_000, parents=[main, side])
    repo = b.repo
    assert mining.is_ancestor(repo, root, merge) and mining.is_ancestor(repo, side, merge)
    assert mining.is_ancestor(repo, merge, merge)
    assert not mining.is_ancestor(repo, side, main)  # a newer commit of another branch
    assert not mining.is_ancestor(repo, merge, root)  # a descendant
    assert not mining.is_ancestor(repo, "0" * 40, merge)  # gone (history rewritten and collected)
