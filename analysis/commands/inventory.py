"""``socle import`` and ``socle status``.

``status`` prints a list of sections. Any command module may add its own by exposing
``STATUS_SECTIONS = [StatusSection(...)]``; ``status`` shows the sections of every module in
``analysis.commands.COMMAND_MODULES``, in that order, after the inventory's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import click
import duckdb

from analysis.commands.common import (
    EXIT_FATAL,
    EXIT_OK,
    EXIT_PARTIAL,
    StatusSection,
    db_option,
    resolve_db,
)
from analysis.queries import inventory as inventory_queries
from analysis.queries import runs as run_queries
from collectors.errors import InputError
from collectors.inventory.read import default_app_name, inputs_of, merge, read_file
from collectors.store import WriteSession, migration_files, read_connection, write_session
from collectors.store.inventory import replace_application

# ---------------------------------------------------------------------------------------------- import


@dataclass(frozen=True)
class _Target:
    """One application to import: from a directory, one file, or every PATH when --app is given."""

    label: str  # the PATH(s) as the user gave them
    app: str | None  # the name to use; None: the name declared in the file, else derived from the path
    paths: tuple[Path, ...]


def _targets(paths: Sequence[Path], app: str | None) -> list[_Target]:
    if app is not None:
        return [_Target(" ".join(map(str, paths)), app, tuple(paths))]
    return [_Target(str(p), p.resolve().name if p.is_dir() else None, (p,)) for p in paths]


def _import_target(session: WriteSession, target: _Target) -> bool:
    """Import one application; on bad input record the error and leave the stored application as it was."""
    try:
        files = [f for p in target.paths for f in inputs_of(p)]
        inventories = [read_file(f) for f in files]
        inventory = merge(inventories, target.label)
    except InputError as exc:
        session.event("error", exc.source, str(exc))
        click.echo(f"socle: error: {exc}", err=True)
        return False
    name = target.app or inventory.name or default_app_name(target.paths[0])
    for skip in inventory.skips:
        session.event(
            "skipped", inventory.source, f"{skip.where}: {skip.reason}" if skip.where else skip.reason
        )
    result = replace_application(session, name, inventory)
    from analysis.commands.vulnerabilities import import_from_sboms  # the SBOM's own scanner findings

    import_from_sboms(session, files)
    session.count("applications")
    session.count(f"applications_{result.outcome}")
    session.count("components", len(inventory.components))
    session.count("edges", len(inventory.edges))
    skipped = f", {len(inventory.skips)} skipped (see socle status)" if inventory.skips else ""
    click.echo(
        f"{name}: {result.outcome} from {inventory.source} ({inventory.format}): "
        f"{result.direct} direct, {result.transitive} transitive, {result.edges} edges{skipped}"
    )
    return True


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--app", "app", default=None, help="Application name; with several PATHs, merge them into it.")
@db_option
@click.pass_context
def import_(ctx: click.Context, paths: tuple[Path, ...], app: str | None, db_path: Path | None) -> None:
    """Import applications from SBOMs, lockfiles or manifests (format detected from content).

    Each PATH is one application: a file (an SBOM, lockfile or manifest in one of the formats
    docs/inventory.md lists; anything else is refused naming them) or a directory holding them
    (its SBOM, else its best lockfile of each ecosystem; the application is named after the directory).
    Importing the same content again changes nothing; changed content replaces the application's
    packages atomically. Exit code 0: all imported; 1: some failed, the rest imported; 2: none imported.

    \b
    Example:
        socle import data/examples/*
        socle import --app billing requirements.txt
    """
    db = resolve_db(db_path)
    with write_session(db, "import", {"paths": [str(p) for p in paths], "app": app}) as session:
        outcomes = [_import_target(session, target) for target in _targets(paths, app)]
        if not any(outcomes):
            session.status_override = "failed"
            session.message = "no input could be imported"
    if all(outcomes):
        ctx.exit(EXIT_OK)
    ctx.exit(EXIT_PARTIAL if any(outcomes) else EXIT_FATAL)


# ---------------------------------------------------------------------------------------------- status


def _applications(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = inventory_queries.applications(conn)
    if not rows:
        return ["none yet: socle import PATH..."]
    width = max(len(r.name) for r in rows)
    return [
        f"{r.name:<{width}}  {r.direct:>4} direct  {r.transitive:>5} transitive  {r.format:<12} run #{r.run_id}"
        for r in rows
    ]


def _packages(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = inventory_queries.packages_per_ecosystem(conn)
    total = sum(r.packages for r in rows)
    lines = [f"{total} distinct packages in use"]
    lines += [
        f"{r.ecosystem:<8} {r.packages:>5}  ({r.direct} used directly, {r.transitive_only} only transitively)"
        for r in rows
    ]
    return lines


def _runs(conn: duckdb.DuckDBPyConnection) -> list[str]:
    lines = []
    for run in run_queries.recent_runs(conn):
        counts = json.loads(run.counts) if run.counts else {}
        summary = ", ".join(f"{k}={v}" for k, v in counts.items() if v)
        lines.append(
            f"#{run.run_id} {run.kind:<8} {run.status:<8} {run.started_at:%Y-%m-%d %H:%M} "
            f"errors={run.error_count}"
            + (f"  {summary}" if summary else "")
            + (f"  {run.message}" if run.message else "")
        )
        for severity, subject, message in (
            run_queries.run_events(conn, run.run_id)[:5] if run.status != "ok" else []
        ):
            lines.append(
                f"    {severity}: {message if message.startswith(subject) else f'{subject}: {message}'}"
            )
    return lines or ["no runs yet"]


STATUS_SECTIONS = [
    StatusSection("applications", _applications),
    StatusSection("packages per ecosystem", _packages),
]


def schema_line(applied: list[str], shipped: list[str]) -> str:
    """The store's schema version (its newest migration) and what this version of socle would add."""
    if not applied:
        return f"empty (socle {socle_version()} creates {len(shipped)} migrations at the first write)"
    pending = [name for name in shipped if name not in set(applied)]
    line = f"{applied[-1]} ({len(applied)} migrations; socle {socle_version()})"
    if pending:
        line += f"; {len(pending)} newer migration(s) applied by the next write: {', '.join(pending)}"
    return line


def socle_version() -> str:
    try:
        return package_version("socle")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


def _all_sections() -> list[StatusSection]:
    from analysis.commands import COMMAND_MODULES

    sections: list[StatusSection] = []
    for module in COMMAND_MODULES:
        sections.extend(getattr(module, "STATUS_SECTIONS", []))
    return [*sections, StatusSection("last runs", _runs)]


@click.command()
@db_option
def status(db_path: Path | None) -> None:
    """Show applications, packages per ecosystem, direct and transitive counts, and the last runs.

    \b
    Example:
        socle status --db data/socle.duckdb
    """
    db = resolve_db(db_path)
    click.echo(f"store: {db}")
    with read_connection(db) as conn:
        click.echo(
            f"schema: {schema_line(inventory_queries.applied_migrations(conn), [p.stem for p in migration_files()])}"
        )
    for section in _all_sections():
        with read_connection(db) as conn:  # one short-lived connection per section
            lines = section.lines(conn)
        click.echo(f"\n{section.title}:")
        for line in lines:
            click.echo(f"  {line}")


COMMANDS = [import_, status]
