"""PyPI and npm collectors on recorded answers, and on hostile ones."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import httpx
import pytest

from collectors.base import Collected, Failed, Outcome, PackageRef, Skipped
from collectors.http import HttpSettings, open_fetcher
from collectors.registry.npm import NpmCollector
from collectors.registry.parsing import purl_for
from collectors.registry.pypi import PypiCollector
from tests.registry.conftest import recorded_transport

NOW = datetime(2026, 11, 22, 12, 0)


def collect(
    ecosystem: str, name: str, versions: tuple[str, ...] = (), transport: httpx.MockTransport | None = None
) -> Outcome:
    collector = PypiCollector() if ecosystem == "pypi" else NpmCollector()
    ref = PackageRef(purl_for(ecosystem, name), ecosystem, name, versions)

    async def main() -> Outcome:
        settings = HttpSettings(wait_initial=0.001, wait_jitter=0, wait_max=0.01)
        async with open_fetcher(settings, transport=transport or recorded_transport()) as fetcher:
            return await collector.collect(fetcher, ref, now=NOW)

    return asyncio.run(main())


def collected(ecosystem: str, name: str, versions: tuple[str, ...] = ()) -> Collected:
    outcome = collect(ecosystem, name, versions)
    assert isinstance(outcome, Collected), outcome
    return outcome


def test_pypi_attrs_metadata_funding_and_organisation() -> None:
    got = collected("pypi", "attrs")
    m = got.metadata
    assert m.purl == "pkg:pypi/attrs"
    assert m.latest_version == "26.1.0"
    assert m.repository_url == "https://github.com/python-attrs/attrs"
    assert m.ownership_org == "attrs"
    assert m.license == "MIT"
    assert m.requires_python and m.requires_python.startswith(">=")
    assert dict(m.project_urls)["funding"] == "https://github.com/sponsors/hynek"
    assert {(f.platform, f.label) for f in got.funding} == {
        ("github-sponsors", "Funding"),
        ("tidelift", "Tidelift"),
    }
    assert m.first_release_at is not None and m.last_release_at is not None
    assert m.first_release_at <= m.last_release_at
    assert len(got.releases) == 12
    assert got.documents and got.documents[0].url == "https://pypi.org/pypi/attrs/json"


def test_pypi_maintainers_dependencies_and_markers() -> None:
    got = collected("pypi", "requests")
    assert {m.login for m in got.maintainers} == {"Lukasa", "graffatcolmingov", "nateprewitt"}
    runtime = {d.name for d in got.dependencies if d.kind == "runtime"}
    assert {"charset_normalizer", "idna", "urllib3", "certifi"} <= runtime
    optional = [d for d in got.dependencies if d.kind == "optional"]
    assert optional and all(d.marker and "extra" in d.marker for d in optional)
    assert got.metadata.repository_url == "https://github.com/psf/requests"


def test_pypi_version_in_use_without_version_document_keeps_a_warning() -> None:
    got = collected("pypi", "requests", ("2.0.0",))
    assert any("2.0.0" in w for w in got.warnings)


def test_pypi_404_is_skipped_with_reason() -> None:
    outcome = collect("pypi", "this-package-does-not-exist-socle")
    assert isinstance(outcome, Skipped)
    assert "404" in outcome.reason


def test_npm_funding_array_repository_shorthand_and_times() -> None:
    got = collected("npm", "postcss")
    assert got.metadata.repository_url == "https://github.com/postcss/postcss"
    assert [f.platform for f in got.funding] == ["open-collective", "tidelift", "github-sponsors"]
    assert got.metadata.license == "MIT"
    assert all(r.released_at is not None for r in got.releases)


def test_npm_scoped_monorepo_directory_and_object_funding() -> None:
    got = collected("npm", "@babel/core")
    assert got.metadata.purl == "pkg:npm/%40babel/core"
    assert got.metadata.repository_url == "https://github.com/babel/babel"
    assert got.metadata.repository_directory == "packages/babel-core"
    assert [(f.platform, f.label) for f in got.funding] == [("open-collective", "opencollective")]
    assert any(d.kind == "runtime" for d in got.dependencies)


def test_npm_string_funding_and_git_plus_https() -> None:
    vite = collected("npm", "vite")
    assert vite.metadata.repository_url == "https://github.com/vitejs/vite"
    assert [(f.url, f.platform) for f in vite.funding] == [
        ("https://github.com/vitejs/vite?sponsor=1", "other")
    ]
    assert any(d.kind == "peer" for d in vite.dependencies)


def test_npm_maintainers_and_deprecation() -> None:
    # The recorded packuments carry neither field, so this one is written out in full.
    packument = {
        "name": "old-lib",
        "dist-tags": {"latest": "2.0.0"},
        "maintainers": [{"name": "alice", "email": "alice@example.org"}, {"name": "bob"}],
        "time": {"1.0.0": "2015-01-01T00:00:00.000Z", "2.0.0": "2020-02-03T04:05:06.789Z"},
        "versions": {
            "1.0.0": {"version": "1.0.0"},
            "2.0.0": {
                "version": "2.0.0",
                "deprecated": "request has been deprecated",
                "license": {"type": "ISC"},
            },
        },
    }
    transport = recorded_transport({"/old-lib": httpx.Response(200, json=packument)})
    got = collect("npm", "old-lib", transport=transport)
    assert isinstance(got, Collected)
    assert [(m.login, m.email) for m in got.maintainers] == [("alice", "alice@example.org"), ("bob", None)]
    assert got.metadata.deprecated == "request has been deprecated"
    assert got.metadata.license == "ISC"
    assert got.metadata.last_release_at == datetime(2020, 2, 3, 4, 5, 6, 789000)
    assert got.metadata.releases_last_12m == 0


def test_npm_version_in_use_selects_its_dependencies() -> None:
    full = json.loads(
        (__import__("pathlib").Path(__file__).parent.parent / "fixtures/registry/npm/ws.json").read_text()
    )
    older = sorted(full["versions"])[0]
    got = collected("npm", "ws", (older,))
    assert {d.version for d in got.dependencies} <= {older}


HOSTILE = {
    "html": httpx.Response(200, content=b"<!DOCTYPE html><html><body>Bad gateway</body></html>"),
    "truncated": httpx.Response(200, content=b'{"info": {"version": "1.0", "summary": "cut'),
    "wrong types": httpx.Response(200, json={"info": {"version": 3, "classifiers": "x"}}),
    "info is a list": httpx.Response(200, json={"info": ["x"]}),
    "10 MB field": httpx.Response(
        200, json={"info": {"version": "1.0", "summary": "x" * (10 * 1024 * 1024)}}
    ),
    "deep nesting": httpx.Response(200, content=b'{"info": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"),
    "not an object": httpx.Response(200, content=b"[1, 2, 3]"),
    "empty": httpx.Response(200, content=b""),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_pypi_answers_are_failures_not_crashes(case: str) -> None:
    transport = recorded_transport({"/pypi/attrs/json": HOSTILE[case]})
    outcome = collect("pypi", "attrs", transport=transport)
    assert isinstance(outcome, Failed)
    assert outcome.transient is False
    assert outcome.purl == "pkg:pypi/attrs"


@pytest.mark.parametrize(
    "body",
    [
        b"<html>proxy error</html>",
        json.dumps(
            {
                "dist-tags": {"latest": "1.0.0"},
                "versions": {"1.0.0": {"funding": {"url": 5}, "dependencies": []}},
            }
        ).encode(),
        json.dumps({"versions": "nope"}).encode(),
        json.dumps(
            {
                "dist-tags": {"latest": "1.0.0"},
                "versions": {"1.0.0": {"description": "d" * (3 * 1024 * 1024)}},
                "readme": "r" * (3 * 1024 * 1024),
            }
        ).encode(),
    ],
)
def test_hostile_npm_answers_are_failures_or_dropped_fields(body: bytes) -> None:
    transport = recorded_transport({"/ws": httpx.Response(200, content=body)})
    outcome = collect("npm", "ws", transport=transport)
    if isinstance(outcome, Collected):  # an invalid funding value is dropped, as npm itself does
        assert outcome.funding == () and outcome.warnings
    else:
        assert isinstance(outcome, Failed)
