"""Registry and inventory text in exports: control characters never break a workbook or a CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl

from analysis import exports
from analysis.budget.proposal import Line, Proposal

HOSTILE = "evil\x00pkg\x1b[31m\x07"


def _proposal() -> Proposal:
    line = Line(
        project=f"https://github.com/example/{HOSTILE}",
        packages=(f"pkg:npm/{HOSTILE}",),
        amount=1000,
        weight=1.0,
        channel=None,
        rationale='=HYPERLINK("http://x")\x0b',
    )
    return Proposal(
        method="need",
        total=1000,
        currency="EUR",
        parameters={"note": HOSTILE},
        created_at=datetime(2026, 12, 1, 12, 0),
        data_as_of=None,
        lines=(line,),
        left_out=((HOSTILE, "no channel"),),
        notes=(),
    )


def test_printable_keeps_tabs_and_newlines_and_marks_the_rest() -> None:
    assert exports.printable("a\tb\nc\r") == "a\tb\nc\r"
    assert exports.printable(HOSTILE) == "evil\ufffdpkg\ufffd[31m\ufffd"


def test_control_characters_in_a_package_name_do_not_break_the_xlsx_export() -> None:
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(_proposal())))
    (row,) = book["Lines"].iter_rows(min_row=2, values_only=True)
    assert row[0] == "https://github.com/example/evil\ufffdpkg\ufffd[31m\ufffd"
    assert row[1] == "pkg:npm/evil\ufffdpkg\ufffd[31m\ufffd"
    assert row[5] == '\'=HYPERLINK("http://x")\ufffd'  # still defused as a formula


def test_control_characters_in_the_csv_export_are_marked_too() -> None:
    rows = list(csv.reader(io.StringIO(exports.to_csv(_proposal()))))
    assert rows[1][1] == "pkg:npm/evil\ufffdpkg\ufffd[31m\ufffd"
