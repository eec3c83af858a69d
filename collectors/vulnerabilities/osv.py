"""OSV records (https://ossf.github.io/osv-schema/): one advisory and the package versions it affects.

Used by the OSV-Scanner reader and the offline folder of OSV records. A withdrawn record affects nothing.
Severity comes from the CVSS vector (its base score, computed by the ``cvss`` library) or, without one, from
the database's own word (GitHub's ``database_specific.severity``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cvss import CVSS3, CVSS4, CVSSError

from collectors.purls import PurlError, purl_for
from collectors.vulnerabilities.model import Advisory, Finding, parse_time, severity_of_score, severity_word
from collectors.vulnerabilities.versions import comparator, describe, in_range

#: OSV ecosystem -> purl type (https://ossf.github.io/osv-schema/#affectedpackage-field).
ECOSYSTEMS = {
    "PyPI": "pypi",
    "npm": "npm",
    "Maven": "maven",
    "Go": "golang",
    "crates.io": "cargo",
    "Packagist": "composer",
    "NuGet": "nuget",
    "RubyGems": "gem",
    "Debian": "deb",
}
#: purl type -> OSV ecosystem.
OSV_ECOSYSTEM = {purl_type: osv for osv, purl_type in ECOSYSTEMS.items()}


def _cvss(entries: Any) -> tuple[float | None, str | None]:
    """The highest base score among the record's CVSS vectors, with its vector."""
    best: tuple[float | None, str | None] = (None, None)
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("score"), str):
            continue
        vector = entry["score"]
        try:
            if vector.startswith("CVSS:4"):
                score = float(CVSS4(vector).base_score)
            elif vector.startswith("CVSS:3"):
                score = float(CVSS3(vector).base_score)
            else:
                continue
        except (CVSSError, ValueError, KeyError):
            continue
        if best[0] is None or score > best[0]:
            best = (score, vector)
    return best


def advisory(record: Mapping[str, Any]) -> Advisory:
    score, vector = _cvss(record.get("severity"))
    specific = record.get("database_specific")
    word = specific.get("severity") if isinstance(specific, Mapping) else None
    aliases = record.get("aliases")
    refs = record.get("references")
    url = None
    if isinstance(refs, list):
        for ref in refs:
            if isinstance(ref, Mapping) and ref.get("type") == "ADVISORY" and isinstance(ref.get("url"), str):
                url = ref["url"]
                break
    return Advisory(
        id=str(record["id"]),
        aliases=tuple(str(a) for a in aliases if isinstance(a, str)) if isinstance(aliases, list) else (),
        summary=record.get("summary") if isinstance(record.get("summary"), str) else None,
        severity=severity_of_score(score) or severity_word(word if isinstance(word, str) else None),
        cvss_score=score,
        cvss_vector=vector,
        published=parse_time(record.get("published")),
        modified=parse_time(record.get("modified")),
        url=url,
    )


def package_purl(package: Mapping[str, Any]) -> str | None:
    """The versionless purl of an OSV ``affected[].package``, or None for an ecosystem socle does not name."""
    ecosystem = str(package.get("ecosystem", "")).split(":", 1)[0]
    name = package.get("name")
    kind = ECOSYSTEMS.get(ecosystem)
    if kind is None or not isinstance(name, str) or not name:
        return None
    try:
        if kind == "maven" and ":" in name:
            group, _, artifact = name.partition(":")
            return purl_for(kind, artifact, group)
        if kind == "golang" and "/" in name:
            namespace, _, last = name.rpartition("/")
            return purl_for(kind, last, namespace)
        if kind == "composer" and "/" in name:
            vendor, _, last = name.partition("/")
            return purl_for(kind, last, vendor)
        return purl_for(kind, name)
    except PurlError:
        return None


def findings(record: Mapping[str, Any], wanted: Mapping[str, set[str]], source: str) -> list[Finding]:
    """The findings of one record on the versions in use: ``wanted`` maps purl -> versions in use."""
    if record.get("withdrawn") or not isinstance(record.get("id"), str):
        return []
    found: list[Finding] = []
    made: Advisory | None = None
    for affected in record.get("affected") or []:
        if not isinstance(affected, Mapping) or not isinstance(affected.get("package"), Mapping):
            continue
        purl = package_purl(affected["package"])
        versions = wanted.get(purl or "")
        if not purl or not versions:
            continue
        ecosystem = str(affected["package"].get("ecosystem", "")).split(":", 1)[0]
        listed = {str(v) for v in affected.get("versions") or [] if isinstance(v, str)}
        ranges = [r for r in affected.get("ranges") or [] if isinstance(r, Mapping)]
        for version in sorted(versions):
            hit = version in listed
            texts: list[str] = []
            fixed: list[str] = []
            for rng in ranges:
                events = [e for e in rng.get("events") or [] if isinstance(e, Mapping)]
                compare = comparator(ecosystem, str(rng.get("type", "")))
                if compare is None:
                    continue
                inside = in_range(version, events, compare)  # type: ignore[arg-type]
                if inside:
                    hit = True
                    texts.append(describe(events))  # type: ignore[arg-type]
                    fixed.extend(str(e["fixed"]) for e in events if isinstance(e.get("fixed"), str))
            if hit:
                made = made or advisory(record)
                found.append(
                    Finding(purl, version, made, tuple(texts), tuple(dict.fromkeys(fixed)), None, source)
                )
    return found
