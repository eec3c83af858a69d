"""The registry_signals step on answers written by hand in the documented shapes (npm's bulk advisories, PyPI's
Simple API with PEP 792 ``project-status``, PyPI's integrity API with PEP 740 provenance): from this machine the
advisory endpoint answered 405, the Simple API answered without ``project-status`` (API version 1.1) and the
integrity API answered 404 with an empty body, so only those refusals are what the registries really said."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import collectors.store.registry  # noqa: F401 - registers the registry tables for bulk writes
from analysis.cli import main
from collectors.http import HttpSettings
from collectors.provenance import pypi as pypi_provenance
from collectors.registry import pypi as pypi_registry
from collectors.registry_signals import SignalSettings
from collectors.registry_signals import run as collect_signals
from collectors.store import insert_columns, read_connection, write_session
from collectors.store.registry_signals import SignalRecord, store_signals

NOW = datetime(2026, 11, 1)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vulnerabilities"
BULK = "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"
SBOM = {
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "metadata": {"component": {"bom-ref": "shop", "type": "application", "name": "shop", "version": "1.0.0"}},
    "components": [
        {"bom-ref": p, "type": "library", "name": p.split("/")[-1].split("@")[0], "version": p.split("@")[-1], "purl": p}
        for p in ("pkg:npm/lodash@4.17.20", "pkg:npm/minimist@1.2.5", "pkg:pypi/six@1.16.0", "pkg:pypi/urllib3@1.26.5")
    ],
}  # fmt: skip
ATTESTED = {
    "attestation_bundles": [
        {"publisher": {"kind": "GitHub", "repository": "urllib3/urllib3", "workflow": "publish.yml",
                       "environment": "publish"},
         "attestations": [{"version": 1, "verification_material": {}, "envelope": {}}]}
    ]
}  # fmt: skip


def _pypi_document(name: str, versions: dict[str, str]) -> bytes:
    """A project answer of PyPI's JSON API, reduced to what the step reads (name, newest, release files)."""
    latest = list(versions)[-1]
    return json.dumps({
        "info": {"name": name, "version": latest},
        "releases": {v: [{"filename": f"{name}-{v}-py3-none-any.whl", "upload_time_iso_8601": at},
                         {"filename": f"{name}-{v}.tar.gz", "upload_time_iso_8601": at}] for v, at in versions.items()},
        "vulnerabilities": [],
    }).encode()  # fmt: skip


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "socle.duckdb"
    sbom = tmp_path / "shop.cdx.json"
    sbom.write_text(json.dumps(SBOM), encoding="utf-8")
    assert main(["import", "--db", str(path), str(sbom)]) == 0
    documents = {
        "pkg:pypi/urllib3": ("urllib3", {"1.26.5": "2021-05-26T15:00:00Z", "2.2.3": "2024-09-12T10:00:00Z"}),
        "pkg:pypi/six": ("six", {"1.16.0": "2021-05-05T14:00:00Z"}),
    }
    with write_session(path, "refresh", {}) as session:
        insert_columns(session.conn, "package_metadata", {
            "purl": list(documents), "ecosystem": ["pypi"] * 2,
            "latest_version": [list(v)[-1] for _, v in documents.values()],
            "last_release_at": [NOW - timedelta(days=400)] * 2, "fetched_at": [NOW] * 2,
            "run_id": [session.run_id] * 2,
        })  # fmt: skip
        bodies = [_pypi_document(n, v) for n, v in documents.values()]
        insert_columns(session.conn, "registry_documents", {
            "url": [f"https://pypi.org/pypi/{n}/json" for n, _ in documents.values()], "purl": list(documents),
            "sha256": ["-"] * 2, "body_zlib": [zlib.compress(b) for b in bodies], "fetched_at": [NOW] * 2,
            "run_id": [session.run_id] * 2,
        })  # fmt: skip
    capsys.readouterr()
    return path


