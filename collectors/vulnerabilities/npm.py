"""npm's bulk advisory endpoint: the advisories of the package versions in use, asked in a few POSTs.

``POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk`` with ``{"name": ["1.2.3", ...]}``
answers, per package, the advisories affecting any of the versions sent: ``id``, ``url`` (the GitHub advisory,
whose ``GHSA-...`` id is kept so other sources' findings merge with these), ``title``, ``severity``,
``vulnerable_versions`` (an npm semver range), ``cwe`` and ``cvss {score, vectorString}``
(https://docs.npmjs.com/cli/commands/npm-audit#audit-endpoints, the shape ``npm audit`` reads). The answer does
not say which of the versions sent each advisory affects: each version is re-checked here against
``vulnerable_versions`` with npm's semver (node-semver's port). The fixed versions are the upper bounds
(``<X``) of the range.

A batch the registry refused (HTTP 405 from a mirror that allows only GET, 404, a network failure) covers
nothing: its package versions are "not collected", with the answer as the reason, never "no vulnerabilities".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import nodesemver

from collectors.errors import SocleError
from collectors.http import Fetcher
from collectors.purls import parse_purl
from collectors.registry.parsing import load_json
from collectors.vulnerabilities.model import (
    Advisory,
    Coverage,
    Finding,
    VulnerabilityReport,
    severity_of_score,
    severity_word,
)

SOURCE = "npm"
BULK_PATH = "/-/npm/v1/security/advisories/bulk"
REGISTRY = "https://registry.npmjs.org"
#: Packages per request: a few POSTs for a large estate, each body well under the Fetcher's request limit.
BATCH_PACKAGES = 500
#: Advisories read per package; more is refused as hostile (the most advised npm packages have a few dozen).
MAX_ADVISORIES = 1000
_GHSA = re.compile(r"GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}")
_UPPER_BOUND = re.compile(r"(?<![<>=])<\s*v?(\d[^\s|<>=]*)")


@dataclass(frozen=True)
class Refused:
    """The package versions of a batch that the registry did not answer, and why."""

    versions: tuple[Coverage, ...]
    reason: str


def npm_name(purl: str) -> str:
    """``pkg:npm/%40scope/name`` -> ``@scope/name``, as the registry names it."""
    package = parse_purl(purl).package
    return f"{package.namespace}/{package.name}" if package.namespace else package.name


def batches(
    in_use: Mapping[str, set[str]], size: int = BATCH_PACKAGES
) -> list[dict[str, dict[str, list[str]]]]:
    """The versions in use of npm packages, grouped into request bodies of at most ``size`` packages:
    each batch maps purl -> {npm name: sorted versions}."""
    npm = sorted((purl, sorted(v for v in versions if v)) for purl, versions in in_use.items()
                 if purl.startswith("pkg:npm/") and any(versions))  # fmt: skip
    return [{purl: {npm_name(purl): versions} for purl, versions in npm[i : i + size]}
            for i in range(0, len(npm), size)]  # fmt: skip


def fixed_versions(vulnerable_versions: str) -> tuple[str, ...]:
    """The versions that end each part of a range: ``>=2.0.0 <2.0.7 || <1.5.2`` -> ``("1.5.2", "2.0.7")``."""
    return tuple(sorted(set(_UPPER_BOUND.findall(vulnerable_versions)), key=_semver_key))


def _semver_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3])


def affects(version: str, vulnerable_versions: str) -> bool | None:
    """Whether ``version`` is in the npm range; None when either cannot be parsed."""
    try:
        return bool(nodesemver.satisfies(version, vulnerable_versions, loose=True))
    except (ValueError, TypeError):
        return None


def _advisory(entry: Mapping[str, Any]) -> Advisory | None:
    url = entry.get("url") if isinstance(entry.get("url"), str) else None
    ghsa = _GHSA.search(url or "")
    npm_id = entry.get("id")
    npm_alias = f"npm:{npm_id}" if isinstance(npm_id, int | str) and str(npm_id) else None
    ident = ghsa.group(0) if ghsa else npm_alias
    if ident is None:
        return None
    raw_cvss = entry.get("cvss")
    cvss: Mapping[str, Any] = raw_cvss if isinstance(raw_cvss, Mapping) else {}
    score = cvss.get("score") if isinstance(cvss.get("score"), int | float) else None
    vector = cvss.get("vectorString") if isinstance(cvss.get("vectorString"), str) else None
    cwe = entry.get("cwe")
    aliases = ([npm_alias] if ghsa and npm_alias else []) + (
        [c for c in cwe if isinstance(c, str)][:20] if isinstance(cwe, list) else []
    )
    title = entry.get("title")
    severity = entry.get("severity")
    return Advisory(
        id=ident,
        aliases=tuple(aliases),
        summary=title[:500] if isinstance(title, str) else None,
        severity=severity_word(severity if isinstance(severity, str) else None)
        or severity_of_score(float(score) if score else None),
        cvss_score=float(score) if score else None,
        cvss_vector=vector[:200] if vector else None,
        url=url[:500] if url else None,
    )


def read(
    batch: Mapping[str, Mapping[str, Sequence[str]]], document: Mapping[str, Any]
) -> VulnerabilityReport:
    """The findings of one answered batch; every version sent is covered (the registry looked at it)."""
    found: list[Finding] = []
    covered: list[Coverage] = []
    skipped: list[tuple[str, str]] = []
    for purl, names in batch.items():
        for name, versions in names.items():
            covered.extend(Coverage(purl, v) for v in versions)
            entries = document.get(name)
            if entries is None:
                continue
            if not isinstance(entries, list) or len(entries) > MAX_ADVISORIES:
                skipped.append((purl, "npm advisories: unexpected answer shape; left out"))
                continue
            for entry in entries:
                if not isinstance(entry, Mapping):
                    continue
                advisory = _advisory(entry)
                ranges = entry.get("vulnerable_versions")
                if advisory is None or not isinstance(ranges, str) or len(ranges) > 1000:
                    skipped.append(
                        (purl, "npm advisory without an id or a vulnerable_versions range; left out")
                    )
                    continue
                for version in versions:
                    hit = affects(version, ranges)
                    if hit is None:
                        skipped.append((f"{purl}@{version}", f"{advisory.id}: range {ranges!r} not readable"))
                    elif hit:
                        found.append(Finding(purl, version, advisory, (ranges,), fixed_versions(ranges),
                                             None, SOURCE))  # fmt: skip
    return VulnerabilityReport(SOURCE, tuple(found), tuple(covered), tuple(skipped))


async def collect(
    fetcher: Fetcher, in_use: Mapping[str, set[str]], registry: str = REGISTRY
) -> tuple[VulnerabilityReport, list[Refused]]:
    """Ask the registry about every npm version in use, in batches; the answered ones in one report."""
    url = registry.rstrip("/") + BULK_PATH
    found: list[Finding] = []
    covered: list[Coverage] = []
    skipped: list[tuple[str, str]] = []
    refused: list[Refused] = []
    for batch in batches(in_use):
        sent = tuple(Coverage(purl, v) for purl, names in batch.items() for vs in names.values() for v in vs)
        body = json.dumps({name: list(vs) for names in batch.values() for name, vs in names.items()})
        try:
            answer = await fetcher.post(url, body.encode(), gzip_body=True)
            if answer.status != 200:
                refused.append(Refused(sent, f"{url} answered HTTP {answer.status}"))
                continue
            document = load_json(answer.body, url)
        except SocleError as exc:
            refused.append(Refused(sent, str(exc)))
            continue
        report = read(batch, document)
        found.extend(report.findings)
        covered.extend(report.covered)
        skipped.extend(report.skipped)
    return VulnerabilityReport(SOURCE, tuple(found), tuple(covered), tuple(skipped)), refused
