"""The one HTTP client factory for every collector.

Everything that talks to a registry goes through :class:`Fetcher`, built by :func:`open_fetcher`:

* an ``httpx.AsyncClient`` over HTTP/1.1 with a User-Agent naming socle and timeouts (HTTP/1.1 with 10-20
  connections was measured faster than HTTP/2 against the registries);
* at most ``concurrency`` requests in flight per host (capped at 20: past about 25 connections the extra
  ones stall);
* retries with exponential backoff and jitter on connection errors, timeouts, 429 and 5xx, honouring
  ``Retry-After`` (stamina, over tenacity);
* an overall deadline: no request starts, and no backoff sleeps, past it, and an answer still arriving
  when it passes (or after ``request_seconds``, whatever the server does) is abandoned;
* answers are decompressed here, in bounded steps, so a small compressed "bomb" cannot expand past
  ``max_body_bytes`` whether it came from the network or from the cache;
* redirects are followed only within the host asked (or to a host configured in ``redirect_hosts``): a
  registry answer that points elsewhere (a metadata address, another site) is an error, not its data;
* an RFC 9111 cache (hishel) in ``cache_dir(db)/http``: fresh answers are served locally and stale ones
  are revalidated with ``If-None-Match``/``If-Modified-Since``, so a warm refresh mostly gets 304s.

The transport is injectable: tests hand an ``httpx.MockTransport`` (the cache still wraps it).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import gzip
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from pathlib import Path

import httpx
import stamina

from collectors.errors import TerminalError, TransientError
from collectors.keepalive import KeepAliveTransport

PROJECT_URL = "https://github.com/socle-commons/socle"
MAX_CONCURRENCY = 20
#: Larger answers are refused as hostile: the largest PyPI JSON documents are about 12 MB.
MAX_BODY_BYTES = 48 * 1024 * 1024
#: A server asking us to wait longer than this is treated as a failure for this run.
MAX_RETRY_AFTER = 120.0
#: Redirects followed per request (each within the policy above).
MAX_REDIRECTS = 5
#: Largest request body :meth:`Fetcher.post` sends (a bulk query of a few thousand package versions).
MAX_POST_BYTES = 4 * 1024 * 1024


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
    #: One request, redirects included, from its first byte sent to its last byte read.
    request_seconds: float = 120.0
    cache_dir: Path | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    #: Hosts a registry may redirect to besides the host asked (a configured mirror's file host).
    redirect_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Answer:
    """A completed HTTP exchange: status, body and how the cache served it."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str]
    from_cache: bool
    revalidated: bool


class AnswerTooLarge(TerminalError):
    """An answer past the size limit (the settings', or the request's ``max_bytes``): never retried."""


class _RetryableStatus(TransientError):
    def __init__(self, url: str, status: int, retry_after: float | None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"{url}: HTTP {status}")


#: What a network failure means, for the exceptions httpx raises with an empty message (a reset connection).
_TRANSPORT_WORDS = {
    "ConnectError": "could not connect to the registry",
    "ConnectTimeout": "timed out connecting to the registry",
    "ReadError": "the connection was reset or closed while reading the answer",
    "WriteError": "the connection was reset or closed while sending the request",
    "RemoteProtocolError": "the registry broke the HTTP protocol (connection closed mid-answer)",
    "LocalProtocolError": "the request could not be sent as valid HTTP",
    "ProxyError": "the proxy refused the request",
    "UnsupportedProtocol": "unsupported URL scheme",
    "PoolTimeout": "timed out waiting for a free connection",
}


def describe_transport_error(exc: httpx.HTTPError) -> str:
    """One line for a network failure, in words even when httpx's own message is empty."""
    name = type(exc).__name__
    words = _TRANSPORT_WORDS.get(name, f"network error ({name})")
    detail = " ".join(str(exc).split())[:200].rstrip(".")
    return f"{words}: {detail}" if detail and detail not in words else words


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), per RFC 9110 10.2.3."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    except OverflowError:
        return None


