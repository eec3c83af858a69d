"""Dashboard fixtures: one fixture store per session, and an AppTest on a chosen page over it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.fixture_store import build_fixture_store

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_store(tmp_path_factory.mktemp("store") / "socle.duckdb")


def open_app(db: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The dashboard over the store ``db``, run on ``page`` (a file of app_pages/ without ``.py``;
    "overview": the first page), checked to have raised nothing."""
    monkeypatch.setenv("SOCLE_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def open_page(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    return lambda page: open_app(fixture_db, page, monkeypatch)
