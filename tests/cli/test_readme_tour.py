"""Every command of the README's tour runs as written, against a store in a temporary folder.

The test reads the first ``sh`` block under "## A tour" in README.md and runs each ``socle ...`` line in
process (``analysis.cli.main``), in order, from a temporary working directory with ``$SOCLE_DB`` set there.
Globs name files of the project (``data/examples/*``). The registries are a loopback fake that knows no
package (the tour must work offline; see ``tests.budget.example_org``), and ``socle dashboard``, which
replaces itself with Streamlit, has its ``exec`` recorded instead of run.
"""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.commands import dashboard as dashboard_command
from collectors.paths import PROJECT_ROOT
from tests.budget import example_org

README = PROJECT_ROOT / "README.md"


def tour_commands(text: str) -> list[list[str]]:
    """The ``socle`` commands of the first ``sh`` block after "## A tour", comments dropped, ``&&`` split."""
    section = text.split("\n## A tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "no ```sh block under ## A tour"
    commands: list[list[str]] = []
    for line in block.group(1).splitlines():
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            commands.append(words[:cut])
            words = words[cut + 1 :]
    return commands


def _expand(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if any(c in word for c in "*?["):
            matches = sorted(glob.glob(str(PROJECT_ROOT / word)))
            assert matches, f"{word} matches nothing in the project"
            out.extend(matches)
        else:
            out.append(word)
    return out


def test_the_tour_is_parsed_into_socle_commands() -> None:
    commands = tour_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 5
    assert all(words[0] == "socle" for words in commands), commands


def test_every_tour_command_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = tour_commands(README.read_text(encoding="utf-8"))
    db = tmp_path / "socle.duckdb"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOCLE_DB", str(db))
    executed: list[tuple[str, list[str], dict[str, str]]] = []

    def record_exec(path: str, argv: list[str], env: dict[str, str]) -> None:
        executed.append((path, argv, env))

    monkeypatch.setattr(dashboard_command.os, "execve", record_exec)
    with example_org.offline_registries(monkeypatch):
        for words in commands:
            code = main(_expand(words[1:]))
            out = capsys.readouterr()
            assert code == 0, f"`{shlex.join(words)}` exited {code}: {out.err[-2000:]}"
            if words[1] != "dashboard":
                assert (out.out + out.err).strip(), f"`{shlex.join(words)}` said nothing"
    if any(words[1] == "dashboard" for words in commands):
        assert executed and executed[0][1][1:4] == ["-m", "streamlit", "run"]
        assert executed[0][2]["SOCLE_DB"] == str(db.resolve())
    for words in commands:
        if "--output" in words:
            assert (tmp_path / words[words.index("--output") + 1]).stat().st_size > 0
