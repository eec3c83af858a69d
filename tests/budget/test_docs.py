"""The README documents every budget method, export, risk component and score; help has examples."""

from __future__ import annotations

import pytest

from analysis import exports, risk
from analysis.budget import methods
from analysis.cli import main
from collectors.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_sections_exist() -> None:
    assert "\n## Budgets\n" in README and "\n## Risk and criticality\n" in README
    assert "### `socle budget`" in README and "### `socle report --score risk`" in README


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
    assert f"`{name}`" in README


def test_budget_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["budget", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Example:" in out and "socle budget --total 50000" in out
