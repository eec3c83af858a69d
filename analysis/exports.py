"""Budget exports for finance: CSV, XLSX (Summary in words, Lines, Outreach, Left out), JSON, GitHub Sponsors
bulk CSV, and an Open Source Pledge report (the JSON members publish: https://opensourcepledge.com/).

Registry and repository text (project names, URLs, rationales) is data: in CSV and XLSX a cell that
starts with ``= + - @`` is prefixed with a quote so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.budget.allocate import largest_remainder
from analysis.budget.proposal import PLEDGE_PER_DEVELOPER, Proposal
from collectors.errors import InputError

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMATS = ("table", "csv", "json", "xlsx", "github-sponsors", "pledge")
LINE_COLUMNS = ("project", "packages", "amount", "currency", "channel", "rationale")
OUTREACH_COLUMNS = ("project", "packages", "amount with a channel", "currency", "contacts", "rationale")
LEFT_OUT_COLUMNS = ("project or package", "why")
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
        "outreach": [
            {
                "project": o.project,
                "packages": list(o.packages),
                "amount_with_a_channel": o.amount,
                "contacts": list(o.contacts),
                "rationale": o.rationale,
            }
            for o in proposal.outreach
        ],
        "reserve": proposal.reserve,
        "amount_resting_on_unknowns": proposal.unknown_amount,
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


METHOD_WORDS = {
    "need": "need: each project's weight is how much the organisation relies on it (criticality: applications "
    "using it, how directly, at run time) times how fragile it is (risk: few maintainers, stale releases, "
    "no funding channel); a risk not known counts as neutral (0.5)",
    "equal": "equal: every eligible project gets the same share",
    "stackaid": "stackaid: StackAid's rule, equal shares of the direct dependencies, each passing 5% on to "
    "each of its own dependencies (at most half)",
    "usage": "usage: ecosyste.ms Funds' rule, applications and packages depending on the project, each "
    "divided by the largest, weighted 0.2",
}


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "not known (no refresh recorded)"


def summary_sentences(proposal: Proposal) -> list[str]:
    """The proposal in sentences a finance person can read aloud: size, freshness, money on unknowns."""
    cur = proposal.currency
    out = [
        f"Budget proposal: {proposal.total:,} {cur} a year, method {proposal.method}, "
        f"{len(proposal.lines)} payable lines totalling {proposal.allocated:,} {cur}.",
        f"Data as of {_when(proposal.data_as_of)}: the end of the last run that collected data; ages are "
        "counted from it.",
    ]
    if proposal.outreach:
        out.append(
            f"{len(proposal.outreach)} projects have no funding channel we know of: see the outreach list."
        )
    if proposal.reserve:
        out.append(f"Held in reserve: {proposal.reserve:,} {cur} (not paid now).")
    if proposal.method == "need":
        out.append(
            f"{proposal.unknown_amount:,} {cur} ({proposal.unknown_share:.0%}) of the paid money rests on inputs "
            "that were not collected (each line's amount x the share of its risk inputs not known)."
        )
    else:
        out.append(
            f"Method {proposal.method} weighs the inventory only, which is known: no money rests on unknowns."
        )
    return out


def _parameter_words(proposal: Proposal) -> list[tuple[str, str]]:
    p = proposal.parameters
    cur = proposal.currency
    boosts = ", ".join(f"{k} x{v:g}" for k, v in dict(p.get("boost") or {}).items())
    evidence = list(p.get("company_evidence") or [])
    return [
        ("Method", METHOD_WORDS.get(proposal.method, proposal.method)),
        ("Minimum grant", f"{p.get('min', proposal.floor):,} {cur}: smaller shares are dropped and redistributed, "
         "because each payment costs money and time"),
        ("Largest line", f"{p['cap']:.0%} of the total" if p.get("cap") else "no cap"),
        ("Most lines", f"{p['max_lines']}" if p.get("max_lines") else "no limit beyond the minimum grant"),
        ("One line per", "project (a repository; its packages are paid once)" if p.get("per") == "project"
         else "package (each package's project is still decided as a whole)"),
        ("Projects without a channel", "their share is redistributed to the payable lines"
         if p.get("unreachable") != "reserve" else "their share is held in reserve until they can be paid"),
        ("Excluded by hand", ", ".join(p.get("exclude") or []) or "none"),
        ("Boosted by hand", boosts or "none"),
        ("Company-owned projects", "left out when " + " or ".join(
            {"elephant": "one organisation makes half the commits", "steward": "the catalogue names a company "
             "steward"}[e] for e in evidence) if evidence else "not checked"),
        ("Risk weights", str(p.get("risk_weights", ""))),
    ]  # fmt: skip


def left_out_groups(proposal: Proposal) -> list[tuple[str, list[str]]]:
    """Left-out subjects grouped by reason, in first-seen order (floors and limits share one reason). A
    reason's per-project evidence (`` (evidence: ...); one decision ...``) stays on the Left out sheet and
    in JSON; the summary groups by the rule itself, so twenty company-stewarded projects are one line."""
    groups: dict[str, list[str]] = {}
    for subject, reason in proposal.left_out:
        groups.setdefault(reason.split(" (evidence: ", 1)[0], []).append(subject)
    return list(groups.items())


def _summary_rows(proposal: Proposal) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [("In short", sentence) for sentence in summary_sentences(proposal)]
    rows += [
        ("Total", proposal.total),
        ("Currency", proposal.currency),
        ("Prepared", proposal.created_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Data as of", _when(proposal.data_as_of)),
        ("Payable lines", len(proposal.lines)),
        ("Allocated", proposal.allocated),
        ("Held in reserve", proposal.reserve),
        ("Resting on unknowns", proposal.unknown_amount),
    ]
    rows += _parameter_words(proposal)
    rows.extend(("Note", note) for note in proposal.notes)
    return rows


def _header(sheet: Any, columns: Sequence[str], widths: Sequence[int]) -> None:
    """Bold header row, frozen, with filters over the data."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _workbook(proposal: Proposal) -> Workbook:
    """Summary (in words), Lines (the payable lines), Outreach (no channel), Left out (and why)."""
    import openpyxl  # imported here: only this export needs it
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    for key, value in _summary_rows(proposal):
        summary.append([_cell(key), _cell(value)])
    for row_cells in summary.iter_rows(min_col=2, max_col=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 100
    lines = book.create_sheet("Lines")
    lines.append(list(LINE_COLUMNS))
    for row in line_rows(proposal):
        lines.append([_cell(v) for v in row])
    for row_cells in lines.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row_cells:
            cell.number_format = "#,##0"
    _header(lines, LINE_COLUMNS, (40, 30, 12, 10, 50, 100))
    outreach = book.create_sheet("Outreach")
    outreach.append(list(OUTREACH_COLUMNS))
    for o in proposal.outreach:
        outreach.append(
            [
                _cell(v)
                for v in (
                    o.project,
                    " ".join(o.packages),
                    o.amount,
                    proposal.currency,
                    " ".join(o.contacts),
                    o.rationale,
                )
            ]
        )
    for row_cells in outreach.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row_cells:
            cell.number_format = "#,##0"
    _header(outreach, OUTREACH_COLUMNS, (40, 30, 14, 10, 70, 100))
    left = book.create_sheet("Left out")
    left.append(list(LEFT_OUT_COLUMNS))
    for subject, reason in proposal.left_out:
        left.append([_cell(subject), _cell(reason)])
    _header(left, LEFT_OUT_COLUMNS, (50, 120))
    return book


def write_xlsx(proposal: Proposal, path: Path) -> None:
    """The workbook of ``_workbook`` written to ``path``."""
    _workbook(proposal).save(path)


def to_xlsx(proposal: Proposal) -> bytes:
    """The workbook of ``_workbook`` as bytes (a download, an HTTP response)."""
    buffer = io.BytesIO()
    _workbook(proposal).save(buffer)
    return buffer.getvalue()


def to_pledge(proposal: Proposal, developers: int | None) -> str:
    """The proposal as an Open Source Pledge annual report, the JSON a member hosts and the Pledge fetches
    (fields of https://github.com/opensourcepledge/opensourcepledge.com, ``contrib/example-schema.json``):
    amounts in USD, one monetary payment per line with its channel as the details URL. ``name``, ``domain``,
    ``description`` and the two URLs describe the organisation: socle leaves them for it to fill."""
    if proposal.currency.upper() != "USD":
        raise InputError(
            "--format pledge",
            f"Open Source Pledge reports are in USD; this proposal is in {proposal.currency}",
        )
    if developers is None:
        raise InputError(
            "--format pledge", "give --developers N: the report states the average number of developers"
        )
    if proposal.allocated < developers * PLEDGE_PER_DEVELOPER:
        note = f"below the Pledge's {PLEDGE_PER_DEVELOPER:,} USD per developer"
    else:
        note = "meets the Pledge's minimum"
    report = {
        "name": "",
        "domain": "",
        "datetimeModified": proposal.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "description": f"Planned with socle: {len(proposal.lines)} projects, {proposal.allocated:,} USD ({note}).",
        "urlSquareLogoWithBackground": "",
        "urlLearnMore": "",
        "annualReports": [
            {
                "dateYearEnding": f"{proposal.created_at.year}-12-31",
                "averageNumberOfDevs": developers,
                "monetaryPayments": [
                    {
                        "amount": line.amount,
                        "urlDetails": line.channel.urls[0] if line.channel else line.project,
                    }
                    for line in proposal.lines
                ],
                "monetaryValueOfTime": 0,
                "monetaryValueOfMaterials": 0,
            }
        ],
    }
    return json.dumps(report, indent=2) + "\n"


def render(proposal: Proposal, fmt: str, output: Path | None, *, developers: int | None = None) -> str | None:
    """Write the proposal in ``fmt`` to ``output`` (or return the text for stdout)."""
    if fmt == "xlsx":
        if output is None:
            raise InputError("--format xlsx", "an XLSX workbook needs --output PATH")
        write_xlsx(proposal, output)
        return None
    writers = {"csv": to_csv, "json": to_json, "github-sponsors": to_github_sponsors}
    if fmt == "pledge":
        text = to_pledge(proposal, developers)
    elif fmt in writers:
        text = writers[fmt](proposal)
    else:
        raise InputError("--format", f"unknown export format {fmt!r}")
    if output is not None:
        output.write_text(text, encoding="utf-8")
        return None
    return text
