"""``socle report`` in a terminal: with fifteen columns, every value is still there to read in full (text
folded, never cut with an ellipsis), and numbers stand right-aligned on one line."""

from __future__ import annotations

from rich.console import Console

from analysis.commands.report import terminal_table
from analysis.reports import ReportTable
from analysis.reports.maintainers import COLUMNS

PURL = "pkg:npm/%40example-organisation/a-package-with-a-rather-long-name-indeed@12.3.4"
REASON = (
    "Losing 13 developers (Junio C Hamano, Jeff King, Patrick Steinhardt, Johannes Schindelin, Ævar Arnfjörð "
    "Bjarmason) would leave more than half of the 2,683 source files without an author."
)


def _rendered(width: int) -> str:
    values = [13, 15, 7, 15, 7, 6, 3, 0.0342, 60, 104, None]
    table = ReportTable(
        list(COLUMNS), [("package", PURL, "https://github.com/example/a-package", *values, REASON)]
    )
    console = Console(width=width, record=True)
    console.print(terminal_table(table))
    return console.export_text()


def _cells(text: str, column: int) -> str:
    """The text of one column over every line of the body, joined (folded values come back whole)."""
    body = text.split("┡", 1)[1]
    return "".join(line.split("│")[column + 1].strip() for line in body.splitlines() if line.startswith("│"))


def test_every_value_is_shown_whole_at_the_default_width() -> None:
    text = _rendered(200)
    assert "…" not in text
    assert _cells(text, 1) == PURL
    assert _cells(text, 14).replace(" ", "") == REASON.replace(" ", "")
    first_row = next(line for line in text.split("┡", 1)[1].splitlines() if line.startswith("│"))
    numbers = [cell.strip() for cell in first_row.split("│")[4:14]]
    assert numbers == ["13", "15", "7", "15", "7", "6", "3", "0.0342", "60", "104"]


def test_headers_stand_word_over_word() -> None:
    header = _rendered(200).split("┡", 1)[0]
    assert "truck_factor" not in header and "truck" in header and "factor" in header
    assert "days_since_last_commit" not in header and "commit" in header
