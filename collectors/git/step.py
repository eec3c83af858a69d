"""The ``git`` step of a refresh: locate (or clone/fetch), mine incrementally, merge identities, read
funding files, for every repository linked to a package or added with ``socle add-repo``.

Each repository is one unit (all or nothing); a repository that cannot be read is recorded with status
``skipped`` or ``error`` and a reason, and the others go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from collectors.errors import TerminalError
from collectors.git import identities, parallel, worker, writer
from collectors.git.settings import GitSettings as GitSettings  # the step's parameters, named from here too
from collectors.git.urls import parse_repo_url
from collectors.git.writer import MineResult
from collectors.paths import cache_dir
from collectors.store import WriteSession
from collectors.store import git as store


class GitStepOptions(Protocol):
    """What the step reads from the refresh options."""

    @property
    def db_path(self) -> Path: ...
    @property
    def mirror_dir(self) -> Path | None: ...
    @property
    def at(self) -> str | None: ...


def run(session: WriteSession, options: GitStepOptions) -> None:
    """Refresh step entry point (``Step("git", collectors.git.step.run)``)."""
    mine_all(session, options, GitSettings())


def mine_all(session: WriteSession, options: GitStepOptions, settings: GitSettings) -> list[MineResult]:
    conn = session.conn
    links = []
    for purl, url, directory in store.package_repository_urls(conn):
        try:
            links.append((purl, parse_repo_url(url).url, directory))
        except TerminalError as exc:  # registry text is data: a bad URL is a documented skip
            session.event("skipped", purl, f"repository URL not followed: {exc}")
    if links:
        store.replace_package_links(conn, links, "package-metadata", session.run_id)
    rules = identities.load_rules(settings.data_dir, settings.aliases)
    urls = [u for u in store.known_repositories(conn) if settings.only is None or u in settings.only]
    tasks = _tasks(session, urls, options, settings)
    mined: Iterable[worker.MinedRepository]
    if settings.cluster is not None:
        mined = parallel.mine_on_cluster(tasks, settings.cluster)
    elif settings.workers > 1 and len(tasks) > 1:
        mined = parallel.mine_in_pool(tasks, settings.workers)
    else:
        # in this process: what a large batch is written with is imported while git works
        mined = (worker.mine_repository(task, meanwhile=store.warm_up) for task in tasks)
    # unreachable ones are recorded below in one statement: hundreds when a forge is down
    results, unreachable = writer.apply_all(session, mined, settings, rules)
    if unreachable:
        with session.transaction():
            store.record_unreachable(
                conn, [(r.url, r.status, r.message) for r in unreachable], session.run_id
            )
            for severity, status in (("error", "error"), ("skipped", "skipped")):
                session.events(severity, [(r.url, r.message) for r in unreachable if r.status == status])
    results += unreachable
    for result in results:
        session.count(f"repositories_{result.status}")
        session.count("commits_mined", result.new_commits)
        if result.status != "ok" and result not in unreachable:
            session.event("error" if result.status == "error" else "skipped", result.url, result.message)
    return results


def _tasks(
    session: WriteSession, urls: list[str], options: GitStepOptions, settings: GitSettings
) -> list[worker.MineTask]:
    """One task per repository: what a worker needs to mine it, whichever worker it is."""
    states = store.repository_states(session.conn, urls)
    mined_with = writer.mined_with(settings)
    tasks = []
    for url in urls:
        state = states.get(url)
        tasks.append(
            worker.MineTask(
                url=url,
                # history mined under other parameters (or before they were recorded) is mined again
                last_mined_sha=state.last_mined_sha if state and state.mined_with == mined_with else None,
                at=options.at,
                engine=settings.engine,
                rename_limit=settings.rename_limit,
                network=settings.network,
                allowed_hosts=settings.allowed_hosts,
                mirror_dir=options.mirror_dir,
                # a cluster worker clones to its own disk; here and in local workers, the store's clone cache
                clone_dir=None if settings.cluster else cache_dir(options.db_path) / "repos",
            )
        )
    return tasks
