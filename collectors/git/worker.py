"""Mining one repository away from the store: the unit of work a process pool or a cluster worker runs.

:func:`mine_repository` takes a :class:`MineTask` (a URL, where to clone, the last mined commit the store
knows) and returns a :class:`MinedRepository`: the new history as plain column lists, the analysed tree's
paths, and the few blobs the writer still reads (``.mailmap``, funding files). It opens no database and
writes nothing but the clone, so a worker that dies mid-repository leaves nothing to undo: the repository is
simply mined again elsewhere. The one process that holds the store applies the results
(:mod:`collectors.git.writer`); mining in that process is this same function, called there.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

import pygit2

from collectors.errors import SocleError, TerminalError, TransientError
from collectors.gcpause import gc_paused
from collectors.git import funding, mining, repos

#: Blobs of the analysed commit that the writer reads (identity mapping and funding files).
WANTED_BLOBS = tuple(
    dict.fromkeys(
        (".mailmap", *funding.FUNDING_YML_PATHS, funding.FUNDING_JSON_PATH, funding.DRIPS_JSON_PATH)
    )
)

#: Where a cluster worker keeps its clones when the task names no folder (``$SOCLE_CLONE_DIR``).
CLONE_DIR_ENV = "SOCLE_CLONE_DIR"


@dataclass(frozen=True)
class MineTask:
    """Everything a worker needs to mine one repository; picklable, no connection, no secret."""

    url: str
    last_mined_sha: str | None  # what the store already holds: mine only what came after
    at: str | None = None
    engine: str = "auto"
    rename_limit: int = mining.RENAME_LIMIT
    network: bool = True
    allowed_hosts: tuple[str, ...] = ()
    mirror_dir: Path | None = None
    clone_dir: Path | None = None  # None: the worker's own (``$SOCLE_CLONE_DIR`` or ~/.cache/socle/repos)


@dataclass(frozen=True)
class HistoryColumns:
    """New commits and their file changes as columns (the store's ``commits`` and ``commit_files``): the
    lists of :class:`collectors.git.records.HistoryColumns`, in a frozen value that compares by content."""

    sha: list[str] = field(default_factory=list)
    author_name: list[str] = field(default_factory=list)
    author_email: list[str] = field(default_factory=list)
    authored_at: list[int] = field(default_factory=list)
    committed_at: list[int] = field(default_factory=list)
    co_authors: list[list[str] | None] = field(default_factory=list)
    file_sha: list[str] = field(default_factory=list)
    file_status: list[str] = field(default_factory=list)
    file_path: list[str] = field(default_factory=list)
    file_old_path: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class MinedRepository:
    """One repository's outcome. ``located`` False: no local copy could be had (recorded as unreachable)."""

    url: str
    status: str  # ok | skipped | error
    message: str
    located: bool = True
    host: str | None = None
    local_path: str | None = None
    head_sha: str | None = None
    engine: str | None = None
    full: bool = False  # the store's history for this URL must be replaced, not extended
    unchanged: bool = False  # the analysed commit is the last mined one: nothing new
    chosen: str = ""  # with --at: which commit was analysed, as the message says it
    mailmap_id: str | None = None  # the .mailmap blob's id (part of the derived tables' key)
    history: HistoryColumns = field(default_factory=HistoryColumns)
    files: tuple[str, ...] = ()
    blobs: tuple[tuple[str, bytes], ...] = ()
    worker: str = ""  # who mined it: host:pid, or the cluster worker's address

    def blob(self, path: str) -> bytes | None:
        return next((content for where, content in self.blobs if where == path), None)


_COLUMNS = tuple(f.name for f in fields(HistoryColumns))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def default_clone_dir() -> Path:
    env = os.environ.get(CLONE_DIR_ENV)
    return Path(env) if env else Path.home() / ".cache" / "socle" / "repos"


def locate(task: MineTask) -> tuple[repos.Location, Path] | MinedRepository:
    """The repository's local copy (cloned or fetched if allowed), or why there is none (skipped: terminal;
    error: worth retrying)."""
    try:
        location = repos.locate(
            task.url, mirror_dir=task.mirror_dir, cache=task.clone_dir or default_clone_dir()
        )
        path = location.path
        if location.origin == "cache" and location.target is not None:
            if task.network:
                path = repos.clone_or_fetch(task.url, location.target, allowed_hosts=task.allowed_hosts)
            elif path is None:
                raise TerminalError("not in the mirror folder, and cloning is off (--offline)")
        if path is None:
            raise TerminalError("no local copy")
    except (TerminalError, TransientError) as exc:
        status = "error" if isinstance(exc, TransientError) else "skipped"
        return MinedRepository(task.url, status, str(exc), located=False, worker=worker_name())
    return location, path


@gc_paused
def mine_repository(task: MineTask, meanwhile: Callable[[], None] | None = None) -> MinedRepository:
    """Locate and mine one repository; every failure becomes a result with a reason. ``meanwhile`` runs
    while git reads a full history (the writer's process warms up what it will write with)."""
    found = locate(task)
    if isinstance(found, MinedRepository):
        return found
    location, path = found
    try:
        return _mine_at(task, location, path, meanwhile)
    except (SocleError, pygit2.GitError) as exc:
        return MinedRepository(
            task.url, "error", str(exc), host=location.host, local_path=str(path), worker=worker_name()
        )


def _mine_at(
    task: MineTask, location: repos.Location, path: Path, meanwhile: Callable[[], None] | None
) -> MinedRepository:
    repo = mining.open_repository(path)
    commit = mining.resolve_revision(repo, task.at)
    head = str(commit.id)
    last = task.last_mined_sha
    history = HistoryColumns()
    engine: str | None = None
    full = False
    if last != head:
        stop = last if last and mining.is_ancestor(repo, last, head) else None
        full = stop is None  # first mining, rewritten history, or an older --at
        engine, columns = mining.mine(
            repo, head, stop, task.engine, task.rename_limit, meanwhile=meanwhile if full else None
        )
        history = HistoryColumns(**{name: getattr(columns, name) for name in _COLUMNS})
    blobs = tuple(
        (where, content) for where in WANTED_BLOBS if (content := mining.read_blob(commit, where)) is not None
    )
    return MinedRepository(
        url=location.url,
        status="ok",
        message=f"{len(history.sha)} new commits",
        host=location.host,
        local_path=str(path),
        head_sha=head,
        engine=engine,
        full=full,
        unchanged=last == head,
        chosen=f"; {mining.describe_revision(commit, task.at)}" if task.at else "",
        mailmap_id=mining.blob_id(commit, ".mailmap"),
        history=history,
        files=tuple(mining.tree_paths(commit)),
        blobs=blobs,
        worker=worker_name(),
    )
