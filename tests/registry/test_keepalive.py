"""The keep-alive pool under the registry client, against the loopback fake registry (real sockets)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bench.fake_registry import FakeRegistry, Route, serve
from collectors.errors import TransientError
from collectors.http import HttpSettings, _tls_context, open_fetcher
from collectors.keepalive import KeepAliveTransport

ROUTES = {f"/doc/{i}": Route(f'{{"doc": {i}}}'.encode()) for i in range(40)}


def _client(per_origin: int, **pool: float) -> tuple[httpx.AsyncClient, KeepAliveTransport]:
    transport = KeepAliveTransport(verify=_tls_context(), per_origin=per_origin)
    for name, value in pool.items():
        setattr(transport.pool, f"_{name}", value)
    return httpx.AsyncClient(transport=transport), transport


def test_connections_are_reused_and_bounded_per_origin() -> None:
    async def main(base: str) -> tuple[list[bytes], int]:
        client, transport = _client(per_origin=4)
        async with client:
            answers = await asyncio.gather(*(client.get(f"{base}/doc/{i}") for i in range(40)))
            again = await client.get(f"{base}/doc/0")
        return [a.content for a in [*answers, again]], transport.pool.opened

    with serve(FakeRegistry(routes=ROUTES, latency=0.01)) as fake:
        bodies, opened = asyncio.run(main(fake.base_url))
    assert bodies == [f'{{"doc": {i}}}'.encode() for i in range(40)] + [b'{"doc": 0}']
    assert fake.max_in_flight == 4  # 40 requests, never more than the slots at once
    assert opened == 4  # 41 requests over 4 connections


def test_a_connection_the_server_closes_is_not_reused() -> None:
    routes = {"/closing": Route(b'{"closing": true}', close_delimited=True), "/doc/0": ROUTES["/doc/0"]}

    async def main(base: str) -> tuple[list[bytes], int]:
        client, transport = _client(per_origin=1)
        async with client:
            answers = [await client.get(f"{base}{path}") for path in ("/closing", "/doc/0", "/doc/0")]
        return [a.content for a in answers], transport.pool.opened

    with serve(FakeRegistry(routes=routes)) as fake:
        bodies, opened = asyncio.run(main(fake.base_url))
    assert bodies == [b'{"closing": true}', b'{"doc": 0}', b'{"doc": 0}']
    assert opened == 2  # the closed one, then one kept alive for both later requests


def test_an_idle_connection_past_its_keepalive_expiry_is_replaced() -> None:
    async def main(base: str) -> int:
        client, transport = _client(per_origin=2, keepalive_expiry=0.05)
        async with client:
            await client.get(f"{base}/doc/1")
            await asyncio.sleep(0.2)
            await client.get(f"{base}/doc/2")
        return transport.pool.opened

    with serve(FakeRegistry(routes=ROUTES)) as fake:
        assert asyncio.run(main(fake.base_url)) == 2


def test_an_abandoned_answer_gives_its_slot_back() -> None:
    routes = {"/drip": Route(b"x" * 200, drip=0.01), "/doc/3": ROUTES["/doc/3"]}

    async def main(base: str) -> bytes:
        client, _ = _client(per_origin=1)
        async with client:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.1):
                    await client.get(f"{base}/drip")
            # One slot only: this would wait for ever if the abandoned request had kept it.
            async with asyncio.timeout(5):
                return (await client.get(f"{base}/doc/3")).content

    with serve(FakeRegistry(routes=routes)) as fake:
        assert asyncio.run(main(fake.base_url)) == b'{"doc": 3}'


def test_the_fetcher_goes_through_the_pool_within_its_per_host_limit() -> None:
    async def main(base: str) -> list[bytes]:
        async with open_fetcher(HttpSettings(concurrency=3)) as fetcher:
            answers = await asyncio.gather(*(fetcher.get(f"{base}/doc/{i}") for i in range(12)))
        return [a.body for a in answers]

    with serve(FakeRegistry(routes=ROUTES, latency=0.01)) as fake:
        assert asyncio.run(main(fake.base_url)) == [f'{{"doc": {i}}}'.encode() for i in range(12)]
    assert fake.max_in_flight == 3


def test_a_refused_connection_is_a_transient_error_in_words() -> None:
    async def main() -> None:
        settings = HttpSettings(attempts=1, connect_timeout=2.0)
        async with open_fetcher(settings) as fetcher:
            await fetcher.get("http://127.0.0.1:9/nothing-listens-here")

    with pytest.raises(TransientError, match="could not connect to the registry"):
        asyncio.run(main())
