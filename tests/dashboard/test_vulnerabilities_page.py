"""The Vulnerabilities page: what was looked at, the open findings with their fixes, and "not known" when
nothing was collected (the fixture organisation has no vulnerability data)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import open_app
from tests.signals.test_end_to_end import FIXTURE, _registry_facts


def _open(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_app(db, "vulnerabilities", monkeypatch)


def test_findings_coverage_and_lifecycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.cli import main

    db = tmp_path / "socle.duckdb"
    assert main(["import", "--db", str(db), str(FIXTURE)]) == 0
    _registry_facts(db)
    assert main(["refresh", "--db", str(db), "--only", "scores"]) in (0, 1)
    at = _open(db, monkeypatch)
    assert {m.label: m.value for m in at.metric} == {
        "Open findings": "3",
        "Packages affected": "2",
        "Versions looked at": "4 (100%)",
    }
    table = at.dataframe[0].value
    assert list(table["advisory"])[:2] == ["CVE-2023-43804", "CVE-2023-28155"]
    assert list(table["fixed_in"])[:1] == ["1.26.17"]
    lifecycle = at.dataframe[1].value.set_index("package")
    assert lifecycle.loc["request", "lifecycle"] == "deprecated"


def test_nothing_collected_is_said_as_not_known(
    open_page: Callable[[str], AppTest],
) -> None:
    at = open_page("vulnerabilities")
    assert any("No vulnerability data collected yet" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Versions looked at"] == "0 (0%)"
