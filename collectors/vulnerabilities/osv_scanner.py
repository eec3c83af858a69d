"""OSV-Scanner's JSON output (``osv-scanner --format json``; https://google.github.io/osv-scanner/output/).

``results[].packages[]`` holds each package with its ecosystem, name, version and the OSV records that affect
it. OSV-Scanner lists only the packages it found something for (unless run with ``--all-packages``): those
listed are covered; the others stay "not collected" by this source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from collectors.vulnerabilities.model import Coverage, Finding, VulnerabilityReport
from collectors.vulnerabilities.osv import advisory, findings, package_purl

SOURCE = "osv-scanner"


def is_osv_scanner(document: Any) -> bool:
    return isinstance(document, Mapping) and isinstance(document.get("results"), list)


def read(document: Mapping[str, Any]) -> VulnerabilityReport:
    found: list[Finding] = []
    covered: list[Coverage] = []
    skipped: list[tuple[str, str]] = []
    for result in document.get("results") or []:
        for entry in (result.get("packages") or []) if isinstance(result, Mapping) else []:
            package = entry.get("package") if isinstance(entry, Mapping) else None
            if not isinstance(package, Mapping):
                continue
            purl = package_purl(package)
            version = package.get("version")
            if purl is None or not isinstance(version, str):
                skipped.append(
                    (str(package.get("name")), f"ecosystem {package.get('ecosystem')!r} not named by socle")
                )
                continue
            covered.append(Coverage(purl, version))
            wanted = {purl: {version}}
            for record in entry.get("vulnerabilities") or []:
                if isinstance(record, Mapping):
                    hits = findings(record, wanted, SOURCE)
                    if not hits and not record.get("withdrawn") and isinstance(record.get("id"), str):
                        # The scanner matched it (perhaps on a commit or an ordering socle lacks): keep its word.

                        hits = [Finding(purl, version, advisory(record), (), (), None, SOURCE)]
                    found.extend(hits)
    return VulnerabilityReport(SOURCE, tuple(found), tuple(dict.fromkeys(covered)), tuple(skipped))
