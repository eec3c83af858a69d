"""Cron is told the truth: a step that was asked for and achieved nothing makes the run partial, exit 1,
and ``socle status`` says why; a repository URL that is not what it looks like is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cli import main
from analysis.pipeline import shortfall
from collectors.store import read_connection


@pytest.mark.parametrize(
    ("step", "added", "warnings", "reason"),
    [
        ("pypi", {"pypi_failed": 3}, 0, "pypi: all 3 package look-ups failed; nothing was updated"),
        ("pypi", {"pypi_failed": 3, "pypi_unchanged": 1}, 0, None),
        ("npm", {"npm_failed": 1, "npm_skipped": 1}, 0, None),
        ("npm", {}, 0, None),  # nothing to do is not a shortfall
        ("git", {"repositories_skipped": 2, "repositories_error": 1}, 0, "git: none of the 3 repositories"),
        ("git", {"repositories_skipped": 2, "repositories_ok": 1}, 0, None),
        ("completion", {}, 4, "completion: 4 problem(s) and no dependency could be completed"),
        ("completion", {"inferred_packages": 7}, 4, None),
        ("risk", {}, 0, None),
    ],
)
def test_shortfall(step: str, added: dict[str, int], warnings: int, reason: str | None) -> None:
    found = shortfall(step, added, warnings)
    assert (found is None) if reason is None else (found is not None and found.startswith(reason))


def test_refresh_whose_every_repository_was_skipped_is_partial(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for url in ("https://github.com/acme/one", "https://github.com/acme/two"):
        assert main(["add-repo", url, "--db", str(db_path)]) == 0
    empty_mirror = tmp_path / "mirror"
    empty_mirror.mkdir()
    capsys.readouterr()
    code = main(
        ["refresh", "--db", str(db_path), "--only", "git", "--no-clone", "--mirror-dir", str(empty_mirror)]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert (
        "socle refresh: git: none of the 2 repositories could be mined (all skipped or failed)"
        in captured.err
    )
    assert "partial" in captured.out
    with read_connection(db_path) as conn:
        status, message = conn.execute(
            "SELECT status, message FROM runs ORDER BY run_id DESC LIMIT 1"
        ).fetchone()  # type: ignore[misc]
    assert status == "partial" and "none of the 2 repositories" in message
    assert main(["status", "--db", str(db_path)]) == 0
    assert "none of the 2 repositories could be mined" in capsys.readouterr().out


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/acme/to\nol",
        "https://github.com/ac\tme/tool",
        "https://github.com/acme/tool\r\nX: y",
    ],
)
def test_add_repo_refuses_a_url_with_a_newline_or_tab(
    db_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add-repo", url, "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "whitespace or control characters" in err
    assert not db_path.exists()  # refused before the store was opened: nothing was added
