"""Maven and Debian collection speed: ``python -m bench polyglot`` (alone: ``python -m bench.bench_polyglot``).

* Maven, cold: 1,000 artifacts, each with a parent chain three deep (its project's parent, an organisation
  parent, a root parent: 52 distinct parent POMs), from the loopback fake registry adding 50 ms per answer
  (goal <= 10 s). Prints requests per second and how many parent POM fetches the shared cache saved.
  The fake registry runs in a process of its own (forked), so the CPU time reported is the refresh's
  alone; the registry's own CPU is printed beside it. A refresh through the stock HTTP path (httpcore's
  connection pool, a commit per cache write) runs first, cold too, as the baseline of the same run.
  ``python -m bench.bench_polyglot --maven`` runs this part alone.
* Debian: every index the collector reads for bookworm by default (the release, updates and security
  suites; main, contrib, non-free and non-free-firmware; Sources and amd64 Packages: 24 files, 18 MB
  compressed, mostly main's two) streamed and parsed into the index the collector uses (goal <= 10 s and
  <= 500 MB peak, measured in a child process). The files are downloaded once into ``bench/out/`` (not
  committed) from deb.debian.org.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from analysis.pipeline import RefreshOptions, run_refresh
from bench.bench_registry import _serve_forever, _stats
from bench.common import Figure, check, run_child
from bench.fake_registry import FakeRegistry, Route
from collectors.store import insert_columns, utcnow, write_session

LATENCY = 0.05
OUT = Path(__file__).resolve().parent / "out"
PROJECTS = 50
PARENTS_PER_ARTIFACT = 3


def _pom(
    group: str, artifact: str, version: str, parent: tuple[str, str, str] | None, body: str = ""
) -> bytes:
    parent_xml = (
        f"<parent><groupId>{parent[0]}</groupId><artifactId>{parent[1]}</artifactId>"
        f"<version>{parent[2]}</version></parent>"
        if parent
        else ""
    )
    return (
        f'<?xml version="1.0"?><project xmlns="http://maven.apache.org/POM/4.0.0">{parent_xml}'
        f"<groupId>{group}</groupId><artifactId>{artifact}</artifactId><version>{version}</version>{body}</project>"
    ).encode()


def _artifact(i: int) -> tuple[str, str, str]:
    return f"org.bench.p{i % PROJECTS}", f"artifact-{i:04d}", f"1.{i % 7}.0"


def maven_document(path: str) -> Route | None:
    """The fake Maven repository: metadata, artifact POMs and the three levels of parents, by path."""
    parts = path.strip("/").split("/")
    if path.endswith("maven-metadata.xml"):
        versions = "".join(f"<version>1.{v}.0</version>" for v in range(7))
        body = (
            f"<metadata><groupId>{'.'.join(parts[:-2])}</groupId><artifactId>{parts[-2]}</artifactId><versioning>"
            f"<release>1.6.0</release><versions>{versions}</versions><lastUpdated>20261101120000</lastUpdated>"
            "</versioning></metadata>"
        )
        return Route(body.encode(), headers={"Content-Type": "text/xml"})
    if not path.endswith(".pom") or len(parts) < 4:
        return None
    artifact, version = parts[-3], parts[-2]
    group = ".".join(parts[:-3])
    if artifact == "root":
        body = (
            "<licenses><license><name>Apache-2.0</name></license></licenses>"
            "<organization><name>Bench Foundation</name></organization>"
        )
        return Route(_pom(group, artifact, version, None, body))
    if artifact == "org-parent":
        return Route(_pom(group, artifact, version, ("org.bench", "root", "1")))
    if artifact == "project-parent":
        project = group.rsplit(".", 1)[-1]
        scm = f"<scm><url>https://github.com/bench-org/{project}</url></scm>"
        return Route(_pom(group, artifact, version, ("org.bench", "org-parent", "3"), scm))
    deps = (
        "<dependencies><dependency><groupId>org.bench.p0</groupId><artifactId>artifact-0000</artifactId>"
        "<version>1.0.0</version></dependency></dependencies>"
    )
    return Route(_pom(group, artifact, version, (group, "project-parent", "1"), deps))


def _build_store(db: Path, count: int) -> None:
    artifacts = [_artifact(i) for i in range(count)]
    with write_session(db, "import") as session:
        purls = [f"pkg:maven/{g}/{a}" for g, a, _ in artifacts]
        insert_columns(
            session.conn,
            "packages",
            {
                "purl": purls,
                "ecosystem": ["maven"] * count,
                "namespace": [g for g, _, _ in artifacts],
                "name": [a for _, a, _ in artifacts],
                "run_id": [session.run_id] * count,
            },
        )
        insert_columns(
            session.conn,
            "app_packages",
            {
                "app": ["bench-maven"] * count,
                "purl": purls,
                "version": [v for _, _, v in artifacts],
                # One transitive row: the application lists its whole tree, so completion stays idle.
                "is_direct": [i > 0 for i in range(count)],
                "depth": [1 if i > 0 else 2 for i in range(count)],
                "scope": ["runtime"] * count,
                "run_id": [session.run_id] * count,
            },
        )


@dataclass(frozen=True)
class MavenRun:
    seconds: float
    cpu_seconds: float  # the refresh's own process: the fake registry runs in another one
    registry_cpu_seconds: float  # the fake registry's process, for the record
    requests: int
    collected: int
    max_in_flight: int
    load: float  # one-minute load average when the run started


@contextlib.contextmanager
def _stock_http_path() -> Iterator[None]:
    """The HTTP path as it was before the keep-alive pool and grouped cache commits: httpcore's own
    connection pool (same limits) and a commit per cache write, for a baseline measured in the same run."""
    from collectors import http
    from collectors.registry import cache_storage

    def stock(*, verify: Any, per_origin: int) -> httpx.AsyncHTTPTransport:
        limits = httpx.Limits(max_connections=per_origin, max_keepalive_connections=per_origin)
        return httpx.AsyncHTTPTransport(verify=verify, http1=True, http2=False, limits=limits, retries=0)

    saved = http.KeepAliveTransport, cache_storage.COMMIT_EVERY
    http.KeepAliveTransport, cache_storage.COMMIT_EVERY = stock, 1  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        http.KeepAliveTransport, cache_storage.COMMIT_EVERY = saved  # type: ignore[misc]


def maven_cold(count: int) -> MavenRun:
    """One cold ``--only maven`` refresh of ``count`` artifacts, the fake registry in a process of its own."""
    fake = FakeRegistry(routes={}, latency=LATENCY, cache_control="max-age=600", fallback=maven_document)
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=_serve_forever, args=(fake, child), daemon=True
    )
    server.start()
    try:
        base_url = parent.recv()
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "socle.duckdb"
            _build_store(db, count)
            options = RefreshOptions(
                db_path=db,
                now=utcnow(),
                concurrency=20,
                only=frozenset({"maven"}),
                registry_urls={"maven": base_url},
            )
            load = os.getloadavg()[0]
            started, cpu_started = time.perf_counter(), time.process_time()
            session = run_refresh(options)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
            stats = _stats(base_url)
            assert session.errors == 0, f"maven cold: {session.errors} errors"
    finally:
        parent.send("stop")
        server.join(timeout=10)
    return MavenRun(
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        registry_cpu_seconds=float(stats.get("cpu_seconds", 0.0)),
        requests=int(stats["requests"]),
        collected=session.counts.get("maven_collected", 0),
        max_in_flight=int(stats["max_in_flight"]),
        load=load,
    )


def maven_figures(quick: bool) -> list[Figure]:
    count = 200 if quick else 1000
    # A small refresh first, not counted: the first one in a process also imports the refresh's modules.
    maven_cold(20)
    before = maven_cold_stock(count)
    after = maven_cold(count)
    for label, run in (("before (httpcore pool, a commit per cache write)", before), ("after", after)):
        print(
            f"  maven {label}: {run.seconds:.2f} s wall, {run.cpu_seconds:.2f} s CPU, "
            f"{run.requests} requests, at most {run.max_in_flight} in flight, "
            f"fake registry CPU {run.registry_cpu_seconds:.2f} s (its own process), load {run.load:.1f}",
            file=sys.stderr,
        )
    parent_fetches = after.requests - 2 * count  # each artifact: its metadata and its own POM
    return [
        Figure(f"maven cold, {count} artifacts", round(after.seconds, 2), "s", 10.0 * count / 1000),
        Figure("maven cold, CPU time of the refresh (user+system)", round(after.cpu_seconds, 2), "s"),
        Figure(
            "maven cold, CPU time before (same run)",
            round(before.cpu_seconds, 2),
            "s",
        ),
        Figure("maven cold, wall time before (same run)", round(before.seconds, 2), "s"),
        Figure("maven cold, CPU per request", round(1000 * after.cpu_seconds / after.requests, 2), "ms"),
        Figure("maven cold, artifacts collected", after.collected, "artifacts"),
        Figure("maven cold, requests/s", round(after.requests / after.seconds, 1), "req/s"),
        Figure("maven cold, parent POMs fetched", parent_fetches, "POMs"),
        Figure(
            "maven cold, parent POM fetches saved by the cache",
            count * PARENTS_PER_ARTIFACT - parent_fetches,
            "POMs",
        ),
        Figure("maven cold, load average at the start", round(after.load, 1), ""),
    ]


def maven_cold_stock(count: int) -> MavenRun:
    with _stock_http_path():
        return maven_cold(count)


def _debian_files() -> list[Any]:
    """The index files the collector reads for bookworm with the default layout (suites, components, amd64)."""
    from collectors.registry.debian import BASE_URL
    from collectors.registry.debian_archive import ArchiveLayout

    layout = ArchiveLayout(BASE_URL, "https://deb.debian.org/debian-security")
    return list(layout.indices("bookworm"))


def _local(url: str) -> Path:
    return OUT / url.split("://", 1)[1].replace("/", "_")


def _download_indices() -> None:
    OUT.mkdir(exist_ok=True)
    for file in _debian_files():
        target = _local(file.url)
        if not target.exists():
            try:
                with urllib.request.urlopen(file.url, timeout=120) as answer:
                    target.write_bytes(answer.read())
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise
                target.write_bytes(b"")  # not on the archive: parsed as a 404, as the collector does


def parse_debian() -> None:
    """The child's side: stream and parse every index of the release, print the counts."""
    from collectors.registry.debian import parse_release

    answers = [(f, _local(f.url).read_bytes() or None) for f in _debian_files()]
    index = parse_release("bookworm", answers)
    size = sum(len(body or b"") for _, body in answers)
    print(
        f"{len(index.sources)} source packages, {len(index.binaries)} binary packages, {len(answers)} files, {size} bytes"
    )


