"""A fake registry on 127.0.0.1 for the registry benchmarks and the fault, concurrency and load tests.

It serves a dict of path -> ``Route`` (else what ``fallback`` makes of the path, else 404), supports
``If-None-Match`` (304), an added latency per answer, and records how many requests were in flight at once.

A route can also misbehave the way hostile or broken servers do (the fault tests use these): reset the
connection, answer bytes that are not HTTP, drip the body a byte at a time, promise more bytes than it
sends, or send a body delimited only by closing the connection.
"""

from __future__ import annotations

import hashlib
import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b"{}"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    #: Called per request with the request count so far; may return a different Route (500 then 200, ...).
    dynamic: Callable[[int], Route] | None = None
    #: Hold the connection this long before answering (a hang, for kill tests).
    hold: float = 0.0
    #: Close the connection at once with a TCP reset, answering nothing.
    reset: bool = False
    #: Write these bytes instead of an HTTP answer, then close (a server that does not speak HTTP).
    raw: bytes | None = None
    #: Seconds between body bytes after the headers (a drip that never trips a read timeout).
    drip: float = 0.0
    #: Declare the whole body's length but send only this many bytes, then close.
    truncate_at: int | None = None
    #: Send no Content-Length: the body ends when the connection closes.
    close_delimited: bool = False


@dataclass
class FakeRegistry:
    routes: dict[str, Route]
    latency: float = 0.0
    cache_control: str = "max-age=0, must-revalidate"
    requests: list[str] = field(default_factory=list)
    not_modified: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    base_url: str = ""
    #: Makes the answer for a path missing from ``routes`` (None: 404), e.g. a generated document per package.
    fallback: Callable[[str], Route | None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(fake: FakeRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_GET(self) -> None:
            if self.path == "/_stats":  # for a registry served from another process
                body = json.dumps(
                    {
                        "requests": len(fake.requests),
                        "not_modified": fake.not_modified,
                        "max_in_flight": fake.max_in_flight,
                        # This process's CPU, so a benchmark can show it is not counted as the client's.
                        "cpu_seconds": time.process_time(),
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            with fake._lock:
                fake.requests.append(self.path)
                count = sum(1 for p in fake.requests if p == self.path)
                fake.in_flight += 1
                fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
            try:
                if fake.latency:
                    time.sleep(fake.latency)
                route = fake.routes.get(self.path) or (fake.fallback and fake.fallback(self.path))
                route = route or Route(b'{"message": "Not Found"}', 404)
                if route.dynamic is not None:
                    route = route.dynamic(count)
                if route.hold:
                    time.sleep(route.hold)
                if self._misbehave(route):
                    return
                etag = '"' + hashlib.sha1(route.body).hexdigest() + '"'
                if route.status == 200 and self.headers.get("If-None-Match") == etag:
                    with fake._lock:
                        fake.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Cache-Control", fake.cache_control)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.headers.get("Content-Type", "application/json"))
                if route.status == 200:
                    self.send_header("ETag", etag)
                    self.send_header("Cache-Control", fake.cache_control)
                for key, value in route.headers.items():
                    if key != "Content-Type":
                        self.send_header(key, value)
                if route.close_delimited:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self._write_body(route)
            finally:
                with fake._lock:
                    fake.in_flight -= 1

        def do_POST(self) -> None:
            """A route keyed ``POST /path`` answers; otherwise 405, as the registries' proxy here answers."""
            length = self.headers.get("Content-Length", "0")
            self.rfile.read(int(length) if length.isdigit() else 0)
            with fake._lock:
                fake.requests.append(f"POST {self.path}")
            route = fake.routes.get(f"POST {self.path}") or Route(b"", 405, headers={"Allow": "GET, HEAD"})
            self.send_response(route.status)
            for key, value in {"Content-Type": "application/json", **route.headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def _misbehave(self, route: Route) -> bool:
            """Answer as a broken server would; True when the connection is done."""
            if route.reset:
                # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return True
            if route.raw is not None:
                self.wfile.write(route.raw)
                self.wfile.flush()
                self.close_connection = True
                return True
            return False

        def _write_body(self, route: Route) -> None:
            body = route.body if route.truncate_at is None else route.body[: route.truncate_at]
            if route.drip:
                for i in range(len(body)):
                    try:
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                    except OSError:
                        return  # the client gave up: the point of the test
                    time.sleep(route.drip)
            else:
                self.wfile.write(body)
            if route.truncate_at is not None:
                self.wfile.flush()
                self.close_connection = True

    return Handler


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 drops simultaneous connects, which then wait a second for a SYN retry.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gives up mid-answer (the point of the drip and size tests) is not news.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(fake: FakeRegistry) -> Iterator[FakeRegistry]:
    server = _Server(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