class _BoundedDecoder:
    """Undo ``Content-Encoding`` in steps of at most the remaining budget (a gzip bomb stops at the limit).

    httpx would inflate each received block whole, and a cached answer arrives as one block: decoding here,
    with ``max_length``, bounds memory on both paths. Only what :func:`build_client` asks for is accepted.
    """

    def __init__(self, url: str, encoding: str, limit: int) -> None:
        self._url = url
        self._limit = limit
        self._size = 0
        self._fed = False
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise TerminalError(f"{url}: answer encoded {len(codings)} times ({encoding[:60]}); refused")
        self._coding = codings[0] if codings else ""
        self._inflater: zlib._Decompress | None = None
        if self._coding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._coding == "deflate":
            self._inflater = None  # zlib-wrapped or raw: decided on the first bytes
        elif self._coding:
            raise TerminalError(f"{url}: unsupported content encoding {self._coding[:40]!r}")

    def _count(self, data: bytes) -> bytes:
        self._size += len(data)
        if self._size > self._limit:
            raise AnswerTooLarge(
                f"{self._url}: answer exceeds the {self._limit}-byte limit once decompressed"
            )
        return data

    def feed(self, chunk: bytes) -> bytes:
        self._fed = self._fed or bool(chunk)
        if not self._coding:
            return self._count(chunk)
        if self._inflater is None:  # deflate: RFC 9110 says zlib-wrapped; some servers send it raw
            wrapped = len(chunk) >= 2 and (chunk[0] & 0x0F) == 8 and (chunk[0] << 8 | chunk[1]) % 31 == 0
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        out: list[bytes] = []
        data = chunk
        try:
            while data and not self._inflater.eof:
                budget = self._limit - self._size + 1
                out.append(self._count(self._inflater.decompress(data, budget)))
                data = self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise TerminalError(f"{self._url}: invalid {self._coding} stream ({exc})") from exc
        return b"".join(out)

    def finish(self) -> None:
        """After the last block: a compressed stream that did not end is a truncated answer."""
        if self._fed and self._inflater is not None and not self._inflater.eof:
            raise TerminalError(f"{self._url}: truncated {self._coding} stream")


class _Redirect(Exception):
    def __init__(self, location: str) -> None:
        self.location = location
        super().__init__(location)


