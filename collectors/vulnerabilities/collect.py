"""Collecting vulnerability data into the store: files a user hands over, the registries' stored answers, and
an offline folder of OSV records. Each source's report replaces that source's earlier findings on the versions
it covered (:func:`collectors.store.vulnerabilities.store_report`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.store import WriteSession
from collectors.store.vulnerabilities import store_report
from collectors.vulnerabilities import cyclonedx, osv_folder, osv_scanner, pypi, spdx
from collectors.vulnerabilities.model import Coverage, Finding, VulnerabilityReport
from collectors.vulnerabilities.reading import read_json


def read_file(path: Path) -> VulnerabilityReport:
    """A CycloneDX SBOM or VEX with ``vulnerabilities``, or OSV-Scanner's JSON output."""
    document = read_json(path)
    if cyclonedx.is_cyclonedx_with_vulnerabilities(document):
        return cyclonedx.read(document)
    if osv_scanner.is_osv_scanner(document):
        return osv_scanner.read(document)
    if spdx.has_security_references(document):
        return spdx.read(document)
    raise InputError(
        str(path),
        "not a vulnerability report socle reads: expected a CycloneDX document with a 'vulnerabilities' "
        "section (an SBOM or VEX), OSV-Scanner's JSON output ('results') or an SPDX 2.3 document with "
        "SECURITY advisory references",
    )


def import_files(session: WriteSession, paths: Sequence[Path]) -> int:
    """Store every file's report; a bad file is one error naming it, the others are stored."""
    stored = 0
    for path in paths:
        try:
            report = read_file(path)
        except InputError as exc:
            session.event("error", str(path), str(exc))
            continue
        stored += store_report(session, report)
        session.count("vulnerability_files", 1)
    return stored


def import_folder(session: WriteSession, folder: Path, in_use: Mapping[str, set[str]]) -> int:
    return store_report(session, osv_folder.read(folder, in_use))


def import_pypi_documents(
    session: WriteSession, documents: Sequence[tuple[str, Mapping[str, Any]]], in_use: Mapping[str, set[str]]
) -> int:
    """PyPI's ``vulnerabilities`` from the JSON answers the refresh stored (only for the version they describe)."""
    findings: list[Finding] = []
    covered: list[Coverage] = []
    for purl, document in documents:
        report = pypi.read(purl, document, set(in_use.get(purl, set())))
        findings.extend(report.findings)
        covered.extend(report.covered)
    merged = VulnerabilityReport(pypi.SOURCE, tuple(findings), tuple(dict.fromkeys(covered)))
    return store_report(session, merged) if merged.covered else 0
