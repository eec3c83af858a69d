"""The CLI imports a command's module only when that command runs, and its table of commands is complete."""

from __future__ import annotations

import subprocess
import sys

import click

from analysis import commands
from analysis.cli import cli, register_commands


def test_the_table_of_commands_names_exactly_what_the_modules_define() -> None:
    defined = {
        command.name: name
        for name in commands.MODULE_NAMES
        for command in commands.command_module(name).COMMANDS
    }
    assert defined == commands.COMMAND_NAMES
    register_commands()
    assert sorted(cli.commands) == sorted(commands.COMMAND_NAMES)


def _run(argv: list[str], *, imported: bool = False) -> tuple[str, set[str]]:
    """What ``socle ARGV`` printed, and the modules it had imported by the end (``imported``: with every
    command module imported first)."""
    probe = (
        "import sys\n"
        "from analysis.cli import main, register_commands\n"
        f"{'register_commands()' if imported else ''}\n"
        f"code = main({argv!r})\n"
        "print(code, ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    *printed, last = done.stdout.strip().splitlines()
    code, modules = last.split(" ", 1)
    assert code == "0", done.stderr
    return "\n".join(printed), set(modules.split())


def test_socle_mine_loads_neither_the_other_commands_nor_pandas() -> None:
    printed, loaded = _run(["mine", "--help"])
    assert "socle mine" in printed
    assert "analysis.commands.repos" in loaded
    assert "analysis.commands.budget" not in loaded
    assert "analysis.commands.inventory" not in loaded
    assert "pandas" not in loaded


def test_the_group_help_lists_every_command_and_imports_none() -> None:
    printed, loaded = _run(["--help"])
    listed = {line.split()[0] for line in printed.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(commands.COMMAND_NAMES)
    assert not {f"analysis.commands.{name}" for name in commands.MODULE_NAMES} & loaded
    assert "pandas" not in loaded
    # the same table the commands themselves give once imported
    assert printed == _run(["--help"], imported=True)[0]


def test_each_summary_is_the_first_paragraph_of_the_commands_help() -> None:
    register_commands()
    assert set(commands.COMMAND_SUMMARIES) == set(commands.COMMAND_NAMES)
    for name, summary in commands.COMMAND_SUMMARIES.items():
        command = cli.commands[name]
        for limit in (20, 45, 80, 200):
            shortened = click.Command(name, help=summary).get_short_help_str(limit)
            assert shortened == command.get_short_help_str(limit), name
