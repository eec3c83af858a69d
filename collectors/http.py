"""The one HTTP client factory for every collector.

Everything that talks to a registry goes through :class:`Fetcher`, built by :func:`open_fetcher`:

* an ``httpx.AsyncClient`` over HTTP/1.1 with a User-Agent naming socle and timeouts (HTTP/1.1 with 10-20
  connections was measured faster than HTTP/2 against the registries);
* at most ``concurrency`` requests in flight per host (capped at 20: past about 25 connections the extra
  ones stall);
* retries with exponential backoff and jitter on connection errors, timeouts, 429 and 5xx, honouring
  ``Retry-After`` (stamina, over tenacity);
* an overall deadline: no request starts, and no backoff sleeps, past it;
* an RFC 9111 cache (hishel) in ``cache_dir(db)/http``: fresh answers are served locally and stale ones
  are revalidated with ``If-None-Match``/``If-Modified-Since``, so a warm refresh mostly gets 304s.

The transport is injectable: tests hand an ``httpx.MockTransport`` (the cache still wraps it).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from pathlib import Path

import httpx
import stamina

from collectors.errors import TerminalError, TransientError

PROJECT_URL = "https://github.com/socle-commons/socle"
MAX_CONCURRENCY = 20
#: Larger answers are refused as hostile: the largest PyPI JSON documents are about 12 MB.
MAX_BODY_BYTES = 48 * 1024 * 1024
#: A server asking us to wait longer than this is treated as a failure for this run.
MAX_RETRY_AFTER = 120.0


def user_agent() -> str:
    try:
        version = _dist_version("socle")
    except PackageNotFoundError:  # running from a source tree that was never installed
        version = "0"
    return f"socle/{version} (+{PROJECT_URL})"


@dataclass(frozen=True, kw_only=True)
class HttpSettings:
    """How collectors talk to registries. ``cache_dir`` None disables the HTTP cache."""

    concurrency: int = 10
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    attempts: int = 4
    wait_initial: float = 0.5
    wait_max: float = 30.0
    wait_jitter: float = 1.0
    deadline_seconds: float = 1800.0
    cache_dir: Path | None = None
    max_body_bytes: int = MAX_BODY_BYTES


@dataclass(frozen=True)
class Answer:
    """A completed HTTP exchange: status, body and how the cache served it."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str]
    from_cache: bool
    revalidated: bool


class _RetryableStatus(TransientError):
    def __init__(self, url: str, status: int, retry_after: float | None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"{url}: HTTP {status}")


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), per RFC 9110 10.2.3."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """Bounded, retrying, cached GETs. Build it with :func:`open_fetcher`."""

    def __init__(self, client: httpx.AsyncClient, settings: HttpSettings) -> None:
        self._client = client
        self._settings = settings
        self._per_host: dict[str, asyncio.Semaphore] = {}
        self._deadline = time.monotonic() + settings.deadline_seconds
        self.requests = 0
        self.cache_hits = 0
        self.revalidated = 0

    def _slot(self, host: str) -> asyncio.Semaphore:
        if host not in self._per_host:
            self._per_host[host] = asyncio.Semaphore(min(self._settings.concurrency, MAX_CONCURRENCY))
        return self._per_host[host]

    def _retry_hook(self, exc: Exception) -> bool | float:
        if isinstance(exc, _RetryableStatus):
            if exc.retry_after is None:
                return True
            if exc.retry_after > MAX_RETRY_AFTER or time.monotonic() + exc.retry_after > self._deadline:
                return False
            return exc.retry_after
        return isinstance(exc, httpx.TransportError)

    async def get(self, url: str, *, accept: str = "application/json") -> Answer:
        """GET ``url``; 2xx, 304-revalidated and 4xx answers are returned, the rest raise.

        Raises :class:`TransientError` once retries are exhausted (timeouts, connection errors, 429, 5xx)
        or the deadline has passed, and :class:`TerminalError` for an oversized answer.
        """
        host = httpx.URL(url).host
        settings = self._settings
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TransientError(f"{url}: the refresh deadline has passed")
        try:
            async for attempt in stamina.retry_context(
                on=self._retry_hook,
                attempts=settings.attempts,
                timeout=remaining,
                wait_initial=settings.wait_initial,
                wait_max=settings.wait_max,
                wait_jitter=settings.wait_jitter,
            ):
                with attempt:
                    async with self._slot(host):
                        return await self._get_once(url, accept)
        except _RetryableStatus as exc:
            raise TransientError(f"{url}: HTTP {exc.status} after {settings.attempts} attempts") from exc
        except httpx.TimeoutException as exc:
            raise TransientError(f"{url}: timed out after {settings.attempts} attempts") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"{url}: {type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover

    async def _get_once(self, url: str, accept: str) -> Answer:
        if time.monotonic() > self._deadline:
            raise TransientError(f"{url}: the refresh deadline has passed")
        self.requests += 1
        async with self._client.stream("GET", url, headers={"Accept": accept}) as response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise _RetryableStatus(url, status, parse_retry_after(response.headers.get("retry-after")))
            declared = response.headers.get("content-length", "")
            limit = self._settings.max_body_bytes
            if declared.isdigit() and int(declared) > limit:
                raise TerminalError(f"{url}: answer of {int(declared)} bytes exceeds the {limit}-byte limit")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise TerminalError(f"{url}: answer exceeds the {limit}-byte limit")
                chunks.append(chunk)
            # hishel reports how the cache answered as a mapping (from_cache, revalidated, stored).
            caching = response.extensions.get("caching") or {}
            from_cache = bool(caching.get("from_cache", False))
            revalidated = bool(caching.get("revalidated", False))
        self.cache_hits += from_cache
        self.revalidated += revalidated
        return Answer(
            url=url,
            status=status,
            body=b"".join(chunks),
            headers={k.lower(): v for k, v in response.headers.items()},
            from_cache=from_cache,
            revalidated=revalidated,
        )


def _cached_transport(inner: httpx.AsyncBaseTransport, cache_dir: Path) -> httpx.AsyncBaseTransport:
    # Imported here: the cache (and its SQLite file) exists only when a refresh runs.
    from hishel import CacheOptions
    from hishel.httpx import AsyncCacheTransport

    from collectors.registry.cache_storage import InlineSqliteStorage

    cache_dir.mkdir(parents=True, exist_ok=True)
    storage = InlineSqliteStorage(cache_dir / "hishel.sqlite", max_body=MAX_BODY_BYTES)
    # A private cache: socle is the only user of these answers (RFC 9111 section 3.5).
    return AsyncCacheTransport(next_transport=inner, storage=storage, rfc=CacheOptions(shared=False))


def build_client(
    settings: HttpSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The configured ``httpx.AsyncClient``; ``transport`` replaces the network (tests)."""
    concurrency = min(settings.concurrency, MAX_CONCURRENCY)
    inner = transport or httpx.AsyncHTTPTransport(
        http1=True,
        http2=False,
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        retries=0,  # stamina retries, with backoff, at the level that sees status codes too
    )
    if settings.cache_dir is not None:
        inner = _cached_transport(inner, settings.cache_dir)
    return httpx.AsyncClient(
        transport=inner,
        headers={"User-Agent": user_agent()},
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        follow_redirects=True,
        max_redirects=5,
    )


@contextlib.asynccontextmanager
async def open_fetcher(
    settings: HttpSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[Fetcher]:
    async with build_client(settings, transport=transport) as client:
        yield Fetcher(client, settings)
