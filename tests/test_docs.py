"""The documentation is tested: the README stays two screens, every command and option is documented with an
example, and every shell example the docs mark runnable runs against a fixture store as written.

The site itself is built in strict mode by ``make test`` (``mkdocs build --strict``: a broken link or an
unlisted page fails), and the CLI reference is generated from the commands at each build.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from analysis.cli import cli, main, register_commands
from collectors.store import copy_store
from tests.docs_pages import README, Example, page, pages, runnable_examples

register_commands()
COMMANDS: dict[str, click.Command] = {}
for _name, _command in cli.commands.items():
    if isinstance(_command, click.Group):
        COMMANDS.update({f"{_name} {sub}": c for sub, c in _command.commands.items()})
    else:
        COMMANDS[_name] = _command


def test_the_readme_fits_on_two_screens() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines: move detail into docs/"


def test_every_page_is_in_the_site_navigation() -> None:
    nav = (README.parent / "mkdocs.yml").read_text(encoding="utf-8")
    for path in pages():
        if path.startswith("docs/"):
            assert f": {Path(path).name}\n" in nav, f"{path} is not in mkdocs.yml's nav"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_an_example_and_a_page_section(name: str) -> None:
    command = COMMANDS[name]
    assert command.help and "Example:" in command.help, f"socle {name}: its help has no 'Example:'"
    assert f"socle {name}" in page("commands"), f"socle {name} is not in docs/commands.md"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_has_help(name: str) -> None:
    for param in COMMANDS[name].params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, (
                f"socle {name} {param.opts[0]}: no help text, so the CLI reference is empty there"
            )


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("socle, version ") and out.strip() != "socle, version"


EXAMPLES = runnable_examples()


def test_the_docs_mark_examples_runnable() -> None:
    assert len(EXAMPLES) >= 10, "the docs should keep their everyday examples runnable"


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.dashboard.fixture_store import build_fixture_store

    return build_fixture_store(tmp_path_factory.mktemp("docs") / "socle.duckdb")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_runnable_example_runs_as_written(
    example: Example, example_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "socle.duckdb"
    copy_store(example_store, db)  # the core file and its history file
    words = shlex.split(example.command)[1:]
    if "--db" in words:  # the examples name the default store; the test runs them on its own copy
        at = words.index("--db")
        del words[at : at + 2]
    monkeypatch.chdir(tmp_path)  # files an example writes (--output) land in the test's folder
    result = CliRunner().invoke(cli, words, env={"SOCLE_DB": str(db)}, catch_exceptions=False)
    assert result.exit_code == 0, (
        f"{example.where}: `{example.command}` exited {result.exit_code}:\n{result.output}"
    )
    assert result.output.strip() or "--output" in words, (
        f"{example.where}: `{example.command}` printed nothing"
    )
