"""Budget exports for finance: CSV, XLSX (Summary and Lines sheets), JSON, GitHub Sponsors bulk CSV.

Registry and repository text (project names, URLs, rationales) is data: in CSV and XLSX a cell that
starts with ``= + - @`` is prefixed with a quote so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.budget.allocate import largest_remainder
from analysis.budget.proposal import Proposal
from collectors.errors import InputError

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMATS = ("table", "csv", "json", "xlsx", "github-sponsors")
LINE_COLUMNS = ("project", "packages", "amount", "currency", "channel", "rationale")
SPONSORS_COLUMNS = ("Maintainer username", "Sponsorship amount in USD")


#: Control characters XML 1.0 (hence XLSX) cannot hold; tab, newline and carriage return it can.
_NOT_IN_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127], "\ufffd")


def printable(text: str) -> str:
    """Registry and inventory text with control characters shown as U+FFFD, so every export can hold it."""
    return text.translate(_NOT_IN_XML)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = printable(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def line_rows(proposal: Proposal) -> list[tuple[Any, ...]]:
    return [
        (
            line.project,
            " ".join(line.packages),
            line.amount,
            proposal.currency,
            line.channel_text,
            line.rationale,
        )
        for line in proposal.lines
    ]


def to_csv(proposal: Proposal) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LINE_COLUMNS)
    for row in line_rows(proposal):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def to_dict(proposal: Proposal) -> dict[str, Any]:
    return {
        "method": proposal.method,
        "total": proposal.total,
        "currency": proposal.currency,
        "parameters": dict(proposal.parameters),
        "created_at": proposal.created_at.isoformat(),
        "data_as_of": proposal.data_as_of.isoformat() if proposal.data_as_of else None,
        "lines": [
            {
                "project": line.project,
                "packages": list(line.packages),
                "amount": line.amount,
                "weight": line.weight,
                "channel": {
                    "platform": line.channel.platform,
                    "urls": list(line.channel.urls),
                    "recipients": list(line.channel.recipients),
                }
                if line.channel
                else None,
                "channel_text": line.channel_text,
                "rationale": line.rationale,
            }
            for line in proposal.lines
        ],
        "left_out": [{"subject": s, "reason": r} for s, r in proposal.left_out],
        "notes": list(proposal.notes),
    }


def to_json(proposal: Proposal) -> str:
    return json.dumps(to_dict(proposal), indent=2, sort_keys=False) + "\n"


def github_sponsors_rows(proposal: Proposal) -> list[tuple[str, int]]:
    """(login, whole dollars) for lines paid through GitHub Sponsors; a line naming several accounts is
    split between them by the largest-remainder method, so the file sums to those lines exactly."""
    if proposal.currency.upper() != "USD":
        raise InputError(
            "--format github-sponsors",
            f"GitHub Sponsors bulk files are in USD; this proposal is in {proposal.currency} (use --currency USD)",
        )
    totals: dict[str, int] = {}
    for line in proposal.lines:
        if line.channel is None or line.channel.platform != "github-sponsors" or not line.channel.recipients:
            continue
        people = line.channel.recipients
        parts = largest_remainder([Fraction(line.amount, len(people))] * len(people), line.amount)
        for login, amount in zip(people, parts, strict=True):
            totals[login] = totals.get(login, 0) + amount
    return [(login, amount) for login, amount in totals.items() if amount > 0]


def to_github_sponsors(proposal: Proposal) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SPONSORS_COLUMNS)
    writer.writerows(github_sponsors_rows(proposal))
    return out.getvalue()


def _summary_rows(proposal: Proposal) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("Total", proposal.total),
        ("Currency", proposal.currency),
        ("Method", proposal.method),
        ("Date", proposal.created_at.strftime("%Y-%m-%d %H:%M UTC")),
        (
            "Data as of",
            proposal.data_as_of.strftime("%Y-%m-%d %H:%M UTC") if proposal.data_as_of else "unknown",
        ),
        ("Lines", len(proposal.lines)),
        ("Allocated", sum(line.amount for line in proposal.lines)),
    ]
    for key, value in proposal.parameters.items():
        rows.append((f"Parameter: {key}", json.dumps(value) if not isinstance(value, str) else value))
    rows.extend(("Note", note) for note in proposal.notes)
    rows.extend((f"Left out: {subject}", reason) for subject, reason in proposal.left_out)
    return rows


def _workbook(proposal: Proposal) -> Workbook:
    """A workbook with a Summary sheet (total, method, parameters, date, data freshness) and a Lines sheet."""
    import openpyxl  # imported here: only this export needs it
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    for key, value in _summary_rows(proposal):
        summary.append([_cell(key), _cell(value)])
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 80
    lines = book.create_sheet("Lines")
    lines.append(list(LINE_COLUMNS))
    for cell in lines[1]:
        cell.font = Font(bold=True)
    for row in line_rows(proposal):
        lines.append([_cell(v) for v in row])
    for row_cells in lines.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row_cells:
            cell.number_format = "#,##0"
    for letter, width in zip("ABCDEF", (40, 30, 12, 10, 50, 100), strict=True):
        lines.column_dimensions[letter].width = width
    return book


def write_xlsx(proposal: Proposal, path: Path) -> None:
    """The workbook of ``_workbook`` written to ``path``."""
    _workbook(proposal).save(path)


def to_xlsx(proposal: Proposal) -> bytes:
    """The workbook of ``_workbook`` as bytes (a download, an HTTP response)."""
    buffer = io.BytesIO()
    _workbook(proposal).save(buffer)
    return buffer.getvalue()


def render(proposal: Proposal, fmt: str, output: Path | None) -> str | None:
    """Write the proposal in ``fmt`` to ``output`` (or return the text for stdout)."""
    if fmt == "xlsx":
        if output is None:
            raise InputError("--format xlsx", "an XLSX workbook needs --output PATH")
        write_xlsx(proposal, output)
        return None
    writers = {"csv": to_csv, "json": to_json, "github-sponsors": to_github_sponsors}
    if fmt not in writers:
        raise InputError("--format", f"unknown export format {fmt!r}")
    text = writers[fmt](proposal)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        return None
    return text
