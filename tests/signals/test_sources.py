"""Every vulnerability source on literal inputs of its documented shape: OSV records, OSV-Scanner output,
a folder of OSV records, CycloneDX SBOMs and VEX documents with analysis states, PyPI's JSON API."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from collectors.errors import InputError
from collectors.vulnerabilities import cyclonedx, osv_folder, osv_scanner, pypi
from collectors.vulnerabilities.collect import read_file
from collectors.vulnerabilities.model import Coverage
from collectors.vulnerabilities.osv import advisory, findings, package_purl

URLLIB3_RECORD: dict[str, Any] = {
    "id": "GHSA-v845-jxx5-vc9f",
    "aliases": ["CVE-2023-43804"],
    "summary": "Cookie HTTP header isn't stripped on cross-origin redirects",
    "published": "2023-10-02T23:23:19Z",
    "modified": "2024-01-10T12:00:00Z",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:N"}],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "urllib3", "purl": "pkg:pypi/urllib3"},
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.26.17"}]},
                {"type": "ECOSYSTEM", "events": [{"introduced": "2.0.0"}, {"fixed": "2.0.6"}]},
            ],
        }
    ],
    "references": [{"type": "ADVISORY", "url": "https://nvd.nist.gov/vuln/detail/CVE-2023-43804"}],
    "database_specific": {"severity": "MODERATE"},
}
LODASH_RECORD: dict[str, Any] = {
    "id": "GHSA-35jh-r3h4-6jhm",
    "aliases": ["CVE-2021-23337"],
    "summary": "Command Injection in lodash",
    "affected": [
        {
            "package": {"ecosystem": "npm", "name": "lodash"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}],
        }
    ],
    "database_specific": {"severity": "HIGH"},
}


def test_an_osv_record_gives_its_advisory_with_a_cvss_severity() -> None:
    made = advisory(URLLIB3_RECORD)
    assert (made.id, made.aliases, made.cvss_score, made.severity) == (
        "GHSA-v845-jxx5-vc9f",
        ("CVE-2023-43804",),
        5.9,
        "medium",
    )
    assert made.url == "https://nvd.nist.gov/vuln/detail/CVE-2023-43804"
    assert advisory(LODASH_RECORD).severity == "high"  # no vector: the database's own word


def test_osv_findings_match_the_versions_in_use_only() -> None:
    wanted = {"pkg:pypi/urllib3": {"1.26.5", "1.26.18", "2.0.2"}}
    found = findings(URLLIB3_RECORD, wanted, "osv")
    assert [(f.version, f.ranges, f.fixed) for f in found] == [
        ("1.26.5", ("<1.26.17",), ("1.26.17",)),
        ("2.0.2", (">=2.0.0, <2.0.6",), ("2.0.6",)),
    ]


def test_a_withdrawn_record_affects_nothing() -> None:
    assert (
        findings(
            {**URLLIB3_RECORD, "withdrawn": "2024-01-01T00:00:00Z"}, {"pkg:pypi/urllib3": {"1.0"}}, "osv"
        )
        == []
    )


def test_explicit_versions_count_where_socle_cannot_order_versions() -> None:
    record = {
        "id": "GHSA-maven-1",
        "affected": [
            {
                "package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "2.0-beta9"}, {"fixed": "2.15.0"}]}
                ],
                "versions": ["2.14.1"],
            }
        ],
    }
    purl = "pkg:maven/org.apache.logging.log4j/log4j-core"
    assert package_purl(record["affected"][0]["package"]) == purl
    assert [f.version for f in findings(record, {purl: {"2.14.1", "2.13.0"}}, "osv")] == ["2.14.1"]


def test_osv_scanner_output_covers_the_packages_it_lists() -> None:
    output = {
        "results": [
            {
                "source": {"path": "/src/package-lock.json", "type": "lockfile"},
                "packages": [
                    {
                        "package": {"name": "lodash", "version": "4.17.15", "ecosystem": "npm"},
                        "vulnerabilities": [LODASH_RECORD],
                        "groups": [{"ids": ["GHSA-35jh-r3h4-6jhm"], "max_severity": "7.2"}],
                    }
                ],
            }
        ]
    }
    report = osv_scanner.read(output)
    assert report.covered == (Coverage("pkg:npm/lodash", "4.17.15"),)
    assert [(f.purl, f.version, f.advisory.id, f.fixed) for f in report.findings] == [
        ("pkg:npm/lodash", "4.17.15", "GHSA-35jh-r3h4-6jhm", ("4.17.21",))
    ]


def test_a_folder_of_osv_records_zipped_or_not(tmp_path: Path) -> None:
    (tmp_path / "PyPI").mkdir()
    (tmp_path / "PyPI" / "GHSA-v845-jxx5-vc9f.json").write_text(json.dumps(URLLIB3_RECORD), encoding="utf-8")
    (tmp_path / "npm").mkdir()
    with zipfile.ZipFile(tmp_path / "npm" / "all.zip", "w") as archive:
        archive.writestr("GHSA-35jh-r3h4-6jhm.json", json.dumps(LODASH_RECORD))
        archive.writestr("broken.json", "{not json")
    wanted = {"pkg:pypi/urllib3": {"1.26.5"}, "pkg:npm/lodash": {"4.17.21"}, "pkg:cargo/serde": {"1.0.0"}}
    report = osv_folder.read(tmp_path, wanted)
    assert [(f.purl, f.version) for f in report.findings] == [("pkg:pypi/urllib3", "1.26.5")]
    # npm and PyPI are covered (the folder has their records); crates.io is not collected
    assert set(report.covered) == {
        Coverage("pkg:pypi/urllib3", "1.26.5"),
        Coverage("pkg:npm/lodash", "4.17.21"),
    }
    assert [s[1] for s in report.skipped] == ["not an OSV record (invalid JSON)"]


SBOM_WITH_VEX: dict[str, Any] = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "components": [
        {"bom-ref": "urllib3-ref", "type": "library", "name": "urllib3", "version": "1.26.5",
         "purl": "pkg:pypi/urllib3@1.26.5"},
        {"bom-ref": "jinja2-ref", "type": "library", "name": "jinja2", "version": "3.1.2",
         "purl": "pkg:pypi/jinja2@3.1.2"},
        {"bom-ref": "six-ref", "type": "library", "name": "six", "version": "1.16.0", "purl": "pkg:pypi/six@1.16.0"},
    ],
    "vulnerabilities": [
        {
            "id": "CVE-2023-43804",
            "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2023-43804"},
            "references": [{"id": "GHSA-v845-jxx5-vc9f", "source": {"name": "GitHub"}}],
            "ratings": [{"score": 8.1, "severity": "high", "method": "CVSSv31", "vector": "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "description": "Cookie header leaks on cross-origin redirects",
            "affects": [{"ref": "urllib3-ref", "versions": [{"version": "1.26.5", "status": "affected"},
                                                             {"version": "1.26.17", "status": "unaffected"}]}],
        },
        {
            "id": "CVE-2024-22195",
            "ratings": [{"severity": "medium"}],
            "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
            "affects": [{"ref": "jinja2-ref"}],
        },
        {"id": "CVE-0000-0001", "affects": [{"ref": "urn:cdx:unknown/1#missing"}]},
    ],
}  # fmt: skip


def test_cyclonedx_vulnerabilities_with_analysis_states_and_coverage() -> None:
    report = cyclonedx.read(SBOM_WITH_VEX)
    found = {(f.purl, f.advisory.id): f for f in report.findings}
    urllib3 = found[("pkg:pypi/urllib3", "CVE-2023-43804")]
    assert (urllib3.version, urllib3.fixed, urllib3.advisory.severity, urllib3.advisory.cvss_score) == (
        "1.26.5", ("1.26.17",), "high", 8.1,
    )  # fmt: skip
    assert urllib3.advisory.aliases == ("GHSA-v845-jxx5-vc9f",) and urllib3.exposed
    jinja = found[("pkg:pypi/jinja2", "CVE-2024-22195")]
    assert (jinja.state, jinja.exposed) == ("not_affected", False)
    # every component was scanned: six is covered with nothing found
    assert Coverage("pkg:pypi/six", "1.16.0") in report.covered
    assert report.skipped == (
        (
            "CVE-0000-0001",
            "affects 'urn:cdx:unknown/1#missing', which names no component version of this document",
        ),
    )


def test_a_standalone_vex_names_components_by_purl() -> None:
    vex = {"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": [
        {"id": "GHSA-35jh-r3h4-6jhm", "affects": [{"ref": "pkg:npm/lodash@4.17.15"}],
         "analysis": {"state": "exploitable"}}]}  # fmt: skip
    report = cyclonedx.read(vex)
    assert [(f.purl, f.version, f.state, f.exposed) for f in report.findings] == [
        ("pkg:npm/lodash", "4.17.15", "exploitable", True)
    ]
    assert report.covered == (Coverage("pkg:npm/lodash", "4.17.15"),)


def test_pypi_json_vulnerabilities_cover_only_the_version_described() -> None:
    document = {
        "info": {"name": "urllib3", "version": "1.26.5"},
        "vulnerabilities": [
            {"id": "GHSA-v845-jxx5-vc9f", "aliases": ["CVE-2023-43804"], "details": "Cookie leak",
             "fixed_in": ["1.26.17", "2.0.6"], "link": "https://osv.dev/vulnerability/GHSA-v845-jxx5-vc9f",
             "source": "osv", "withdrawn": None},
            {"id": "PYSEC-2000-1", "details": "withdrawn one", "fixed_in": [], "withdrawn": "2024-01-01T00:00:00Z"},
        ],
    }  # fmt: skip
    report = pypi.read("pkg:pypi/urllib3", document, {"1.26.5"})
    assert [(f.advisory.id, f.fixed) for f in report.findings] == [
        ("GHSA-v845-jxx5-vc9f", ("1.26.17", "2.0.6"))
    ]
    assert report.covered == (Coverage("pkg:pypi/urllib3", "1.26.5"),)
    assert pypi.read("pkg:pypi/urllib3", document, {"1.25.0"}).covered == ()


def test_a_file_that_is_no_vulnerability_report_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text(json.dumps({"bomFormat": "CycloneDX", "components": []}), encoding="utf-8")
    with pytest.raises(InputError, match="not a vulnerability report socle reads"):
        read_file(path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        read_file(deep)


def test_spdx_security_references_are_findings_on_the_package_version() -> None:
    from collectors.vulnerabilities import spdx

    document = {
        "spdxVersion": "SPDX-2.3",
        "packages": [
            {"SPDXID": "SPDXRef-urllib3", "name": "urllib3", "versionInfo": "1.26.5", "externalRefs": [
                {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                 "referenceLocator": "pkg:pypi/urllib3@1.26.5"},
                {"referenceCategory": "SECURITY", "referenceType": "advisory",
                 "referenceLocator": "https://nvd.nist.gov/vuln/detail/CVE-2023-43804"},
                {"referenceCategory": "SECURITY", "referenceType": "advisory",
                 "referenceLocator": "https://github.com/advisories/GHSA-g4mx-q9vg-27p4"},
                {"referenceCategory": "SECURITY", "referenceType": "fix",
                 "referenceLocator": "https://github.com/urllib3/urllib3/commit/abc"}]},
            {"SPDXID": "SPDXRef-six", "name": "six", "versionInfo": "1.16.0", "externalRefs": [
                {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                 "referenceLocator": "pkg:pypi/six@1.16.0"}]},
        ],
    }  # fmt: skip
    assert spdx.has_security_references(document)
    report = spdx.read(document)
    assert [(f.purl, f.version, f.advisory.id) for f in report.findings] == [
        ("pkg:pypi/urllib3", "1.26.5", "CVE-2023-43804"),
        ("pkg:pypi/urllib3", "1.26.5", "GHSA-g4mx-q9vg-27p4"),
    ]
    assert report.covered == (
        Coverage("pkg:pypi/urllib3", "1.26.5"),
    )  # six carries no references: not covered
