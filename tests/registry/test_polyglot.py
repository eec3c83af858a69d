"""Maven Central, Go module proxy, crates.io and Debian collectors on recorded answers
(``python -m tests.registry.record_polyglot``), on hostile ones, and through ``socle refresh``."""

from __future__ import annotations

import asyncio
import io
import json
import lzma
import tarfile
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from analysis.pipeline import RefreshOptions, run_refresh
from analysis.queries.registry import registry_coverage
from collectors.base import Collected, Collector, Failed, Outcome, PackageRef, Skipped
from collectors.errors import InputError
from collectors.http import HttpSettings, open_fetcher
from collectors.registry.cargo import CargoCollector, cargo_range, index_path
from collectors.registry.deb822 import decompress_xz, paragraphs, people
from collectors.registry.debian import DebianCollector
from collectors.registry.golang import GoCollector
from collectors.registry.gomod import escape_path, parse_go_mod, repository_for_module
from collectors.registry.maven import MavenCollector
from collectors.registry.maven_versions import best_maven_version, version_key
from collectors.registry.pom import parse_pom
from collectors.store import read_connection
from tests.registry.conftest import path_transport

NOW = datetime(2026, 12, 1, 12, 0)


def run(
    collector: Collector,
    name: str,
    versions: tuple[str, ...],
    transport: httpx.AsyncBaseTransport,
    *,
    attempts: int = 1,
) -> Outcome:
    ref = PackageRef(collector.purl_for(name), collector.ecosystem, name, versions)

    async def main() -> Outcome:
        async with open_fetcher(HttpSettings(attempts=attempts), transport=transport) as fetcher:
            return await collector.collect(fetcher, ref, now=NOW)

    return asyncio.run(main())


def collected(collector: Collector, name: str, versions: tuple[str, ...] = ()) -> Collected:
    outcome = run(collector, name, versions, path_transport(collector.ecosystem))
    assert isinstance(outcome, Collected), outcome
    return outcome


def answering(body: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body))


# ------------------------------------------------------------------------------------------------- Maven


def test_maven_jackson_databind_inherits_from_its_parent_chain() -> None:
    maven = MavenCollector()
    seen: list[str] = []
    ref_name = "com.fasterxml.jackson.core/jackson-databind"
    outcome = run(maven, ref_name, ("2.17.0",), path_transport("maven", seen=seen))
    assert isinstance(outcome, Collected)
    m = outcome.metadata
    assert m.purl == "pkg:maven/com.fasterxml.jackson.core/jackson-databind"
    assert m.repository_url == "https://github.com/FasterXML/jackson-databind"
    assert m.license == "The Apache Software License, Version 2.0"  # stated by jackson-base, a parent
    assert m.ownership_org == "FasterXML"  # stated by oss-parent, four levels up
    assert dict(m.project_urls)["issues"] == "https://github.com/FasterXML/jackson-databind/issues"
    assert m.latest_version == "2.23.0"
    assert [(p.login, p.role) for p in outcome.maintainers] == [("cowtowncoder", "developer")]
    # The POM and its four parents: databind -> jackson-base -> jackson-bom -> jackson-parent -> oss-parent,
    # and the BOM jackson-base imports (org.junit:junit-bom:${version.junit5}).
    assert sum(path.endswith(".pom") for path in seen) == 6
    assert maven.parent_fetches == 4 and maven.boms_unavailable == 0
    runtime = {(d.name, d.specifier, d.marker) for d in outcome.dependencies if d.kind == "runtime"}
    assert runtime == {
        ("com.fasterxml.jackson.core/jackson-annotations", "2.17.0", "scope=compile"),
        ("com.fasterxml.jackson.core/jackson-core", "2.17.0", "scope=compile"),
        # The 2.17.0 POM declares it without a scope, and no dependencyManagement of the chain gives one.
        ("net.bytebuddy/byte-buddy", "1.14.9", "scope=compile"),
    }
    # junit's version and scope come from the chain's dependencyManagement (jackson-base, jackson-parent).
    assert {d.name for d in outcome.dependencies if d.kind == "dev"} >= {
        "junit/junit",
        "org.mockito/mockito-core",
    }
    # Versionless in databind's POM and in the chain: versioned by the imported junit-bom 5.10.2.
    dev = {d.name: d.specifier for d in outcome.dependencies if d.kind == "dev"}
    assert (dev["org.junit.jupiter/junit-jupiter"], dev["org.junit.vintage/junit-vintage-engine"]) == (
        "5.10.2",
        "5.10.2",
    )