class Fetcher:
    """Bounded, retrying, cached GETs (and uncached POST queries). Build it with :func:`open_fetcher`."""

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

    async def get(
        self, url: str, *, accept: str = "application/json", max_bytes: int | None = None
    ) -> Answer:
        """GET ``url``; 2xx, 304-revalidated and 4xx answers are returned, the rest raise.

        ``max_bytes`` lowers the answer size limit for this request (an archive read for one file).

        Raises :class:`TransientError` once retries are exhausted (timeouts, connection errors, 429, 5xx)
        or the deadline has passed, and :class:`TerminalError` for an answer that can never be used (too
        large, undecodable, a redirect off the registry's host, a redirect loop).
        """
        origin = httpx.URL(url)  # parsed once per call: URL parsing is a visible share of a request
        return await self._with_retries(
            url, origin.host, lambda: self._bounded_get(url, origin, accept, max_bytes)
        )

    async def _with_retries(
        self, url: str, host: str, attempt_once: Callable[[], Awaitable[Answer]]
    ) -> Answer:
        """Run ``attempt_once`` in the host's slot, retried on 429/5xx and connection errors within the
        refresh deadline; what is left once retries are exhausted becomes one line naming ``url``."""
        settings = self._settings
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TransientError(f"{url}: the refresh deadline has passed")
        made = 0
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
                    made = attempt.num
                    async with self._slot(host):
                        return await attempt_once()
        except _RetryableStatus as exc:
            raise TransientError(f"{url}: HTTP {exc.status} after {_attempts(made)}") from exc
        except httpx.TimeoutException as exc:
            raise TransientError(f"{url}: timed out after {_attempts(made)}") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"{url}: {describe_transport_error(exc)} after {_attempts(made)}") from exc
        except httpx.HTTPError as exc:  # an answer httpx could not decode or follow: retrying will not help
            raise TerminalError(f"{url}: {describe_transport_error(exc)}") from exc
        raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover

    async def _bounded_get(
        self, url: str, origin: httpx.URL, accept: str, max_bytes: int | None = None
    ) -> Answer:
        """One attempt, redirects included, abandoned at the request bound or the refresh deadline."""
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TransientError(f"{url}: the refresh deadline has passed")
        bound = min(self._settings.request_seconds, remaining)
        try:
            async with asyncio.timeout(bound):
                return await self._follow(url, origin, accept, max_bytes)
        except TimeoutError as exc:
            if bound < self._settings.request_seconds:
                raise TransientError(f"{url}: the refresh deadline passed while the answer arrived") from exc
            raise TransientError(f"{url}: the answer took longer than {bound:g} s; abandoned") from exc

    async def _follow(self, url: str, origin: httpx.URL, accept: str, max_bytes: int | None = None) -> Answer:
        current = origin
        seen = {str(origin)}
        for _ in range(MAX_REDIRECTS + 1):
            try:
                return await self._get_once(str(current), accept, max_bytes)
            except _Redirect as redirect:
                target = current.join(redirect.location)
                self._check_redirect(url, origin, target)
                if str(target) in seen:
                    raise TerminalError(f"{url}: redirect loop (back to {str(target)[:200]})") from None
                seen.add(str(target))
                current = target
        raise TerminalError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _check_redirect(self, url: str, origin: httpx.URL, target: httpx.URL) -> None:
        same_site = (target.scheme, target.host, target.port) == (origin.scheme, origin.host, origin.port)
        configured = target.host in self._settings.redirect_hosts and target.scheme == "https"
        if not (same_site or configured):
            raise TerminalError(
                f"{url}: redirected to another host ({str(target)[:200]}); "
                "only the registry's own host is followed"
            )

    async def _get_once(self, url: str, accept: str, max_bytes: int | None = None) -> Answer:
        if time.monotonic() > self._deadline:
            raise TransientError(f"{url}: the refresh deadline has passed")
        self.requests += 1
        async with self._client.stream("GET", url, headers={"Accept": accept}) as response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise _RetryableStatus(url, status, parse_retry_after(response.headers.get("retry-after")))
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get("location", "")
                if not location or len(location) > 2048:
                    raise TerminalError(f"{url}: HTTP {status} without a usable Location")
                raise _Redirect(location)
            declared = response.headers.get("content-length", "")
            limit = min(self._settings.max_body_bytes, max_bytes or self._settings.max_body_bytes)
            if declared.isdigit() and int(declared) > limit:
                raise AnswerTooLarge(f"{url}: answer of {int(declared)} bytes exceeds the {limit}-byte limit")
            body = await _read_body(url, response, limit)
            # hishel reports how the cache answered as a mapping (from_cache, revalidated, stored).
            caching = response.extensions.get("caching") or {}
            from_cache = bool(caching.get("from_cache", False))
            revalidated = bool(caching.get("revalidated", False))
        self.cache_hits += from_cache
        self.revalidated += revalidated
        return Answer(
            url=url,
            status=status,
            body=body,
            headers={k.lower(): v for k, v in response.headers.items()},
            from_cache=from_cache,
            revalidated=revalidated,
        )

    async def post(
        self, url: str, body: bytes, *, content_type: str = "application/json", gzip_body: bool = False
    ) -> Answer:
        """POST ``body`` to ``url`` (a read-only query such as npm's bulk advisory endpoint); never cached.

        The same bounds as :meth:`get` (per-host slot, retries on 429/5xx and connection errors, request
        bound, refresh deadline, decompressed-size limit), a request body of at most ``MAX_POST_BYTES``, and
        no redirect followed: a POST answered with a redirect is an error. The HTTP cache stores only GET and
        HEAD answers (RFC 9111 section 2), so nothing here is served from or written to it.
        """
        if len(body) > MAX_POST_BYTES:
            raise TerminalError(
                f"{url}: request body of {len(body)} bytes exceeds the {MAX_POST_BYTES}-byte limit"
            )
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        if gzip_body:
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"

        async def attempt_once() -> Answer:
            bound = min(self._settings.request_seconds, max(self._deadline - time.monotonic(), 0.0))
            try:
                async with asyncio.timeout(bound):
                    return await self._post_once(url, body, headers)
            except TimeoutError as exc:
                raise TransientError(f"{url}: no answer within {bound:g} s; abandoned") from exc

        return await self._with_retries(url, httpx.URL(url).host, attempt_once)

    async def _post_once(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        if time.monotonic() > self._deadline:
            raise TransientError(f"{url}: the refresh deadline has passed")
        self.requests += 1
        limit = self._settings.max_body_bytes
        async with self._client.stream("POST", url, content=body, headers=headers) as response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise _RetryableStatus(url, status, parse_retry_after(response.headers.get("retry-after")))
            if 300 <= status < 400:
                raise TerminalError(f"{url}: HTTP {status} redirect answered to a POST; not followed")
            answered = await _read_body(url, response, limit)
        return Answer(
            url=url,
            status=status,
            body=answered,
            headers={k.lower(): v for k, v in response.headers.items()},
            from_cache=False,
            revalidated=False,
        )


async def _read_body(url: str, response: httpx.Response, limit: int) -> bytes:
    """The answer's body, decompressed in bounded steps; past ``limit`` bytes (compressed or not) it is refused."""
    if response.is_stream_consumed:
        # An in-memory answer (a test transport's httpx.Response(content=...)): httpx already has it.
        return _BoundedDecoder(url, "", limit).feed(response.content)
    decoder = _BoundedDecoder(url, response.headers.get("content-encoding", ""), limit)
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > limit:
            raise AnswerTooLarge(f"{url}: answer exceeds the {limit}-byte limit")
        chunks.append(decoder.feed(chunk))
    decoder.finish()
    return b"".join(chunks)


def _attempts(made: int) -> str:
    return "1 attempt" if made <= 1 else f"{made} attempts"


def _cached_transport(inner: httpx.AsyncBaseTransport, cache_dir: Path) -> httpx.AsyncBaseTransport:
    # Imported here: the cache (and its SQLite file) exists only when a refresh runs.
    from hishel import CacheOptions
    from hishel.httpx import AsyncCacheTransport

    from collectors.registry.cache_storage import InlineSqliteStorage

    cache_dir.mkdir(parents=True, exist_ok=True)
    storage = InlineSqliteStorage(cache_dir / "hishel.sqlite", max_body=MAX_BODY_BYTES)
    # A private cache: socle is the only user of these answers (RFC 9111 section 3.5).
    return AsyncCacheTransport(next_transport=inner, storage=storage, rfc=CacheOptions(shared=False))


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs about 0.15 s; a refresh builds a client per registry step.
    return httpx.create_ssl_context()


def build_client(
    settings: HttpSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The configured ``httpx.AsyncClient``; ``transport`` replaces the network (tests)."""
    concurrency = min(settings.concurrency, MAX_CONCURRENCY)
    # HTTP/1.1 keep-alive, one connection per request slot of a host; no transport-level retries: stamina
    # retries, with backoff, at the level that sees status codes too.
    inner = transport or KeepAliveTransport(verify=_tls_context(), per_origin=concurrency)
    if settings.cache_dir is not None:
        inner = _cached_transport(inner, settings.cache_dir)
    return httpx.AsyncClient(
        transport=inner,
        headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        # Fetcher follows redirects itself, within the host policy; it also decodes, so ask only for what
        # it can inflate in bounded steps.
        follow_redirects=False,
    )


@contextlib.asynccontextmanager
async def open_fetcher(
    settings: HttpSettings, *, transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[Fetcher]:
    # stamina logs each scheduled retry; a refresh reports one line per failed package, nothing more.
    stamina.instrumentation.set_on_retry_hooks([])
    async with build_client(settings, transport=transport) as client:
        yield Fetcher(client, settings)
