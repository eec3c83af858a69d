"""Where a repository's bare clone is: a user-given local path, a mirror folder, or socle's own clone cache.

Mirror folder (``--mirror-dir DIR``), for organisations with internal mirrors and machines without forge
access: ``DIR/OWNER+NAME`` (a bare repository, or a folder holding one as ``repo`` or ``OWNER+NAME.git``), or
a mapping file ``DIR/mirrors.toml`` with ``"https://host/owner/name" = "/path/to/bare.git"`` lines.
Otherwise socle keeps bare clones in ``cache_dir(db)/repos/HOST/OWNER/NAME.git`` and fetches into them.
"""

from __future__ import annotations

import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pygit2

from collectors.errors import TerminalError, TransientError
from collectors.git.git_engine import git_environment
from collectors.git.mining import git_executable
from collectors.git.urls import RepoUrl, check_repo_url, parse_repo_url

LOCAL_PREFIX = "local:"
MIRROR_MAP = "mirrors.toml"


@dataclass(frozen=True)
class Location:
    url: str  # the store key
    host: str | None
    path: Path | None  # None: needs a clone
    origin: str  # local | mirror | cache
    target: Path | None = None  # where socle's own clone goes (origin cache)


def local_url(path: Path) -> str:
    return LOCAL_PREFIX + str(path.resolve())


def _bare_candidates(base: Path) -> list[Path]:
    return [base, base / "repo", base.with_name(base.name + ".git"), base / ".git"]


def _is_repository(path: Path) -> bool:
    return path.is_dir() and (path / "HEAD").is_file() and (path / "objects").is_dir()


def find_in_mirror(mirror_dir: Path, repo: RepoUrl) -> Path | None:
    mapping = mirror_dir / MIRROR_MAP
    if mapping.is_file():
        entries = tomllib.loads(mapping.read_text(encoding="utf-8"))
        target = entries.get(repo.url)
        if isinstance(target, str):
            path = Path(target)
            path = path if path.is_absolute() else mirror_dir / path
            for candidate in _bare_candidates(path):
                if _is_repository(candidate):
                    return candidate
    for candidate in _bare_candidates(mirror_dir / repo.mirror_name):
        if _is_repository(candidate):
            return candidate
    return None


def locate(url: str, *, mirror_dir: Path | None, cache: Path) -> Location:
    """Where to read ``url`` from, without network. Raises :class:`TerminalError` for refused URLs."""
    if url.startswith(LOCAL_PREFIX):
        path = Path(url[len(LOCAL_PREFIX) :])
        for candidate in _bare_candidates(path):
            if _is_repository(candidate):
                return Location(url, None, candidate, "local")
        raise TerminalError(f"{path}: not a git repository")
    repo = parse_repo_url(url)
    if mirror_dir is not None:
        found = find_in_mirror(mirror_dir, repo)
        if found is not None:
            return Location(repo.url, repo.host, found, "mirror")
    clone = cache / repo.host / repo.owner / (repo.name + ".git")
    return Location(repo.url, repo.host, clone if _is_repository(clone) else None, "cache", clone)


def clone_or_fetch(url: str, target: Path, *, allowed_hosts: tuple[str, ...] = ()) -> Path:
    """A bare mirror-style clone of a checked https URL into ``target``, or a fetch if it exists."""
    repo_url = check_repo_url(url, allowed_hosts=allowed_hosts)
    return sync_bare(repo_url.url, target)


def sync_bare(source: str, target: Path) -> Path:
    """Clone ``source`` bare into ``target`` (or fetch every branch and tag into it) and point HEAD at the
    remote's default branch. ``source`` must already have been checked by the caller."""
    try:
        if _is_repository(target):
            repo = pygit2.Repository(str(target))
            remote = repo.remotes["origin"]
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            repo = pygit2.init_repository(str(target), bare=True)
            remote = repo.remotes.create("origin", source, "+refs/heads/*:refs/heads/*")
            repo.remotes.add_fetch("origin", "+refs/tags/*:refs/tags/*")
        received = remote.fetch(prune=pygit2.enums.FetchPrune.PRUNE).received_objects
        for head in remote.list_heads():
            if head.name == "HEAD" and head.symref_target:
                repo.set_head(head.symref_target)
                break
    except (pygit2.GitError, KeyError, OSError) as exc:
        raise TransientError(f"{source}: clone or fetch failed ({exc})") from exc
    if received or not has_commit_graph(target):  # a fetch that brought nothing leaves it as it was
        write_commit_graph(target)
    return target


def has_commit_graph(clone: Path) -> bool:
    info = clone / "objects" / "info"
    return (info / "commit-graphs" / "commit-graph-chain").is_file() or (info / "commit-graph").is_file()


#: How long writing a commit-graph may take (a first one of a 100,000-commit history takes about 1.5 s).
COMMIT_GRAPH_SECONDS = 300


def write_commit_graph(clone: Path) -> bool:
    """Bring the commit-graph file of one of socle's own clones up to date, as git's gc and ``git fetch``
    with ``fetch.writeCommitGraph`` do (libgit2, which fetches, writes none). With it, git walks a history
    without reading each commit: the oldest-first ``git log`` of a full mining starts at once instead of
    after a walk of the whole history (0.6 s less of git's CPU on git/git), and every later walk is
    cheaper. ``--split``: a fetch adds a small layer for its new commits, merged into the others as they
    grow (the first write takes about 1 s on git/git; one with nothing new 10 ms, skipped after a fetch
    that received nothing). Written into socle's own clones only, never into a repository it was given (a
    local path, a mirror). Returns whether it was written; without git, or if git fails, mining is only
    slower."""
    exe = git_executable()
    if exe is None:
        return False
    argv = [exe, f"--git-dir={clone}", "commit-graph", "write", "--reachable", "--split", "--no-progress"]
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, env=git_environment(),
            timeout=COMMIT_GRAPH_SECONDS, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
