"""The budget planner: without an engine it says so; with one (a stand-in installed under the engine's module
names) its inputs drive the proposal live, the lines sum to the total, and it downloads, saves and compares."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard import fake_budget
from tests.dashboard.conftest import APP

OpenPage = Callable[[str], AppTest]


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, module in fake_budget.as_modules().items():
        monkeypatch.setitem(sys.modules, name, module)


def lines(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if list(d.value.columns)[:2] == ["project", "packages"])


def allocated(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Allocated")


def test_without_an_engine_the_page_says_so_and_lists_saved_proposals(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    assert at.warning[0].value.startswith("Budget engine not installed")
    saved = at.dataframe[0].value
    assert (
        list(saved["project"])[:2] == ["fastapi/fastapi", "encode/httpx"] and saved["amount"].sum() == 10000
    )


@pytest.mark.usefixtures("engine")
def test_proposal_sums_to_the_total_and_follows_the_inputs(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    assert not at.warning
    first = lines(at)
    assert first["amount"].sum() == 20000 and allocated(at) == "20,000 EUR"
    assert first["amount"].max() <= 0.25 * 20000 and first["amount"].min() >= 250
    assert len(at.get("vega_lite_chart")) == 2  # the proposal and the comparison

    at.number_input(key="total").set_value(7000).run()
    assert lines(at)["amount"].sum() == 7000 and allocated(at) == "7,000 EUR"

    top = lines(at).iloc[0]["packages"]
    at.multiselect(key="exclude").select(top).run()
    assert top not in set(lines(at)["packages"]) and lines(at)["amount"].sum() == 7000

    at.selectbox(key="method").select("equal").run()
    at.number_input(key="floor").set_value(400).run()
    equal = lines(at)
    assert equal["amount"].sum() == 7000 and equal["amount"].min() >= 400
    assert equal["amount"].max() - equal["amount"].min() <= 1  # an even split, in whole units
    assert len(equal) == 17  # 7000 / 400 -> 17 lines of 411-412

    boosted = equal.iloc[-1]["packages"]
    at.multiselect(key="boost").select(boosted).run()
    after = lines(at)
    amount = dict(zip(after["packages"], after["amount"], strict=True))
    assert amount[boosted] == after["amount"].max() and after["amount"].sum() == 7000

    at.selectbox(key="currency").select("USD").run()
    assert allocated(at) == "7,000 USD"


@pytest.mark.usefixtures("engine")
def test_downloads_and_comparison(open_page: OpenPage) -> None:
    at = open_page("budget_planner")
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert set(buttons) == {"Download CSV", "Download XLSX"}
    compare = at.dataframe[-1].value
    assert list(compare.columns) == ["project", "current", "saved", "difference"]
    assert compare["saved"].sum() == 10000 and compare["current"].sum() == 20000


def test_exports_are_the_lines_as_csv_and_xlsx(fixture_db: Path) -> None:
    from collectors.store import read_connection
    from dashboard import data

    with read_connection(fixture_db) as conn:
        proposal = fake_budget.propose(conn, fake_budget.BudgetParams(total=5000, min_amount=100, cap=0.2))
    csv = pd.read_csv(io.BytesIO(data.export_proposal(proposal, "csv") or b""))
    assert csv["amount"].sum() == 5000 and list(csv.columns)[:3] == ["project", "packages", "amount"]
    book = openpyxl.load_workbook(io.BytesIO(data.export_proposal(proposal, "xlsx") or b""))
    rows = list(book["lines"].iter_rows(values_only=True))
    assert rows[0][:3] == ("project", "packages", "amount") and sum(r[2] for r in rows[1:]) == 5000


@pytest.mark.usefixtures("engine")
def test_save_writes_a_proposal_through_a_write_session(
    fixture_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "socle.duckdb"
    shutil.copyfile(fixture_db, db)
    monkeypatch.setenv("SOCLE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    at.switch_page("app_pages/budget_planner.py").run()
    at.number_input(key="total").set_value(3000).run()
    at.button(key="save").click().run()
    assert [s.value for s in at.success] == ["Saved as proposal #2."]
    at.selectbox(key="saved").select(2).run()
    compare = at.dataframe[-1].value
    assert compare["saved"].sum() == 3000 and (compare["difference"] == 0).all()
