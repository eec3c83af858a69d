"""``socle report --score NAME``: a score report as a terminal table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.table import Table

from analysis.commands.common import StatusSection, db_option, resolve_db
from analysis.queries import scores as score_queries
from analysis.reports import REPORTS, ReportOptions, ReportTable
from collectors.errors import InputError
from collectors.store import read_connection


def render(table: ReportTable, fmt: str) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(["" if v is None else v for v in row] for row in table.rows)
    elif fmt == "json":
        click.echo(
            json.dumps(
                [dict(zip(table.columns, row, strict=True)) for row in table.rows], indent=2, default=str
            )
        )
    else:
        Console(width=200).print(terminal_table(table))


def terminal_table(table: ReportTable) -> Table:
    """The report for a terminal: numbers right-aligned and never wrapped, text columns (names, purls,
    reasons) folded rather than cut, so that every value is there to read in full; a header's words stand
    one above the other (``truck_factor`` as ``truck`` over ``factor``), so that a column of numbers is as
    narrow as its longest word or number."""
    out = Table(show_lines=True)
    for i, name in enumerate(table.columns):
        values = [row[i] for row in table.rows if row[i] is not None]
        numeric = bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        header = name.replace("_", "\n")
        if numeric:
            out.add_column(header, justify="right", no_wrap=True)
        else:
            out.add_column(header, overflow="fold", ratio=3 if name == "reason" else 1)
    for row in table.rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    return out


@click.command("report")
@click.option("--score", "score", required=True, help=f"The report: one of {', '.join(sorted(REPORTS))}.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for the terminal, csv or json for tools.",
)
@click.option("--sort", default=None, help="Sort by this column; prefix with - for descending.")
@click.option("--limit", type=int, default=None, help="Show at most this many rows.")
@db_option
def report(score: str, fmt: str, sort: str | None, limit: int | None, db_path: Path | None) -> None:
    """Print a score report.

    \b
    Example:
        socle report --score maintainers
        socle report --score maintainers --format csv --sort truck_factor
        socle report --score risk --sort -risk --limit 20
    """
    if score not in REPORTS:
        raise InputError("--score", f"unknown report {score!r}; one of {', '.join(sorted(REPORTS))}")
    db = resolve_db(db_path)
    with read_connection(db) as conn:
        try:
            table = REPORTS[score](conn, ReportOptions(sort=sort, limit=limit))
        except ValueError as exc:
            raise InputError("--sort", str(exc)) from exc
    render(table, fmt)


COMMANDS = [report]


def _scores_status(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = score_queries.package_score_counts(conn)
    if not rows:
        return ["none yet: socle refresh"]
    width = max(len(name) for name, *_ in rows)
    return [
        f"{name:<{width}}  {ok:>5} ok, {inconclusive:>5} inconclusive" + (f", {error} error" if error else "")
        for name, ok, inconclusive, error in rows
    ]


STATUS_SECTIONS = [StatusSection("package scores", _scores_status)]
