"""Pages over a store with only the foundation's tables (no refresh yet): no failure, a clear "no data"."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from collectors.store import insert_columns, write_session
from tests.dashboard.conftest import APP

PAGES = (
    "overview", "applications", "dependencies", "bus_factor", "standards", "sovereignty", "vulnerabilities", "budget_planner",
    "history", "runs", "glossary",
)  # fmt: skip


@pytest.fixture
def bare_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "socle.duckdb"
    with write_session(db, "import") as session:
        insert_columns(
            session.conn,
            "packages",
            {"purl": ["pkg:pypi/requests"], "ecosystem": ["pypi"], "name": ["requests"], "run_id": [1]},
        )
    monkeypatch.setenv("SOCLE_DB", str(db))
    return db


@pytest.mark.usefixtures("bare_store")
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_before_any_refresh(page: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    shown = [e.value for e in (*at.info, *at.warning, *at.text)] + [str(d.value.shape) for d in at.dataframe]
    assert shown, f"{page} shows nothing"


@pytest.mark.usefixtures("bare_store")
def test_overview_says_no_refresh_has_run() -> None:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Packages"], metrics["Truck factor of 1"], metrics["Single-actor"]) == (
        "1",
        "unknown",
        "unknown",
    )
    assert "No refresh has run yet: registry, git and score data are missing." in [
        w.value for w in at.warning
    ]
    assert any(i.value.startswith("No repository has been mined yet") for i in at.info)


def test_a_missing_store_is_reported_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCLE_DB", str(tmp_path / "absent.duckdb"))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert [e.value for e in at.error] == ["The store cannot be read."]
    assert any("run `socle import` first" in t.value for t in at.text)
