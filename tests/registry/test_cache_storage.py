"""The HTTP cache's storage: hishel's SQLite schema, its commits grouped, nothing lost at the end of a step."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx

from collectors.http import HttpSettings, open_fetcher
from collectors.registry import cache_storage

URLS = [f"https://repo.example.org/maven2/g/a{i}/1/a{i}-1.pom" for i in range(300)]


def _refresh(cache_dir: Path, calls: list[str]) -> list[bytes]:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(
            200,
            content=f"<project>{request.url.path}</project>".encode(),
            headers={"Cache-Control": "max-age=600"},
        )

    async def main() -> list[bytes]:
        async with open_fetcher(
            HttpSettings(cache_dir=cache_dir), transport=httpx.MockTransport(handler)
        ) as f:
            return [(await f.get(url)).body for url in URLS]

    return asyncio.run(main())


def test_answers_stored_in_grouped_commits_are_all_served_by_the_next_refresh(tmp_path: Path) -> None:
    calls: list[str] = []
    first = _refresh(tmp_path, calls)
    assert len(calls) == 300
    # Every answer reached the file (the last group committed when the step closed its client).
    with sqlite3.connect(tmp_path / "hishel.sqlite") as other:
        stored = other.execute("SELECT count(*) FROM entries WHERE chunk_count IS NOT NULL").fetchone()[0]
    assert stored == 300
    second = _refresh(tmp_path, calls)
    assert len(calls) == 300  # fresh answers, all from the cache: no request sent
    assert second == first and first[7] == b"<project>/maven2/g/a7/1/a7-1.pom</project>"


def test_commits_are_grouped_until_the_count_or_the_age(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "c.sqlite", factory=cache_storage._GroupedCommits)
    connection.execute("CREATE TABLE t (n INTEGER)")
    reader = sqlite3.connect(tmp_path / "c.sqlite")

    def visible() -> int:
        return int(reader.execute("SELECT count(*) FROM t").fetchone()[0])

    for n in range(cache_storage.COMMIT_EVERY - 1):
        connection.execute("INSERT INTO t VALUES (?)", (n,))
        connection.commit()
    assert visible() == 0  # still one open transaction
    connection.execute("INSERT INTO t VALUES (-1)")
    connection.commit()
    assert visible() == cache_storage.COMMIT_EVERY
    connection.execute("INSERT INTO t VALUES (-2)")
    connection.commit()
    connection.close()  # commits what is left
    assert visible() == cache_storage.COMMIT_EVERY + 1
