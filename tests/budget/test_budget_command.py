"""``socle budget`` end to end on the fixture organisation: sums, channels, exports, save and compare."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from analysis.cli import main
from collectors.store import write_session
from tests.budget import fixture_store


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return fixture_store.build(tmp_path / "org.duckdb")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["budget", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("method", ["need", "equal", "stackaid", "usage"])
def test_every_method_allocates_the_whole_total_with_channel_and_rationale(
    store: Path, capsys: pytest.CaptureFixture[str], method: str
) -> None:
    code, out, _ = _run(
        capsys, "--db", str(store), "--total", "20000", "--method", method, "--format", "json"
    )
    assert code == 0
    proposal = json.loads(out)
    rows = proposal["lines"]
    assert sum(r["amount"] for r in rows) == 20000 and proposal["reserve"] == 0
    assert all(r["channel"] and r["rationale"] for r in rows)  # only payable lines
    assert min(r["amount"] for r in rows) >= 1000  # the default minimum grant
    projects = [r["project"] for r in rows]
    assert len(projects) == len(set(projects))  # per project: one repository is paid once
    # react, react-dom and scheduler: one project without a channel, never a payable line
    assert "https://github.com/facebook/react" not in projects
    react = [o for o in proposal["outreach"] if o["project"].endswith("facebook/react")]
    assert not react or react[0]["packages"] == ["react", "react-dom", "scheduler"]
    # not eligible: proprietary licence, and a single company (elephant factor 1)
    left_out = {o["subject"] for o in proposal["left_out"]}
    assert {"pkg:pypi/closedthing", "https://github.com/microsoft/TypeScript"} <= left_out
    assert not left_out & set(projects)


def test_table_output_and_channel_preference(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "--db",
        str(store),
        "--total",
        "20000",
        "--min",
        "100",
        "--currency",
        "EUR",
        "--format",
        "json",
    )
    assert code == 0
    proposal = json.loads(out)
    by_project = {line["project"]: line for line in proposal["lines"]}
    starlette = by_project["https://github.com/encode/starlette"]
    assert (
        starlette["channel"]["platform"] == "github-sponsors"
    )  # invoices: ranked over the funding.json channel
    axios = by_project["https://github.com/axios/axios"]
    assert axios["channel"]["platform"] == "open-collective"
    dateutil = by_project["https://github.com/dateutil/dateutil"]
    assert dateutil["channel"]["recipients"] == ["mariocj89", "pganssle"]
    assert "truck factor 1 (one person authors 90% of files)" in dateutil["rationale"]
    assert {o["subject"] for o in proposal["left_out"]} == {
        "https://github.com/microsoft/TypeScript",
        "pkg:pypi/closedthing",
    }
    outreach = {o["project"]: o for o in proposal["outreach"]}
    assert outreach["https://github.com/benjaminp/six"]["contacts"] == ["https://github.com/benjaminp/six"]
    code, out, _ = _run(capsys, "--db", str(store), "--total", "20000")
    assert code == 0 and "Budget proposal: 20,000 EUR a year, method need" in out and "20,000" in out
    assert "Outreach (no funding channel known" in out and "Data as of 2026-11-01 12:00 UTC" in out


def test_floor_cap_exclude_boost_and_per_package(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(store), "--total", "10000", "--min", "500", "--cap", "0.4", "--format", "json"]
    _, out, _ = _run(capsys, *args, "--exclude", "fastapi", "--boost", "axios=3", "--per", "package")
    proposal = json.loads(out)
    amounts = [line["amount"] for line in proposal["lines"]]
    assert sum(amounts) == 10000 and min(amounts) >= 500 and max(amounts) <= 4000
    assert ["python-dateutil"] in [line["packages"] for line in proposal["lines"]]
    assert ("https://github.com/fastapi/fastapi", "excluded by --exclude (packages: fastapi)") in [
        (o["subject"], o["reason"]) for o in proposal["left_out"]
    ]
    assert any("boosted x3" in line["rationale"] for line in proposal["lines"])
    _, out, _ = _run(capsys, *args, "--min", "3000")
    assert any("under the floor" in o["reason"] for o in json.loads(out)["left_out"])
    _, out, _ = _run(capsys, *args, "--max-lines", "2")
    proposal = json.loads(out)
    assert len(proposal["lines"]) == 2 and sum(line["amount"] for line in proposal["lines"]) == 10000
    assert any("--max-lines" in o["reason"] for o in proposal["left_out"])
    _, out, _ = _run(capsys, *args, "--exclude", "no-such-package")
    assert (
        "--exclude no-such-package matches no package or project of the organisation"
        in json.loads(out)["notes"]
    )


def test_outreach_share_held_in_reserve(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--db", str(store), "--total", "20000", "--format", "json"]
    proposal = json.loads(_run(capsys, *args, "--unreachable", "reserve")[1])
    held = sum(o["amount_with_a_channel"] for o in proposal["outreach"])
    assert held > 0 and proposal["reserve"] == held
    assert sum(line["amount"] for line in proposal["lines"]) + held == 20000
    assert any("held in reserve" in note for note in proposal["notes"])
    assert proposal["parameters"]["unreachable"] == "reserve"


def test_xlsx_has_summary_and_lines(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "budget.xlsx"
    code, _, _ = _run(
        capsys, "--db", str(store), "--total", "20000", "--format", "xlsx", "--output", str(path)
    )
    assert code == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Lines", "Outreach", "Left out"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0] != "In short"}
    assert summary["Total"] == 20000 and summary["Allocated"] == 20000
    assert summary["Method"].startswith(
        "need: each project's weight is how much the organisation relies on it"
    )
    assert summary["Data as of"] == "2026-11-01 12:00 UTC"
    assert summary["Minimum grant"].startswith("1,000 EUR: smaller shares are dropped")
    assert summary["Risk weights"] == "risk_weights.toml"  # never a path of the server
    assert str(store.parent) not in str(list(book["Summary"].values))
    lines = book["Lines"]
    rows = list(lines.iter_rows(values_only=True))
    assert rows[0][:3] == ("project", "packages", "amount")
    assert sum(int(r[2]) for r in rows[1:]) == 20000
    assert lines.freeze_panes == "A2" and lines.auto_filter.ref == f"A1:F{len(rows)}"
    assert lines["C2"].number_format == "#,##0"
    outreach = list(book["Outreach"].iter_rows(values_only=True))
    assert outreach[0][:3] == ("project", "packages", "amount with a channel")
    assert outreach[1][0] == "https://github.com/benjaminp/six"
    left = list(book["Left out"].iter_rows(values_only=True))
    assert left[0] == ("project or package", "why") and len(left) > 1


def test_github_sponsors_bulk_csv(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "--db",
        str(store),
        "--total",
        "9999",
        "--min",
        "100",
        "--currency",
        "USD",
        "--format",
        "github-sponsors",
    )
    assert code == 0
    rows = _csv(out)
    assert list(rows[0]) == ["Maintainer username", "Sponsorship amount in USD"]
    logins = {r["Maintainer username"] for r in rows}
    # axios prefers Open Collective; starlette's GitHub Sponsors (invoices) ranks over its funding.json
    assert logins == {"encode", "mariocj89", "pganssle", "tiangolo", "zzzeek"}
    _, js, _ = _run(
        capsys, "--db", str(store), "--total", "9999", "--min", "100", "--currency", "USD", "--format", "json"
    )
    sponsored = sum(
        line["amount"]
        for line in json.loads(js)["lines"]
        if (line["channel"] or {}).get("platform") == "github-sponsors"
    )
    assert sum(int(r["Sponsorship amount in USD"]) for r in rows) == sponsored
    code, _, err = _run(capsys, "--db", str(store), "--total", "100", "--format", "github-sponsors")
    assert code == 2 and "in USD" in err


def test_developers_suggests_the_pledge_total(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--db", str(store), "--developers", "3", "--format", "csv")
    assert code == 0 and "6,000" in err and "Open Source Pledge" in err
    assert sum(int(r["amount"]) for r in _csv(out)) == 6000
    code, _, err = _run(capsys, "--db", str(store))
    assert code == 2 and "--developers" in err


def test_save_then_compare_shows_what_changed_and_why(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "--db", str(store), "--total", "20000", "--save")
    assert code == 0 and "saved as proposal 1" in err
    code, out, _ = _run(
        capsys, "--db", str(store), "--total", "20000", "--exclude", "python-dateutil", "--compare", "1"
    )
    assert code == 0
    assert "changes since proposal 1" in out
    assert "parameter exclude: [] -> ['python-dateutil']" in out
    assert "https://github.com/dateutil/dateutil: " in out
    assert "-> 0 (" in out and "no longer in the proposal: excluded by --exclude" in out
    code, _, err = _run(capsys, "--db", str(store), "--total", "1", "--compare", "7")
    assert code == 2 and "no saved proposal 7" in err


def test_same_store_and_parameters_give_the_same_lines(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", str(store), "--total", "12345", "--method", "stackaid", "--format", "csv"]
    assert _run(capsys, *args)[1] == _run(capsys, *args)[1]


def test_inventory_only_store_still_proposes_and_says_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = fixture_store.build(tmp_path / "inv.duckdb", registry=False)
    code, out, _ = _run(capsys, "--db", str(db), "--total", "20000", "--format", "json")
    assert code == 0
    proposal = json.loads(out)
    # Nothing collected yet: no channel is known, so nothing is payable and the total waits in reserve.
    assert proposal["lines"] == [] and proposal["reserve"] == 20000
    assert any("run `socle refresh`" in note for note in proposal["notes"])
    assert any("the whole 20,000 EUR is held in reserve" in note for note in proposal["notes"])
    assert proposal["outreach"] and all(o["amount_with_a_channel"] >= 1000 for o in proposal["outreach"])


def test_an_empty_store_is_a_clear_error(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with write_session(db_path, "import"):
        pass
    code, _, err = _run(capsys, "--db", str(db_path), "--total", "100")
    assert code == 2 and "no eligible project to fund" in err


def test_bad_options_are_one_line_errors(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--db", str(store), "--total", "100", "--boost", "six")[0] == 2
    assert _run(capsys, "--db", str(store), "--total", "100", "--currency", "euro")[0] == 2
    code, _, err = _run(capsys, "--db", str(store), "--total", "100", "--min", "500")
    assert code == 2 and "larger than the total" in err


def test_catalogue_steward_company_is_left_out(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The catalogue as the standards step loads it (purl -> steward -> kind).
    import contextlib

    import duckdb

    with contextlib.closing(duckdb.connect(str(store))) as conn:
        conn.execute(
            "INSERT INTO cat_stewards (id, name, kind, url, source, origin, file, run_id) VALUES "
            "('meta', 'Meta', 'company', 'u', 's', 'catalogue', 'f', 1), "
            "('psf', 'PSF', 'foundation', 'u', 's', 'catalogue', 'f', 1)"
        )
        conn.execute(
            "INSERT INTO cat_implementations (interface_id, subject, purl, name, lineage, steward, conformance, "
            "evidence, ecosystem, origin, file, run_id) VALUES "
            "('ui', 'pkg:npm/react', 'pkg:npm/react', 'React', 'react', 'meta', 'unknown', 'e', 'npm', 'c', 'f', 1), "
            "('http', 'pkg:pypi/requests', 'pkg:pypi/requests', 'requests', 'requests', 'psf', 'unknown', 'e', "
            "'pypi', 'c', 'f', 1)"
        )
    _, out, _ = _run(capsys, "--db", str(store), "--total", "20000", "--format", "json")
    left_out = {o["subject"]: o["reason"] for o in json.loads(out)["left_out"]}
    react = left_out["https://github.com/facebook/react"]
    assert "stewarded by a company" in react and "(evidence: react)" in react
    assert "one decision for the whole project: react, react-dom, scheduler" in react
    assert "https://github.com/psf/requests" not in left_out
    _, out, _ = _run(
        capsys, "--db", str(store), "--total", "20000", "--format", "json", "--company-evidence", "elephant"
    )
    assert "https://github.com/facebook/react" not in {o["subject"] for o in json.loads(out)["left_out"]}


def test_history_shows_what_each_project_received_across_years(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import contextlib

    import duckdb

    assert _run(capsys, "--db", str(store), "--total", "10000", "--save")[0] == 0  # a 2025 draft ...
    assert _run(capsys, "--db", str(store), "--total", "20000", "--save")[0] == 0  # ... replaced by this one
    assert _run(capsys, "--db", str(store), "--total", "30000", "--save")[0] == 0  # 2026
    with contextlib.closing(duckdb.connect(str(store))) as conn:
        conn.execute("UPDATE budget_proposals SET created_at = '2025-03-01' WHERE proposal_id = 1")
        conn.execute("UPDATE budget_proposals SET created_at = '2025-06-01' WHERE proposal_id = 2")
        conn.execute("UPDATE budget_proposals SET created_at = '2026-03-01' WHERE proposal_id = 3")
        saved = {
            (pid, project): amount
            for pid, project, amount in conn.execute(
                "SELECT proposal_id, project, amount FROM budget_lines"
            ).fetchall()
        }
    code, out, _ = _run(capsys, "--db", str(store), "--history", "--format", "json")
    assert code == 0
    rows = {row["project"]: row for row in json.loads(out)}
    dateutil = rows["https://github.com/dateutil/dateutil"]
    project = "https://github.com/dateutil/dateutil"
    assert dateutil["2025"] == saved[2, project] and dateutil["2026"] == saved[3, project]
    assert dateutil["total"] == saved[2, project] + saved[3, project]
    assert sum(row["total"] for row in rows.values()) == 20000 + 30000
    code, out, _ = _run(capsys, "--db", str(store), "--history")
    assert code == 0 and "2025" in out and "2026" in out and "dateutil" in out
