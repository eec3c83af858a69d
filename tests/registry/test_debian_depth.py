"""Debian beyond one index pair: suites (security, updates), components, architectures, dpkg's version
order, Depends for completion, the distro qualifier, and upload dates from debian/changelog.

Recorded answers: tests/fixtures/registry/deb/ (``python -m tests.registry.record_polyglot``; the security
suite's indices under deb/security/). The expected version orders were checked with
``dpkg --compare-versions`` on the machine the fixtures were recorded on.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from collectors.base import Collected, Outcome, PackageRef, Skipped
from collectors.http import HttpSettings, open_fetcher
from collectors.registry.debian import DebianCollector, changelog_dates, distro_of
from collectors.registry.debian_archive import ArchiveLayout, relations, version_key
from tests.registry.conftest import path_transport

NOW = datetime(2026, 12, 2, 12, 0)


def _run(purl: str, name: str, versions: tuple[str, ...] = (), seen: list[str] | None = None) -> Outcome:
    debian = DebianCollector(releases=("bookworm",))
    ref = PackageRef(purl, "deb", name, versions)

    async def main() -> Outcome:
        async with open_fetcher(
            HttpSettings(attempts=1), transport=path_transport("deb", seen=seen)
        ) as fetcher:
            return await debian.collect(fetcher, ref, now=NOW)

    return asyncio.run(main())


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("1.0~rc1", "1.0"),  # a tilde sorts before the end of the string
        ("1.0~", "1.0"),
        ("1.0", "1.0.0"),
        ("1.0", "1.0a"),
        ("1.0a", "1.0+b1"),  # letters before other characters
        ("9", "10"),
        ("1.0-9", "1.0-10"),
        ("2.0", "1:0.9"),  # the epoch first
        ("1.2.13.dfsg-1", "1:1.2.13.dfsg-1"),
        ("3.0.11-1~deb12u2", "3.0.15-1~deb12u1"),
        ("7.88.1-10+deb12u5", "7.88.1-10+deb12u15"),
        ("1.0-1~bpo1", "1.0-1"),
        ("1.0-1", "1.0-1.1"),
    ],
)
def test_versions_follow_dpkg_order(older: str, newer: str) -> None:
    assert version_key(older) < version_key(newer)


def test_equal_versions_by_dpkg() -> None:
    assert version_key("1.0") == version_key("1.00") == version_key("1.0-0")
    assert version_key("0:1.0") == version_key("1.0")


def test_the_security_suite_replaces_an_older_version_and_never_a_newer_one() -> None:
    seen: list[str] = []
    zlib = _run("pkg:deb/debian/zlib1g", "debian/zlib1g", seen=seen)
    assert isinstance(zlib, Collected)
    assert zlib.metadata.latest_version == "1:1.2.13.dfsg-1+deb12u1"  # from bookworm-security
    assert {r.version for r in zlib.releases} == {"1:1.2.13.dfsg-1", "1:1.2.13.dfsg-1+deb12u1"}
    # Its archive is in the security pool (relative to debian-security), which answers 404 here: the
    # facts come from the displaced 1.2.13.dfsg-1, and the record says so.
    assert "/security/pool/updates/main/z/zlib/zlib_1.2.13.dfsg-1+deb12u1.debian.tar.xz" in seen
    assert zlib.metadata.license == "Zlib"
    assert any("read from 1:1.2.13.dfsg-1" in w for w in zlib.warnings)
    # bookworm-security's curl (7.88.1-10+deb12u5) is older than the point release's.
    curl = _run("pkg:deb/debian/libcurl4", "debian/libcurl4")
    assert isinstance(curl, Collected)
    assert curl.metadata.latest_version == "7.88.1-10+deb12u15"
    # Every suite and component was asked for; the ones not recorded are named as missing indices.
    assert "/dists/bookworm-updates/non-free-firmware/binary-amd64/Packages.xz" in seen
    assert "/security/dists/bookworm-security/contrib/source/Sources.xz" in seen
    assert any(w.startswith("index not on the mirror (404)") for w in curl.warnings)


def test_depends_become_dependencies_with_the_distro_of_the_package() -> None:
    purl = "pkg:deb/debian/libcurl4?distro=debian-12"
    curl = _run(purl, "debian/libcurl4", ("7.88.1-10+deb12u12",))
    assert isinstance(curl, Collected)
    deps = [(d.version, d.name, d.specifier, d.kind) for d in curl.dependencies]
    assert len(deps) == 12
    assert deps[0] == ("7.88.1-10+deb12u12", "debian/libbrotli1?distro=debian-12", ">= 0.6.0", "runtime")
    assert ("7.88.1-10+deb12u12", "debian/libssl3?distro=debian-12", ">= 3.0.0", "runtime") in deps
    collector = DebianCollector()
    # A dependency's purl keeps the release, so completion links it to the SBOM's own component.
    assert collector.purl_for("debian/libssl3?distro=debian-12") == "pkg:deb/debian/libssl3?distro=debian-12"
    assert collector.purl_for("debian/libssl3") == "pkg:deb/debian/libssl3"


def test_relations_take_the_first_alternative_without_qualifiers() -> None:
    found = relations(
        "libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, python3:any, "
        "libfoo [amd64] (>= 1) <!nocheck>, ${misc:Depends}, perl-base\n (>= 5.36)"
    )
    assert [(r.name, r.specifier, r.alternatives) for r in found] == [
        ("libc6", ">= 2.34", ()),
        ("debconf", ">= 0.5", ("debconf-2.0",)),
        ("python3", None, ()),
        ("libfoo", ">= 1", ()),
        ("perl-base", ">= 5.36", ()),
    ]


def test_upload_dates_come_from_the_changelog() -> None:
    curl = _run("pkg:deb/debian/libcurl4", "debian/libcurl4", ("7.88.1-10+deb12u12",))
    assert isinstance(curl, Collected)
    uploaded = datetime(2026, 5, 8, 7, 16, 21, tzinfo=timezone(timedelta(hours=-7)))
    assert curl.metadata.last_release_at == uploaded
    dates = {r.version: r.released_at for r in curl.releases}
    assert dates["7.88.1-10+deb12u15"] == uploaded
    # The version in use, older than the archive's, is dated by its own changelog entry.
    assert dates["7.88.1-10+deb12u12"] == datetime(2025, 3, 9, 10, 45, 45, tzinfo=UTC)
    assert changelog_dates("pkg (1.0-1) unstable; urgency=low\n\n  * x\n\n -- A <a@b>  not a date\n") == {}


def test_the_distro_qualifier_chooses_the_release() -> None:
    assert distro_of("pkg:deb/debian/libc6?distro=debian-12") == "debian-12"
    assert distro_of("pkg:deb/debian/libc6") is None
    layout = ArchiveLayout.from_environment("https://deb.debian.org/debian", ("bookworm",))
    assert layout.releases_for("debian-11") == ("bullseye",)
    assert layout.releases_for("trixie") == ("trixie",)
    assert layout.releases_for("debian-99") == ("bookworm",)
    seen: list[str] = []
    bullseye = _run("pkg:deb/debian/libcurl4?distro=debian-11", "debian/libcurl4", seen=seen)
    assert isinstance(bullseye, Skipped) and "bullseye/main/source/Sources.xz" in bullseye.reason
    assert all("bookworm" not in path for path in seen)


def test_suites_components_and_architectures_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    default = ArchiveLayout.from_environment("https://deb.debian.org/debian")
    assert default.security_url == "https://deb.debian.org/debian-security"
    # 3 suites x 4 components x (Sources + 1 Packages)
    assert len(list(default.indices("bookworm"))) == 24
    monkeypatch.setenv("SOCLE_DEBIAN_SUITES", "release,security")
    monkeypatch.setenv("SOCLE_DEBIAN_COMPONENTS", "main")
    monkeypatch.setenv("SOCLE_DEBIAN_ARCHITECTURES", "amd64,arm64,all")
    monkeypatch.setenv("SOCLE_DEBIAN_SECURITY_URL", "https://mirror.example/debian-security/")
    layout = ArchiveLayout.from_environment("https://mirror.example/debian")
    assert [(f.url, f.required) for f in layout.indices("bookworm")] == [
        ("https://mirror.example/debian/dists/bookworm/main/source/Sources.xz", True),
        ("https://mirror.example/debian/dists/bookworm/main/binary-amd64/Packages.xz", True),
        ("https://mirror.example/debian/dists/bookworm/main/binary-arm64/Packages.xz", True),
        ("https://mirror.example/debian/dists/bookworm/main/binary-all/Packages.xz", True),
        ("https://mirror.example/debian-security/dists/bookworm-security/main/source/Sources.xz", False),
        (
            "https://mirror.example/debian-security/dists/bookworm-security/main/binary-amd64/Packages.xz",
            False,
        ),
        (
            "https://mirror.example/debian-security/dists/bookworm-security/main/binary-arm64/Packages.xz",
            False,
        ),
        ("https://mirror.example/debian-security/dists/bookworm-security/main/binary-all/Packages.xz", False),
    ]


def test_a_missing_optional_index_is_a_warning_and_a_missing_release_a_skip() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    debian = DebianCollector(releases=("bookworm",))
    ref = PackageRef("pkg:deb/debian/libcurl4", "deb", "debian/libcurl4")

    async def main() -> Outcome:
        async with open_fetcher(HttpSettings(attempts=1), transport=httpx.MockTransport(handler)) as fetcher:
            return await debian.collect(fetcher, ref, now=NOW)

    outcome = asyncio.run(main())
    assert isinstance(outcome, Skipped) and "(404)" in outcome.reason
