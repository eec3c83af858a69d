"""The refresh's ``signals`` step: vulnerability data from what the refresh stored (and an offline OSV folder
named by ``$SOCLE_OSV_DIR``), then the ``vulnerabilities``, ``lifecycle`` and ``libyear`` scores of every
package in use. Runs after the registry steps and before ``risk``, which reads these scores."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from analysis.queries import signals as queries
from analysis.score import Score
from analysis.signals.lifecycle import LifecycleInputs, libyear, lifecycle
from analysis.signals.provenance import ReleaseFacts
from analysis.signals.provenance import score as provenance_score
from analysis.signals.vulnerabilities import NOT_EXPOSED, VulnerabilityFinding
from analysis.signals.vulnerabilities import score as vulnerability_score
from collectors.provenance import npm as npm_provenance
from collectors.store import WriteSession, write_scores
from collectors.vulnerabilities.collect import import_folder, import_pypi_documents

OSV_DIR_VARIABLE = "SOCLE_OSV_DIR"
__all__ = ["NOT_EXPOSED", "collect", "package_scores", "run"]


class _Options(Protocol):
    @property
    def now(self) -> datetime: ...


def collect(session: WriteSession, osv_dir: Path | None = None) -> None:
    in_use = queries.versions_in_use(session.conn)
    import_pypi_documents(session, queries.stored_pypi_documents(session.conn), in_use)
    folder = osv_dir or (Path(os.environ[OSV_DIR_VARIABLE]) if os.environ.get(OSV_DIR_VARIABLE) else None)
    if folder is not None:
        import_folder(session, folder, in_use)


def package_scores(conn: Any, now: datetime) -> dict[str, list[Score]]:
    """The three signal scores of every package in use, computed from the store."""
    in_use = queries.versions_in_use(conn)
    all_packages = {str(r[0]) for r in conn.execute("SELECT DISTINCT purl FROM app_packages").fetchall()}
    by_package: dict[str, list[VulnerabilityFinding]] = {}
    for row in queries.findings(conn):
        by_package.setdefault(row.purl, []).append(
            VulnerabilityFinding(
                row.version, row.advisory_id, row.severity, row.fixed, row.state, row.source, row.aliases
            )
        )
    covered = queries.coverage(conn)
    facts = queries.lifecycle_facts(conn)
    asked = queries.registry_signals(conn)
    statuses = {
        r.purl: (r.value, r.detail) for r in asked if r.signal == "project_status" and r.outcome == "found"
    }
    refused = {(r.purl, r.version): f"{r.source} advisories not collected ({r.detail})"
               for r in asked if r.signal == "advisories" and r.outcome == "not_collected"}  # fmt: skip
    out: dict[str, list[Score]] = {}
    provenance = provenance_scores(conn, in_use, facts, asked)
    for purl in sorted(all_packages):
        versions = sorted(in_use.get(purl, set()))
        cover = {v: covered.get((purl, v), set()) for v in versions}
        fact = facts.get(purl)
        why = {v: refused[(purl, v)] for v in versions if (purl, v) in refused}
        if fact is not None and fact.ecosystem == "pypi" and fact.latest_version:
            for v in versions:
                why.setdefault(v, f"PyPI's JSON API lists the vulnerabilities of the newest release "
                                  f"({fact.latest_version}); no answer for {v} itself was stored")  # fmt: skip
        vulns = vulnerability_score(versions, by_package.get(purl, []), cover, why)
        scores = [vulns]
        if fact is not None:
            status, status_reason = statuses.get(purl, (None, None))
            known_none = None if vulns.value is None else vulns.value == 0
            inputs = LifecycleInputs(
                ecosystem=fact.ecosystem,
                versions_in_use=tuple(versions),
                latest_version=fact.latest_version,
                deprecated=fact.deprecated,
                classifiers=fact.classifiers,
                last_release_at=fact.last_release_at,
                releases=fact.releases,
                vulnerabilities_known_none=known_none,
                project_status=status,
                project_status_reason=status_reason,
            )
            scores.extend([lifecycle(inputs, now), libyear(inputs)])
        if purl in provenance:
            scores.append(provenance[purl])
        out[purl] = scores
    return out


def provenance_scores(
    conn: Any,
    in_use: dict[str, set[str]],
    facts: dict[str, queries.LifecycleFacts],
    asked: list[queries.RegistrySignal] | None = None,
) -> dict[str, Score]:
    """Publisher and provenance of the versions in use against the newest: npm from the stored packuments,
    PyPI from the attestations the integrity API gave (the Trusted Publisher is who published)."""
    out: dict[str, Score] = {}
    for purl, document in queries.stored_documents(conn, "npm"):
        fact = facts.get(purl)
        versions = set(in_use.get(purl, set()))
        newest = fact.latest_version if fact else None
        wanted = versions | ({newest} if newest else set())
        found = npm_provenance.releases(document, wanted)
        to_facts = {v: ReleaseFacts(r.version, r.publisher, r.attested) for v, r in found.items()}
        out[purl] = provenance_score(
            [to_facts[v] for v in sorted(versions) if v in to_facts], to_facts.get(newest or ""), "npm"
        )
    attestations: dict[str, dict[str, queries.RegistrySignal]] = {}
    for row in asked or []:
        if row.signal == "attestation" and row.source == "pypi":
            attestations.setdefault(row.purl, {})[row.version] = row
    for purl, rows in attestations.items():
        fact = facts.get(purl)
        newest = fact.latest_version if fact else None
        known = {v: ReleaseFacts(v, r.value, {"found": True, "absent": False}.get(r.outcome))
                 for v, r in rows.items()}  # fmt: skip
        why = next((r.detail for r in rows.values() if r.outcome == "not_collected" and r.detail), None)
        used = sorted(in_use.get(purl, set()))
        out[purl] = provenance_score(
            [known[v] for v in used if v in known], known.get(newest or ""), "PyPI", not_given_why=why
        )
    return out


def run(session: WriteSession, options: _Options) -> None:
    collect(session)
    scores = package_scores(session.conn, options.now)
    write_scores(session, [s.row("package", purl) for purl, found in scores.items() for s in found])
    session.count("signal_scores", sum(len(found) for found in scores.values()))
