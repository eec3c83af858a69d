"""The registry client's HTTP/1.1 keep-alive pool: constant work per request.

httpcore's ``AsyncConnectionPool`` re-examines every connection whenever a request starts or ends: each
idle connection is asked whether its socket became readable (a system call through anyio's typed
attributes) and, for each idle one, every connection is counted again
(``_assign_requests_to_connections`` in httpcore 1.0, quadratic in the pool size). With the 20
connections a refresh keeps to one registry, that scan was the largest single cost of a request (about
a sixth of the samples py-spy took of the Maven refresh of ``python -m bench polyglot``).

This pool keeps, per origin (scheme, host, port), a stack of idle connections and a semaphore of
``per_origin`` slots. A request takes a slot, then the most recently used idle connection that is still
usable (one check, on that connection only) or a new one; when its answer is read or closed the
connection goes back on the stack if it can carry another request. The connections themselves are
httpcore's (``httpcore.AsyncHTTPConnection``): TLS, HTTP/1.1 parsing, timeouts and keep-alive expiry are
unchanged, and :class:`KeepAliveTransport` keeps httpx's mapping of httpcore errors to httpx ones.
"""

from __future__ import annotations

import asyncio
import ssl
import types
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable

import httpcore
import httpx

#: Idle connections are closed after this many seconds (httpx's default keep-alive expiry).
KEEPALIVE_SECONDS = 5.0


#: An origin as a dictionary key (httpcore's ``Origin`` is not hashable): scheme, host, port.
_Key = tuple[bytes, bytes, int]


def _key(origin: httpcore.Origin) -> _Key:
    return origin.scheme, origin.host, origin.port


class _ReleasingStream:
    """An answer's body; once read to the end or closed, ``release`` gives its connection and slot back."""

    def __init__(self, stream: AsyncIterable[bytes], release: Callable[[], Awaitable[None]]) -> None:
        self._stream = stream
        self._release: Callable[[], Awaitable[None]] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._release is None:
            return
        release, self._release = self._release, None
        try:
            closer = getattr(self._stream, "aclose", None)
            if closer is not None:
                await closer()  # httpcore: marks the connection idle again, or closes it
        finally:
            await release()


class KeepAlivePool:
    """At most ``per_origin`` connections per origin, reused newest first (httpcore's request interface)."""

    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None,
        per_origin: int,
        keepalive_expiry: float = KEEPALIVE_SECONDS,
    ) -> None:
        if per_origin < 1:
            raise ValueError("per_origin must be at least 1")
        self._ssl_context = ssl_context
        self._per_origin = per_origin
        self._keepalive_expiry = keepalive_expiry
        self._idle: dict[_Key, list[httpcore.AsyncHTTPConnection]] = {}
        self._slots: dict[_Key, asyncio.Semaphore] = {}
        self._busy: set[httpcore.AsyncHTTPConnection] = set()
        #: Connections opened so far (tests and benchmarks read it: with reuse it stays at the slot count).
        self.opened = 0

    def _slot(self, key: _Key) -> asyncio.Semaphore:
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = asyncio.Semaphore(self._per_origin)
        return slot

    async def _checkout(self, origin: httpcore.Origin) -> httpcore.AsyncHTTPConnection:
        """The newest usable idle connection to ``origin``, or a new one; stale ones are closed on the way."""
        idle = self._idle.get(_key(origin))
        while idle:
            connection = idle.pop()
            # has_expired: past the keep-alive expiry, or the server closed it (its socket reads EOF).
            if connection.is_available() and not connection.has_expired():
                self._busy.add(connection)
                return connection
            await connection.aclose()
        self.opened += 1
        connection = httpcore.AsyncHTTPConnection(
            origin=origin,
            ssl_context=self._ssl_context,
            keepalive_expiry=self._keepalive_expiry,
            http1=True,
            http2=False,
        )
        self._busy.add(connection)
        return connection

    async def _checkin(self, origin: httpcore.Origin, connection: httpcore.AsyncHTTPConnection) -> None:
        """Back on the idle stack if it can carry another request, else closed."""
        self._busy.discard(connection)
        if connection.is_idle() and not connection.is_closed():
            self._idle.setdefault(_key(origin), []).append(connection)
        else:
            await connection.aclose()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        origin = request.url.origin
        if origin.scheme not in (b"http", b"https"):
            raise httpcore.UnsupportedProtocol(f"unsupported URL scheme {origin.scheme.decode()!r}")
        timeouts = request.extensions.get("timeout") or {}
        slot = self._slot(_key(origin))
        try:
            async with asyncio.timeout(timeouts.get("pool")):
                await slot.acquire()
        except TimeoutError as exc:
            raise httpcore.PoolTimeout("timed out waiting for a free connection") from exc
        try:
            response = None
            # A connection taken from the stack can refuse the request (closed meanwhile): take the next.
            for _ in range(self._per_origin + 1):
                connection = await self._checkout(origin)
                try:
                    response = await connection.handle_async_request(request)
                    break
                except httpcore.ConnectionNotAvailable:
                    await self._checkin(origin, connection)
                except BaseException:
                    await self._checkin(origin, connection)
                    raise
            if response is None:
                raise httpcore.ConnectError(f"no connection to {origin} would take the request")
        except BaseException:
            slot.release()
            raise

        async def release() -> None:
            try:
                await self._checkin(origin, connection)
            finally:
                slot.release()

        assert isinstance(response.stream, AsyncIterable)
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_ReleasingStream(response.stream, release),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        connections = [c for stack in self._idle.values() for c in stack] + list(self._busy)
        self._idle.clear()
        self._busy.clear()
        for connection in connections:
            await connection.aclose()

    async def __aenter__(self) -> KeepAlivePool:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: types.TracebackType | None = None,
    ) -> None:
        await self.aclose()


class KeepAliveTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` (request and answer conversion, httpcore errors mapped to httpx ones)
    over :class:`KeepAlivePool` instead of httpcore's pool."""

    def __init__(self, *, verify: ssl.SSLContext, per_origin: int) -> None:
        super().__init__(verify=verify, http1=True, http2=False, retries=0)
        self.pool = KeepAlivePool(ssl_context=verify, per_origin=per_origin)
        # httpx sends every request through ``self._pool`` (httpx 0.18 to 0.29; pyproject.toml keeps httpx
        # below 1.0): ours replaces httpcore's.
        self._pool = self.pool  # type: ignore[assignment]
