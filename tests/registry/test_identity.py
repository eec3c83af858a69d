"""An answer that names another package, or no latest version, is refused: the earlier record stays.

The recorded answers of tests/fixtures/registry are served with one field changed, as a broken mirror or
proxy would answer (another artifact's metadata, another module's go.mod, another crate's index lines).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from urllib.parse import unquote

import httpx
import pytest

from collectors.base import Collector, Failed, Outcome, PackageRef
from collectors.http import Fetcher, HttpSettings, open_fetcher
from collectors.registry.cargo import CargoCollector
from collectors.registry.debian import DebianCollector
from collectors.registry.debian_archive import BinaryPackage, ReleaseIndex, SourcePackage
from collectors.registry.golang import GoCollector
from collectors.registry.maven import MavenCollector
from tests.registry.conftest import FIXTURES

NOW = datetime(2026, 12, 1, 12, 0)
PREFIX = {"maven": "/maven2"}


def rewriting(ecosystem: str, suffix: str, old: bytes, new: bytes) -> httpx.MockTransport:
    """The recorded answers, with ``old`` replaced by ``new`` in the one whose path ends with ``suffix``."""

    def handler(request: httpx.Request) -> httpx.Response:
        path = unquote(request.url.raw_path.decode()).removeprefix(PREFIX.get(ecosystem, "\0"))
        file = FIXTURES / ecosystem / path.lstrip("/")
        if not file.is_file():
            return httpx.Response(404)
        body = file.read_bytes()
        if path.endswith(suffix):
            assert old in body, (path, old)
            body = body.replace(old, new)
        return httpx.Response(200, content=body)

    return httpx.MockTransport(handler)


def run(collector: Collector, name: str, version: str, transport: httpx.MockTransport) -> Outcome:
    ref = PackageRef(collector.purl_for(name), collector.ecosystem, name, (version,))

    async def main() -> Outcome:
        async with open_fetcher(HttpSettings(attempts=1), transport=transport) as fetcher:
            return await collector.collect(fetcher, ref, now=NOW)

    return asyncio.run(main())


DATABIND = "com.fasterxml.jackson.core/jackson-databind"
CASES = [
    # (collector, package, version, answer rewritten, old, new, what the error says)
    (
        MavenCollector,
        DATABIND,
        "2.17.0",
        "maven-metadata.xml",
        b"<artifactId>jackson-databind<",
        b"<artifactId>jackson-core<",
        "another package ('com.fasterxml.jackson.core/jackson-core')",
    ),
    (
        MavenCollector,
        DATABIND,
        "2.17.0",
        "maven-metadata.xml",
        b"<groupId>com.fasterxml.jackson.core<",
        b"<groupId><",
        "does not name the package",
    ),
    (
        GoCollector,
        "github.com/spf13/cobra",
        "v1.8.0",
        "v1.10.2.mod",
        b"module github.com/spf13/cobra",
        b"module github.com/spf13/viper",
        "another package ('github.com/spf13/viper')",
    ),
    (
        GoCollector,
        "github.com/spf13/cobra",
        "v1.8.0",
        "v1.10.2.mod",
        b"module github.com/spf13/cobra",
        b"",
        "does not name the package",
    ),
    (
        CargoCollector,
        "itoa",
        "1.0.11",
        "it/oa/itoa",
        b'"name": "itoa"',
        b'"name": "ryu"',
        "another package ('ryu')",
    ),
]


@pytest.mark.parametrize(("kind", "name", "version", "suffix", "old", "new", "says"), CASES)
def test_an_answer_about_another_package_is_refused(
    kind: type[Collector], name: str, version: str, suffix: str, old: bytes, new: bytes, says: str
) -> None:
    outcome = run(kind(), name, version, rewriting(kind.ecosystem, suffix, old, new))
    assert isinstance(outcome, Failed), outcome
    assert says in outcome.reason and "the earlier record is kept" in outcome.reason
    assert not outcome.transient  # the same answer would be refused again: a human must look


def test_maven_metadata_without_any_version_is_refused() -> None:
    stub = (
        b"<metadata><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId>"
        b"<versioning><versions/></versioning></metadata>"
    )
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=stub))
    outcome = run(MavenCollector(), DATABIND, "2.17.0", transport)
    assert isinstance(outcome, Failed) and "carries no latest version" in outcome.reason, outcome


class _OneIndex(DebianCollector):
    """Debian's collector over one hand-made release index (what ``parse_indices`` would build)."""

    def __init__(self, source: SourcePackage) -> None:
        super().__init__(releases=("bookworm",))
        self._index = ReleaseIndex(
            "bookworm",
            sources={"curl": source},
            binaries={"libcurl4": BinaryPackage("curl", source.version, "URL library", "")},
        )

    async def index(self, fetcher: Fetcher, release: str) -> ReleaseIndex:
        return self._index


@pytest.mark.parametrize(
    ("source", "says"),
    [
        (SourcePackage("curl", "", {"Package": "curl"}), "carries no latest version"),
        (SourcePackage("curl", "7.88.1-10", {"Package": "openssl"}), "another package ('openssl')"),
    ],
)
def test_a_debian_paragraph_without_its_name_or_version_is_refused(source: SourcePackage, says: str) -> None:
    outcome = run(
        _OneIndex(source), "debian/libcurl4", "", httpx.MockTransport(lambda r: httpx.Response(404))
    )
    assert isinstance(outcome, Failed) and says in outcome.reason, outcome