def test_maven_parent_poms_are_fetched_once_per_refresh() -> None:
    maven = MavenCollector()
    seen: list[str] = []
    ref = PackageRef(
        "pkg:maven/com.fasterxml.jackson.core/jackson-databind",
        "maven",
        "com.fasterxml.jackson.core/jackson-databind",
    )

    async def main() -> None:
        async with open_fetcher(
            HttpSettings(attempts=1), transport=path_transport("maven", seen=seen)
        ) as fetcher:
            await asyncio.gather(*(maven.dependencies_of(fetcher, ref, "2.17.0") for _ in range(3)))

    asyncio.run(main())
    assert len(seen) == 6  # the POM, its four parents and the junit BOM, once each
    assert maven.parent_fetches == 4


def test_maven_relocation_and_interpolation() -> None:
    pom = b"""<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <groupId>org.example</groupId><artifactId>old</artifactId><version>1.0</version>
  <properties><lib.version>2.5</lib.version></properties>
  <distributionManagement><relocation><groupId>org.example.new</groupId><artifactId>new</artifactId>
    <message>renamed</message></relocation></distributionManagement>
  <dependencies><dependency><groupId>org.lib</groupId><artifactId>lib</artifactId>
    <version>${lib.version}</version></dependency></dependencies>
</project>"""
    parsed = parse_pom(pom, "old.pom")
    assert parsed.relocation == "relocated to org.example.new:new: renamed"
    assert parsed.dependencies[0].version == "${lib.version}"
    assert parsed.properties == {"lib.version": "2.5"}


