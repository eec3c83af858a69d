"""``socle add-repo`` (a repository no package points to) and ``socle mine`` (the git part of a refresh:
mine every known repository, then compute the maintainer scores)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import duckdb

from analysis.commands.common import EXIT_OK, EXIT_PARTIAL, StatusSection, db_option, resolve_db
from analysis.maintainers.scores import MaintainerParams
from analysis.maintainers.step import score_all
from analysis.queries import git as git_queries
from collectors.errors import InputError, TerminalError
from collectors.git import identities, repos
from collectors.git.parallel import default_workers
from collectors.git.step import GitSettings, mine_all
from collectors.git.urls import parse_repo_url
from collectors.git.writer import MineResult
from collectors.store import DOMAINS, utcnow, write_session
from collectors.store import git as store


@dataclass(frozen=True)
class MineOptions:
    """The refresh options the git and maintainers steps read."""

    db_path: Path
    mirror_dir: Path | None
    at: str | None
    now: datetime


#: More repositories than this with the same outcome and message are printed as one line (``--each``: all).
GROUP_OVER = 5


@click.command("add-repo")
@click.argument("target")
@click.option(
    "--package", "purls", multiple=True, help="Link the repository to this package purl (repeatable)."
)
@db_option
def add_repo(target: str, purls: tuple[str, ...], db_path: Path | None) -> None:
    """Add a repository (an https URL, or a local path to a git repository) to mine.

    \b
    Example:
        socle add-repo https://github.com/pallets/flask --package pkg:pypi/flask
        socle add-repo /srv/mirrors/internal-tool.git
    """
    db = resolve_db(db_path)
    if "://" in target or target.startswith("git+"):
        try:
            repo = parse_repo_url(target)
        except TerminalError as exc:
            raise InputError(target, str(exc)) from exc
        url, host = repo.url, repo.host
    else:
        path = Path(target)
        if not path.exists():
            raise InputError(target, "no such repository path (URLs must start with https://)")
        url, host = repos.local_url(path), None
    with write_session(db, "add-repo", {"target": target}, domains=DOMAINS) as session:
        new = store.add_repository(session.conn, url, host, session.run_id, purls)
    click.echo(f"{'added' if new else 'already known'}: {url}")


def workers_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--workers N``: repositories mined at once in local processes (default: one per core)."""
    return click.option(
        "--workers",
        type=click.IntRange(1, 256),
        default=default_workers,
        show_default="one per core",
        help="Repositories mined at once, each in its own process (1: one after another).",
    )(function)


def cluster_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--cluster tcp://HOST:PORT``: mine on a Dask cluster instead of local processes."""
    return click.option(
        "--cluster",
        default=None,
        envvar="SOCLE_CLUSTER",
        metavar="tcp://HOST:PORT",
        help="Mine on this Dask scheduler's workers (each clones to its own disk); also $SOCLE_CLUSTER.",
    )(function)


