"""The client factory: retries, Retry-After, timeouts, size limits, the User-Agent and the RFC 9111 cache."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from collectors.errors import TerminalError, TransientError
from collectors.http import Answer, HttpSettings, _RetryableStatus, open_fetcher, parse_retry_after

URL = "https://pypi.org/pypi/attrs/json"
FAST = {"wait_initial": 0.001, "wait_jitter": 0.0, "wait_max": 0.01}


def fetch(
    handler: object, *, cache_dir: Path | None = None, times: int = 1, **settings: object
) -> list[Answer]:
    async def main() -> list[Answer]:
        config = HttpSettings(cache_dir=cache_dir, **{**FAST, **settings})  # type: ignore[arg-type]
        async with open_fetcher(config, transport=httpx.MockTransport(handler)) as fetcher:  # type: ignore[arg-type]
            return [await fetcher.get(URL) for _ in range(times)]

    return asyncio.run(main())


def test_user_agent_names_socle_and_its_project() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, json={})

    fetch(handler)
    assert seen[0].startswith("socle/") and "(+https://github.com/socle-commons/socle)" in seen[0]


def test_500_then_200_succeeds() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(500) if len(calls) == 1 else httpx.Response(200, json={"ok": True})

    (answer,) = fetch(handler)
    assert answer.status == 200 and answer.body == b'{"ok":true}'
    assert len(calls) == 2


def test_429_is_retried_and_retry_after_is_the_wait() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) < 3:
            return httpx.Response(429, headers={"Retry-After": "0"})
        return httpx.Response(200, json={})

    (answer,) = fetch(handler)
    assert answer.status == 200 and len(calls) == 3


def test_retry_hook_uses_retry_after_and_refuses_waits_past_the_deadline() -> None:
    async def hooks() -> tuple[object, object, object]:
        async with open_fetcher(
            HttpSettings(deadline_seconds=60), transport=httpx.MockTransport(lambda r: httpx.Response(200))
        ) as f:
            return (
                f._retry_hook(_RetryableStatus(URL, 429, 7.0)),
                f._retry_hook(_RetryableStatus(URL, 503, None)),
                f._retry_hook(_RetryableStatus(URL, 429, 600.0)),
            )

    assert asyncio.run(hooks()) == (7.0, True, False)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("Sun, 22 Nov 2026 12:00:30 GMT", 30.0), ("soon", None), (None, None)],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=datetime(2026, 11, 22, 12, 0, tzinfo=UTC)) == seconds


def test_persistent_5xx_becomes_a_transient_error_after_the_attempts() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503)

    with pytest.raises(TransientError, match="HTTP 503"):
        fetch(handler, attempts=4)
    assert len(calls) == 4


def test_timeout_is_retried_then_recorded() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(TransientError, match="timed out"):
        fetch(handler, attempts=4)
    assert len(calls) == 4


def test_timeout_then_success() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={})

    assert fetch(handler)[0].status == 200


def test_404_is_returned_not_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(404)

    assert fetch(handler)[0].status == 404 and len(calls) == 1


def test_oversized_answer_is_terminal() -> None:
    with pytest.raises(TerminalError, match="limit"):
        fetch(lambda r: httpx.Response(200, content=b"x" * 2048), max_body_bytes=1024)


def test_deadline_passed_stops_requests() -> None:
    with pytest.raises(TransientError, match="deadline"):
        fetch(lambda r: httpx.Response(200), deadline_seconds=-1)


def test_cache_revalidates_with_etag_and_reuses_the_body_on_304(tmp_path: Path) -> None:
    conditional: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        conditional.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"', "Cache-Control": "no-cache"})
        return httpx.Response(200, json={"n": 1}, headers={"ETag": '"v1"', "Cache-Control": "no-cache"})

    first, second = fetch(handler, cache_dir=tmp_path / "http", times=2)
    assert conditional == [None, '"v1"']
    assert second.status == 200 and second.body == first.body == b'{"n":1}'
    assert second.revalidated and not first.revalidated


def test_cache_serves_fresh_answers_without_a_request(tmp_path: Path) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json={"n": 1}, headers={"Cache-Control": "max-age=600"})

    first, second = fetch(handler, cache_dir=tmp_path / "http", times=2)
    assert len(calls) == 1
    assert second.from_cache and second.body == first.body
    assert (tmp_path / "http").is_dir()


def test_cache_storage_passes_oversized_bodies_through_without_storing(tmp_path: Path) -> None:
    from hishel import Request, Response

    from collectors.registry.cache_storage import InlineSqliteStorage

    async def chunks() -> object:
        for part in (b"a" * 8, b"b" * 8, b"c" * 8):
            yield part

    async def main() -> tuple[bytes, int, bytes]:
        storage = InlineSqliteStorage(tmp_path / "c.sqlite", max_body=10)
        big = await storage.create_entry(
            Request("GET", "https://x/big"), Response(200, stream=chunks()), "big"
        )
        body = b"".join([c async for c in big.response.stream])  # type: ignore[union-attr]
        small = await storage.create_entry(
            Request("GET", "https://x/s"), Response(200, stream=_one(b"ok")), "s"
        )
        assert small.response.stream is not None
        _ = [c async for c in small.response.stream]  # type: ignore[union-attr]
        found = await storage.get_entries("s")
        again = b"".join([c async for c in found[0].response.stream])  # type: ignore[union-attr]
        missing = len(await storage.get_entries("big"))
        await storage.close()
        return body, missing, again

    assert asyncio.run(main()) == (b"a" * 8 + b"b" * 8 + b"c" * 8, 0, b"ok")


async def _one(data: bytes) -> object:
    yield data


async def _chunks(blocks: list[bytes], pause: float = 0.0) -> AsyncIterator[bytes]:
    for block in blocks:
        if pause:
            await asyncio.sleep(pause)
        yield block


def _gzip_bomb(expanded: int) -> list[bytes]:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    return [squeeze.compress(zeros) for _ in range(expanded // len(zeros))] + [squeeze.flush()]


@pytest.mark.parametrize("cached", [False, True], ids=["network", "through-the-cache"])
def test_a_gzip_bomb_stops_at_the_limit_on_every_path(tmp_path: Path, cached: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip", "Cache-Control": "max-age=600"}
        return httpx.Response(200, headers=headers, content=_chunks(_gzip_bomb(64 * 1024 * 1024)))

    with pytest.raises(TerminalError, match="exceeds the 1048576-byte limit once decompressed"):
        fetch(handler, cache_dir=tmp_path if cached else None, max_body_bytes=1024 * 1024)


def test_gzip_answers_are_decoded_on_every_path(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip", "Cache-Control": "max-age=600"}
        return httpx.Response(200, headers=headers, content=_chunks([gzip.compress(b'{"ok": 1}')]))

    first, second = fetch(handler, cache_dir=tmp_path, times=2)
    assert (first.body, first.from_cache) == (b'{"ok": 1}', False)
    assert (second.body, second.from_cache) == (b'{"ok": 1}', True)


def test_an_answer_dripping_past_the_request_bound_is_abandoned() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=_chunks([b"{"] + [b" "] * 1000 + [b"}"], pause=0.01))

    with pytest.raises(TransientError, match=r"took longer than 0\.2 s; abandoned"):
        fetch(handler, request_seconds=0.2)


def test_a_redirect_to_another_host_is_refused_unless_configured() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "files.example.org":
            return httpx.Response(200, json={"moved": True})
        return httpx.Response(302, headers={"Location": "https://files.example.org/attrs.json"})

    with pytest.raises(TerminalError, match=r"redirected to another host \(https://files\.example\.org"):
        fetch(handler)
    (answer,) = fetch(handler, redirect_hosts=frozenset({"files.example.org"}))
    assert answer.body == b'{"moved":true}'


def test_a_reset_connection_is_described_in_words_after_the_attempts_made() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("")

    with pytest.raises(TransientError) as caught:
        fetch(handler)
    assert (
        str(caught.value)
        == f"{URL}: the connection was reset or closed while reading the answer after 4 attempts"
    )


def test_retry_after_beyond_the_deadline_is_one_attempt() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(429, headers={"Retry-After": "3600"})

    with pytest.raises(TransientError, match=r"HTTP 429 after 1 attempt$"):
        fetch(handler)
    assert calls == [1]