def _registry(advisories: httpx.Response) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST":
            return advisories
        if path == "/simple/six/":
            return httpx.Response(200, json={"meta": {"api-version": "1.4"}, "name": "six", "files": [],
                                             "project-status": {"status": "archived",
                                                                "reason": "Python 2 has reached its end of life"}})  # fmt: skip
        if path == "/simple/urllib3/":
            return httpx.Response(200, json={"meta": {"api-version": "1.1"}, "name": "urllib3", "files": []})
        if path == "/integrity/urllib3/1.26.5/urllib3-1.26.5.tar.gz/provenance":
            return httpx.Response(200, json=ATTESTED)
        if path == "/integrity/urllib3/2.2.3/urllib3-2.2.3.tar.gz/provenance":
            return httpx.Response(404, json={"message": "No provenance available for urllib3-2.2.3.tar.gz"})
        return httpx.Response(404, content=b"")  # what a proxy answers: not "no provenance"

    return handler


def _refresh(db: Path, advisories: httpx.Response) -> None:
    with write_session(db, "refresh", {}) as session:
        settings = HttpSettings(cache_dir=None, wait_initial=0.001, wait_jitter=0.0)
        collect_signals(
            session, settings, SignalSettings(now=NOW), transport=httpx.MockTransport(_registry(advisories))
        )
    assert main(["refresh", "--db", str(db), "--only", "scores"]) in (0, 1)


def _scores(db: Path) -> dict[tuple[str, str], tuple[Any, ...]]:
    with read_connection(db) as conn:
        rows = conn.execute(
            "SELECT subject, name, status, label, reason FROM scores WHERE subject_kind = 'package'"
        ).fetchall()
    return {(s, n): (st, lab, r) for s, n, st, lab, r in rows}


def test_refused_calls_are_not_collected_with_why_and_status_and_attestations_reach_the_scores(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _refresh(db, httpx.Response(405, headers={"Allow": "GET, HEAD"}))
    scores = _scores(db)
    assert scores[("pkg:npm/lodash", "vulnerabilities")] == (
        "inconclusive", None,
        f"No vulnerability data collected for the versions in use (4.17.20): npm advisories not collected ({BULK} "
        "answered HTTP 405).",
    )  # fmt: skip
    assert scores[("pkg:pypi/urllib3", "vulnerabilities")][2] == (
        "No vulnerability data collected for the versions in use (1.26.5): PyPI's JSON API lists the "
        "vulnerabilities of the newest release (2.2.3); no answer for 1.26.5 itself was stored."
    )
    assert scores[("pkg:pypi/six", "vulnerabilities")][:2] == ("ok", "none")  # 1.16.0 is the newest
    assert scores[("pkg:pypi/six", "lifecycle")][1:] == (
        "archived",
        "Archived on PyPI (project status): 'Python 2 has reached its end of life'.",
    )
    assert scores[("pkg:pypi/urllib3", "provenance")][1:] == (
        "changed",
        "1.26.5 had a provenance attestation, 2.2.3 has none.",
    )
    assert scores[("pkg:pypi/six", "provenance")][0] == "inconclusive"
    assert "answered HTTP 404" in scores[("pkg:pypi/six", "provenance")][2]
    capsys.readouterr()
    assert main(["report", "--db", str(db), "--score", "risk", "--format", "json"]) == 0
    reasons = {r["package"]: r["reason"] for r in json.loads(capsys.readouterr().out)}
    assert "archived on PyPI (project status)" in reasons["pkg:pypi/six"]
    with read_connection(db) as conn:
        skips = conn.execute(
            "SELECT subject, message FROM run_events WHERE severity = 'skipped' AND subject LIKE 'npm%'"
        ).fetchall()
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    assert (
        "registry calls that gave nothing (not collected, never 'none'): npm advisories 2, pypi attestation 1, "
        "pypi project status 1" in capsys.readouterr().out
    )
    assert skips == [
        (
            "npm advisories",
            "not collected for 2 package version(s): the registry (registry.npmjs.org) answered HTTP 405",
        )
    ]


def test_answered_advisories_are_findings_with_their_fixes(db: Path) -> None:
    answer = json.loads((FIXTURES / "npm-bulk-advisories.json").read_text())
    _refresh(db, httpx.Response(200, json=answer))
    scores = _scores(db)
    assert scores[("pkg:npm/lodash", "vulnerabilities")] == (
        "ok",
        "high",
        "2 known vulnerabilities in 4.17.20, one high, one medium, fixed in 4.17.21.",
    )
    assert scores[("pkg:npm/minimist", "vulnerabilities")][1] == "critical"


def test_an_answer_is_kept_when_a_later_call_is_refused(db: Path) -> None:
    found = SignalRecord("pkg:pypi/six", "", "project_status", "pypi", "found", "archived", None)
    refused = SignalRecord("pkg:pypi/six", "", "project_status", "pypi", "not_collected", None, "HTTP 503")
    other = SignalRecord("pkg:pypi/urllib3", "", "project_status", "pypi", "not_collected", None, "HTTP 405")
    later = SignalRecord("pkg:pypi/urllib3", "", "project_status", "pypi", "not_collected", None, "HTTP 502")
    with write_session(db, "refresh", {}) as session:
        store_signals(session, [found, other])
    with write_session(db, "refresh", {}) as session:
        store_signals(session, [refused, later])
    with read_connection(db) as conn:
        rows = conn.execute(
            "SELECT purl, outcome, value, detail FROM registry_signals ORDER BY purl"
        ).fetchall()
    assert rows == [
        ("pkg:pypi/six", "found", "archived", None),
        ("pkg:pypi/urllib3", "not_collected", None, "HTTP 502"),
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"meta": {"api-version": "1.4"}, "project-status": {"status": "quarantined"}}, ("quarantined", None)),
        ({"meta": {"api-version": "1.4"}, "project-status": {"status": "deprecated", "reason": "use httpx"}},
         ("deprecated", "use httpx")),
        ({"meta": {"api-version": "1.4"}}, ("active", None)),  # PEP 792: no marker is "active"
        ({"meta": {"api-version": "1.1"}},
         (None, "the index's Simple API (version 1.1) predates project status markers (1.4)")),
        ({"meta": {"api-version": "1.4"}, "project-status": {"status": "gone"}}, (None, "unknown project status 'gone'")),
    ],
)  # fmt: skip
def test_pep_792_project_status(document: dict[str, Any], expected: tuple[str | None, str | None]) -> None:
    found = pypi_registry.project_status(document, "https://pypi.org/simple/x/")
    assert (found.status, found.reason) == expected


