"""SPDX 2.3 security references: a package's ``externalRefs`` of category ``SECURITY`` and type ``advisory``
(https://spdx.github.io/spdx-spec/v2.3/external-repository-identifiers/#f4-security).

Each advisory reference on a package with a purl and a ``versionInfo`` is a finding on that version; the
advisory id is read from the locator (a CVE or GHSA id in its URL). ``fix`` references give no version, so
the fixed version stays unknown. Only the packages carrying references are covered: an SPDX document does not
say its author scanned the others.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from collectors.purls import PurlError, parse_purl
from collectors.vulnerabilities.model import Advisory, Coverage, Finding, VulnerabilityReport

SOURCE = "spdx"
_ID = re.compile(
    r"(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+|OSV-\d{4}-\d+)", re.I
)


def has_security_references(document: Any) -> bool:
    if not isinstance(document, Mapping) or not str(document.get("spdxVersion", "")).startswith("SPDX-2"):
        return False
    return any(
        isinstance(ref, Mapping) and ref.get("referenceCategory") in ("SECURITY", "SECURITY_ADVISORY")
        for package in document.get("packages") or []
        if isinstance(package, Mapping)
        for ref in package.get("externalRefs") or []
    )


def _purl(package: Mapping[str, Any]) -> str | None:
    for ref in package.get("externalRefs") or []:
        if isinstance(ref, Mapping) and ref.get("referenceType") == "purl":
            locator = ref.get("referenceLocator")
            return locator if isinstance(locator, str) else None
    return None


def read(document: Mapping[str, Any]) -> VulnerabilityReport:
    findings: list[Finding] = []
    covered: list[Coverage] = []
    skipped: list[tuple[str, str]] = []
    for package in document.get("packages") or []:
        if not isinstance(package, Mapping):
            continue
        advisories = [
            ref.get("referenceLocator")
            for ref in package.get("externalRefs") or []
            if isinstance(ref, Mapping)
            and ref.get("referenceCategory") in ("SECURITY", "SECURITY_ADVISORY")
            and ref.get("referenceType") == "advisory"
        ]
        if not advisories:
            continue
        text = _purl(package)
        try:
            parsed = parse_purl(text) if text else None
        except PurlError:
            parsed = None
        version = package.get("versionInfo") if isinstance(package.get("versionInfo"), str) else None
        version = version or (parsed.version if parsed else None)
        if parsed is None or not version:
            skipped.append(
                (str(package.get("SPDXID")), "security references on a package without a purl and version")
            )
            continue
        covered.append(Coverage(parsed.package.purl, version))
        for locator in advisories:
            match = _ID.search(locator) if isinstance(locator, str) else None
            if match is None:
                skipped.append((str(locator), "an advisory reference whose locator names no CVE or GHSA id"))
                continue
            found_id = match.group(1)
            # CVE ids are upper case; GHSA ids keep their lower-case body (GHSA-v845-jxx5-vc9f)
            made = Advisory(
                id=found_id.upper() if found_id.upper().startswith("CVE") else found_id, url=str(locator)
            )
            findings.append(Finding(parsed.package.purl, version, made, (), (), None, SOURCE))
    return VulnerabilityReport(SOURCE, tuple(findings), tuple(dict.fromkeys(covered)), tuple(skipped))
