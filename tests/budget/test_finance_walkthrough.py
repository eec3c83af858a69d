"""A finance person's walk through the default proposal for the example organisation.

``socle budget --total 20000 --currency EUR`` as the README shows it, on ``data/examples`` imported and
refreshed offline (see ``tests.budget.example_org``): one screen of lines, none under the minimum grant, no
project both left out and paid, the data dated by the refresh (not by a save), and a workbook whose sheets
a finance team can file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from analysis.budget.proposal import DEFAULT_FLOOR
from analysis.cli import main
from collectors.store import read_connection
from tests.budget import example_org


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield example_org.build(tmp_path_factory.mktemp("example") / "socle.duckdb", monkeypatch)


def _budget(capsys: pytest.CaptureFixture[str], store: Path, *args: str) -> tuple[int, str, str]:
    code = main(["budget", "--db", str(store), "--total", "20000", "--currency", "EUR", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _refresh_end(store: Path) -> str:
    with read_connection(store) as conn:
        row = conn.execute("SELECT max(ended_at) FROM runs WHERE kind = 'refresh'").fetchone()
    assert row is not None and row[0] is not None
    return f"{row[0]:%Y-%m-%d %H:%M} UTC"


def test_the_default_proposal_is_short_and_consistent(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _budget(capsys, store, "--format", "json")
    assert code == 0
    proposal = json.loads(out)
    lines = proposal["lines"]
    amounts = [line["amount"] for line in lines]
    assert 0 < len(lines) <= 30  # one screen
    assert sum(amounts) + proposal["reserve"] == 20000 and proposal["reserve"] == 0
    assert min(amounts) >= DEFAULT_FLOOR  # no grant under the minimum
    assert all(line["channel"] for line in lines)  # every line can be paid
    paid = {line["project"] for line in lines}
    assert not paid & {o["subject"] for o in proposal["left_out"]}  # never both left out and paid
    assert not paid & {o["project"] for o in proposal["outreach"]}
    # TanStack Query is stewarded by a company in the catalogue: left out, never paid.
    assert "pkg:npm/%40tanstack/react-query" in {o["subject"] for o in proposal["left_out"]}
    # Nothing came from a registry or a repository: most of the money rests on unknowns, and says so.
    assert proposal["amount_resting_on_unknowns"] > 10000
    assert all("licence not known" in line["rationale"] for line in lines)


def test_the_table_reads_aloud_and_is_dated_by_the_refresh(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refreshed = _refresh_end(store)
    code, out, err = _budget(capsys, store, "--save")
    assert code == 0 and "saved as proposal" in err
    head = out.splitlines()[:4]
    assert (
        head[0]
        == f"Budget proposal: 20,000 EUR a year, method need, {_lines(out)} payable lines totalling 20,000 EUR."
    )
    assert head[1].startswith(f"Data as of {refreshed}: the end of the last run that collected data")
    assert "of the paid money rests on inputs that were not collected" in out
    # Saving is not collecting: the next proposal is still dated by the refresh.
    code, out, _ = _budget(capsys, store, "--format", "json")
    saved_after = json.loads(out)["data_as_of"]
    assert f"{saved_after[:10]} {saved_after[11:16]} UTC" == refreshed


def _lines(table: str) -> int:
    return sum(1 for row in table.splitlines() if row.startswith("│") and row[1:5].strip().isdigit())


def test_the_workbook_has_the_sheets_finance_files(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "budget.xlsx"
    code, _, _ = _budget(capsys, store, "--format", "xlsx", "--output", str(path))
    assert code == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Lines", "Outreach", "Left out"]
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert summary[0][0] == "In short" and str(summary[0][1]).startswith("Budget proposal: 20,000 EUR a year")
    assert str(summary[1][1]).startswith(f"Data as of {_refresh_end(store)}")
    words = {row[0]: row[1] for row in summary}
    assert str(words["Minimum grant"]).startswith(f"{DEFAULT_FLOOR:,} EUR")
    assert str(words["Projects without a channel"]).startswith("their share is redistributed")
    assert str(store.parent) not in json.dumps([list(r) for r in summary], default=str)
    lines = list(book["Lines"].iter_rows(values_only=True))
    assert lines[0] == ("project", "packages", "amount", "currency", "channel", "rationale")
    assert lines[1][3] == "EUR" and int(lines[1][2]) >= DEFAULT_FLOOR
    assert book["Lines"].freeze_panes == "A2" and book["Lines"].auto_filter.ref
    outreach = list(book["Outreach"].iter_rows(values_only=True))
    assert outreach[0][:3] == ("project", "packages", "amount with a channel") and len(outreach) > 1
    left = list(book["Left out"].iter_rows(values_only=True))
    assert left[0] == ("project or package", "why") and len(left) > 1
