"""The docs document every budget method, export, risk component and score; help has examples."""

from __future__ import annotations

import pytest

from analysis import exports, risk
from analysis.budget import methods
from analysis.cli import main
from tests.docs_pages import page

DOCS = page("budget") + page("risk") + page("commands")


def test_sections_exist() -> None:
    assert page("budget").startswith("# Budgets\n") and page("risk").startswith("# Risk and criticality\n")
    assert "## `socle budget`" in page("commands") and "## `socle report --score risk`" in page("commands")


@pytest.mark.parametrize(
    "name",
    [
        *methods.METHODS,
        *(f for f in exports.FORMATS if f != "table"),
        *risk.COMPONENTS,
        "criticality",
        "openssf_criticality",
        "risk",
    ],
)
def test_every_name_is_documented(name: str) -> None:
    assert f"`{name}`" in DOCS


def test_budget_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["budget", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Example:" in out and "socle budget --total 50000" in out
