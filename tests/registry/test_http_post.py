"""Fetcher.post: the bounded POST path (npm's bulk advisory endpoint): retried like GET, never cached,
redirects refused, request and answer sizes bounded."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from collectors.errors import TerminalError, TransientError
from collectors.http import MAX_POST_BYTES, Answer, HttpSettings, open_fetcher

URL = "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"
FAST = {"wait_initial": 0.001, "wait_jitter": 0.0, "wait_max": 0.01}


def post(handler: object, body: bytes = b"{}", *, times: int = 1, **settings: object) -> list[Answer]:
    async def main() -> list[Answer]:
        config = HttpSettings(**{"cache_dir": None, **FAST, **settings})  # type: ignore[arg-type]
        async with open_fetcher(config, transport=httpx.MockTransport(handler)) as fetcher:  # type: ignore[arg-type]
            return [await fetcher.post(URL, body) for _ in range(times)]

    return asyncio.run(main())


def test_503_then_200_is_retried() -> None:
    calls: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.content)
        return httpx.Response(503) if len(calls) == 1 else httpx.Response(200, json={"lodash": []})

    (answer,) = post(handler, b'{"lodash":["4.17.20"]}')
    assert answer.status == 200 and answer.body == b'{"lodash":[]}'
    assert calls == [b'{"lodash":["4.17.20"]}'] * 2


def test_never_served_from_the_cache(tmp_path: Path) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json={}, headers={"Cache-Control": "max-age=3600"})

    answers = post(handler, times=2, cache_dir=tmp_path / "http")
    assert len(calls) == 2 and not any(a.from_cache for a in answers)


def test_a_redirect_is_refused_not_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(307, headers={"Location": "http://169.254.169.254/latest/meta-data"})

    with pytest.raises(TerminalError, match="redirect answered to a POST"):
        post(handler)


def test_4xx_is_returned_as_an_answer() -> None:
    (answer,) = post(lambda request: httpx.Response(405, headers={"Allow": "GET,HEAD"}))
    assert answer.status == 405 and answer.headers["allow"] == "GET,HEAD"


def test_request_and_answer_sizes_are_bounded() -> None:
    with pytest.raises(TerminalError, match="request body"):
        post(lambda request: httpx.Response(200), b"x" * (MAX_POST_BYTES + 1))
    with pytest.raises(TerminalError, match="limit"):
        post(lambda request: httpx.Response(200, content=b"x" * 2000), max_body_bytes=1000)


def test_persistent_5xx_is_transient() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(502)

    # tests/registry/conftest.py puts stamina in testing mode: 4 attempts, no waiting
    with pytest.raises(TransientError, match="HTTP 502 after 4 attempts"):
        post(handler)
    assert len(calls) == 4
