"""PyPI's own vulnerability data: the ``vulnerabilities`` of the JSON API (https://docs.pypi.org/api/json/).

``/pypi/NAME/json`` lists the vulnerabilities of the version it describes (``info.version``, the newest);
``/pypi/NAME/VERSION/json`` those of VERSION. Entries with ``withdrawn`` set are dropped. A document covers
only the version it describes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from collectors.vulnerabilities.model import Advisory, Coverage, Finding, VulnerabilityReport

SOURCE = "pypi"


def read(purl: str, document: Mapping[str, Any], versions_in_use: set[str]) -> VulnerabilityReport:
    info = document.get("info")
    version = info.get("version") if isinstance(info, Mapping) else None
    entries = document.get("vulnerabilities")
    if not isinstance(version, str) or version not in versions_in_use or not isinstance(entries, list):
        return VulnerabilityReport(SOURCE)
    found: list[Finding] = []
    for entry in entries:
        if not isinstance(entry, Mapping) or entry.get("withdrawn") or not isinstance(entry.get("id"), str):
            continue
        aliases = entry.get("aliases")
        fixed = entry.get("fixed_in")
        made = Advisory(
            id=entry["id"],
            aliases=tuple(a for a in aliases if isinstance(a, str)) if isinstance(aliases, list) else (),
            summary=(entry.get("summary") or entry.get("details"))
            if isinstance(entry.get("details"), str)
            else None,
            url=entry.get("link") if isinstance(entry.get("link"), str) else None,
        )
        found.append(
            Finding(
                purl,
                version,
                made,
                (),
                tuple(f for f in fixed if isinstance(f, str)) if isinstance(fixed, list) else (),
                None,
                SOURCE,
            )
        )
    return VulnerabilityReport(SOURCE, tuple(found), (Coverage(purl, version),))
