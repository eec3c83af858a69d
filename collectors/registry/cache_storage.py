"""hishel's SQLite cache storage, called inline from the event loop.

hishel's asynchronous SQLite storage sends every SQLite call to a worker thread (anysqlite): dozens of
thread hand-offs per request, which made the HTTP cache cost several milliseconds per answer, more than
the parsing. Its synchronous storage does the same work directly; each call takes well under a millisecond
on a local file, so calling it from the event loop is cheaper than any hand-off. Bodies are read whole
anyway (the collectors parse whole JSON documents), so an answer is stored once it has been received.

hishel commits after every statement (four or five per stored answer). Here those commits are grouped:
the connection commits every :data:`COMMIT_EVERY` of hishel's commits or :data:`COMMIT_SECONDS` after the
first uncommitted one, and when the storage closes (the end of a registry step). The same connection
reads what it has not committed yet, so the cache answers exactly as before; a process killed mid-step
loses at most the last group of stored answers, which the next refresh fetches again.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from hishel import AsyncBaseStorage, Entry, Headers, Request, Response, SqliteStorage

#: hishel commits (about four per stored answer) grouped into one SQLite transaction.
COMMIT_EVERY = 256
#: ... or fewer, once the oldest uncommitted write is this old: another process is never kept waiting long.
COMMIT_SECONDS = 1.0


class _GroupedCommits(sqlite3.Connection):
    """A connection whose ``commit()`` commits only every ``COMMIT_EVERY`` calls or ``COMMIT_SECONDS``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending = 0
        self._since = 0.0

    def commit(self) -> None:
        if not self.in_transaction:
            return
        now = time.monotonic()
        if self._pending == 0:
            self._since = now
        self._pending += 1
        if self._pending >= COMMIT_EVERY or now - self._since >= COMMIT_SECONDS:
            self.flush()

    def flush(self) -> None:
        self._pending = 0
        super().commit()

    def close(self) -> None:
        # sqlite3 does not commit on close: what was stored since the last group would be lost.
        if self.in_transaction:
            self.flush()
        super().close()


async def _aiter(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


class InlineSqliteStorage(AsyncBaseStorage):
    """An ``AsyncBaseStorage`` over hishel's ``SqliteStorage``; answers over ``max_body`` pass uncached."""

    def __init__(self, database_path: Path, *, max_body: int) -> None:
        super().__init__()
        # Python's default isolation opens a transaction before the first write and keeps it until
        # commit(): that is what lets _GroupedCommits group them (hishel's own connection autocommits).
        connection = sqlite3.connect(str(database_path), check_same_thread=False, factory=_GroupedCommits)
        self._sync = SqliteStorage(connection=connection, database_path=database_path)
        self._max_body = max_body

    async def create_entry(
        self,
        request: Request,
        response: Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> Entry:
        stream = response.stream
        if stream is None or not hasattr(stream, "__aiter__"):
            stream = _aiter(stream or [])
        upstream = stream.__aiter__()
        chunks: list[bytes] = []
        size = 0
        async for chunk in upstream:
            chunks.append(chunk)
            size += len(chunk)
            if size > self._max_body:
                # Too large to keep: hand the whole body through without storing it.
                async def rest() -> AsyncIterator[bytes]:
                    for seen in chunks:
                        yield seen
                    async for more in upstream:
                        yield more

                return Entry(id=uuid.uuid4(), request=request, response=replace(response, stream=rest()))
        entry = self._sync.create_entry(
            request, replace(response, stream=iter(chunks)), key, ttl=ttl, tti=tti
        )
        # The synchronous entry saves its body as it is read: read it now, so the entry is complete.
        body = b"".join(entry.response.stream or [])  # type: ignore[arg-type]
        return replace(entry, response=replace(entry.response, stream=_aiter([body])))

    async def get_entries(self, key: str) -> list[Entry]:
        return [
            replace(entry, response=replace(entry.response, stream=_aiter(entry.response.stream or [])))  # type: ignore[arg-type]
            for entry in self._sync.get_entries(key)
        ]

    async def update_headers(self, id: uuid.UUID, headers: Headers) -> None:
        self._sync.update_headers(id, headers)

    async def remove_entry(self, id: uuid.UUID) -> None:
        self._sync.remove_entry(id)

    async def close(self) -> None:
        self._sync.close()
