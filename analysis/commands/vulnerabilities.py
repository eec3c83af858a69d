"""``socle vulnerabilities import``: known vulnerabilities from scanners' reports and an offline OSV folder;
and the vulnerability lines of ``socle status``."""

from __future__ import annotations

import mmap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click
import duckdb

from analysis.commands.common import EXIT_FATAL, EXIT_OK, EXIT_PARTIAL, StatusSection, db_option, resolve_db
from analysis.queries import signals as signal_queries
from analysis.signals import step as signals_step
from collectors.store import WriteSession, utcnow, write_scores, write_session
from collectors.vulnerabilities.collect import import_files, import_folder


@dataclass(frozen=True)
class _Clock:
    now: datetime


def rescore(session: WriteSession) -> None:
    """Recompute the signal scores and risk after new vulnerability data, in the same run."""
    from analysis.budget import step as budget_step

    clock = _Clock(utcnow())
    scores = signals_step.package_scores(session.conn, clock.now)
    write_scores(session, [s.row("package", purl) for purl, found in scores.items() for s in found])
    budget_step.run_risk(session, clock)


def mentions_vulnerabilities(path: Path) -> bool:
    """Whether a JSON file has a ``"vulnerabilities"`` key or SPDX security references somewhere: a cheap look
    before reading it whole."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(b'"vulnerabilities"') >= 0 or data.find(b'"SECURITY"') >= 0
    except (OSError, ValueError):
        return False


def import_from_sboms(session: WriteSession, files: Sequence[Path]) -> int:
    """The ``vulnerabilities`` section of imported CycloneDX SBOMs (what Trivy or Grype wrote in them) and the
    security references of SPDX documents."""
    found = [f for f in files if f.suffix == ".json" and mentions_vulnerabilities(f)]
    return import_files(session, found) if found else 0


@click.group("vulnerabilities")
def vulnerabilities() -> None:
    """Known vulnerabilities of the versions in use.

    \b
    Example:
        socle vulnerabilities import trivy.cdx.json osv-scanner.json
        socle vulnerabilities import --osv-dir /srv/osv
    """


@vulnerabilities.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--osv-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A folder of OSV records (ECOSYSTEM/all.zip exports or *.json), matched against the versions in use.",
)
@db_option
@click.pass_context
def import_(ctx: click.Context, paths: tuple[Path, ...], osv_dir: Path | None, db_path: Path | None) -> None:
    """Import known vulnerabilities and recompute the vulnerability, lifecycle and risk scores.

    PATHs are CycloneDX SBOMs or VEX documents with a 'vulnerabilities' section (analysis states such as
    not_affected are honoured) or OSV-Scanner JSON output. Exit code 0: all read; 1: some files failed.

    \b
    Example:
        socle vulnerabilities import trivy.cdx.json
        socle vulnerabilities import --osv-dir /srv/osv
    """
    if not paths and osv_dir is None:
        raise click.UsageError("give report files, --osv-dir, or both")
    db = resolve_db(db_path)
    with write_session(
        db, "vulnerabilities", {"paths": [str(p) for p in paths], "osv_dir": str(osv_dir)}
    ) as s:
        stored = import_files(s, list(paths))
        if osv_dir is not None:
            stored += import_folder(s, osv_dir, signal_queries.versions_in_use(s.conn))
        rescore(s)
        errors = s.errors
    click.echo(f"socle vulnerabilities: {stored} finding(s) stored; {errors} file(s) failed")
    if errors and errors >= len(paths) and osv_dir is None:
        ctx.exit(EXIT_FATAL)
    ctx.exit(EXIT_PARTIAL if errors else EXIT_OK)


def _status(conn: duckdb.DuckDBPyConnection) -> list[str]:
    in_use = signal_queries.versions_in_use(conn)
    total = sum(len(v) for v in in_use.values())
    covered = signal_queries.coverage(conn)
    looked = sum(1 for purl, versions in in_use.items() for v in versions if covered.get((purl, v)))
    sources = sorted({s for found in covered.values() for s in found})
    rows = signal_queries.findings(conn)
    open_ids = {(r.purl, r.version, r.advisory_id) for r in rows if r.state not in signals_step.NOT_EXPOSED}
    refused = Counter(
        (r.source, r.signal) for r in signal_queries.registry_signals(conn) if r.outcome == "not_collected"
    )
    unanswered = (
        ["registry calls that gave nothing (not collected, never 'none'): "
         + ", ".join(f"{source} {signal.replace('_', ' ')} {n}" for (source, signal), n in sorted(refused.items()))]
        if refused else []
    )  # fmt: skip
    if not looked:
        head = (
            f"not collected for any of {total} package versions in use: import a scanner's report "
            "(socle vulnerabilities import) or point $SOCLE_OSV_DIR at OSV records"
        )
    else:
        head = (
            f"{looked} of {total} package versions in use covered (sources: {', '.join(sources)}); "
            f"{len(open_ids)} open finding(s); {total - looked} not collected"
        )
    return [head, *unanswered]


COMMANDS = [vulnerabilities]
STATUS_SECTIONS = [StatusSection("vulnerabilities", _status)]
