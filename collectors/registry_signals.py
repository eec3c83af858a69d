"""The refresh's ``registry_signals`` step: the registry calls made only for risk signals.

* npm's bulk advisory endpoint for the npm versions in use, in a few POSTs: the findings go to the vulnerability
  tables as source ``npm``;
* PyPI's Simple API for the PEP 792 project status of each PyPI package in use;
* PyPI's integrity API for the PEP 740 attestation of the versions in use and of the newest release.

What was asked within ``max_age`` (``--max-age``) is not asked again, whatever the answer. Every call that gave nothing is a
"not collected" record with the answer as its reason (:mod:`collectors.store.registry_signals`), never "none".
Runs after the registry steps (it reads their stored answers) and before the ``signals`` scores.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from collectors.http import Fetcher, HttpSettings, open_fetcher
from collectors.provenance import pypi as pypi_provenance
from collectors.registry import pypi as pypi_registry
from collectors.store import WriteSession
from collectors.store.registry_signals import SignalRecord, Target, project_document, store_signals, targets
from collectors.store.vulnerabilities import store_report
from collectors.vulnerabilities import npm as npm_advisories
from collectors.vulnerabilities.model import VulnerabilityReport

#: Versions of one package asked about for attestations (the versions in use, then the newest).
MAX_ATTESTED_VERSIONS = 6


@dataclass(frozen=True, kw_only=True)
class SignalSettings:
    now: datetime
    max_age: timedelta = timedelta(hours=24)
    npm_registry: str = npm_advisories.REGISTRY
    pypi_base: str = pypi_registry.BASE_URL


def _advisory_records(
    report_covered: set[tuple[str, str]], refused: list[npm_advisories.Refused]
) -> list[SignalRecord]:
    records = [SignalRecord(p, v, "advisories", "npm", "found") for p, v in sorted(report_covered)]
    for batch in refused:
        records.extend(SignalRecord(c.purl, c.version, "advisories", "npm", "not_collected", detail=batch.reason)
                       for c in batch.versions)  # fmt: skip
    return records


def _asked_versions(target: Target) -> list[str]:
    """The versions in use, then the newest: at most MAX_ATTESTED_VERSIONS, the newest always among them."""
    newest = [target.latest_version] if target.latest_version else []
    return list(dict.fromkeys([*target.versions, *newest]))[-MAX_ATTESTED_VERSIONS:]


def _release_files(conn: Any, target: Target) -> dict[str, str | None] | None:
    """version -> the file to ask about, from the stored project answer (parsed, read, then let go: a large
    project's answer is megabytes); None when no answer is stored."""
    document = project_document(conn, target.purl)
    if document is None:
        return None
    return {v: pypi_provenance.release_file(document, v) for v in _asked_versions(target)}


async def _pypi_package(
    fetcher: Fetcher, target: Target, files: dict[str, str | None] | None, settings: SignalSettings
) -> list[SignalRecord]:
    records: list[SignalRecord] = []
    if "project_status" not in target.fresh:
        status = await pypi_registry.fetch_project_status(fetcher, settings.pypi_base, target.name)
        outcome = "found" if status.status else "not_collected"
        records.append(
            SignalRecord(target.purl, "", "project_status", "pypi", outcome, status.status, status.reason)
        )
    if "attestation" not in target.fresh:
        if files is None:
            reason = (
                "no PyPI answer is stored for the package (its registry collection failed or did not run)"
            )
            return records + [SignalRecord(target.purl, v, "attestation", "pypi", "not_collected", detail=reason)
                              for v in target.versions]  # fmt: skip
        root = settings.pypi_base.rstrip("/").removesuffix("/pypi")
        found = await asyncio.gather(
            *(pypi_provenance.fetch_attestation(fetcher, root, target.name, v, files.get(v)) for v in files)
        )
        for att in found:
            outcome = "not_collected" if att.attested is None else ("found" if att.attested else "absent")
            records.append(SignalRecord(target.purl, att.version, "attestation", "pypi", outcome,
                                        att.publisher, att.reason or att.filename))  # fmt: skip
    return records


def run(
    session: WriteSession,
    http: HttpSettings,
    settings: SignalSettings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> None:
    fresh_since = settings.now - settings.max_age
    npm_targets = targets(session.conn, "npm", fresh_since=fresh_since)
    pypi_targets = targets(session.conn, "pypi", fresh_since=fresh_since)
    files = {t.purl: _release_files(session.conn, t) for t in pypi_targets if "attestation" not in t.fresh}
    in_use = {t.purl: set(t.versions) for t in npm_targets if t.versions and "advisories" not in t.fresh}
    pypi_targets = [t for t in pypi_targets if not {"project_status", "attestation"} <= t.fresh]
    if not in_use and not pypi_targets:
        return

    async def main() -> tuple[VulnerabilityReport, list[SignalRecord], int]:
        async with open_fetcher(http, transport=transport) as fetcher:
            report, refused = await npm_advisories.collect(fetcher, in_use, settings.npm_registry)
            records = _advisory_records({(c.purl, c.version) for c in report.covered}, refused)
            for found in await asyncio.gather(
                *(_pypi_package(fetcher, t, files.get(t.purl), settings) for t in pypi_targets)
            ):
                records.extend(found)
            return report, records, fetcher.requests

    report, records, requests = asyncio.run(main())
    if report.covered:
        store_report(session, report)
    store_signals(session, records)
    session.count("registry_signal_requests", requests)
