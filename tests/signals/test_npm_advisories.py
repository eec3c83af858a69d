"""npm's bulk advisory endpoint, on an answer written by hand in the shape npm documents
(https://docs.npmjs.com/cli/commands/npm-audit#audit-endpoints): the endpoint answered HTTP 405 (only GET
allowed) from the machine these tests were written on, so no answer could be recorded."""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path

import httpx

from collectors.http import HttpSettings, open_fetcher
from collectors.vulnerabilities import npm
from collectors.vulnerabilities.model import Coverage, VulnerabilityReport

ANSWER = json.loads(
    (
        Path(__file__).resolve().parents[1] / "fixtures" / "vulnerabilities" / "npm-bulk-advisories.json"
    ).read_text()
)
IN_USE = {
    "pkg:npm/lodash": {"4.17.20", "4.17.21"},
    "pkg:npm/minimist": {"1.2.5"},
    "pkg:npm/%40babel/core": {"7.0.0"},
    "pkg:pypi/requests": {"2.31.0"},
}
FAST = {"wait_initial": 0.001, "wait_jitter": 0.0, "wait_max": 0.01}


def _collect(
    handler: object, in_use: dict[str, set[str]] = IN_USE
) -> tuple[VulnerabilityReport, list[npm.Refused]]:
    async def main() -> tuple[VulnerabilityReport, list[npm.Refused]]:
        settings = HttpSettings(cache_dir=None, **FAST)  # type: ignore[arg-type]
        async with open_fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:  # type: ignore[arg-type]
            return await npm.collect(fetcher, in_use)

    return asyncio.run(main())


def test_batches_hold_only_npm_versions_in_use_named_as_the_registry_names_them() -> None:
    assert npm.batches(IN_USE, size=2) == [
        {
            "pkg:npm/%40babel/core": {"@babel/core": ["7.0.0"]},
            "pkg:npm/lodash": {"lodash": ["4.17.20", "4.17.21"]},
        },
        {"pkg:npm/minimist": {"minimist": ["1.2.5"]}},
    ]


def test_ranges_are_rechecked_per_version_with_npm_semver() -> None:
    (batch,) = npm.batches(IN_USE)
    report = npm.read(batch, ANSWER)
    found = sorted((f.purl, f.version, f.advisory.id, f.advisory.severity, f.fixed) for f in report.findings)
    assert found == [
        ("pkg:npm/lodash", "4.17.20", "GHSA-29mw-wpgm-hmr9", "medium", ("4.17.21",)),
        ("pkg:npm/lodash", "4.17.20", "GHSA-35jh-r3h4-6jhm", "high", ("4.17.21",)),
        ("pkg:npm/minimist", "1.2.5", "GHSA-xvch-5gv4-984h", "critical", ("0.2.4", "1.2.6")),
    ]
    # every version sent was looked at, with or without advisories: 4.17.21 and @babel/core 7.0.0 have none
    assert sorted((c.purl, c.version) for c in report.covered) == [
        ("pkg:npm/%40babel/core", "7.0.0"),
        ("pkg:npm/lodash", "4.17.20"),
        ("pkg:npm/lodash", "4.17.21"),
        ("pkg:npm/minimist", "1.2.5"),
    ]
    minimist = next(f for f in report.findings if f.purl == "pkg:npm/minimist")
    assert minimist.advisory.cvss_score == 9.8 and minimist.advisory.aliases == ("npm:1096309", "CWE-1321")
    assert minimist.ranges == ("<0.2.4 || >=1.0.0 <1.2.6",) and minimist.source == "npm"


def test_one_gzip_post_per_batch_to_the_bulk_endpoint() -> None:
    seen: list[tuple[str, str, dict[str, list[str]]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["content-encoding"] == "gzip"
        seen.append((request.method, request.url.path, json.loads(gzip.decompress(request.content))))
        return httpx.Response(200, json=ANSWER)

    report, refused = _collect(handler)
    assert refused == []
    assert seen == [
        ("POST", "/-/npm/v1/security/advisories/bulk",
         {"@babel/core": ["7.0.0"], "lodash": ["4.17.20", "4.17.21"], "minimist": ["1.2.5"]}),
    ]  # fmt: skip
    assert len(report.findings) == 3 and len(report.covered) == 4


def test_a_refused_call_is_not_collected_with_why_never_no_vulnerabilities() -> None:
    report, refused = _collect(lambda request: httpx.Response(405, headers={"allow": "GET,HEAD"}))
    assert report.covered == () and report.findings == ()
    (why,) = refused
    assert why.reason == "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk answered HTTP 405"
    assert Coverage("pkg:npm/lodash", "4.17.20") in why.versions and len(why.versions) == 4


def test_an_html_answer_is_not_collected() -> None:
    report, refused = _collect(lambda request: httpx.Response(200, content=b"<html>proxy login</html>"))
    assert report.covered == ()
    assert "answered HTML" in refused[0].reason


def test_no_npm_package_in_use_means_no_call() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json={})

    report, refused = _collect(handler, {"pkg:pypi/requests": {"2.31.0"}})
    assert calls == [] and report.covered == () and refused == []
