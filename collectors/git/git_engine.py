"""The history engine that runs the git executable: two ``git log --no-merges --name-status -M`` processes
read the history from its two ends at once, one newest commit first and one oldest first (``--reverse``),
while this process parses both outputs as they stream in; where they meet, both stop.

Why: git's tree diff and rename detection are about ten times cheaper than a libgit2 tree diff from Python,
and one ``git log`` uses one core. Two processes reading the same walk from its two ends split the diffs
(nearly all of git's work) between the two cores without a list of commit ids to compute first and hand
over (a ``git rev-list`` feeding two ``git diff-tree --stdin`` processes cost 0.8 s of CPU more on git/git),
and each process diffs one stretch of history, so its caches of trees and deltas stay warm.

Why it is exact: ``--reverse`` outputs the same walk reversed (git's revision.c, ``get_revision``: the
commits the walk would show are listed, then popped from the end), so the two outputs are mirror images of
one sequence s1..sN. Having parsed s1..si from one end and sN..sj from the other, the next commit parsed is
a repeat exactly when the two have met, and that repeat is then the last commit parsed from the other end:
this is checked, and any other repeat is an error, never a silently short or doubled history. The history
is complete when they meet, or when either process reaches its end and exits cleanly. Records come out in
no particular order (the store orders by commit time where order matters). Output is the same as
``git log --no-merges --name-status -M``: it is that command.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from itertools import accumulate
from pathlib import Path
from sys import intern
from typing import IO, Any

from collectors.errors import TerminalError
from collectors.git.identities import co_authors
from collectors.git.records import CommitRecord, HistoryColumns, text

try:  # built at install where a C compiler is found (pyproject.toml); the Python parser otherwise
    from collectors.git import _gitlog
except ImportError:  # pragma: no cover - depends on the install
    _gitlog = None  # type: ignore[assignment]

#: git processes: one from each end of the history keeps both cores of a two-core machine busy
#: (`make bench` measures it); 1 reads it newest first in one process.
ENDS = 2
#: Bytes read from a process's output at a time: what one end may have read beyond the meeting point before
#: it is seen (256 KB: about 350 commits of git/git, 0.03 s of git's work), in few enough pieces that
#: handing them over costs nothing measurable.
CHUNK = 1 << 18

#: Each commit starts with a marker no commit message contains in practice; fields are NUL-separated.
_MARK = b"\x01\x02\x03"
_MARK_TEXT = _MARK.decode()
_FORMAT = "%x01%x02%x03%H%x00%an%x00%ae%x00%at%x00%ct%x00%B%x00"
_ENV_EXTRA = {"GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}


def git_environment() -> dict[str, str]:
    """The environment of every git process socle starts: no system-wide configuration, C locale."""
    return {**os.environ, **_ENV_EXTRA}


def _log_argv(
    exe: str, path: Path, head: str, stop: str | None, rename_limit: int, *, reverse: bool
) -> list[str]:
    return [
        exe, f"--git-dir={path}", "-c", "core.quotePath=false", "-c", f"diff.renameLimit={rename_limit}",
        "-c", "log.showSignature=false", "-c", "log.showRoot=true", "-c", "log.mailmap=false",
        "log", "--no-merges", "-M", "--name-status", "-z", "--no-color", "--no-ext-diff", "--no-textconv",
        "--no-notes", "--encoding=UTF-8", f"--format={_FORMAT}", *(["--reverse"] if reverse else []),
        head, *(["^" + stop] if stop else []), "--",
    ]  # fmt: skip


class _Reader(threading.Thread):
    """Drains one process's output into a shared queue so that git never waits for the parser.

    git flushes its output after every commit (73,000 writes on rails): a reader blocked on the pipe would
    wake up, and take the interpreter's lock from the parser, once per commit. This one reads whatever the
    pipe holds, then sleeps a few milliseconds while git fills it again (the pipe is enlarged to hold much
    more than git writes meanwhile), so it wakes a few hundred times in all. It sleeps only in a long
    output: in a short one a sleep would be the longest part of the mining."""

    def __init__(
        self, index: int, pipe: IO[bytes], out: queue.SimpleQueue[tuple[int, bytes]], chunk: int
    ) -> None:
        super().__init__(daemon=True)
        self.index, self.pipe, self.out, self.chunk = index, pipe, out, chunk
        self.error: OSError | None = None

    def run(self) -> None:
        fd = self.pipe.fileno()
        _enlarge(fd)
        read = 0
        try:
            while data := os.read(fd, self.chunk):
                self.out.put((self.index, data))
                read += len(data)
                if read >= _PAUSE_AFTER and len(data) < self.chunk:
                    time.sleep(_PAUSE)  # the pipe is drained: let git fill it again
        except OSError as exc:  # the output is cut short: the consumer must not take it as complete
            self.error = exc
        finally:
            self.out.put((self.index, b""))


#: How long a reader sleeps once it has drained its pipe: git writes about 10 MB/s, 50 KB in this time.
_PAUSE = 0.005
#: A reader sleeps only once it has read this much: most histories are read whole before (a repository of
#: a few hundred commits writes a few hundred KB), where a sleep would only add its time to each of them.
_PAUSE_AFTER = 1 << 20
#: The pipe size asked for (Linux's F_SETPIPE_SZ; elsewhere, or when refused, the system's 64 KB is kept).
_PIPE_SIZE = 1 << 20


def _enlarge(fd: int) -> None:
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setpipe is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, setpipe, _PIPE_SIZE)


class _Run:
    """The git processes of one mining, their reader threads, and files for their stderr (a pipe nobody
    reads while git writes warnings could fill up and stall git)."""

    def __init__(self, path: Path, argvs: list[list[str]], chunk: int) -> None:
        self.path = path
        env = git_environment()
        # closed in finish(), once git has exited
        self.errors = [tempfile.TemporaryFile() for _ in argvs]  # noqa: SIM115
        self.procs = [
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, env=env)
            for argv, err in zip(argvs, self.errors, strict=True)
        ]
        self.chunks: queue.SimpleQueue[tuple[int, bytes]] = queue.SimpleQueue()
        pipes = [proc.stdout for proc in self.procs if proc.stdout is not None]  # all of them: stdout=PIPE
        self.readers = [_Reader(i, pipe, self.chunks, chunk) for i, pipe in enumerate(pipes)]
        for reader in self.readers:
            reader.start()

    def blocks(self) -> Iterator[tuple[int, bytes, bool]]:
        """(process, a run of complete commits, whether it is that process's last) as output arrives; the
        last block of a process is given only once that process exited cleanly."""
        rest = [b""] * len(self.procs)
        open_streams = len(self.procs)
        while open_streams:
            index, chunk = self.chunks.get()
            if not chunk:
                open_streams -= 1
                self._check(index)
                yield index, rest[index], True
                continue
            data = rest[index] + chunk
            cut = data.rfind(_MARK)
            if cut > 0:
                yield index, data[:cut], False
                rest[index] = data[cut:]
            else:
                rest[index] = data

    def _check(self, index: int) -> None:
        error = self.readers[index].error
        if error is not None:
            raise TerminalError(f"{self.path}: reading git log's output failed ({error})")
        code = self.procs[index].wait()
        if code != 0:
            err = self.errors[index]
            err.seek(0)
            message = text(err.read(4000)).strip()
            raise TerminalError(f"{self.path}: git log failed ({message[:200]})")

    def finish(self) -> None:
        """Stop the processes still running (the two ends met, or the reading failed), then reap them."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
        for proc in self.procs:
            proc.wait()
        for reader in self.readers:
            reader.join()  # a stopped process's pipe is at its end: the reader returns
        for proc in self.procs:
            if proc.stdout is not None:
                proc.stdout.close()
        for err in self.errors:
            err.close()


def parser_name() -> str:
    """Which parser of git's output this install runs: ``compiled`` or ``Python`` (no C extension built)."""
    return "compiled" if _TwoEnds.compiled is not None else "Python"


#: The compiled parser's signature (collectors/git/_gitlog.pyi).
Parser = Callable[[bytes, tuple[list[Any], ...], set[str]], tuple[str | None, list[tuple[int, str]]]]


class _TwoEnds:
    """Parses the commits of both ends into one set of columns until the ends meet (see the module's
    docstring for why the first repeat must be the other end's last commit)."""

    #: The compiled parser, or None where it was not built (no C compiler at install).
    compiled: Parser | None = _gitlog.parse if _gitlog is not None else None

    def __init__(self, path: Path, ends: int) -> None:
        self.path = path
        self.columns = [HistoryColumns() for _ in range(ends)]
        self.file_counts: list[list[int]] = [[] for _ in range(ends)]  # files per commit, in order
        self.seen: set[str] = set()

    def history(self) -> HistoryColumns:
        """The commits in ``git log`` order whichever share each end read: the newest end's commits, then
        the oldest end's reversed (each commit's files kept together, in git's order). The same history
        always gives the same columns."""
        newest = self.columns[0]
        if len(self.columns) == 1:
            return newest
        oldest, counts = self.columns[1], self.file_counts[1]
        for name in ("sha", "author_name", "author_email", "authored_at", "committed_at", "co_authors"):
            getattr(newest, name).extend(reversed(getattr(oldest, name)))
        ends = list(accumulate(counts))
        for name in ("file_sha", "file_status", "file_path", "file_old_path"):
            target, source = getattr(newest, name), getattr(oldest, name)
            for end, count in zip(reversed(ends), reversed(counts), strict=True):
                if count:
                    target.extend(source[end - count : end])
        return newest

    def add(self, end: int, block: bytes) -> bool:
        """Parse a run of complete commits from one end; True once the ends have met. The compiled parser
        (``collectors/git/_gitlog.c``) when it was built, else :meth:`parse_python`: the same columns."""
        try:
            compiled = self.compiled
            repeat = (
                self.parse_python(end, block)
                if compiled is None
                else self.parse_compiled(compiled, end, block)
            )
        except ValueError as exc:
            raise TerminalError(f"{self.path}: unexpected git output ({exc}): history not written") from exc
        if repeat is None:
            return False
        # the first repeat must be the last commit read from the other end (module docstring)
        other_sha = self.columns[1 - end].sha if len(self.columns) == 2 else []
        other = other_sha[-1] if other_sha else None
        if repeat != other:
            raise TerminalError(
                f"{self.path}: the two ends of the history met at {repeat[:12]}, not at the last commit "
                f"read from the other end ({(other or 'none')[:12]}): history not written"
            )
        return True

    def parse_compiled(self, compiled: Parser, end: int, block: bytes) -> str | None:
        """The compiled parser: every commit of the block up to the first repeat, which it returns."""
        out = self.columns[end]
        columns = (
            out.sha, out.author_name, out.author_email, out.authored_at, out.committed_at, out.co_authors,
            out.file_sha, out.file_status, out.file_path, out.file_old_path, self.file_counts[end],
        )  # fmt: skip
        repeat, bodies = compiled(block, columns, self.seen)
        for index, body in bodies:  # the messages holding a co-author trailer: 1 commit in 60
            out.co_authors[index] = co_authors(body) or None
        return repeat

    def parse_python(self, end: int, block: bytes) -> str | None:
        """Every commit of the block up to the first one already seen, which it returns (None: no repeat).

        The block is decoded once (git writes UTF-8 with --encoding=UTF-8; NUL and the marker are ASCII, so
        decoding the whole block gives the same text as decoding each field)."""
        out, seen, counts = self.columns[end], self.seen, self.file_counts[end]
        sha_col, name_col, email_col = out.sha, out.author_name, out.author_email
        at_col, ct_col, co_col = out.authored_at, out.committed_at, out.co_authors
        f_sha, f_status, f_path, f_old = out.file_sha, out.file_status, out.file_path, out.file_old_path
        for piece in block.decode("utf-8", errors="replace").split(_MARK_TEXT):
            if not piece:
                continue
            parts = piece.split("\0")
            if len(parts) < 6:
                raise ValueError(f"a commit of {len(parts)} fields near {piece[:60]!r}")
            sha = parts[0].strip()
            if sha in seen:
                return sha
            seen.add(sha)
            body = parts[5]
            sha_col.append(sha)
            # names, addresses and paths repeat across commits: one string each (a third of the peak memory)
            name_col.append(intern(parts[1]))
            email_col.append(intern(parts[2]))
            at_col.append(int(parts[3]))
            ct_col.append(int(parts[4]))
            # the trailer's key in any case ("Co-Authored-By" too), as co_authors reads it: the check is
            # what co_authors does first, done here so that the call is made for 1 commit in 60
            co_col.append(co_authors(body) or None if "co-authored-by" in body.lower() else None)
            i, n, files_before = 6, len(parts), len(f_sha)
            while i < n:
                status = parts[i]
                i += 1
                if not status or status == "\n":
                    continue
                kind = status.lstrip("\n")[:1]
                width = 2 if kind == "R" or kind == "C" else 1
                if not kind or i + width > n or not parts[i + width - 1]:
                    raise ValueError(f"a file status without its path ({status.strip()!r})")
                if kind == "R":
                    f_old.append(intern(parts[i]))
                    f_path.append(intern(parts[i + 1]))
                    i += 2
                elif kind == "C":  # a copy is an addition of the new path
                    f_old.append(None)
                    f_path.append(intern(parts[i + 1]))
                    kind = "A"
                    i += 2
                else:
                    f_old.append(None)
                    f_path.append(intern(parts[i]))
                    i += 1
                f_sha.append(sha)
                f_status.append(kind)
            counts.append(len(f_sha) - files_before)
        return None


def mine_git_columns(
    path: Path,
    head: str,
    stop: str | None,
    exe: str,
    rename_limit: int,
    ends: int = ENDS,
    meanwhile: Callable[[], None] | None = None,
    chunk: int = CHUNK,
) -> HistoryColumns:
    """Commits reachable from ``head`` and not from ``stop``, parsed straight into columns (no object per
    commit or file). ``meanwhile`` runs once git has started (work that can overlap with git's)."""
    if ends not in (1, 2):
        raise ValueError(f"a history has one or two ends, not {ends}")
    argvs = [_log_argv(exe, path, head, stop, rename_limit, reverse=end == 1) for end in range(ends)]
    run = _Run(path, argvs, max(1, chunk))
    try:
        if meanwhile is not None:
            meanwhile()
        two_ends = _TwoEnds(path, ends)
        for end, block, last in run.blocks():
            if two_ends.add(end, block) or last:
                break  # the ends met, or one end read the whole history and exited cleanly
    finally:
        run.finish()
    return two_ends.history()


def mine_git(
    path: Path, head: str, stop: str | None, exe: str, rename_limit: int, ends: int = ENDS
) -> Iterator[CommitRecord]:
    """The same history as :func:`mine_git_columns`, as one record per commit (in no set order)."""
    return iter(mine_git_columns(path, head, stop, exe, rename_limit, ends).records())