@click.command("mine")
@click.option(
    "--mirror-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of existing bare repositories: DIR/OWNER+NAME or DIR/mirrors.toml.",
)
@click.option("--at", "at", default=None, help="Analyse as of this commit, tag or date (YYYY-MM-DD).")
@click.option(
    "--engine",
    type=click.Choice(["auto", "git", "pygit2"]),
    default="auto",
    show_default=True,
    help="History reader: git log (fast) or pygit2 (no git executable needed).",
)
@click.option("--no-mailmap", is_flag=True, help="Ignore .mailmap (as the 2015 truck-factor study did).")
@click.option(
    "--aliases",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help='TOML file: aliases = [["a@example.org", "b@example.org"], ...] merged as one person.',
)
@click.option("--no-co-authors", is_flag=True, help="Do not credit Co-authored-by trailers.")
@click.option(
    "--variant",
    type=click.Choice(["greedy", "pruned"]),
    default="greedy",
    show_default=True,
    help="Truck factor variant.",
)
@click.option(
    "--rename-history",
    type=click.Choice(["at-rename", "all-names"]),
    default="at-rename",
    show_default=True,
    help="A renamed file's history: moved at the rename, or everything under any former path (the "
    "reference truck-factor tool's).",
)
@click.option(
    "--rename-limit",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="git's rename detection limit (diff.renameLimit); 0 is no limit, as the reference tool ran it.",
)
@click.option("--offline", is_flag=True, help="Never clone or fetch; use only mirrors and existing clones.")
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    help="Internal forge host allowed to resolve to a private address (repeatable).",
)
@click.option("--repo", "only", multiple=True, help="Mine only this repository URL (repeatable).")
@click.option(
    "--each",
    is_flag=True,
    help=f"One line per repository, however many share an outcome (by default more than {GROUP_OVER} "
    "sharing one are one line).",
)
@workers_option
@cluster_option
@db_option
@click.pass_context
def mine(
    ctx: click.Context,
    mirror_dir: Path | None,
    at: str | None,
    engine: str,
    no_mailmap: bool,
    aliases: Path | None,
    no_co_authors: bool,
    variant: str,
    rename_history: str,
    rename_limit: int,
    offline: bool,
    allowed_hosts: tuple[str, ...],
    only: tuple[str, ...],
    each: bool,
    workers: int,
    cluster: str | None,
    db_path: Path | None,
) -> None:
    """Mine the git history of every known repository and compute the maintainer scores.

    Repositories come from package metadata (registry refresh) and `socle add-repo`. Mining is
    incremental: only new commits are read, and a rewritten history is mined again.

    \b
    Example:
        socle add-repo https://github.com/pallets/flask
        socle mine --mirror-dir /srv/mirrors --offline
        socle mine --mirror-dir /srv/mirrors --at 2015-02-28 --no-mailmap --rename-history all-names
        socle mine --workers 8
        socle mine --cluster tcp://scheduler.internal:8786
    """
    db = resolve_db(db_path)
    settings = GitSettings(
        engine=engine,
        use_mailmap=not no_mailmap,
        rename_limit=rename_limit,
        aliases=tuple(identities.load_aliases(aliases)) if aliases else (),
        allowed_hosts=allowed_hosts,
        network=not offline,
        only=frozenset(only) if only else None,
        workers=workers,
        cluster=cluster,
    )
    options = MineOptions(db_path=db, mirror_dir=mirror_dir, at=at, now=utcnow())
    params = {"mirror_dir": str(mirror_dir) if mirror_dir else None, "at": at, "engine": engine,
              "mailmap": not no_mailmap, "variant": variant, "rename_history": rename_history,
              "rename_limit": rename_limit}  # fmt: skip
    with write_session(db, "mine", params, domains=DOMAINS) as session:
        results = mine_all(session, options, settings)
        summary = score_all(
            session,
            options.now,
            at=at,
            params=MaintainerParams(
                truck_factor_variant=variant,
                credit_co_authors=not no_co_authors,
                rename_history=rename_history,
            ),
        )
    for line in result_lines(results, each=each):
        click.echo(line)
    failed = sum(result.status != "ok" for result in results)
    click.echo(f"scored {summary.repositories} repositories, {summary.packages} packages")
    ctx.exit(EXIT_PARTIAL if failed else EXIT_OK)


def result_lines(results: Sequence[MineResult], *, each: bool = False) -> list[str]:
    """What ``socle mine`` prints of its results: a line per repository, except that more than
    :data:`GROUP_OVER` repositories with the same outcome and message (316 skipped the same way when the
    forge is unreachable, 250 with no new commit) are one line saying how many. Skips and errors are each
    still recorded on the run, which the dashboard's Runs page lists."""
    groups: dict[tuple[str, str], list[str]] = {}
    for result in results:
        groups.setdefault((result.status, result.message), []).append(result.url)
    lines = []
    for (status, message), urls in groups.items():
        if each or len(urls) <= GROUP_OVER:
            lines += [f"{status:<8} {url}  {message}" for url in urls]
        else:
            listed = "" if status == "ok" else "; each is listed on the dashboard's Runs page"
            lines.append(f"{status:<8} {len(urls):,} repositories  {message}{listed}")
    return lines


COMMANDS = [add_repo, mine]


def _repositories_status(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = git_queries.repository_status_counts(conn)
    if not rows:
        return ["none yet: socle refresh (or socle add-repo URL|PATH)"]
    return [
        f"{status:<8} {repos:>5} repositories, {commits} commits stored" for status, repos, commits in rows
    ]


STATUS_SECTIONS = [StatusSection("repositories", _repositories_status)]
