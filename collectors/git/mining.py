"""Reading history: every non-merge commit reachable from a revision, with per-file status against its first
parent (A, M, D, T, and R with rename detection like ``git -M``: 50% similarity).

Two engines give identical records. The git executable (:mod:`collectors.git.git_engine`: two ``git log``
processes reading the history from its two ends, parsed while they run) is about ten times faster than a
libgit2 tree diff per commit (0.4 ms each from Python); pygit2 is the engine that works where no git
executable is installed. Pick with :func:`mine` (``engine="auto"``).
"""

from __future__ import annotations

import codecs
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pygit2
from pygit2.enums import DiffFind, SortMode

from collectors.errors import InputError, TerminalError
from collectors.git import git_engine
from collectors.git.identities import co_authors
from collectors.git.records import CommitRecord, FileChange, HistoryColumns, file_key, text

__all__ = ["CommitRecord", "FileChange", "mine", "mine_pygit2", "resolve_revision"]

RENAME_THRESHOLD = 50  # percent, git's default for -M
#: Rename detection limit (git's ``diff.renameLimit``, ``-l``): 0 is no limit, as the reference truck-factor
#: tool ran it; git's own default is 1,000 files per commit (a commit touching more skips the exhaustive
#: rename search and reports deletions and additions instead).
RENAME_LIMIT = 0
#: libgit2 has no "unlimited": a limit no commit reaches.
_PYGIT2_UNLIMITED = 1 << 30


def git_executable() -> str | None:
    return shutil.which("git")


# ---------------------------------------------------------------------------------------------- revisions


def open_repository(path: Path) -> pygit2.Repository:
    try:
        return pygit2.Repository(str(path))
    except (pygit2.GitError, KeyError) as exc:
        raise TerminalError(f"{path}: not a git repository ({exc})") from exc


def resolve_revision(repo: pygit2.Repository, at: str | None) -> pygit2.Commit:
    """The analysed commit: HEAD, a revision (sha, tag, branch), or a date ``YYYY-MM-DD``: the last commit
    of HEAD's first-parent chain committed on or before the end of that day (UTC).

    The first-parent chain is what the default branch pointed at over time (each merge into it is one step);
    ``git rev-list -1 --before`` would instead pick the newest commit of any merged side branch, which may
    never have been on the default branch at that date."""
    try:
        head = repo.revparse_single("HEAD").peel(pygit2.Commit)
    except (KeyError, pygit2.GitError) as exc:
        raise TerminalError(f"{repo.path}: no HEAD commit ({exc})") from exc
    if not at:
        return head
    try:
        day = datetime.strptime(at, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        day = None
    if day is not None:
        limit = int(day.timestamp()) + 86_399
        commit: pygit2.Commit | None = head
        while commit is not None:
            if commit.commit_time <= limit:
                return commit
            commit = repo[commit.parent_ids[0]].peel(pygit2.Commit) if commit.parent_ids else None
        raise InputError(str(repo.path), f"no commit on or before {at} on the default branch")
    try:
        return repo.revparse_single(at).peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError) as exc:
        raise InputError(str(repo.path), f"unknown revision {at!r}") from exc


def describe_revision(commit: pygit2.Commit, at: str | None) -> str:
    """Which commit ``--at`` chose, for the run's message: ``at 2015-02-28: 1a2b3c4d5e6f (2015-02-27)``."""
    day = datetime.fromtimestamp(commit.commit_time, UTC).strftime("%Y-%m-%d")
    return f"at {at}: {str(commit.id)[:12]} (committed {day})" if at else f"HEAD {str(commit.id)[:12]}"


def is_ancestor(repo: pygit2.Repository, ancestor: str, descendant: str) -> bool:
    if ancestor == descendant:
        return True
    try:
        # the merge base of a commit and one of its ancestors is that ancestor, and only then is it: libgit2
        # finds it in a few ms where descendant_of walked for 30 ms on a repository of 100,000 commits
        return str(repo.merge_base(descendant, ancestor) or "") == ancestor
    except (KeyError, ValueError, pygit2.GitError):
        return False  # the old head is gone: history was rewritten


