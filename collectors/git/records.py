"""What both history engines produce: one record per non-merge commit, its files against its first parent."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileChange:
    status: str  # A M D T R
    path: str
    old_path: str | None = None


@dataclass(frozen=True, slots=True)
class CommitRecord:
    sha: str
    author_name: str
    author_email: str
    authored_at: int  # seconds since the epoch (UTC)
    committed_at: int
    co_authors: tuple[str, ...]
    files: tuple[FileChange, ...]


def text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def file_key(change: FileChange) -> tuple[str, str, str]:
    """Files of a commit in one order whatever the engine."""
    return (change.path, change.status, change.old_path or "")


class HistoryColumns:
    """Commits and their files as column lists, filled while history streams in and written to the store
    in one insert per table (building columns, not row tuples, is what makes the write cheap)."""

    __slots__ = (
        "author_email",
        "author_name",
        "authored_at",
        "co_authors",
        "committed_at",
        "file_old_path",
        "file_path",
        "file_sha",
        "file_status",
        "sha",
    )  # fmt: skip

    def __init__(self) -> None:
        self.sha: list[str] = []
        self.author_name: list[str] = []
        self.author_email: list[str] = []
        self.authored_at: list[int] = []
        self.committed_at: list[int] = []
        self.co_authors: list[list[str] | None] = []
        self.file_sha: list[str] = []
        self.file_status: list[str] = []
        self.file_path: list[str] = []
        self.file_old_path: list[str | None] = []

    def __len__(self) -> int:
        return len(self.sha)

    def add(self, record: CommitRecord) -> None:
        sha = record.sha
        self.sha.append(sha)
        self.author_name.append(record.author_name)
        self.author_email.append(record.author_email)
        self.authored_at.append(record.authored_at)
        self.committed_at.append(record.committed_at)
        self.co_authors.append(list(record.co_authors) if record.co_authors else None)
        for change in record.files:
            self.file_sha.append(sha)
            self.file_status.append(change.status)
            self.file_path.append(change.path)
            self.file_old_path.append(change.old_path)

    def records(self) -> list[CommitRecord]:
        """One record per commit, its files in :func:`file_key` order (for tests and small histories)."""
        files: dict[str, list[FileChange]] = {}
        for sha, status, path, old in zip(
            self.file_sha, self.file_status, self.file_path, self.file_old_path, strict=True
        ):
            files.setdefault(sha, []).append(FileChange(status, path, old))
        return [
            CommitRecord(
                sha=sha, author_name=name, author_email=email, authored_at=at, committed_at=ct,
                co_authors=tuple(co or ()), files=tuple(sorted(files.get(sha, ()), key=file_key)),
            )
            for sha, name, email, at, ct, co in zip(
                self.sha, self.author_name, self.author_email, self.authored_at, self.committed_at,
                self.co_authors, strict=True,
            )
        ]  # fmt: skip

    def rows(self) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        """Sorted commit rows and file rows: the same history gives the same rows whatever the engine."""
        commits = sorted(
            zip(self.sha, self.author_name, self.author_email, self.authored_at, self.committed_at,
                [tuple(c or ()) for c in self.co_authors], strict=True)
        )  # fmt: skip
        files = sorted(
            zip(self.file_sha, self.file_status, self.file_path,
                [o or "" for o in self.file_old_path], strict=True)
        )  # fmt: skip
        return list(commits), list(files)
