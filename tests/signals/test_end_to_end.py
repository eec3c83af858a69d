"""From an SBOM that carries a scanner's vulnerabilities (written by hand in the CycloneDX 1.5 shape Trivy and
Grype write: no scanner database can be downloaded offline) and a deprecated package, through `socle import`
and `socle refresh --only scores`, to the vulnerabilities report and risk reasons."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import collectors.store.registry  # noqa: F401 - registers the registry tables for bulk writes
from analysis.cli import main
from collectors.store import insert_columns, write_session

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "vulnerabilities" / "portal.cdx.json"
NOW = datetime(2026, 11, 1)


def _registry_facts(db: Path) -> None:
    """Registry metadata as the npm and PyPI collectors store it: request deprecated, six quiet and stable."""
    rows = {
        "pkg:npm/request": ("npm", "2.88.2", "request has been deprecated, see https://github.com/request/request/issues/3142", [], 2400),
        "pkg:pypi/six": ("pypi", "1.16.0", None, ["Development Status :: 5 - Production/Stable"], 1800),
        "pkg:pypi/urllib3": ("pypi", "2.2.3", None, [], 60),
        "pkg:pypi/jinja2": ("pypi", "3.1.4", None, [], 120),
    }  # fmt: skip
    with write_session(db, "refresh", {}) as session:
        insert_columns(
            session.conn,
            "package_metadata",
            {
                "purl": list(rows),
                "ecosystem": [r[0] for r in rows.values()],
                "latest_version": [r[1] for r in rows.values()],
                "deprecated": [r[2] for r in rows.values()],
                "classifiers": [r[3] for r in rows.values()],
                "last_release_at": [NOW - timedelta(days=r[4]) for r in rows.values()],
                "fetched_at": [NOW] * len(rows),
                "run_id": [session.run_id] * len(rows),
            },
        )
        releases = [
            ("pkg:pypi/urllib3", "1.26.5", 1300), ("pkg:pypi/urllib3", "2.2.3", 60),
            ("pkg:pypi/six", "1.16.0", 1800), ("pkg:npm/request", "2.88.2", 2400),
        ]  # fmt: skip
        insert_columns(
            session.conn,
            "package_releases",
            {
                "purl": [r[0] for r in releases],
                "version": [r[1] for r in releases],
                "released_at": [NOW - timedelta(days=r[2]) for r in releases],
                "yanked": [False] * len(releases),
                "run_id": [session.run_id] * len(releases),
            },
        )


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "socle.duckdb"
    assert main(["import", "--db", str(db), str(FIXTURE)]) == 0
    _registry_facts(db)
    assert main(["refresh", "--db", str(db), "--only", "scores"]) in (0, 1)
    capsys.readouterr()
    return db


def _report(db: Path, score: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["report", "--db", str(db), "--score", score, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_the_vulnerabilities_report_lists_vulnerable_versions_with_their_fixes(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _report(store, "vulnerabilities", capsys)
    assert [
        (r["package"], r["version"], r["advisory"], r["severity"], r["fixed_in"], r["status"]) for r in rows
    ] == [
        ("urllib3", "1.26.5", "CVE-2023-43804", "high", "1.26.17", "open"),
        ("request", "2.88.2", "CVE-2023-28155", "medium", "no fix known", "open"),
        ("urllib3", "1.26.5", "CVE-2023-45803", "medium", "1.26.18", "open"),
        ("jinja2", "3.1.2", "CVE-2024-22195", "medium", "no fix known", "not affected (not_affected)"),
    ]
    assert rows[0]["apps"] == "portal" and rows[0]["aliases"] == "GHSA-v845-jxx5-vc9f"


def test_risk_reasons_name_vulnerabilities_and_lifecycle(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reasons = {r["package"]: str(r["reason"]) for r in _report(store, "risk", capsys)}
    assert (
        "2 known vulnerabilities in 1.26.5, one high, one medium, fixed in 1.26.17, 1.26.18"
        in reasons["pkg:pypi/urllib3"]
    )
    assert "deprecated on npm: 'request has been deprecated" in reasons["pkg:npm/request"]
    lifecycle = {r["package"]: r for r in _report(store, "lifecycle", capsys)}
    assert (
        lifecycle["six"]["lifecycle"] == "finished"
    )  # covered by the scanner, nothing found, declared stable
    assert lifecycle["urllib3"]["releases_behind"] == 1 and lifecycle["app:portal"]["libyear"] is not None


def test_status_says_what_is_covered(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--db", str(store)]) == 0
    out = capsys.readouterr().out
    assert (
        "vulnerabilities:\n  4 of 4 package versions in use covered (sources: cyclonedx); 3 open finding(s)"
        in out
    )


def test_an_osv_folder_adds_what_the_sbom_did_not_cover(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "osv" / "PyPI"
    folder.mkdir(parents=True)
    record = {"id": "PYSEC-2099-1", "summary": "made up for the test", "database_specific": {"severity": "LOW"},
              "affected": [{"package": {"ecosystem": "PyPI", "name": "six"},
                            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.17.0"}]}]}]}  # fmt: skip
    (folder / "PYSEC-2099-1.json").write_text(json.dumps(record), encoding="utf-8")
    assert main(["vulnerabilities", "import", "--db", str(store), "--osv-dir", str(tmp_path / "osv")]) == 0
    assert capsys.readouterr().out == "socle vulnerabilities: 1 finding(s) stored; 0 file(s) failed\n"
    rows = _report(store, "vulnerabilities", capsys)
    assert ("six", "PYSEC-2099-1", "low", "1.17.0") in {
        (r["package"], r["advisory"], r["severity"], r["fixed_in"]) for r in rows
    }
    lifecycle = {r["package"]: r for r in _report(store, "lifecycle", capsys)}
    assert lifecycle["six"]["lifecycle"] == "dormant"  # a known vulnerability: no longer "finished"
