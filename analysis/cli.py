"""The ``socle`` command line: a thin layer over the library. Library errors become one line at the edge."""

from __future__ import annotations

import os
from types import ModuleType
from typing import NoReturn

import click
import duckdb

from analysis import commands
from analysis.commands.common import EXIT_FATAL, EXIT_PARTIAL
from analysis.leave import leave
from collectors.errors import SocleError, StoreBusyError
from collectors.store import one_line


class LazyGroup(click.Group):
    """The ``socle`` group: a command's module is imported when that command runs, so ``socle mine`` does
    not pay for the imports of ``socle budget`` (pandas among them); ``socle --help`` lists the commands
    from their summaries (:data:`analysis.commands.COMMAND_SUMMARIES`) and imports none of them (0.14 s
    instead of 1 s)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(commands.COMMAND_NAMES))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's table of commands, with the summary of a command not imported shortened as click
        shortens a command's help."""
        names = [n for n in self.list_commands(ctx) if n in self.commands or n in commands.COMMAND_SUMMARIES]
        shown = [n for n in names if n not in self.commands or not self.commands[n].hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(n) for n in shown)
        rows = [
            (n, self.commands[n].get_short_help_str(limit) if n in self.commands
             else click.Command(n, help=commands.COMMAND_SUMMARIES[n]).get_short_help_str(limit))
            for n in shown
        ]  # fmt: skip
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in commands.COMMAND_NAMES:
            _add_module_commands(commands.command_module(commands.COMMAND_NAMES[cmd_name]))
        return self.commands.get(cmd_name)


def _add_module_commands(module: ModuleType) -> None:
    for command in module.COMMANDS:
        if command.name not in cli.commands:
            cli.add_command(command)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="socle")
def cli() -> None:
    """socle: see, score and fund the open-source commons your organisation runs on.

    \b
    Example:
        socle import data/examples/*
        socle refresh
        socle status
    """


def register_commands() -> None:
    """Import every command module and add its commands to the group (idempotent): for the documentation
    and the tests, which read ``cli.commands``. Running a command needs only its own module."""
    for name in commands.MODULE_NAMES:
        _add_module_commands(commands.command_module(name))


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the CLI, turning socle errors into one line and an exit code."""
    # Arrow's default allocator (mimalloc) reserves 1 GiB of address space at its first array: a process
    # run under an address-space limit (`ulimit -v`, the fault matrices' 2 GiB) loses that room. The system
    # allocator is as fast for the store's inserts (`python -m bench import`: 1.86 to 1.90 s either way). A
    # value the user set is kept; read when Arrow first allocates, so it is set before any command runs.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    try:
        # Without standalone mode click returns what ctx.exit(code) set (or the command's return value).
        result = cli.main(args=argv, prog_name="socle", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_FATAL
    except click.exceptions.Abort:
        click.echo("socle: aborted", err=True)
        return EXIT_FATAL
    except StoreBusyError as exc:
        click.echo(f"socle: {exc}", err=True)
        return EXIT_PARTIAL
    except SocleError as exc:
        click.echo(f"socle: error: {one_line(exc)}", err=True)
        return EXIT_FATAL
    except (duckdb.Error, OSError, MemoryError) as exc:
        # What no command turned into a socle error (a full disk, a store DuckDB cannot read): still one line.
        click.echo(f"socle: error: {type(exc).__name__}: {one_line(exc)}", err=True)
        return EXIT_FATAL
    return result if isinstance(result, int) else 0


def run() -> NoReturn:
    """The ``socle`` script: :func:`main`, then the process ends without the interpreter's teardown
    (:mod:`analysis.leave`)."""
    leave(main())


if __name__ == "__main__":
    run()
