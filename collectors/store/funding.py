"""Writes of what funding.json files ask for and report (tables of ``0011_funding_plans.sql``)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from collectors.git.funding import FundingHistory, FundingPlan
from collectors.store import insert_columns, writable_table

PLANS = writable_table("funding_plans")
HISTORY = writable_table("funding_history")


def replace_repository_plans(
    conn: duckdb.DuckDBPyConnection,
    url: str,
    plans: Sequence[FundingPlan],
    history: Sequence[FundingHistory],
    run_id: int,
) -> None:
    """Replace the plans and history of repository ``url`` (none: its funding.json is gone or says none)."""
    conn.execute("DELETE FROM funding_plans WHERE repository_url = ?", [url])
    conn.execute("DELETE FROM funding_history WHERE repository_url = ?", [url])
    insert_columns(
        conn,
        PLANS,
        {
            "repository_url": [url] * len(plans),
            "guid": [p.guid for p in plans],
            "name": [p.name for p in plans],
            "status": [p.status for p in plans],
            "amount": [p.amount for p in plans],
            "currency": [p.currency for p in plans],
            "frequency": [p.frequency for p in plans],
            "run_id": [run_id] * len(plans),
        },
    )
    insert_columns(
        conn,
        HISTORY,
        {
            "repository_url": [url] * len(history),
            "year": [h.year for h in history],
            "amount": [h.amount for h in history],
            "currency": [h.currency for h in history],
            "description": [h.description for h in history],
            "run_id": [run_id] * len(history),
        },
    )
