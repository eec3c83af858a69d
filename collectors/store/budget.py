"""Writes of budget proposals (tables of ``0005_budget.sql``)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from collectors.store import WriteSession, insert_columns, writable_table

PROPOSALS = writable_table("budget_proposals")
LINES = writable_table("budget_lines")
_LINE_COLUMNS = ("project", "packages", "amount", "weight", "platform", "channel", "recipients", "rationale")


def save_proposal(session: WriteSession, head: Mapping[str, Any], lines: Sequence[Mapping[str, Any]]) -> int:
    """Save one proposal and its lines in one transaction; returns the new proposal id.

    ``head`` has created_at, method, total, currency, parameters (a mapping), data_as_of; each line has
    the keys of ``_LINE_COLUMNS``, in the order the lines are shown.
    """
    with session.transaction() as conn:
        row = conn.execute("SELECT coalesce(max(proposal_id), 0) + 1 FROM budget_proposals").fetchone()
        assert row is not None
        proposal_id = int(row[0])
        conn.execute(
            "INSERT INTO budget_proposals (proposal_id, created_at, method, total, currency, parameters, "
            "data_as_of, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                proposal_id,
                head["created_at"],
                head["method"],
                head["total"],
                head["currency"],
                json.dumps(dict(head["parameters"]), sort_keys=True, default=str),
                head.get("data_as_of"),
                session.run_id,
            ],
        )
        columns: dict[str, list[Any]] = {"proposal_id": [], "position": [], "run_id": []}
        columns.update({name: [] for name in _LINE_COLUMNS})
        for position, line in enumerate(lines, start=1):
            columns["proposal_id"].append(proposal_id)
            columns["position"].append(position)
            columns["run_id"].append(session.run_id)
            for name in _LINE_COLUMNS:
                columns[name].append(line.get(name))
        insert_columns(conn, LINES, columns)
    session.count("budget_lines", len(lines))
    return proposal_id
