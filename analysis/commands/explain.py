"""``socle explain PKG``: where a dependency is critical, how grave a failure would be, how to get out, who
controls it under which law, and what to fund, in plain sentences with numbers and sources."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from analysis.commands.common import db_option, resolve_db
from analysis.sovereignty import report as sovereignty
from collectors.store import read_connection


@click.command("explain")
@click.argument("package")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the sentences under each question; json: the same as data (questions, sentences, sources).",
)
@db_option
def explain(package: str, fmt: str, db_path: Path | None) -> None:
    """Explain one dependency: PACKAGE is a purl or a package name the store knows.

    \b
    Example:
        socle explain requests
        socle explain pkg:npm/%40tanstack/react-query --format json
    """
    with read_connection(resolve_db(db_path)) as conn:
        card = sovereignty.card(conn, sovereignty.resolve(conn, package))
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(card.explanation), indent=2))
    else:
        click.echo(card.explanation.text())


COMMANDS = [explain]
