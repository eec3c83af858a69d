"""Store side of the vulnerability sources: one source's report replaces that source's findings on the
versions it covered, in one transaction; other sources and other versions are untouched."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from collectors.store import WriteSession, insert_columns, utcnow, writable_table
from collectors.vulnerabilities.model import VulnerabilityReport

for _table in ("vulnerability_advisories", "package_vulnerabilities", "vulnerability_coverage"):
    writable_table(_table)


def _naive(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def store_report(session: WriteSession, report: VulnerabilityReport) -> int:
    """Write one report; returns the number of findings stored. Skips become warnings on the run."""
    conn = session.conn
    covered = list(dict.fromkeys((c.purl, c.version) for c in report.covered))
    findings = list({(f.purl, f.version, f.advisory.id): f for f in report.findings}.values())
    advisories = list({f.advisory.id: f.advisory for f in findings}.values())
    now = utcnow()
    with session.transaction():
        if covered:
            conn.register(
                "_covered", pa.table({"purl": [p for p, _ in covered], "version": [v for _, v in covered]})
            )
            try:
                conn.execute(
                    "DELETE FROM package_vulnerabilities WHERE source = ? AND (purl, version) IN "
                    "(SELECT purl, version FROM _covered)",
                    [report.source],
                )
                conn.execute(
                    "DELETE FROM vulnerability_coverage WHERE source = ? AND (purl, version) IN "
                    "(SELECT purl, version FROM _covered)",
                    [report.source],
                )
            finally:
                conn.unregister("_covered")
        if advisories:
            conn.execute(
                "DELETE FROM vulnerability_advisories WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [[a.id for a in advisories]],
            )
            insert_columns(
                conn,
                "vulnerability_advisories",
                {
                    "id": [a.id for a in advisories],
                    "aliases": [list(a.aliases) for a in advisories],
                    "summary": [a.summary for a in advisories],
                    "severity": [a.severity for a in advisories],
                    "cvss_score": [a.cvss_score for a in advisories],
                    "cvss_vector": [a.cvss_vector for a in advisories],
                    "published": [_naive(a.published) for a in advisories],
                    "modified": [_naive(a.modified) for a in advisories],
                    "url": [a.url for a in advisories],
                    "run_id": [session.run_id] * len(advisories),
                },
            )
        insert_columns(
            conn,
            "package_vulnerabilities",
            {
                "purl": [f.purl for f in findings],
                "version": [f.version for f in findings],
                "advisory_id": [f.advisory.id for f in findings],
                "source": [report.source] * len(findings),
                "ranges": [list(f.ranges) for f in findings],
                "fixed": [list(f.fixed) for f in findings],
                "state": [f.state for f in findings],
                "run_id": [session.run_id] * len(findings),
            },
        )
        insert_columns(
            conn,
            "vulnerability_coverage",
            {
                "purl": [p for p, _ in covered],
                "version": [v for _, v in covered],
                "source": [report.source] * len(covered),
                "collected_at": [now] * len(covered),
                "run_id": [session.run_id] * len(covered),
            },
        )
    if report.skipped:
        session.events("warning", [(subject, message) for subject, message in report.skipped[:100]])
    session.count(f"vulnerabilities_{report.source}", len(findings))
    return len(findings)
