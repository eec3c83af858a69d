"""``socle dashboard``: how it starts Streamlit, and the rules that keep the dashboard a read-only text view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.commands.dashboard import app_path, streamlit_command

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_is_headless_without_usage_statistics_on_the_given_address() -> None:
    command = streamlit_command(Path("/x/streamlit_app.py"), "127.0.0.1", 8600)
    assert command[1:5] == ["-m", "streamlit", "run", "/x/streamlit_app.py"]
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.port"] == "8600"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"


def test_the_app_is_found_without_importing_the_dashboard_package() -> None:
    assert app_path() == ROOT / "dashboard" / "streamlit_app.py"


def test_help_defaults_to_loopback_and_warns_there_is_no_login(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dashboard", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "[default: 127.0.0.1]" in text and "no login" in text


def test_a_missing_store_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dashboard", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no store here yet; run `socle import` first" in capsys.readouterr().err


def test_analysis_never_imports_the_dashboard() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "analysis").rglob("*.py")
        if re.search(r"^\s*(from|import) dashboard\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "page", sorted((ROOT / "dashboard" / "app_pages").glob("*.py")), ids=lambda p: p.stem
)
def test_pages_hold_no_sql_and_no_html(page: Path) -> None:
    source = page.read_text(encoding="utf-8")
    assert "unsafe_allow_html" not in source
    assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\s", source)
    assert "duckdb" not in source and "st.write(" not in source
