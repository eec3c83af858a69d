"""The budget planner over the fixture store, driven as a person would: every method allocates the whole total
(the same lines as ``socle budget``), floors and caps hold, an exclusion removes its line, a boost raises it,
the downloads are the real exports, and a saved proposal compares with the current one."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from analysis import exports
from analysis.budget import methods, plan
from analysis.budget.proposal import package_name
from analysis.commands.budget import budget
from collectors.store import copy_store, read_connection
from dashboard import data
from tests.dashboard.conftest import APP

OpenPage = Callable[[str], AppTest]


def lines(at: AppTest) -> pd.DataFrame:
    return next(
        d.value for d in at.dataframe if list(d.value.columns)[:3] == ["project", "packages", "amount"]
    )


def left_out(at: AppTest) -> dict[str, str]:
    frame = next(d.value for d in at.dataframe if list(d.value.columns) == ["subject", "reason"])
    return dict(zip(frame["subject"], frame["reason"], strict=True))


def changes(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "difference" in d.value.columns)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def cli_lines(db: Path, *args: str) -> list[tuple[str, int]]:
    result = CliRunner().invoke(budget, ["--db", str(db), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return [(line["project"], line["amount"]) for line in json.loads(result.stdout)["lines"]]


@pytest.mark.parametrize("method", methods.METHODS)
def test_every_method_allocates_the_whole_total_as_socle_budget_does(
    open_page: OpenPage, fixture_db: Path, method: str
) -> None:
    at = open_page("budget_planner")
    at.selectbox(key="method").select(method).run()
    at.number_input(key="total").set_value(12345).run()
    frame = lines(at)
    assert frame["amount"].sum() == 12345 and metric(at, "Allocated") == "12,345 EUR"
    assert (frame["amount"] > 0).all() and frame["project"].is_unique
    assert list(zip(frame["project"], frame["amount"], strict=True)) == cli_lines(
        fixture_db, "--total", "12345", "--method", method
    )


def test_one_line_per_package(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    by_project = lines(at)
    at.selectbox(key="per").select("package").run()
    by_package = lines(at)
    assert by_package["amount"].sum() == 20000 and by_package["project"].str.startswith("pkg:").all()
    assert list(by_package["packages"]) == [package_name(purl) for purl in by_package["project"]]
    assert sorted(by_package["packages"]) == sorted(
        p for ps in by_project["packages"] for p in ps.split(", ")
    )


def test_floor_and_cap_hold_and_what_they_drop_is_said(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    assert at.number_input(key="floor").value == 1000  # the default minimum grant
    at.number_input(key="floor").set_value(0).run()
    before = len(lines(at))
    at.number_input(key="floor").set_value(600).run()
    at.number_input(key="cap").set_value(6).run()
    frame = lines(at)
    assert frame["amount"].sum() == 20000
    assert frame["amount"].min() >= 600 and frame["amount"].max() <= 1200  # 6% of 20,000
    assert frame["amount"].max() == 1200  # the cap binds: the neediest lines are held at it
    dropped = {k for k, why in left_out(at).items() if why.startswith("under the floor of 600 EUR")}
    assert len(frame) + len(dropped) == before and not dropped & set(frame["project"])
    assert frame.loc[frame["amount"] == 1200, "rationale"].str.contains("capped at 1,200 EUR").all()
    at.number_input(key="max_lines").set_value(5).run()
    assert len(lines(at)) == 5 and lines(at)["amount"].sum() == 20000


def test_a_floor_above_the_total_is_an_error_on_the_page(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    at.number_input(key="floor").set_value(30000).run()
    assert [e.value for e in at.error] == ["These inputs give no proposal."]
    assert "the floor 30000 is larger than the total 20000" in " ".join(texts(at))
    assert not at.metric and not at.exception


def test_exclusion_removes_the_line(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    top = lines(at).iloc[0]
    at.multiselect(key="exclude").select(top["project"]).run()
    frame = lines(at)
    assert top["project"] not in set(frame["project"]) and frame["amount"].sum() == 20000
    excluded = {s: why for s, why in left_out(at).items() if why.startswith("excluded by --exclude")}
    assert excluded == {top["project"]: f"excluded by --exclude (packages: {top['packages']})"}


def test_boost_raises_the_line(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    before = lines(at).set_index("project")["amount"]
    target = str(before.index[10])
    at.number_input(key="boost_factor").set_value(3.0).run()
    at.multiselect(key="boost").select(target).run()
    after = lines(at).set_index("project")
    assert after.loc[target, "amount"] > 2 * before[target] and after["amount"].sum() == 20000
    assert str(after.loc[target, "rationale"]).endswith("boosted x3")
    others = [p for p in before.index if p != target]
    # the boost is paid by the others (the smallest may fall under the minimum grant and drop out)
    assert (after["amount"].reindex(others, fill_value=0) <= before[others]).all()


def test_downloads_are_the_real_csv_and_xlsx_exports(open_page: OpenPage, fixture_db: Path) -> None:
    at = open_page("budget_planner")
    buttons = {b.proto.label: b.proto.url for b in at.download_button}
    assert set(buttons) == {"Download CSV", "Download XLSX"}
    assert buttons["Download CSV"].endswith(".csv") and buttons["Download XLSX"].endswith(".xlsx")
    shown = lines(at)
    # The same proposal the page shows, through the same library call, exported by the same functions.
    with read_connection(fixture_db) as conn:
        proposal = plan.propose_from_store(conn, plan.Choices(total=20000))
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(proposal))))
    assert [(r["project"], int(r["amount"])) for r in rows] == list(
        zip(shown["project"], shown["amount"], strict=True)
    )
    assert {r["currency"] for r in rows} == {"EUR"}
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(proposal)))
    assert book.sheetnames == ["Summary", "Lines", "Outreach", "Left out"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Total"] == 20000 and summary["Payable lines"] == len(shown)
    assert str(summary["Method"]).startswith("need: ")
    sheet = list(book["Lines"].iter_rows(values_only=True))
    assert sheet[0] == exports.LINE_COLUMNS and sum(int(r[2]) for r in sheet[1:]) == 20000


def test_the_saved_fixture_proposal_compares_with_the_current_one(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    assert at.selectbox(key="saved").value == 1
    assert "Parameter total: 10000 -> 20000" in texts(at)
    diff = changes(at).set_index("project")
    assert diff.loc["https://github.com/fastapi/fastapi", "saved"] == 4000
    current = lines(at).set_index("project")["amount"]
    assert (diff["current"] == [current.get(p, 0) for p in diff.index]).all()
    assert (diff["difference"] == diff["current"] - diff["saved"]).all()
    assert len(at.get("vega_lite_chart")) == 2  # the proposal and the comparison


def test_save_then_compare_shows_the_difference(
    fixture_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "socle.duckdb"
    copy_store(fixture_db, db)  # the core file and its history file
    monkeypatch.setenv("SOCLE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    at.switch_page("app_pages/budget_planner.py").run()
    at.number_input(key="total").set_value(15000).run()
    at.button(key="save").click().run()
    assert [s.value for s in at.success] == ["Saved as proposal #2."]
    at.selectbox(key="saved").select(2).run()
    assert "Same amounts as the saved proposal." in texts(at)
    assert not [t for t in texts(at) if t.startswith("Parameter")]
    saved = data.proposal_lines(2, db=db)
    assert saved["amount"].sum() == 15000 and list(saved["project"]) == list(lines(at)["project"])
    assert data.runs(db=db).iloc[0][["kind", "status"]].tolist() == ["budget", "ok"]

    gone = lines(at).iloc[0]["project"]
    at.multiselect(key="exclude").select(gone).run()
    at.number_input(key="total").set_value(18000).run()
    texts_now = texts(at)
    assert "Parameter total: 15000 -> 18000" in texts_now
    assert f"Parameter exclude: [] -> ['{gone}']" in texts_now
    diff = changes(at).set_index("project")
    assert diff.loc[gone, "current"] == 0 and diff.loc[gone, "saved"] == saved["amount"].iloc[0]
    assert str(diff.loc[gone, "why"]).startswith(
        "no longer in the proposal: excluded by --exclude (packages: "
    )
    assert (diff["difference"] != 0).all() and diff["difference"].sum() == 18000 - 15000