def test_maven_refuses_entity_expansion() -> None:
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<project><name>&lol2;</name></project>"""
    with pytest.raises(InputError, match="unreadable XML"):
        parse_pom(laughs, "evil.pom")
    outcome = run(MavenCollector(), "org.evil/evil", (), answering(laughs))
    assert isinstance(outcome, Failed) and "unreadable XML" in outcome.reason


def test_maven_version_order_and_ranges() -> None:
    assert version_key("1.0") == version_key("1.0.0") == version_key("1-ga")
    ordered = sorted(["1.0-SNAPSHOT", "1.0", "1.0-rc1", "1.0-alpha", "1.0.1", "1.0-sp1"], key=version_key)
    assert ordered == ["1.0-alpha", "1.0-rc1", "1.0-SNAPSHOT", "1.0", "1.0-sp1", "1.0.1"]
    versions = ["1.0", "1.5", "2.0-beta1", "2.0", "2.1"]
    assert best_maven_version(versions, "1.5") == "1.5"
    assert best_maven_version(versions, "[1.0,2.0)") == "1.5"
    assert best_maven_version(versions, "[2.0,)") == "2.1"
    assert best_maven_version(versions, None) == "2.1"


# --------------------------------------------------------------------------------------------------- Go


def test_go_cobra_requires_and_release_times() -> None:
    outcome = collected(GoCollector(), "github.com/spf13/cobra", ("v1.8.0",))
    assert outcome.metadata.purl == "pkg:golang/github.com/spf13/cobra"
    assert outcome.metadata.repository_url == "https://github.com/spf13/cobra"
    assert outcome.metadata.latest_version == "v1.10.2"
    assert {(d.name, d.specifier) for d in outcome.dependencies} == {
        ("github.com/cpuguy83/go-md2man/v2", "v2.0.3"),
        ("github.com/inconshreveable/mousetrap", "v1.1.0"),
        ("github.com/spf13/pflag", "v1.0.5"),
        ("gopkg.in/yaml.v3", "v3.0.1"),
    }
    dated = {r.version: r.released_at for r in outcome.releases if r.released_at}
    assert set(dated) == {"v1.8.0", "v1.10.2"}  # the recorded .info answers


def test_go_deprecation_case_encoding_and_vanity_paths() -> None:
    protobuf = collected(GoCollector(), "github.com/golang/protobuf", ("v1.5.4",))
    assert protobuf.metadata.deprecated == 'Use the "google.golang.org/protobuf" module instead.'
    toml = collected(GoCollector(), "github.com/BurntSushi/toml", ("v1.3.2",))
    assert toml.metadata.purl == "pkg:golang/github.com/BurntSushi/toml"
    assert toml.metadata.repository_url == "https://github.com/BurntSushi/toml"
    text = collected(GoCollector(), "golang.org/x/text", ("v0.14.0",))
    assert text.metadata.repository_url == "https://github.com/golang/text"
    assert escape_path("github.com/BurntSushi/toml") == "github.com/!burnt!sushi/toml"
    assert repository_for_module("gopkg.in/yaml.v3") == "https://github.com/go-yaml/yaml"
    assert repository_for_module("gopkg.in/check.v1") == "https://github.com/go-check/check"
    assert (
        repository_for_module("gopkg.in/natefinch/lumberjack.v2") == "https://github.com/natefinch/lumberjack"
    )
    assert repository_for_module("k8s.io/client-go") == "https://github.com/kubernetes/client-go"
    assert repository_for_module("go.uber.org/zap") == "https://github.com/uber-go/zap"
    assert repository_for_module("github.com/jackc/pgx/v5") == "https://github.com/jackc/pgx"
    assert (
        repository_for_module("github.com/aws/aws-sdk-go-v2/service/s3")
        == "https://github.com/aws/aws-sdk-go-v2"
    )
    assert repository_for_module("example.invalid/thing") is None


def test_go_mod_retractions_and_deprecation_paragraph() -> None:
    mod = parse_go_mod(
        b"""// Deprecated: use example.com/new instead.
module example.com/old

go 1.21

require example.com/a v1.2.0
require (
\texample.com/b v0.3.0 // indirect
)

