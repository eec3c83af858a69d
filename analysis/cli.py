"""The ``socle`` command line: a thin layer over the library. Library errors become one line at the edge."""

from __future__ import annotations

import sys

import click
import duckdb

from analysis.commands.common import EXIT_FATAL, EXIT_PARTIAL
from collectors.errors import SocleError, StoreBusyError
from collectors.store import one_line


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    """Add every command to the group (idempotent). One module per area exposes its commands in COMMANDS."""
    from analysis.commands import COMMAND_MODULES

    for module in COMMAND_MODULES:
        for command in module.COMMANDS:
            cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the CLI, turning socle errors into one line and an exit code."""
    register_commands()
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


if __name__ == "__main__":
    sys.exit(main())
