"""Maven's effective POM on hand-written POMs: imported BOMs, ``<scm>`` of child modules, release dates.

The POMs are written by hand after the POM 4.0.0 reference (https://maven.apache.org/pom.html:
inheritance, ``dependencyManagement`` with ``<type>pom</type><scope>import</scope>``, ``<scm>`` and its
``child.scm.url.inherit.append.path`` attribute) and the reproducible-builds guide
(https://maven.apache.org/guides/mini/guide-reproducible-builds.html, ``project.build.outputTimestamp``),
and served by a mock repository that records each path asked.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime

import httpx
import pytest

from collectors.base import Collected, PackageRef
from collectors.http import HttpSettings, open_fetcher
from collectors.registry import maven as maven_module
from collectors.registry.maven import MavenCollector
from collectors.registry.maven_effective import parse_output_timestamp

NOW = datetime(2026, 12, 1, 12, 0)
BASE = "https://repo.example.org/maven2"


def pom(
    coords: str, parent: str | None = None, body: str = "", *, scm: str = "", project_attributes: str = ""
) -> bytes:
    group, artifact, version = coords.split(":")
    parent_xml = ""
    if parent:
        p_group, p_artifact, p_version = parent.split(":")
        parent_xml = (
            f"<parent><groupId>{p_group}</groupId><artifactId>{p_artifact}</artifactId>"
            f"<version>{p_version}</version></parent>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<project xmlns="http://maven.apache.org/POM/4.0.0" {project_attributes}>'
        f"<modelVersion>4.0.0</modelVersion>{parent_xml}<groupId>{group}</groupId>"
        f"<artifactId>{artifact}</artifactId><version>{version}</version>{scm}{body}</project>"
    ).encode()


def managed(*entries: str) -> str:
    """``group:artifact:version[:scope[:type]]`` entries of a ``<dependencyManagement>``."""
    out = []
    for entry in entries:
        group, artifact, version, *rest = entry.split(":")
        scope = f"<scope>{rest[0]}</scope>" if rest else ""
        kind = f"<type>{rest[1]}</type>" if len(rest) > 1 else ""
        out.append(
            f"<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
            f"<version>{version}</version>{kind}{scope}</dependency>"
        )
    return f"<dependencyManagement><dependencies>{''.join(out)}</dependencies></dependencyManagement>"


def uses(*entries: str) -> str:
    """Versionless ``group:artifact`` dependencies: their versions must come from management."""
    out = [
        f"<dependency><groupId>{e.split(':')[0]}</groupId><artifactId>{e.split(':')[1]}</artifactId></dependency>"
        for e in entries
    ]
    return f"<dependencies>{''.join(out)}</dependencies>"


def path_of(coords: str) -> str:
    group, artifact, version = coords.split(":")
    return f"/{group.replace('.', '/')}/{artifact}/{version}/{artifact}-{version}.pom"


def repository(
    poms: dict[str, bytes], headers: dict[str, dict[str, str]] | None = None
) -> tuple[httpx.MockTransport, Counter[str]]:
    asked: Counter[str] = Counter()
    served = {path_of(c): body for c, body in poms.items()}
    artifacts: dict[str, list[str]] = {}
    for coords in poms:
        group, artifact, version = coords.split(":")
        artifacts.setdefault(f"/{group.replace('.', '/')}/{artifact}", []).append(version)
    for directory, versions in artifacts.items():
        group = ".".join(directory.strip("/").split("/")[:-1])
        served[f"{directory}/maven-metadata.xml"] = (
            f"<metadata><groupId>{group}</groupId><artifactId>{directory.rsplit('/', 1)[1]}</artifactId>"
            f"<versioning><release>{versions[-1]}</release><versions>"
            + "".join(f"<version>{v}</version>" for v in versions)
            + "</versions></versioning></metadata>"
        ).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/maven2")
        asked[path] += 1
        if path not in served:
            return httpx.Response(404, text="not found")
        return httpx.Response(200, content=served[path], headers=(headers or {}).get(path, {}))

    return httpx.MockTransport(handler), asked


def collect(
    transport: httpx.MockTransport,
    *refs: tuple[str, tuple[str, ...]],
    collector: MavenCollector | None = None,
) -> list[Collected]:
    maven = collector or MavenCollector(BASE)

    async def main() -> list[Collected]:
        async with open_fetcher(HttpSettings(attempts=1), transport=transport) as fetcher:
            outcomes = await asyncio.gather(
                *(
                    maven.collect(fetcher, PackageRef(maven.purl_for(name), "maven", name, versions), now=NOW)
                    for name, versions in refs
                )
            )
        for outcome in outcomes:
            assert isinstance(outcome, Collected), outcome
        return list(outcomes)  # type: ignore[arg-type]

    return asyncio.run(main())


def versions_of(outcome: Collected) -> dict[str, str | None]:
    return {d.name: d.specifier for d in outcome.dependencies}


# ------------------------------------------------------------------------------------------ imported BOMs

BOMS = {
    # The application's project parent manages lib-y itself and imports two BOMs, the first by a property.
    "org.app:app-parent:1": pom(
        "org.app:app-parent:1",
        body="<properties><platform.version>2.0</platform.version></properties>"
        + managed(
            "org.lib:lib-y:9.9",
            "org.bom:platform-bom:${platform.version}:import:pom",
            "org.bom:other-bom:1:import:pom",
            "org.bom:missing-bom:1:import:pom",
        ),
    ),
    "org.app:app:1.0": pom(
        "org.app:app:1.0",
        "org.app:app-parent:1",
        uses("org.lib:lib-x", "org.lib:lib-y", "org.lib:lib-z", "org.lib:lib-p", "org.lib:lib-w"),
    ),
    "org.app:tool:1.0": pom("org.app:tool:1.0", "org.app:app-parent:1", uses("org.lib:lib-x")),
    # platform-bom's versions come from its own properties and its own parent's dependencyManagement.
    "org.bom:platform-parent:2.0": pom(
        "org.bom:platform-parent:2.0", body=managed("org.lib:lib-p:${lib.p.version}")
    ),
    "org.bom:platform-bom:2.0": pom(
        "org.bom:platform-bom:2.0",
        "org.bom:platform-parent:2.0",
        "<properties><lib.x.version>1.5</lib.x.version><lib.p.version>3.1</lib.p.version></properties>"
        + managed("org.lib:lib-x:${lib.x.version}", "org.lib:lib-y:1.0", "org.bom:nested-bom:7:import:pom"),
    ),
    # A BOM importing a BOM; and a cycle back to platform-bom, which is left out.
    "org.bom:nested-bom:7": pom(
        "org.bom:nested-bom:7", body=managed("org.lib:lib-z:4.2", "org.bom:platform-bom:2.0:import:pom")
    ),
    # A later import: what the earlier one manages wins.
    "org.bom:other-bom:1": pom("org.bom:other-bom:1", body=managed("org.lib:lib-x:0.1", "org.lib:lib-w:8")),
}


def test_imported_boms_version_what_they_manage_in_maven_order() -> None:
    transport, asked = repository(BOMS)
    collector = MavenCollector(BASE)
    app, tool = collect(transport, ("org.app/app", ("1.0",)), ("org.app/tool", ("1.0",)), collector=collector)
    assert versions_of(app) == {
        "org.lib/lib-x": "1.5",  # platform-bom (imported first, its own property) over other-bom's 0.1
        "org.lib/lib-y": "9.9",  # the project's own dependencyManagement over platform-bom's 1.0
        "org.lib/lib-z": "4.2",  # nested-bom, imported by platform-bom
        "org.lib/lib-p": "3.1",  # platform-bom's parent's entry, with platform-bom's property
        "org.lib/lib-w": "8",  # other-bom
    }
    assert versions_of(tool) == {"org.lib/lib-x": "1.5"}
    # Each BOM and BOM parent fetched once for both artifacts; the missing one asked once and counted.
    for coords in ("org.bom:platform-bom:2.0", "org.bom:platform-parent:2.0", "org.bom:nested-bom:7"):
        assert asked[path_of(coords)] == 1, coords
    assert asked[path_of("org.bom:missing-bom:1")] == 1
    assert collector.boms_unavailable == 1


def test_bom_imports_are_followed_to_a_bounded_depth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maven_module, "MAX_BOM_DEPTH", 3)
    chain = {
        f"org.bom:bom-{n}:1": pom(
            f"org.bom:bom-{n}:1", body=managed(f"org.lib:lib-{n}:{n}.0", f"org.bom:bom-{n + 1}:1:import:pom")
        )
        for n in range(1, 6)
    }
    poms = {
        **chain,
        "org.app:deep:1": pom(
            "org.app:deep:1",
            body=managed("org.bom:bom-1:1:import:pom") + uses(*(f"org.lib:lib-{n}" for n in range(1, 6))),
        ),
    }
    transport, asked = repository(poms)
    (deep,) = collect(transport, ("org.app/deep", ("1",)))
    assert versions_of(deep) == {
        "org.lib/lib-1": "1.0",
        "org.lib/lib-2": "2.0",
        "org.lib/lib-3": "3.0",
        "org.lib/lib-4": None,  # past the bound: not known, completion takes the newest stable version
        "org.lib/lib-5": None,
    }
    assert asked[path_of("org.bom:bom-4:1")] == 0


# ------------------------------------------------------------------------------------ scm of child modules

PROJECT_SCM = (
    "<scm><url>https://gitlab.example.org/grp/sub/project</url>"
    "<connection>scm:git:https://gitlab.example.org/grp/sub/project.git</connection></scm>"
)
MODULES = {
    "org.ex:project:3": pom("org.ex:project:3", scm=PROJECT_SCM),
    # Inherits <scm>: Maven appends its artifactId.
    "org.ex:core:3": pom("org.ex:core:3", "org.ex:project:3"),
    # A module of a module: both artifactIds appended.
    "org.ex:extras:3": pom("org.ex:extras:3", "org.ex:project:3"),
    "org.ex:extras-json:3": pom("org.ex:extras-json:3", "org.ex:extras:3"),
    # States its own URL under the project's: still the project's repository.
    "org.ex:cli:3": pom(
        "org.ex:cli:3",
        "org.ex:project:3",
        scm="<scm><url>https://gitlab.example.org/grp/sub/project/cli</url></scm>",
    ),
    # A project saying its modules do not get the path appended (Maven 3.6.1+).
    "org.flat:flat-parent:1": pom(
        "org.flat:flat-parent:1",
        scm='<scm child.scm.url.inherit.append.path="false"><url>https://github.com/flat/flat</url></scm>',
    ),
    "org.flat:flat-module:1": pom("org.flat:flat-module:1", "org.flat:flat-parent:1"),
}


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("org.ex/core", "https://gitlab.example.org/grp/sub/project/core"),
        ("org.ex/extras-json", "https://gitlab.example.org/grp/sub/project/extras/extras-json"),
        ("org.ex/cli", "https://gitlab.example.org/grp/sub/project/cli"),
        ("org.ex/project", "https://gitlab.example.org/grp/sub/project"),
    ],
)
def test_every_module_maps_to_its_projects_repository(name: str, source: str) -> None:
    transport, _ = repository(MODULES)
    (outcome,) = collect(transport, (name, ("3",)))
    # GitLab allows nested groups: the path alone cannot say where the repository ends; the parent can.
    assert outcome.metadata.repository_url == "https://gitlab.example.org/grp/sub/project"
    assert dict(outcome.metadata.project_urls)["source"] == source  # Maven's own scm URL for the module


def test_append_path_false_keeps_the_parents_url() -> None:
    transport, _ = repository(MODULES)
    (outcome,) = collect(transport, ("org.flat/flat-module", ("1",)))
    assert dict(outcome.metadata.project_urls)["source"] == "https://github.com/flat/flat"
    assert outcome.metadata.repository_url == "https://github.com/flat/flat"


# ------------------------------------------------------------------------------------------- release dates


def stamped(coords: str, stamp: str, parent: str | None = None) -> bytes:
    return pom(
        coords,
        parent,
        f"<properties><project.build.outputTimestamp>{stamp}</project.build.outputTimestamp></properties>",
    )


def test_release_dates_of_the_versions_in_use() -> None:
    poms = {
        # An organisation parent's timestamp is that parent's release, not the artifact's.
        "org.org:org-parent:40": stamped("org.org:org-parent:40", "2020-01-01T00:00:00Z"),
        "org.x:lib:1.0": stamped("org.x:lib:1.0", "2024-08-24T18:40:18Z", "org.org:org-parent:40"),
        "org.x:lib:1.1": pom("org.x:lib:1.1", "org.org:org-parent:40"),
        "org.x:lib:1.2": stamped("org.x:lib:1.2", "1980-02-01T00:00:00Z"),  # a reproducible-build placeholder
        "org.x:lib:1.3": pom("org.x:lib:1.3"),
        "org.x:lib:1.4": stamped("org.x:lib:1.4", "2025-01-02T04:04:05+01:00"),
    }
    # A mirror that answers Last-Modified: the publication date, preferred over the build's timestamp.
    headers = {
        path_of("org.x:lib:1.3"): {"Last-Modified": "Tue, 03 Mar 2026 10:00:00 GMT"},
        path_of("org.x:lib:1.4"): {"Last-Modified": "yesterday"},  # unreadable: the POM's timestamp then
    }
    transport, _ = repository(poms, headers)
    (outcome,) = collect(transport, ("org.x/lib", ("1.0", "1.1", "1.2", "1.3", "1.4")))
    dates = {r.version: r.released_at for r in outcome.releases}
    assert dates == {
        "1.0": datetime(2024, 8, 24, 18, 40, 18),
        "1.1": None,  # not stated by its own project: not known
        "1.2": None,
        "1.3": datetime(2026, 3, 3, 10, 0),
        "1.4": datetime(2025, 1, 2, 3, 4, 5),
    }


@pytest.mark.parametrize(
    ("value", "when"),
    [
        ("2024-08-24T18:40:18Z", datetime(2024, 8, 24, 18, 40, 18)),
        ("2024-08-24T20:40:18+02:00", datetime(2024, 8, 24, 18, 40, 18)),
        ("1724524818", datetime(2024, 8, 24, 18, 40, 18)),
        ("2024-08-24T18:40:18", None),  # no offset: not an instant
        ("${git.commit.time}", None),
        ("10", None),
        ("", None),
        ("soon", None),
    ],
)
def test_output_timestamp_forms(value: str, when: datetime | None) -> None:
    assert parse_output_timestamp(value) == when