retract v1.0.1 // published by mistake
retract (
\t[v1.1.0, v1.1.9]
)
""",
        "go.mod",
    )
    assert mod.module == "example.com/old"
    assert mod.deprecated == "use example.com/new instead."
    assert mod.requires == (("example.com/a", "v1.2.0", False), ("example.com/b", "v0.3.0", True))
    assert mod.retracted == (("v1.0.1", "v1.0.1"), ("v1.1.0", "v1.1.9"))


# ------------------------------------------------------------------------------------------------ crates


def test_cargo_itoa_from_index_and_archive() -> None:
    outcome = collected(CargoCollector(), "itoa", ("1.0.11",))
    m = outcome.metadata
    assert m.purl == "pkg:cargo/itoa"
    assert m.repository_url == "https://github.com/dtolnay/itoa"
    assert m.license == "MIT OR Apache-2.0"
    assert m.latest_version == "1.0.19"
    assert [(a.login, a.email) for a in outcome.maintainers] == [("David Tolnay", "dtolnay@gmail.com")]
    assert [(f.url, f.platform) for f in outcome.funding] == [
        ("https://github.com/sponsors/dtolnay", "github-sponsors")
    ]
    assert [(d.name, d.kind) for d in outcome.dependencies] == [("no-panic", "optional")]
    assert len(outcome.releases) == 12  # the recorded index keeps its last 12 lines


def test_cargo_requirements_and_index_paths() -> None:
    assert [index_path(n) for n in ("a", "ab", "abc", "Serde")] == ["1/a", "2/ab", "3/a/abc", "se/rd/serde"]
    assert cargo_range("1.2") == "^1.2"
    assert cargo_range(">=1, <2") == ">=1 <2"
    versions = ["0.9.0", "1.0.1", "1.2.5", "2.0.0"]
    assert CargoCollector().best_version(versions, "1.0") == "1.2.5"
    assert CargoCollector().best_version(versions, "=1.0.1") == "1.0.1"
    assert CargoCollector().best_version(versions, "~1.0") == "1.0.1"


def test_cargo_refuses_an_archive_that_is_not_a_crate() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("config.json"):
            return httpx.Response(200, json={"dl": "https://static.crates.test/crates"})
        if request.url.path.endswith("/download"):
            return httpx.Response(200, content=b"<html>login</html>")
        line = {"name": "evil", "vers": "1.0.0", "deps": [], "features": {}, "yanked": False}
        return httpx.Response(200, content=json.dumps(line).encode())

    outcome = run(CargoCollector(), "evil", ("1.0.0",), httpx.MockTransport(handler))
    assert isinstance(outcome, Failed) and "unreadable crate archive" in outcome.reason


# ------------------------------------------------------------------------------------------------ Debian


def test_debian_binary_maps_to_its_source_package() -> None:
    debian = DebianCollector(releases=("bookworm",))
    curl = collected(debian, "debian/libcurl4")
    m = curl.metadata
    assert m.purl == "pkg:deb/debian/libcurl4"
    assert m.latest_version == "7.88.1-10+deb12u15"
    assert m.repository_url == "https://github.com/curl/curl"  # debian/upstream/metadata
    assert m.license == "curl"  # the "Files: *" paragraph of the machine-readable debian/copyright
    assert dict(m.project_urls)["vcs-git"] == "https://salsa.debian.org/debian/curl.git"
    assert "Debian-Source :: curl" in m.classifiers and "Standards-Version :: 4.6.2" in m.classifiers
    assert [(p.login, p.role) for p in curl.maintainers] == [
        ("Alessandro Ghedini", "maintainer"),
        ("Samuel Henrique", "uploader"),
        ("Sergio Durigan Junior", "uploader"),
    ]
    zlib = collected(debian, "debian/zlib1g")
    assert zlib.metadata.repository_url is None  # http://zlib.net/ is no forge, and no upstream metadata
    # bookworm-security has a newer zlib; its pool file is not served here, so the facts come from 1.2.13.dfsg-1.
    assert zlib.metadata.latest_version == "1:1.2.13.dfsg-1+deb12u1"
    assert zlib.metadata.license == "Zlib"


def test_debian_skips_what_it_does_not_hold() -> None:
    debian = DebianCollector(releases=("bookworm",))
    missing = run(debian, "debian/no-such-package", (), path_transport("deb"))
    assert missing == Skipped(
        "pkg:deb/debian/no-such-package",
        "not in Debian bookworm (main, contrib, non-free, non-free-firmware)",
    )
    ubuntu = run(debian, "ubuntu/libc6", (), path_transport("deb"))
    assert isinstance(ubuntu, Skipped) and "ubuntu" in ubuntu.reason


def test_deb822_streams_paragraphs_across_chunks() -> None:
    text = "Package: a\nDescription: one\n more\n\nPackage: b\nUploaders: X Y <x@y.org>,\n Z <z@y.org>\n"
    body = lzma.compress(text.encode())
    pieces = [body[i : i + 7] for i in range(0, len(body), 7)]
    got = list(paragraphs(decompress_xz(pieces, "t"), ("Package", "Description", "Uploaders"), "t"))
    assert got == [
        {"Package": "a", "Description": "one\nmore"},
        {"Package": "b", "Uploaders": "X Y <x@y.org>,\nZ <z@y.org>"},
    ]
    assert people(got[1]["Uploaders"]) == [("X Y", "x@y.org"), ("Z", "z@y.org")]
    with pytest.raises(InputError, match="truncated"):
        list(decompress_xz([body[:-20]], "t"))


# ------------------------------------------------------------------------------------------ refresh, end to end

SBOM_COMPONENTS = [
    "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.0",
    "pkg:golang/github.com/spf13/cobra@v1.8.0",
    "pkg:cargo/itoa@1.0.11",
    "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u15?arch=amd64&distro=debian-12",
    "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64",
    "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u15?arch=amd64",  # the same source package as libcurl4
]
_HOSTS = {
    "repo.maven.apache.org": "maven",
    "proxy.golang.org": "golang",
    "index.crates.io": "cargo",
    "deb.debian.org": "deb",
}


def polyglot_transport() -> httpx.MockTransport:
    transports = {host: path_transport(eco) for host, eco in _HOSTS.items()}

    def handler(request: httpx.Request) -> httpx.Response:
        inner = transports.get(request.url.host)
        if inner is None:
            return httpx.Response(404)
        return inner.handle_request(request)

    return httpx.MockTransport(handler)


def test_refresh_collects_every_new_ecosystem(tmp_path: Path) -> None:
    from analysis.cli import main

    sbom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {"component": {"type": "application", "name": "polyglot", "version": "1"}},
        "components": [
            {
                "type": "library",
                "name": p.split("/")[-1].split("@")[0],
                "version": p.split("@")[1].split("?")[0],
                "purl": p,
            }
            for p in SBOM_COMPONENTS
        ],
    }
    (tmp_path / "polyglot.cdx.json").write_text(json.dumps(sbom))
    db = tmp_path / "socle.duckdb"
    assert main(["import", "--db", str(db), str(tmp_path / "polyglot.cdx.json")]) == 0
    options = RefreshOptions(
        db_path=db,
        now=NOW,
        only=frozenset({"maven", "golang", "cargo", "deb"}),
        http_transport=polyglot_transport(),
        http_cache=False,
    )
    session = run_refresh(options)
    with read_connection(db) as conn:
        coverage = {
            r.ecosystem: (r.packages, r.with_metadata, r.with_repository, r.with_funding)
            for r in registry_coverage(conn)
        }
        organisations = conn.execute(
            "SELECT count(*) FROM package_maintainers WHERE source = 'maven'"
        ).fetchone()
        inferred_deb = conn.execute(
            "SELECT purl FROM app_packages WHERE inferred AND purl LIKE 'pkg:deb/%' ORDER BY 1"
        ).fetchall()
    assert coverage["maven"][1:3] == (1, 1)
    assert coverage["golang"][1:3] == (1, 1)
    assert coverage["cargo"][1:] == (1, 1, 1)
    # Completion follows the Depends (the recorded index holds libssl3 and zlib1g of the many libcurl4 needs);
    # a dependency keeps its dependent's distro, so curl (no distro) brings a libcurl4 of its own.
    assert inferred_deb == [
        ("pkg:deb/debian/libcurl4",),
        ("pkg:deb/debian/libssl3",),
        ("pkg:deb/debian/libssl3?distro=debian-12",),
        ("pkg:deb/debian/zlib1g?distro=debian-12",),
    ]
    assert coverage["deb"][:3] == (7, 7, 3)
    assert organisations == (1,)
    assert session.counts["deb_collected"] == 7  # 3 in the registry step, 4 met through completion


def test_hand_built_crate_archive_is_bounded() -> None:
    from collectors.registry.cargo import read_archive

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        data = b'[package]\nname = "x"\nversion = "1.0.0"\nrepository = "https://github.com/o/x"\n'
        info = tarfile.TarInfo("x-1.0.0/Cargo.toml")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    manifest, funding = read_archive(out.getvalue(), "x", "1.0.0", "x.crate")
    assert manifest["package"]["repository"] == "https://github.com/o/x" and funding is None
    with pytest.raises(InputError, match=r"no x-2\.0\.0/Cargo\.toml"):
        read_archive(out.getvalue(), "x", "2.0.0", "x.crate")


def test_maven_faults_on_a_real_socket(tmp_path: Path) -> None:
    """The loopback fake registry serving a Maven repository: a parent POM failing once (500) is retried,
    an artifact whose POM keeps failing (503) is an error on the run and its neighbours are collected."""
    from bench.bench_polyglot import _build_store, maven_document
    from bench.fake_registry import FakeRegistry, Route, serve

    flaky_parent = "/org/bench/p1/project-parent/1/project-parent-1.pom"
    broken = "/org/bench/p2/artifact-0002/1.2.0/artifact-0002-1.2.0.pom"
    parent_route = maven_document(flaky_parent)
    assert parent_route is not None
    fake = FakeRegistry(
        routes={
            flaky_parent: Route(dynamic=lambda n: Route(b"busy", 500) if n == 1 else parent_route),
            broken: Route(b"down", 503),
        },
        fallback=maven_document,
    )
    db = tmp_path / "socle.duckdb"
    _build_store(db, 6)
    with serve(fake):
        options = RefreshOptions(
            db_path=db,
            now=NOW,
            only=frozenset({"maven"}),
            registry_urls={"maven": fake.base_url},
            http_cache=False,
        )
        session = run_refresh(options)
    assert session.status == "partial"
    assert fake.requests.count(flaky_parent) == 2
    assert fake.requests.count(broken) == 4  # the first try and three retries
    with read_connection(db) as conn:
        stored = conn.execute(
            "SELECT purl, repository_url, ownership_org FROM package_metadata ORDER BY 1"
        ).fetchall()
        errors = conn.execute("SELECT subject FROM run_events WHERE severity = 'error'").fetchall()
    assert len(stored) == 5
    assert stored[1] == (
        "pkg:maven/org.bench.p1/artifact-0001",
        "https://github.com/bench-org/p1",
        "Bench Foundation",
    )
    assert errors == [("pkg:maven/org.bench.p2/artifact-0002",)]


def test_debian_truncated_index_fails_every_package_with_the_reason() -> None:
    full = path_transport("deb")

    def handler(request: httpx.Request) -> httpx.Response:
        answer = full.handle_request(request)
        if request.url.path.endswith("Sources.xz"):
            return httpx.Response(200, content=answer.read()[:-40])
        return answer

    debian = DebianCollector(releases=("bookworm",))
    outcome = run(debian, "debian/libcurl4", (), httpx.MockTransport(handler))
    assert isinstance(outcome, Failed) and "truncated" in outcome.reason


@pytest.mark.parametrize(
    ("ecosystem", "name", "version", "prefix"),
    [
        ("golang", "github.com/spf13/cobra", "v1.8.0", ""),
        ("cargo", "itoa", "1.0.11", ""),
        ("deb", "debian/libcurl4", "", "/debian"),
    ],
)
def test_every_answer_failing_once_on_a_real_socket_is_retried(
    ecosystem: str, name: str, version: str, prefix: str
) -> None:
    """The loopback fake registry serves the recorded answers, each one failing with a 500 the first time."""
    from bench.fake_registry import FakeRegistry, Route, serve
    from collectors.base import collector_for
    from tests.registry.conftest import FIXTURES

    root = FIXTURES / ecosystem
    fake = FakeRegistry(routes={})

    def flaky(body: bytes) -> Route:
        return Route(dynamic=lambda n: Route(b"busy", 500) if n == 1 else Route(body))

    with serve(fake):
        for file in root.rglob("*"):
            if file.is_file():
                body = file.read_bytes()
                if file.name == "config.json":  # the index names where archives are: here
                    body = json.dumps(
                        {"dl": fake.base_url + "/artifactory/api/cargo/crates-io/v1/crates"}
                    ).encode()
                path = prefix + "/" + str(file.relative_to(root))
                fake.routes[path.replace("!", "%21").replace("+", "%2B")] = flaky(body)
                fake.routes[path] = flaky(body)
        collector = type(collector_for(ecosystem))(fake.base_url + prefix)  # type: ignore[call-arg]
        outcome = run(collector, name, (version,) if version else (), httpx.AsyncHTTPTransport(), attempts=2)
    assert isinstance(outcome, Collected), outcome
    retried = [p for p in set(fake.requests) if fake.requests.count(p) == 2]
    assert len(retried) >= 2
