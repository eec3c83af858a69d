"""``socle refresh``: collect registry metadata (and, once wired, git history and scores) for the store."""

from __future__ import annotations

import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import click
import duckdb

from analysis.commands.common import EXIT_OK, EXIT_PARTIAL, StatusSection, db_option, resolve_db
from analysis.commands.repos import cluster_option, workers_option
from analysis.pipeline import STEP_NAMES, STEPS, RefreshOptions, run_refresh
from analysis.queries import registry as registry_queries
from collectors.base import Failed, Outcome
from collectors.http import MAX_CONCURRENCY
from collectors.store import utcnow

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """``30m``, ``24h``, ``7d``, ``0s``: a number and one unit."""
    found = _DURATION.match(text.strip())
    if not found:
        raise click.BadParameter(f"{text!r} is not a duration such as 30m, 24h or 7d")
    return timedelta(**{_UNITS[found.group(2)]: float(found.group(1))})


#: ecosystem -> the variable naming its registry's base URL (a Nexus/Artifactory mirror or a test registry).
REGISTRY_URL_VARIABLES = {
    "pypi": "SOCLE_PYPI_URL",
    "npm": "SOCLE_NPM_URL",
    "maven": "SOCLE_MAVEN_URL",
    "golang": "SOCLE_GOPROXY_URL",
    "cargo": "SOCLE_CRATES_INDEX_URL",
    "deb": "SOCLE_DEBIAN_URL",
}


def _registry_mirrors() -> dict[str, str]:
    """Registry base URLs from ``$SOCLE_PYPI_URL``, ``$SOCLE_MAVEN_URL``, ... (unset: the public registry)."""
    urls = {ecosystem: os.environ.get(variable, "") for ecosystem, variable in REGISTRY_URL_VARIABLES.items()}
    return {ecosystem: url for ecosystem, url in urls.items() if url}


class _PlainProgress:
    """Cron-friendly: one line per failure, nothing per success."""

    def start(self, step: str, total: int) -> None:
        return  # cron mail stays short: failures and the summary only

    def advance(self, step: str, outcome: Outcome) -> None:
        if isinstance(outcome, Failed):
            click.echo(f"socle refresh: {step}: error: {outcome.purl}: {outcome.reason}", err=True)


class _BarProgress:
    """A rich progress bar per step on an interactive terminal."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=False)
        self.tasks: dict[str, object] = {}
        self.failures: list[str] = []

    def start(self, step: str, total: int) -> None:
        if not self.tasks:
            self.bar.start()
        self.tasks[step] = self.bar.add_task(step, total=total)

    def advance(self, step: str, outcome: Outcome) -> None:
        self.bar.advance(self.tasks[step])  # type: ignore[arg-type]
        if isinstance(outcome, Failed):
            self.failures.append(f"{outcome.purl}: {outcome.reason}")

    def stop(self) -> None:
        if self.tasks:
            self.bar.stop()
        for failure in self.failures:
            click.echo(f"error: {failure}", err=True)


@click.command()
@db_option
@click.option(
    "--only",
    help=f"Comma-separated steps to run ({', '.join(s.name for s in STEPS)}, or scores); default: all.",
)
@click.option(
    "--max-age",
    default="24h",
    show_default=True,
    help="Skip packages collected successfully more recently than this (0s: collect everything).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, MAX_CONCURRENCY),
    default=10,
    show_default=True,
    help="Requests in flight per registry host.",
)
@click.option(
    "--target-python", default=None, help="Python version for transitive completion (default: this one)."
)
@click.option("--deadline", default="30m", show_default=True, help="Give up network work after this long.")
@click.option(
    "--mirror-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Existing bare repositories (DIR/OWNER+NAME or DIR/mirrors.toml) to read instead of cloning.",
)
@click.option(
    "--no-clone", is_flag=True, help="Never clone or fetch: read repositories from --mirror-dir only."
)
@click.option(
    "--catalogue",
    "catalogues",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="An overlay catalogue file or folder added to the shipped one (repeatable; also $SOCLE_CATALOGUE).",
)
@click.option("--at", default=None, help="Analyse repositories as of this commit or date (YYYY-MM-DD).")
@workers_option
@cluster_option
@click.pass_context
def refresh(
    ctx: click.Context,
    db_path: Path | None,
    only: str | None,
    max_age: str,
    concurrency: int,
    target_python: str | None,
    deadline: str,
    mirror_dir: Path | None,
    no_clone: bool,
    catalogues: tuple[Path, ...],
    at: str | None,
    workers: int,
    cluster: str | None,
) -> None:
    """Collect registry metadata and git history for every package of every application, then score.

    Steps, in order: pypi, npm, maven, golang, cargo, deb, completion (transitive dependencies of applications that list only direct
    ones), git (clone or fetch, mine incrementally), maintainers, standards, criticality, risk. --only picks
    steps (`scores` = every scoring step, from the store, without the network). Incremental: packages
    collected within --max-age are skipped, the rest are fetched through an HTTP cache beside the store. Exit code 0 when everything was collected, 1 when some packages failed (or
    another import or refresh holds the store), 2 on a fatal error.

    \b
    Example:
        socle refresh --db data/socle.duckdb --only pypi,npm --max-age 24h
        socle refresh --cluster tcp://scheduler.internal:8786
    """
    selected = frozenset(p.strip() for p in only.split(",") if p.strip()) if only else None
    if selected is not None and (unknown := selected - STEP_NAMES):
        raise click.BadParameter(f"unknown step(s): {', '.join(sorted(unknown))}", param_hint="--only")
    interactive = sys.stderr.isatty()
    progress = _BarProgress() if interactive else _PlainProgress()
    options = RefreshOptions(
        db_path=resolve_db(db_path),
        only=selected,
        max_age=parse_duration(max_age),
        concurrency=concurrency,
        now=utcnow(),
        target_python=target_python,
        deadline=parse_duration(deadline),
        registry_urls=_registry_mirrors(),
        mirror_dir=mirror_dir,
        clone=not no_clone,
        catalogue_overlays=catalogues,
        at=at,
        mine_workers=workers,
        cluster=cluster,
        progress=progress,
    )
    try:
        session = run_refresh(options)
    finally:
        if isinstance(progress, _BarProgress):
            progress.stop()
    counts = ", ".join(f"{k}={v}" for k, v in sorted(session.counts.items()) if v)
    click.echo(
        f"socle refresh: run #{session.run_id} {session.status}: {counts or 'nothing to do'}; errors={session.errors}"
    )
    for reason in session.shortfalls:
        click.echo(f"socle refresh: {reason}", err=True)
    # partial (some packages failed, or a step that was asked for achieved nothing) is exit 1: see
    # docs/operations.md.
    ctx.exit(EXIT_OK if session.status == "ok" else EXIT_PARTIAL)


def _registry_status(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = registry_queries.registry_coverage(conn)
    if not any(r.with_metadata for r in rows):
        return ["none yet: socle refresh"]
    return [
        f"{r.ecosystem:<6} {r.packages:>5} packages: {r.with_metadata} with metadata, "
        f"{r.with_repository} with a repository URL, {r.with_funding} with funding links"
        + (f", {r.failed} failed" if r.failed else "")
        for r in rows
    ]


COMMANDS = [refresh]
STATUS_SECTIONS = [StatusSection("registry metadata", _registry_status)]
