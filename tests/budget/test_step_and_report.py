"""The refresh step writes criticality, openssf_criticality and risk; the risk and standards reports sort
by any column and keep --limit rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from analysis.budget import step
from analysis.reports import ReportOptions
from analysis.reports import risk as risk_report
from analysis.reports import standards as standards_report
from collectors.store import read_connection, write_session
from tests.budget import fixture_store


@dataclass(frozen=True)
class _Options:
    now: datetime


def test_step_writes_three_scores_per_package(tmp_path: Path) -> None:
    db = fixture_store.build(tmp_path / "s.duckdb")
    with write_session(db, "refresh") as session:
        step.run(session, _Options(now=fixture_store.AS_OF))
    with read_connection(db) as conn:
        rows = conn.execute(
            "SELECT name, value, status, reason, details->>'min_depth' FROM scores "
            "WHERE subject = 'pkg:pypi/six' AND name IN ('criticality', 'openssf_criticality', 'risk') ORDER BY name"
        ).fetchall()
    assert [r[0] for r in rows] == ["criticality", "openssf_criticality", "risk"]
    assert all(r[2] == "ok" and 0 <= r[1] <= 1 for r in rows)
    assert rows[0][4] == "2"
    assert "truck factor 1" in rows[2][3] and "no active maintainer in 12 months" in rows[2][3]


def test_split_steps_write_their_own_scores(tmp_path: Path) -> None:
    db = fixture_store.build(tmp_path / "s.duckdb")
    with write_session(db, "refresh") as session:
        step.run_criticality(session, _Options(now=fixture_store.AS_OF))
    with read_connection(db) as conn:
        names = {r[0] for r in conn.execute("SELECT DISTINCT name FROM scores WHERE run_id = 2").fetchall()}
    assert names == {"criticality", "openssf_criticality"}
    with write_session(db, "refresh") as session:
        step.run_risk(session, _Options(now=fixture_store.AS_OF))
    with read_connection(db) as conn:
        names = {r[0] for r in conn.execute("SELECT DISTINCT name FROM scores WHERE run_id = 3").fetchall()}
    assert names == {"risk"}


def test_risk_report_sorts_by_any_column_and_limits(tmp_path: Path) -> None:
    db = fixture_store.build(tmp_path / "s.duckdb")
    with read_connection(db) as conn:
        by_risk = risk_report.report(conn, ReportOptions())
        minus_risk = risk_report.report(conn, ReportOptions(sort="-risk"))
        by_crit = risk_report.report(conn, ReportOptions(sort="-criticality"))
        top3 = risk_report.report(conn, ReportOptions(sort="-risk", limit=3))
        least = risk_report.report(conn, ReportOptions(sort="risk", limit=1))
    assert by_risk.columns[:4] == ["package", "risk", "confidence", "criticality"]
    risks = [r[1] for r in by_risk.rows if r[1] is not None]
    assert risks == sorted(risks, reverse=True) and by_risk.rows == minus_risk.rows  # -risk is the default
    assert top3.rows == by_risk.rows[:3] and len(top3.rows) == 3
    assert least.rows[0][1] == min(risks)
    crits = [r[3] for r in by_crit.rows]
    assert crits == sorted(crits, reverse=True)
    assert by_crit.rows[-1][0] in ("pkg:npm/typescript", "pkg:pypi/pytest")  # dev scope comes last


def test_standards_report_sorts_and_limits(tmp_path: Path) -> None:
    db = fixture_store.build(tmp_path / "s.duckdb")
    with read_connection(db) as conn:
        everything = standards_report.report(conn, ReportOptions())
        by_name = standards_report.report(conn, ReportOptions(sort="-dependency", limit=4))
    names = [str(r[0]) for r in everything.rows]
    assert [r[0] for r in by_name.rows] == sorted(names, reverse=True)[:4]
