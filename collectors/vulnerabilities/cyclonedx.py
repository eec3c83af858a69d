"""CycloneDX ``vulnerabilities`` (1.4 to 1.6), in an SBOM or a VEX document, as Trivy, Grype, Dependency-Track
and the CycloneDX tools write them (https://cyclonedx.org/docs/1.6/json/#vulnerabilities).

``affects[].ref`` names a component by bom-ref (resolved through the document's components) or by purl.
``analysis.state`` is honoured: ``not_affected``, ``false_positive`` and ``resolved`` findings are kept with
their state and do not count against the version. Versions marked ``unaffected`` are the fixed versions. When
the document carries components and a ``vulnerabilities`` list (even empty), the scanner looked at every
component: each is covered, so no finding there means no known vulnerability, not "not collected".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from collectors.purls import PurlError, parse_purl
from collectors.vulnerabilities.model import (
    Advisory,
    Coverage,
    Finding,
    VulnerabilityReport,
    highest,
    parse_time,
    severity_of_score,
    severity_word,
)

SOURCE = "cyclonedx"


def is_cyclonedx_with_vulnerabilities(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and document.get("bomFormat") == "CycloneDX"
        and "vulnerabilities" in document
    )


def _components(items: Any) -> Iterator[Mapping[str, Any]]:
    stack = [items]
    while stack:
        current = stack.pop()
        for component in current if isinstance(current, list) else []:
            if isinstance(component, Mapping):
                yield component
                stack.append(component.get("components"))


def _advisory(item: Mapping[str, Any]) -> Advisory:
    scores: list[tuple[float, str | None]] = []
    words: list[str | None] = []
    for rating in item.get("ratings") or []:
        if not isinstance(rating, Mapping):
            continue
        score = rating.get("score")
        if isinstance(score, int | float) and not isinstance(score, bool):
            vector = rating.get("vector") if isinstance(rating.get("vector"), str) else None
            scores.append((float(score), vector))
        words.append(
            severity_word(rating.get("severity") if isinstance(rating.get("severity"), str) else None)
        )
    best = max(scores, default=None)
    severity = highest([severity_of_score(best[0]) if best else None, *words])
    aliases = tuple(
        str(ref["id"])
        for ref in item.get("references") or []
        if isinstance(ref, Mapping) and isinstance(ref.get("id"), str)
    )
    url = None
    source = item.get("source")
    if isinstance(source, Mapping) and isinstance(source.get("url"), str):
        url = source["url"]
    return Advisory(
        id=str(item["id"]),
        aliases=aliases,
        summary=item.get("description") if isinstance(item.get("description"), str) else None,
        severity=severity,
        cvss_score=best[0] if best else None,
        cvss_vector=best[1] if best else None,
        published=parse_time(item.get("published")),
        modified=parse_time(item.get("updated")),
        url=url,
    )


def read(document: Mapping[str, Any]) -> VulnerabilityReport:
    """Findings and coverage of one CycloneDX document."""
    refs: dict[str, tuple[str, str | None]] = {}
    covered: list[Coverage] = []
    for component in _components(document.get("components")):
        text = component.get("purl")
        if not isinstance(text, str):
            continue
        try:
            parsed = parse_purl(text)
        except PurlError:
            continue
        version = parsed.version or (
            component.get("version") if isinstance(component.get("version"), str) else None
        )
        if isinstance(component.get("bom-ref"), str):
            refs[component["bom-ref"]] = (parsed.package.purl, version)
        refs.setdefault(text, (parsed.package.purl, version))
        if version:
            covered.append(Coverage(parsed.package.purl, version))
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    for item in document.get("vulnerabilities") or []:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            skipped.append(("vulnerabilities[]", "an entry without an id"))
            continue
        made = _advisory(item)
        analysis = item.get("analysis")
        state = analysis.get("state") if isinstance(analysis, Mapping) else None
        for affects in item.get("affects") or []:
            ref = affects.get("ref") if isinstance(affects, Mapping) else None
            if not isinstance(ref, str):
                continue
            target = refs.get(ref) or refs.get(ref.rsplit("#", 1)[-1])
            if target is None and ref.startswith("pkg:"):
                try:
                    parsed = parse_purl(ref)
                    target = (parsed.package.purl, parsed.version)
                except PurlError:
                    target = None
            if target is None or not target[1]:
                skipped.append(
                    (made.id, f"affects {ref!r}, which names no component version of this document")
                )
                continue
            affected_versions: list[str] = []
            ranges: list[str] = []
            fixed: list[str] = []
            for entry in affects.get("versions") or []:
                if not isinstance(entry, Mapping):
                    continue
                status = entry.get("status", "affected")
                value = entry.get("version") or entry.get("range")
                if not isinstance(value, str):
                    continue
                if status == "unaffected" and "version" in entry:
                    fixed.append(value)
                elif status == "affected":
                    (affected_versions if "version" in entry else ranges).append(value)
            findings.append(
                Finding(
                    purl=target[0],
                    version=target[1],
                    advisory=made,
                    ranges=tuple(ranges),
                    fixed=tuple(fixed),
                    state=state if isinstance(state, str) else None,
                    source=SOURCE,
                )
            )
            covered.append(Coverage(target[0], target[1]))
    return VulnerabilityReport(SOURCE, tuple(findings), tuple(dict.fromkeys(covered)), tuple(skipped))