def tree_paths(commit: pygit2.Commit) -> list[str]:
    """Every blob path of the commit's tree (submodules excluded)."""
    out: list[str] = []
    stack: list[tuple[str, pygit2.Tree]] = [("", commit.tree)]
    while stack:
        prefix, tree = stack.pop()
        for entry in tree:
            name = entry.name or ""
            if entry.type_str == "tree":
                stack.append((prefix + name + "/", entry))  # type: ignore[arg-type]
            elif entry.type_str == "blob":
                out.append(prefix + name)
    out.sort()
    return out


def blob_id(commit: pygit2.Commit, path: str) -> str | None:
    """The blob id of ``path`` in the commit's tree (what changes when its content does), or None."""
    try:
        return str(commit.tree[path].id)
    except KeyError:
        return None


def read_blob(commit: pygit2.Commit, path: str) -> bytes | None:
    try:
        obj = commit.tree[path]
    except KeyError:
        return None
    return obj.data if isinstance(obj, pygit2.Blob) else None


# ---------------------------------------------------------------------------------------------- engines


def mine_pygit2(
    repo: pygit2.Repository, head: str, stop: str | None = None, rename_limit: int = RENAME_LIMIT
) -> Iterator[CommitRecord]:
    """libgit2 tree diffs, one per commit; commits newest first."""
    walker = repo.walk(head, SortMode.TIME)
    if stop:
        walker.hide(stop)
    for commit in walker:
        parents = commit.parent_ids
        if len(parents) > 1:
            continue
        if parents:
            diff = repo[parents[0]].peel(pygit2.Tree).diff_to_tree(commit.tree)
        else:
            diff = commit.tree.diff_to_tree(swap=True)
        diff.find_similar(
            flags=DiffFind.FIND_RENAMES,
            rename_threshold=RENAME_THRESHOLD,
            rename_limit=rename_limit or _PYGIT2_UNLIMITED,
        )
        files = []
        for delta in diff.deltas:
            kind = delta.status_char()
            if kind == "R":
                files.append(FileChange("R", _path(delta.new_file), _path(delta.old_file)))
            elif kind == "D":
                files.append(FileChange("D", _path(delta.old_file)))
            elif kind == "C":
                files.append(FileChange("A", _path(delta.new_file)))
            else:
                files.append(FileChange(kind, _path(delta.new_file)))
        author = commit.author
        encoding = _encoding(commit.message_encoding)
        message = commit.raw_message.decode(encoding, errors="replace")
        yield CommitRecord(
            sha=str(commit.id),
            author_name=author.raw_name.decode(encoding, errors="replace"),
            author_email=author.raw_email.decode(encoding, errors="replace"),
            authored_at=int(author.time),
            committed_at=int(commit.commit_time),
            co_authors=tuple(co_authors(message)),
            files=tuple(sorted(files, key=file_key)),
        )


def _encoding(declared: str | None) -> str:
    """git re-encodes commits that declare an encoding into UTF-8; do the same."""
    if not declared:
        return "utf-8"
    try:
        return codecs.lookup(declared).name
    except LookupError:
        return "utf-8"


def _path(file: pygit2.DiffFile) -> str:
    raw = file.raw_path
    return text(raw) if isinstance(raw, bytes) else str(file.path)


def mine(
    repo: pygit2.Repository,
    head: str,
    stop: str | None = None,
    engine: str = "auto",
    rename_limit: int = RENAME_LIMIT,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[str, HistoryColumns]:
    """Commits reachable from ``head`` and not from ``stop``, as columns. Returns the engine used too.
    ``meanwhile`` runs while git works (with the git engine) or first (pygit2)."""
    if engine not in ("auto", "git", "pygit2"):
        raise ValueError(f"unknown engine {engine!r}")
    exe = git_executable() if engine in ("auto", "git") else None
    if engine == "git" and exe is None:
        raise TerminalError("engine git asked for, but no git executable found")
    if exe is not None:
        path = Path(repo.path)
        return "git", git_engine.mine_git_columns(path, head, stop, exe, rename_limit, meanwhile=meanwhile)
    if meanwhile is not None:
        meanwhile()
    columns = HistoryColumns()
    for record in mine_pygit2(repo, head, stop, rename_limit):
        columns.add(record)
    return "pygit2", columns
