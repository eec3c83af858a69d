"""``analysis.budget.plan`` (a proposal from the store and saving it) and the XLSX export as bytes: the same
lines, file and saved rows as ``socle budget``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from analysis import exports
from analysis.budget import plan
from analysis.cli import main
from analysis.queries import budget as queries
from collectors.errors import InputError
from collectors.store import read_connection, write_session
from tests.budget import fixture_store


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return fixture_store.build(tmp_path / "org.duckdb")


def test_propose_from_store_gives_the_lines_of_socle_budget(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    choices = plan.Choices(
        total=15000,
        method="stackaid",
        floor=300,
        cap=0.3,
        exclude=frozenset({"requests"}),
        boost={"react": 2.0},
    )
    with read_connection(store) as conn:
        proposal = plan.propose_from_store(conn, choices)
    args = ["--total", "15000", "--method", "stackaid", "--min", "300", "--cap", "0.3"]
    assert (
        main(
            [
                "budget",
                "--db",
                str(store),
                *args,
                "--exclude",
                "requests",
                "--boost",
                "react=2",
                "--format",
                "json",
            ]
        )
        == 0
    )
    cli = json.loads(capsys.readouterr().out)
    assert [(line.project, line.amount, line.rationale) for line in proposal.lines] == [
        (line["project"], line["amount"], line["rationale"]) for line in cli["lines"]
    ]
    assert (
        dict(proposal.parameters) == cli["parameters"]
        and sum(line.amount for line in proposal.lines) == 15000
    )


def test_line_keys_are_projects_or_packages(store: Path) -> None:
    with read_connection(store) as conn:
        projects, packages = plan.line_keys(conn, "project"), plan.line_keys(conn, "package")
    assert "https://github.com/psf/requests" in projects and "pkg:pypi/requests" in packages
    assert packages == sorted(packages) and all(key.startswith("pkg:") for key in packages)
    assert len(projects) < len(packages)  # opentelemetry-api and -sdk share a repository


def test_a_floor_above_the_total_is_an_input_error(store: Path) -> None:
    with read_connection(store) as conn, pytest.raises(InputError, match="larger than the total"):
        plan.propose_from_store(conn, plan.Choices(total=100, floor=101))


def test_save_round_trips_through_the_0005_tables(store: Path) -> None:
    with read_connection(store) as conn:
        proposal = plan.propose_from_store(conn, plan.Choices(total=9000, currency="USD"))
    with write_session(store, "budget", proposal.parameters) as session:
        proposal_id = plan.save(session, proposal)
    with read_connection(store) as conn:
        saved = queries.saved_proposal(conn, proposal_id)
    assert saved is not None and (saved.total, saved.currency, saved.method) == (9000, "USD", "need")
    assert dict(saved.parameters) == json.loads(json.dumps(dict(proposal.parameters)))
    assert [(line["project"], line["amount"], line["channel"]) for line in saved.lines] == [
        (line.project, line.amount, line.channel_text) for line in proposal.lines
    ]


def test_xlsx_bytes_are_the_workbook_written_to_a_file(store: Path, tmp_path: Path) -> None:
    with read_connection(store) as conn:
        proposal = plan.propose_from_store(conn, plan.Choices(total=20000))
    exports.write_xlsx(proposal, tmp_path / "budget.xlsx")
    from_file = openpyxl.load_workbook(tmp_path / "budget.xlsx")
    from_bytes = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(proposal)))
    assert from_bytes.sheetnames == from_file.sheetnames == ["Summary", "Lines", "Outreach", "Left out"]
    for sheet in ("Summary", "Lines"):
        assert list(from_bytes[sheet].iter_rows(values_only=True)) == list(
            from_file[sheet].iter_rows(values_only=True)
        )
    assert sum(int(r[2]) for r in from_bytes["Lines"].iter_rows(min_row=2, values_only=True)) == 20000