def debian_figures() -> list[Figure]:
    _download_indices()
    child = check(run_child([sys.executable, "-m", "bench.bench_polyglot", "--parse-debian"]), "Debian parse")
    words = child.stdout.split()
    sources, binaries = words[0], words[3]
    return [
        Figure("debian bookworm indices parse (all suites, components)", round(child.seconds, 2), "s", 10.0),
        Figure("debian parse, CPU time (user+system)", round(child.cpu_seconds, 2), "s"),
        Figure("debian parse, peak memory", round(child.max_rss_mb, 1), "MB", 500.0),
        Figure("debian parse, source packages", int(sources), "packages"),
        Figure("debian parse, binary packages", int(binaries), "packages"),
    ]


def run(quick: bool) -> list[Figure]:
    maven = maven_figures(quick)
    print(f"  load average before the Debian parse: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    return maven + debian_figures()


def main(argv: list[str]) -> Any:
    if "--parse-debian" in argv:
        return parse_debian()
    quick = "--quick" in argv
    for figure in maven_figures(quick) if "--maven" in argv else run(quick):
        goal = f"  (goal {figure.baseline:g} {figure.unit})" if figure.baseline else ""
        print(f"{figure.name:<52} {figure.value:>10g} {figure.unit}{goal}")


if __name__ == "__main__":
    main(sys.argv)
