"""``socle status`` (and, from the inventory work, ``socle import``)."""

from __future__ import annotations

from pathlib import Path

import click

from analysis.commands.common import db_option, resolve_db
from analysis.queries import runs as run_queries
from collectors.store import read_connection


@click.command()
@db_option
def status(db_path: Path | None) -> None:
    """Show applications, packages per ecosystem and the last runs.

    \b
    Example:
        socle status --db data/socle.duckdb
    """
    db = resolve_db(db_path)
    with read_connection(db) as conn:
        recent = run_queries.recent_runs(conn)
    click.echo(f"store: {db}")
    click.echo("last runs:")
    for run in recent:
        click.echo(
            f"  #{run.run_id} {run.kind:<8} {run.status:<8} {run.started_at:%Y-%m-%d %H:%M} errors={run.error_count}"
        )


COMMANDS = [status]
