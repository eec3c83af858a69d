"""Maven Central, the Go module proxy, crates.io and Debian, live (opt in: ``pytest -m online``)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from collectors.base import Collected, Collector, Outcome, PackageRef
from collectors.http import HttpSettings, open_fetcher
from collectors.registry.cargo import CargoCollector
from collectors.registry.debian import DebianCollector
from collectors.registry.golang import GoCollector
from collectors.registry.maven import MavenCollector


def live(collector: Collector, name: str, versions: tuple[str, ...] = ()) -> Collected:
    ref = PackageRef(collector.purl_for(name), collector.ecosystem, name, versions)

    async def main() -> Outcome:
        async with open_fetcher(HttpSettings()) as fetcher:
            return await collector.collect(fetcher, ref, now=datetime.now())

    outcome = asyncio.run(main())
    assert isinstance(outcome, Collected), outcome
    return outcome


@pytest.mark.online
def test_maven_central_live() -> None:
    got = live(MavenCollector(), "com.google.guava/guava", ("33.0.0-jre",))
    assert got.metadata.repository_url == "https://github.com/google/guava"
    assert any(d.name == "com.google.guava/failureaccess" for d in got.dependencies)
    # Maven Central answers no Last-Modified here: the date is guava-parent's project.build.outputTimestamp.
    dates = {r.version: r.released_at for r in got.releases}
    assert dates["33.0.0-jre"] == datetime(2023, 12, 18, 20, 32, 43)


@pytest.mark.online
def test_maven_central_apache_gitbox_live() -> None:
    """commons-lang3 names only the ASF's GitBox in its POM's <scm>: its repository is the ASF's GitHub one."""
    got = live(MavenCollector(), "org.apache.commons/commons-lang3", ("3.22.0",))
    assert got.metadata.repository_url == "https://github.com/apache/commons-lang"


@pytest.mark.online
def test_go_proxy_live() -> None:
    got = live(GoCollector(), "github.com/spf13/cobra", ("v1.8.0",))
    assert got.metadata.repository_url == "https://github.com/spf13/cobra"
    assert any(d.name == "github.com/spf13/pflag" for d in got.dependencies)
    assert got.metadata.license == "Apache-2.0"  # LICENSE.txt of the module zip


@pytest.mark.online
def test_crates_io_live() -> None:
    got = live(CargoCollector(), "serde", ("1.0.200",))
    assert got.metadata.repository_url == "https://github.com/serde-rs/serde"
    assert got.metadata.license == "MIT OR Apache-2.0"
    # Owners come from crates.io's web API where it answers; elsewhere the record says why not.
    owners = [m for m in got.maintainers if m.role in ("owner", "owner-team")]
    assert owners or any(w.startswith("owners not collected") for w in got.warnings)


@pytest.mark.online
def test_debian_archive_live() -> None:
    got = live(DebianCollector(releases=("bookworm",)), "debian/libcurl4")
    assert "Debian-Source :: curl" in got.metadata.classifiers
    assert got.metadata.repository_url == "https://github.com/curl/curl"
    assert got.metadata.last_release_at is not None  # the top entry of debian/changelog
    assert any(d.name == "debian/libssl3" for d in got.dependencies)
