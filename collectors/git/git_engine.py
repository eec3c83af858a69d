"""The history engine that runs the git executable: ``git rev-list`` lists the commits, and two (or more)
``git diff-tree --stdin`` processes, fed those ids in alternate batches, diff them in parallel while this
process parses their output as it streams in.

Why: git's tree diff and rename detection are about ten times cheaper than a libgit2 tree diff from Python,
and one ``git log --name-status -M`` uses one core. Two diff-tree processes over interleaved batches keep
both cores busy, and parsing overlaps with them; records come out in no particular order (the store orders
by commit time where order matters). Output is the same as ``git log --no-merges --name-status -M``.
"""

from __future__ import annotations

import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from sys import intern
from typing import IO

from collectors.errors import TerminalError
from collectors.git.identities import co_authors
from collectors.git.records import CommitRecord, FileChange, HistoryColumns, file_key, text

#: Commits per batch handed to one diff-tree process; small enough to balance the processes, large enough
#: that the feeder thread wakes up rarely.
BATCH = 256
#: diff-tree processes: two keep both cores of a two-core machine busy (`make bench` measures it).
WORKERS = 2

#: Each commit starts with a marker no commit message contains in practice; fields are NUL-separated.
_MARK = b"\x01\x02\x03"
_MARK_TEXT = _MARK.decode()
_FORMAT = "%x01%x02%x03%H%x00%an%x00%ae%x00%at%x00%ct%x00%B%x00"
_ENV_EXTRA = {"GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}


def _git_args(exe: str, path: Path, rename_limit: int) -> list[str]:
    return [
        exe, f"--git-dir={path}", "-c", "core.quotePath=false", "-c", f"diff.renameLimit={rename_limit}",
        "-c", "log.showSignature=false",
    ]  # fmt: skip


class _Reader(threading.Thread):
    """Drains one process's output into a shared queue so that git never waits for the parser."""

    def __init__(self, index: int, pipe: IO[bytes], out: queue.SimpleQueue[tuple[int, bytes]]) -> None:
        super().__init__(daemon=True)
        self.index, self.pipe, self.out = index, pipe, out

    def run(self) -> None:
        try:
            while chunk := self.pipe.read(1 << 20):
                self.out.put((self.index, chunk))
        finally:
            self.out.put((self.index, b""))


class _Feeder(threading.Thread):
    """Reads commit ids from rev-list and hands them, in batches, to the diff-tree processes in turn."""

    def __init__(self, ids: IO[bytes], sinks: Sequence[IO[bytes]], batch: int) -> None:
        super().__init__(daemon=True)
        self.ids, self.sinks, self.batch = ids, sinks, batch
        self.error: OSError | None = None

    def run(self) -> None:
        turn = 0
        batch: list[bytes] = []
        try:
            for line in self.ids:
                batch.append(line)
                if len(batch) == self.batch:
                    self.sinks[turn].write(b"".join(batch))
                    self.sinks[turn].flush()
                    batch.clear()
                    turn = (turn + 1) % len(self.sinks)
            if batch:
                self.sinks[turn].write(b"".join(batch))
        except OSError as exc:  # a diff-tree process died: its exit code says why
            self.error = exc
        finally:
            for sink in self.sinks:
                try:
                    sink.close()
                except OSError as exc:
                    self.error = self.error or exc


class _Run:
    """The git processes of one mining, their threads, and files for their stderr (a pipe nobody reads
    while git writes warnings could fill up and stall git)."""

    def __init__(
        self, path: Path, head: str, stop: str | None, exe: str, rename_limit: int, workers: int, batch: int
    ) -> None:
        self.path = path
        env = {**os.environ, **_ENV_EXTRA}
        base = _git_args(exe, path, rename_limit)
        revs = [head] + (["^" + stop] if stop else [])
        # closed in _finish, once git has exited
        self.errors = [tempfile.TemporaryFile() for _ in range(workers + 1)]  # noqa: SIM115
        self.lister = subprocess.Popen(
            [*base, "rev-list", "--no-merges", *revs, "--"],
            stdout=subprocess.PIPE, stderr=self.errors[0], env=env,
        )  # fmt: skip
        diff_tree = [
            *base, "diff-tree", "--stdin", "--always", "-r", "-M", "--root", "--name-status", "-z", "--no-color",
            "--no-ext-diff", "--no-textconv", "--encoding=UTF-8", f"--format={_FORMAT}",
        ]  # fmt: skip
        self.differs = [
            subprocess.Popen(diff_tree, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env)
            for err in self.errors[1:]
        ]
        self.chunks: queue.SimpleQueue[tuple[int, bytes]] = queue.SimpleQueue()
        assert self.lister.stdout is not None
        self.feeder = _Feeder(
            self.lister.stdout, [d.stdin for d in self.differs if d.stdin is not None], batch
        )
        self.readers = [_Reader(i, d.stdout, self.chunks) for i, d in enumerate(self.differs) if d.stdout]
        self.feeder.start()
        for reader in self.readers:
            reader.start()

    def blocks(self) -> Iterator[bytes]:
        """Runs of complete commits (each starting with the marker) as they arrive from either process."""
        rest = [b""] * len(self.differs)
        open_streams = len(self.differs)
        complete = False
        try:
            while open_streams:
                index, chunk = self.chunks.get()
                if not chunk:
                    open_streams -= 1
                    if rest[index]:
                        yield rest[index]
                    continue
                data = rest[index] + chunk
                cut = data.rfind(_MARK)
                if cut > 0:
                    yield data[:cut]
                    rest[index] = data[cut:]
                else:
                    rest[index] = data
            complete = True
        finally:
            self._finish(check=complete)

    def _finish(self, *, check: bool) -> None:
        """Wait for every process. When all output was read, a failure of any process is the mining's
        failure (never a silently short history); when the reader stopped early, stop git too."""
        procs = [("rev-list", self.lister), *(("diff-tree", d) for d in self.differs)]
        if not check:
            for _, proc in procs:
                if proc.poll() is None:
                    proc.kill()
        self.feeder.join()
        for reader in self.readers:
            reader.join()
        failures = []
        for (name, proc), err in zip(procs, self.errors, strict=True):
            if proc.stdout is not None:
                proc.stdout.close()
            code = proc.wait()
            err.seek(0)
            message = text(err.read(4000)).strip()
            err.close()
            if code != 0:
                failures.append(f"git {name} failed ({message[:200]})")
        if check and self.feeder.error is not None and not failures:
            failures.append(f"feeding commit ids to git diff-tree failed ({self.feeder.error})")
        if check and failures:
            raise TerminalError(f"{self.path}: {'; '.join(failures)}")


def mine_git(
    path: Path, head: str, stop: str | None, exe: str, rename_limit: int, workers: int = WORKERS
) -> Iterator[CommitRecord]:
    """Start the git processes now and return the parsed commits as they stream in (in no set order)."""
    run = _Run(path, head, stop, exe, rename_limit, max(1, workers), BATCH)
    return (_parse_commit(piece) for block in run.blocks() for piece in block.split(_MARK) if piece)


def mine_git_columns(
    path: Path,
    head: str,
    stop: str | None,
    exe: str,
    rename_limit: int,
    workers: int = WORKERS,
    meanwhile: Callable[[], None] | None = None,
    batch: int = BATCH,
) -> HistoryColumns:
    """The same history as :func:`mine_git`, parsed straight into columns (the fast path: no object per
    commit or file). ``meanwhile`` runs once git has started (work that can overlap with git's)."""
    columns = HistoryColumns()
    run = _Run(path, head, stop, exe, rename_limit, max(1, workers), max(1, batch))
    if meanwhile is not None:
        meanwhile()
    for block in run.blocks():
        _parse_block(block, columns)
    return columns


def _parse_block(block: bytes, out: HistoryColumns) -> None:
    """Parse a run of complete commits into ``out``; the same fields and statuses as :func:`_parse_commit`.

    The block is decoded once (git writes UTF-8 with --encoding=UTF-8; NUL and the marker are ASCII, so
    decoding the whole block gives the same text as decoding each field)."""
    sha_col, name_col, email_col = out.sha, out.author_name, out.author_email
    at_col, ct_col, co_col = out.authored_at, out.committed_at, out.co_authors
    f_sha, f_status, f_path, f_old = out.file_sha, out.file_status, out.file_path, out.file_old_path
    for piece in block.decode("utf-8", errors="replace").split(_MARK_TEXT):
        if not piece:
            continue
        parts = piece.split("\0")
        if len(parts) < 6:
            raise TerminalError(f"unexpected git output near {piece[:60]!r}")
        sha = parts[0].strip()
        body = parts[5]
        sha_col.append(sha)
        # names, addresses and paths repeat across commits: one string each (a third of the peak memory)
        name_col.append(intern(parts[1]))
        email_col.append(intern(parts[2]))
        at_col.append(int(parts[3]))
        ct_col.append(int(parts[4]))
        co_col.append(
            co_authors(body) or None if "o-authored-by" in body or "O-AUTHORED-BY" in body else None
        )
        i, n = 6, len(parts)
        while i < n:
            status = parts[i]
            i += 1
            if not status or status == "\n":
                continue
            kind = status.lstrip("\n")[0]
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


def _parse_commit(piece: bytes) -> CommitRecord:
    parts = piece.split(b"\0")
    if len(parts) < 6:
        raise TerminalError(f"unexpected git output near {piece[:60]!r}")
    sha, name, email, at, ct, body = parts[:6]
    files: list[FileChange] = []
    i, n = 6, len(parts)
    while i < n:
        status = parts[i].lstrip(b"\n")
        i += 1
        if not status:
            continue
        kind = chr(status[0])
        if kind == "R" or kind == "C":
            old, new = text(parts[i]), text(parts[i + 1])
            i += 2
            files.append(FileChange("R", new, old) if kind == "R" else FileChange("A", new))
        else:
            files.append(FileChange(kind, text(parts[i])))
            i += 1
    if len(files) > 1:
        files.sort(key=file_key)
    return CommitRecord(
        sha=sha.decode("ascii").strip(),
        author_name=text(name),
        author_email=text(email),
        authored_at=int(at),
        committed_at=int(ct),
        co_authors=tuple(co_authors(text(body)))
        if b"o-authored-by" in body or b"O-AUTHORED-BY" in body
        else (),
        files=tuple(files),
    )