def test_integrity_answers_are_attested_absent_or_not_collected() -> None:
    url = "https://pypi.org/integrity/urllib3/2.2.3/urllib3-2.2.3.tar.gz/provenance"
    attested = pypi_provenance.read_answer(
        "2.2.3", "urllib3-2.2.3.tar.gz", 200, json.dumps(ATTESTED).encode(), url
    )
    assert (attested.attested, attested.publisher) == (True, "GitHub: urllib3/urllib3 (publish.yml, publish)")
    absent = pypi_provenance.read_answer(
        "2.2.3", "f", 404, b'{"message": "No provenance available for f"}', url
    )
    assert absent.attested is False
    proxy = pypi_provenance.read_answer("2.2.3", "f", 404, b"", url)
    assert (proxy.attested, proxy.reason) == (None, f"{url} answered HTTP 404")


def test_the_source_distribution_is_the_file_asked_about() -> None:
    document = json.loads(_pypi_document("six", {"1.16.0": "2021-05-05T14:00:00Z"}))
    assert pypi_provenance.release_file(document, "1.16.0") == "six-1.16.0.tar.gz"
    assert pypi_provenance.release_file(document, "9.9") is None


def test_what_was_asked_within_max_age_is_not_asked_again(db: Path) -> None:
    calls: list[str] = []
    answer = _registry(httpx.Response(405))

    def counting(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        return answer(request)  # type: ignore[no-any-return]

    for _ in range(2):
        with write_session(db, "refresh", {}) as session:
            settings = HttpSettings(cache_dir=None, wait_initial=0.001, wait_jitter=0.0)
            collect_signals(
                session,
                settings,
                SignalSettings(now=datetime.now(UTC).replace(tzinfo=None)),
                transport=httpx.MockTransport(counting),
            )
    # first run only: 1 POST, 2 project statuses, attestations of urllib3 1.26.5 and 2.2.3 and six 1.16.0
    assert sorted(calls) == [
        "GET /integrity/six/1.16.0/six-1.16.0.tar.gz/provenance",
        "GET /integrity/urllib3/1.26.5/urllib3-1.26.5.tar.gz/provenance",
        "GET /integrity/urllib3/2.2.3/urllib3-2.2.3.tar.gz/provenance",
        "GET /simple/six/",
        "GET /simple/urllib3/",
        "POST /-/npm/v1/security/advisories/bulk",
    ]
