"""``socle budget``: a contribution budget proposal, its exports, saving and comparing."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from analysis import exports
from analysis.budget import compare as comparing
from analysis.budget import eligibility, methods, plan
from analysis.budget.proposal import (
    DEFAULT_FLOOR,
    UNREACHABLE,
    Proposal,
    default_floor,
    propose,
    suggested_total,
)
from analysis.commands.common import db_option, resolve_db
from analysis.queries import budget as queries
from analysis.queries.sovereignty import purl_name
from collectors.errors import InputError
from collectors.store import CORE, read_connection, write_session

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SHOWN = 8  # left-out subjects named per reason on screen (every one is in the exports)


def _boosts(values: tuple[str, ...]) -> dict[str, float]:
    boosts: dict[str, float] = {}
    for value in values:
        name, sep, factor = value.partition("=")
        try:
            number = float(factor)
        except ValueError:
            number = -1.0
        if not sep or not name or number <= 0:
            raise InputError("--boost", f"expected PKG=FACTOR with a factor above 0, got {value!r}")
        boosts[name] = number
    return boosts


def _company_evidence(value: str) -> frozenset[str]:
    if value == "none":
        return frozenset()
    chosen = frozenset(v.strip() for v in value.split(",") if v.strip())
    unknown = chosen - set(eligibility.COMPANY_RULES)
    if unknown:
        raise InputError(
            "--company-evidence", f"unknown evidence {sorted(unknown)}; use elephant, steward or none"
        )
    return chosen


def _print_table(proposal: Proposal, console: Console) -> None:
    for sentence in exports.summary_sentences(proposal):
        console.print(sentence, markup=False, highlight=False)
    table = Table(show_lines=False)
    for name, justify in (("#", "right"), ("project", "left"), ("packages", "left"), ("amount", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    table.add_column("channel", overflow="fold")
    table.add_column("rationale", overflow="fold")
    for i, line in enumerate(proposal.lines, start=1):
        # Text() cells: registry and repository text is shown as is, never parsed as rich markup.
        cells = (
            line.project,
            ", ".join(line.packages),
            f"{line.amount:,}",
            line.channel_text,
            line.rationale,
        )
        table.add_row(str(i), *(Text(c) for c in cells))
    table.add_row("", "total", "", f"{proposal.allocated:,}", "", "")
    console.print(table, markup=False)
    if proposal.outreach:
        console.print("Outreach (no funding channel known; contact them):", markup=False, highlight=False)
        for item in proposal.outreach:
            # A project without a repository is its package: name it once, as a person would.
            label = item.project if item.project.startswith("https://") else purl_name(item.project)
            packages = ", ".join(p.split("?", 1)[0] for p in item.packages)
            named = label if packages == label else f"{label} ({packages})"
            console.print(
                f"  {named}: {item.amount:,} {proposal.currency} "
                f"with a channel; contact {' '.join(item.contacts) or 'not known'}",
                markup=False,
                highlight=False,
            )
    for reason, subjects in exports.left_out_groups(proposal):
        more = f" and {len(subjects) - _SHOWN} more" if len(subjects) > _SHOWN else ""
        console.print(
            f"left out: {', '.join(subjects[:_SHOWN])}{more}: {reason}", markup=False, highlight=False
        )
    for note in proposal.notes:
        console.print(f"note: {note}", markup=False, highlight=False)


def _print_history(rows: list[queries.YearAmount], fmt: str) -> None:
    """One row per project and currency, one column per year, and the total across years."""
    years = sorted({r.year for r in rows})
    table: dict[tuple[str, str], dict[int, int]] = {}
    for r in rows:
        table.setdefault((r.project, r.currency), {})[r.year] = r.amount
    header = ["project", "currency", *map(str, years), "total"]
    body = [
        [project, currency, *(by_year.get(y, 0) for y in years), sum(by_year.values())]
        for (project, currency), by_year in sorted(
            table.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])
        )
    ]
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
    elif fmt == "json":
        click.echo(json.dumps([dict(zip(header, row, strict=True)) for row in body], indent=2))
    elif not body:
        click.echo("no proposal saved yet: `socle budget --total N --save` saves one")
    else:
        out = Table(*header)
        for row in body:
            out.add_row(*(Text(f"{v:,}" if isinstance(v, int) else str(v)) for v in row))
        Console(width=200).print(out)


@click.command()
@db_option
@click.option("--total", type=click.IntRange(min=1), help="The yearly amount to allocate, in whole units.")
@click.option("--currency", default="EUR", show_default=True, help="ISO 4217 code of the total.")
@click.option("--method", type=click.Choice(methods.METHODS), default="need", show_default=True,
              help="How the total is shared out: need, equal, stackaid or usage (see docs/budget.md).")  # fmt: skip
@click.option("--min", "floor", type=click.IntRange(min=0), default=None,
              help=f"Smallest line (default {DEFAULT_FLOOR:,}, or the total if smaller); projects under it are "
              "dropped and their share redistributed.")  # fmt: skip
@click.option("--max-lines", type=click.IntRange(min=1), default=None,
              help="At most N lines; the smaller ones are dropped and their share redistributed.")  # fmt: skip
@click.option("--unreachable", type=click.Choice(UNREACHABLE), default="redistribute", show_default=True,
              help="The share of eligible projects without a funding channel (the outreach list): "
              "redistributed to the payable lines, or held in reserve.")  # fmt: skip
@click.option("--cap", type=click.FloatRange(min=0, max=1, min_open=True), default=None,
              help="Largest line as a fraction of the total (0.1 = 10%); the excess is redistributed.")  # fmt: skip
@click.option(
    "--exclude", multiple=True, help="Leave out a package (name or purl) or a project (repository URL)."
)
@click.option("--boost", multiple=True, help="Multiply a package's or project's weight: PKG=2.")
@click.option("--per", type=click.Choice(["project", "package"]), default="project", show_default=True,
              help="One line per repository (packages of one project paid once) or per package.")  # fmt: skip
@click.option("--developers", type=click.IntRange(min=1), default=None,
              help="Without --total: suggest N x 2,000 (the Open Source Pledge's yearly minimum per developer).")  # fmt: skip
@click.option("--weights", "weights_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Risk weights TOML (default data/risk_weights.toml).")  # fmt: skip
@click.option("--company-evidence", default="elephant,steward", show_default=True,
              help="What marks a single-company project as ineligible: elephant, steward, both or none.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="table", show_default=True,
              help="table for the terminal, or an export: csv, json, xlsx (a workbook finance can file), "
              "github-sponsors (bulk CSV), pledge (an Open Source Pledge report, in USD, with --developers).")  # fmt: skip
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here, not stdout."
)
@click.option("--save", is_flag=True, help="Save the proposal in the store, to compare later runs with it.")
@click.option("--history", is_flag=True,
              help="Show what each project received across years (the last proposal saved in each year).")  # fmt: skip
@click.option(
    "--compare", "compare_id", type=int, default=None, help="Show what changed since saved proposal ID."
)
def budget(
    db_path: Path | None,
    total: int | None,
    currency: str,
    method: str,
    floor: int | None,
    max_lines: int | None,
    unreachable: str,
    cap: float | None,
    exclude: tuple[str, ...],
    boost: tuple[str, ...],
    per: str,
    developers: int | None,
    weights_path: Path | None,
    company_evidence: str,
    fmt: str,
    output: Path | None,
    save: bool,
    history: bool,
    compare_id: int | None,
) -> None:
    """Propose a contribution budget: who to fund, how much, through which channel, and why.

    Every line has a project, its packages, a whole amount (lines sum exactly to the total), the channel to
    pay through and the rationale. Methods: need (criticality x risk), equal, stackaid, usage.

    \b
    Example:
        socle budget --total 50000 --currency EUR --min 250 --cap 0.1
        socle budget --developers 12 --method stackaid --format xlsx --output budget.xlsx
        socle budget --total 20000 --save && socle budget --total 25000 --compare 1
        socle budget --history
    """
    if history:
        with read_connection(resolve_db(db_path)) as conn:
            _print_history(queries.received_by_year(conn), fmt)
        return
    currency = currency.upper()
    if not _CURRENCY.match(currency):
        raise InputError("--currency", f"expected an ISO 4217 code such as EUR or USD, got {currency!r}")
    if total is None:
        if developers is None:
            raise InputError("--total", "give --total, or --developers N to use the Open Source Pledge rule")
        total = suggested_total(developers)
        click.echo(
            f"suggested total: {total:,} {currency} a year ({developers} developers x 2,000, Open Source Pledge)",
            err=True,
        )
    choices = plan.Choices(
        total=total,
        currency=currency,
        method=method,
        floor=default_floor(total) if floor is None else floor,
        cap=cap,
        exclude=frozenset(exclude),
        boost=_boosts(boost),
        per=per,
        company_evidence=_company_evidence(company_evidence),
        weights_path=weights_path,
        max_lines=max_lines,
        unreachable=unreachable,
    )
    db = resolve_db(db_path)
    with read_connection(db) as conn:
        data = plan.read(conn, method)
        old = queries.saved_proposal(conn, compare_id) if compare_id is not None else None
    if compare_id is not None and old is None:
        raise InputError("--compare", f"no saved proposal {compare_id} in {db}")
    options = plan.options(choices, data)
    proposal = propose(data, options)
    if not proposal.lines and not proposal.outreach:
        if not data.usage:
            raise InputError(
                str(db), "no eligible project to fund: no application imported yet (`socle import`)"
            )
        raise InputError(
            str(db),
            f"no eligible project to fund under method {method}: {len(proposal.left_out)} left out "
            "(ineligible, excluded or without weight); try another --method or fewer --exclude",
        )
    if fmt == "table" and output is None:
        _print_table(proposal, Console(width=200))
    elif fmt == "table":
        assert output is not None
        with output.open("w", encoding="utf-8") as handle:
            _print_table(proposal, Console(file=handle, width=200))
    else:
        text = exports.render(proposal, fmt, output, developers=developers)
        if text is not None:
            click.echo(text, nl=False)
    if output is not None:
        click.echo(
            f"wrote {output}: {len(proposal.lines)} lines, {proposal.allocated:,} {proposal.currency}",
            err=True,
        )
    if old is not None:
        # With a machine-readable export on stdout, the comparison goes to stderr so the export stays clean.
        to_stderr = fmt != "table" and output is None
        click.echo(f"changes since proposal {old.proposal_id} ({old.created_at:%Y-%m-%d}):", err=to_stderr)
        for change in comparing.parameter_changes(old, proposal):
            click.echo(f"  parameter {change}", err=to_stderr)
        for c in comparing.compare(old, proposal):
            click.echo(f"  {c.project}: {c.before:,} -> {c.after:,} ({c.delta:+,}): {c.why}", err=to_stderr)
    if save:
        with write_session(db, "budget", proposal.parameters, domains={CORE}) as session:
            proposal_id = plan.save(session, proposal)
        click.echo(f"saved as proposal {proposal_id}", err=True)


COMMANDS = [budget]
