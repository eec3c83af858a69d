"""``socle catalogue validate | review | apply | import-debian``: the standards catalogue."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import click

from analysis.commands.common import EXIT_OK, EXIT_PARTIAL, db_option, resolve_db
from analysis.queries import runs as run_queries
from analysis.queries import standards as queries
from analysis.standards import debian, freshness, step
from analysis.standards.catalogue import SHIPPED_DIR, CatalogueError, load_catalogue, overlay_paths
from analysis.standards.model import CONTROL_LEVELS
from collectors.errors import InputError
from collectors.store import CORE, read_connection, utcnow, write_session


def catalogue_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--catalogue",
        "overlays",
        multiple=True,
        type=click.Path(exists=True, path_type=Path),
        help="An overlay TOML file or folder adding or overriding entries (repeatable; also $SOCLE_CATALOGUE, "
        "paths separated by ':').",
    )(func)


@click.group()
def catalogue() -> None:
    """The standards catalogue: standards, interfaces, implementations and their stewards.

    \b
    Example:
        socle catalogue validate --catalogue our-internal.toml
    """


@catalogue.command()
@catalogue_option
@click.pass_context
def validate(ctx: click.Context, overlays: tuple[Path, ...]) -> None:
    """Validate the shipped catalogue and the overlays; list every problem (file, entry, field).

    \b
    Example:
        socle catalogue validate
        socle catalogue validate --catalogue overlays/ministry.toml
    """
    paths = overlay_paths(overlays)
    try:
        loaded = load_catalogue(paths, shipped=SHIPPED_DIR)
    except CatalogueError as exc:
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        raise InputError("catalogue", f"{len(exc.problems)} problem(s), listed above") from exc
    click.echo(
        f"catalogue ok: {len(loaded.standards)} standards, {len(loaded.stewards)} stewards, "
        f"{len(loaded.interfaces)} interfaces, {len(loaded.implementations)} implementations"
        + (f" ({len(paths)} overlay(s))" if paths else "")
    )
    ctx.exit(EXIT_OK)


@catalogue.command()
@db_option
@catalogue_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for the terminal, json for tools.")  # fmt: skip
@click.option(
    "--stale",
    is_flag=True,
    help="List catalogue entries not checked for a year (or never) and standards with a newer edition "
    "known to the catalogue, instead of the packages to classify.",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="With --stale: the date ages are counted from (default: today, UTC).",
)
def review(
    db_path: Path | None,
    overlays: tuple[Path, ...],
    fmt: str,
    stale: bool,
    as_of: datetime | None,
) -> None:
    """Packages whose metadata names a standard or protocol but that the catalogue does not list.

    Each comes with its hints (value, field, evidence, confidence) and the catalogue interfaces it might
    implement: a catalogue maintainer confirms them in an overlay or in data/catalogue/. With --stale,
    the catalogue's own facts to check again: entries whose `checked` date is more than a year old or
    missing, and standards superseded by a newer edition (with the interfaces still following the old).

    \b
    Example:
        socle catalogue review --db data/socle.duckdb
        socle catalogue review --stale
        socle catalogue review --stale --as-of 2027-06-01 --format json
    """
    if stale:
        _review_stale(overlays, fmt, (as_of or utcnow()).date())
        return
    with read_connection(resolve_db(db_path)) as conn:
        if not queries.catalogue_loaded(conn):
            raise InputError(
                str(resolve_db(db_path)), "no detection results yet: run `socle catalogue apply`"
            )
        rows = queries.review_rows(conn)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "purl": r.purl,
                        "suggested": list(r.suggested),
                        "hints": [
                            {"value": v, "field": f, "evidence": e, "confidence": c} for v, f, e, c in r.hints
                        ],
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    click.echo(f"{len(rows)} package(s) to review")
    for row in rows:
        suggested = ", ".join(row.suggested) or "none"
        click.echo(f"{row.purl}  (suggested: {suggested})")
        for value, fld, evidence, confidence in row.hints:
            click.echo(f"    {value:<28} {confidence:.2f} {fld:<12} {evidence[:90]!r}")


def _review_stale(overlays: tuple[Path, ...], fmt: str, as_of: date) -> None:
    try:
        loaded = load_catalogue(overlay_paths(overlays), shipped=SHIPPED_DIR)
    except CatalogueError as exc:
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        raise InputError("catalogue", f"{len(exc.problems)} problem(s), listed above") from exc
    editions = freshness.newer_editions(loaded)
    old = freshness.stale_entries(loaded, as_of=as_of)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "as_of": as_of.isoformat(),
                    "newer_editions": [_stale_json(e) for e in editions],
                    "not_checked_for_a_year": [_stale_json(e) for e in old],
                },
                indent=2,
            )
        )
        return
    click.echo(f"{len(editions)} standard(s) or interface(s) behind a newer edition")
    for entry in editions:
        click.echo(f"  {entry.table} {entry.key} ({entry.file}): {entry.reason}")
    click.echo(f"{len(old)} catalogue entries not checked since {as_of - freshness.MAX_AGE}")
    for entry in old:
        click.echo(f"  {entry.table} {entry.key} ({entry.file}): {entry.reason}")


def _stale_json(entry: freshness.StaleEntry) -> dict[str, str | None]:
    return {
        "table": entry.table,
        "key": entry.key,
        "file": entry.file,
        "checked": entry.checked.isoformat() if entry.checked else None,
        "reason": entry.reason,
    }


@dataclass(frozen=True)
class ApplyOptions:
    """The subset of the refresh options the standards step reads."""

    catalogue_overlays: tuple[Path, ...] = ()
    now: datetime = field(default_factory=utcnow)


@catalogue.command()
@db_option
@catalogue_option
@click.option(
    "--control-level",
    type=click.Choice(CONTROL_LEVELS),
    default=None,
    help="How high up the steward hierarchy independent control is counted (default: "
    "$SOCLE_CONTROL_LEVEL, else ultimate: CNCF and OpenJS projects count as the Linux Foundation's).",
)
@click.pass_context
def apply(
    ctx: click.Context, db_path: Path | None, overlays: tuple[Path, ...], control_level: str | None
) -> None:
    """Load the catalogue into the store, classify packages, collect hints and score (the refresh step
    `standards`, run alone).

    \b
    Example:
        socle catalogue apply --db data/socle.duckdb --catalogue our-internal.toml
        socle catalogue apply --control-level steward
    """
    db = resolve_db(db_path)
    level = control_level or step.control_level_setting()
    with write_session(
        db, "standards", {"overlays": [str(p) for p in overlays], "control_level": level}, domains={CORE}
    ) as session:
        step.run(session, ApplyOptions(catalogue_overlays=overlays), control_level=level)
        counts, errors, run_id = dict(session.counts), session.errors, session.run_id
    if errors:
        with read_connection(db) as conn:
            events = run_queries.run_events(conn, run_id)
        for severity, _subject, message in events:
            click.echo(f"  {severity}: {message}", err=True)
        click.echo(f"socle: run #{run_id}: the catalogue has problems; earlier results kept", err=True)
        ctx.exit(EXIT_PARTIAL)
    click.echo(", ".join(f"{k}={v}" for k, v in counts.items()))
    ctx.exit(EXIT_OK)


def _apt_index_lines() -> Iterator[str]:
    """The lines of the local apt ``Packages`` indexes, decompressed by apt's own helper."""
    try:
        listing = subprocess.run(
            ["apt-get", "indextargets", "--format", "$(FILENAME)", "Identifier: Packages"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        raise InputError("apt-get indextargets", f"cannot list the apt indexes ({exc})") from exc
    for filename in listing.stdout.split():
        if not Path(filename).exists():
            continue
        with subprocess.Popen(
            ["/usr/lib/apt/apt-helper", "cat-file", filename], stdout=subprocess.PIPE, text=True
        ) as proc:
            assert proc.stdout is not None
            yield from proc.stdout
            yield "\n"


@catalogue.command("import-debian")
@click.option(
    "--packages-file",
    "files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A plain-text Debian Packages index (repeatable); default: the local apt indexes.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The overlay TOML file to write.",
)
@click.option(
    "--interface",
    "mappings",
    multiple=True,
    metavar="VIRTUAL=ID",
    help="File a virtual package's providers under an existing catalogue interface (repeatable).",
)
def import_debian(files: tuple[Path, ...], output: Path, mappings: tuple[str, ...]) -> None:
    """Write an overlay of Debian virtual packages (c-compiler, httpd, mail-transport-agent...) and their
    providers, grouped by lineage (source family).

    \b
    Example:
        socle catalogue import-debian --output overlays/debian.toml
        socle catalogue import-debian --output overlays/debian.toml --interface c-compiler=c-compiler
        socle catalogue validate --catalogue overlays/debian.toml
    """
    if files:
        lines: Iterator[str] = (
            line for f in files for line in [*f.read_text(encoding="utf-8").splitlines(), ""]
        )
    else:
        lines = _apt_index_lines()
    interfaces: dict[str, str] = {}
    for mapping in mappings:
        virtual, sep, interface = mapping.partition("=")
        if not sep or not virtual or not interface:
            raise click.BadParameter(f"{mapping!r}: expected VIRTUAL=ID, e.g. c-compiler=c-compiler")
        interfaces[virtual] = interface
    found = debian.providers(lines)
    output.write_text(debian.overlay_toml(found, interfaces), encoding="utf-8")
    virtuals = len({p.virtual for p in found})
    lineages = len({(p.virtual, p.lineage) for p in found})
    click.echo(f"{output}: {virtuals} virtual packages, {len(found)} providers, {lineages} lineages")


COMMANDS = [catalogue]
