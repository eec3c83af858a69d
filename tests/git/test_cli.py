"""The commands end to end: add-repo, mine from a mirror folder, report in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from tests.git.conftest import URL, Project


def test_add_repo_mine_and_report(
    db_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add-repo", URL, "--package", "pkg:pypi/tool", "--db", str(db_path)]) == 0
    assert main(["mine", "--mirror-dir", str(project.mirror), "--offline", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["report", "--score", "maintainers", "--format", "json", "--db", str(db_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_subject = {(r["kind"], r["subject"]): r for r in rows}
    package = by_subject[("package", "pkg:pypi/tool")]
    assert package["repository"] == URL
    # 6 non-bot commits: fewer than 10, so the share scores are inconclusive, with the reason shown
    assert package["truck_factor"] is None
    assert "Fewer than 10" in package["reason"]
    assert by_subject[("repository", URL)]["days_since_last_commit"] is not None
    assert (
        main(["report", "--score", "maintainers", "--format", "csv", "--sort", "-kind", "--db", str(db_path)])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("kind,subject,repository,truck_factor")
    assert lines[1].startswith("repository,")


def test_add_repo_local_path_and_hostile_urls(
    db_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add-repo", str(project.mirror / "acme+tool"), "--db", str(db_path)]) == 0
    assert "local:" in capsys.readouterr().out
    for hostile in ("file:///etc", "ssh://git@github.com/a/b", "https://u:p@github.com/a/b", "ext::sh -c x"):
        assert main(["add-repo", hostile, "--db", str(db_path)]) == 2
    assert main(["mine", "--offline", "--db", str(db_path)]) == 0
    assert "ok" in capsys.readouterr().out


def test_unknown_report_and_sort(db_path: Path, project: Project) -> None:
    main(["add-repo", URL, "--db", str(db_path)])
    assert main(["report", "--score", "nope", "--db", str(db_path)]) == 2
    assert main(["report", "--score", "maintainers", "--sort", "nope", "--db", str(db_path)]) == 2


def test_mine_reports_a_skipped_repository(
    db_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    from click.testing import CliRunner

    from analysis.cli import cli

    main(["add-repo", "https://github.com/acme/absent", "--db", str(db_path)])  # also registers the commands
    result = CliRunner().invoke(
        cli, ["mine", "--mirror-dir", str(project.mirror), "--offline", "--db", str(db_path)]
    )
    assert result.exit_code == 1  # partial: one repository was skipped
    assert "skipped  https://github.com/acme/absent" in result.output


def test_repositories_skipped_the_same_way_are_one_line_unless_each_is_asked(
    db_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """A forge out of reach skips hundreds of repositories for one reason: one line says how many (each is
    still recorded on the run); the repository mined keeps its own line, and ``--each`` lists them all."""
    from collectors.store import read_connection

    absent = [f"https://github.com/acme/absent-{i}" for i in range(7)]
    for url in [URL, *absent]:
        assert main(["add-repo", url, "--db", str(db_path)]) == 0
    capsys.readouterr()
    argv = ["mine", "--mirror-dir", str(project.mirror), "--offline", "--db", str(db_path)]
    assert main(argv) == 1  # partial: repositories were skipped
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"ok       {URL}  7 new commits",
        "skipped  7 repositories  not in the mirror folder, and cloning is off (--offline); each is listed on "
        "the dashboard's Runs page",
        "scored 1 repositories, 0 packages",
    ]
    with read_connection(db_path) as conn:
        recorded = conn.execute(
            "SELECT subject FROM run_events WHERE run_id = (SELECT max(run_id) FROM runs) AND severity = 'skipped'"
            " ORDER BY 1"
        ).fetchall()
    assert [r[0] for r in recorded] == absent
    assert main([*argv, "--each"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[1:-1]] == [["skipped", url] for url in absent]


def test_mine_takes_the_study_parameters(db_path: Path, project: Project) -> None:
    from collectors.store import read_connection

    assert main(["add-repo", URL, "--db", str(db_path)]) == 0
    argv = ["mine", "--mirror-dir", str(project.mirror), "--offline", "--db", str(db_path)]
    assert main([*argv, "--rename-history", "all-names", "--rename-limit", "1000", "--no-mailmap"]) == 0
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT mined_with FROM repositories").fetchall() == [
            ("rename-limit=1000; reader=2",)
        ]
    assert main([*argv, "--rename-history", "sideways"]) == 2


def test_a_history_read_by_an_older_reader_is_read_again_once(
    db_path: Path, project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fix of how commits are read (co-author trailers in any case) raises the reader's version: the next
    run reads the whole history again, the one after reads nothing."""
    from collectors.git import writer

    assert main(["add-repo", URL, "--db", str(db_path)]) == 0
    argv = ["mine", "--mirror-dir", str(project.mirror), "--offline", "--db", str(db_path)]
    monkeypatch.setattr(writer, "HISTORY_READER", 1)
    assert main(argv) == 0
    assert "7 new commits" in capsys.readouterr().out
    assert main(argv) == 0
    assert "0 new commits" in capsys.readouterr().out
    monkeypatch.setattr(writer, "HISTORY_READER", 2)
    assert main(argv) == 0
    assert "7 new commits" in capsys.readouterr().out
    assert main(argv) == 0
    assert "0 new commits" in capsys.readouterr().out
