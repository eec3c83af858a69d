"""Writes of what funding.json files ask for and report (tables of ``0011_funding_plans.sql``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb

from collectors.git.funding import FundingHistory, FundingPlan
from collectors.store import insert_columns, writable_table

PLANS = writable_table("funding_plans")
HISTORY = writable_table("funding_history")


def replace_repository_plans(
    conn: duckdb.DuckDBPyConnection,
    funding: Mapping[str, tuple[Sequence[FundingPlan], Sequence[FundingHistory]]],
    run_id: int,
) -> None:
    """Replace the plans and history of each repository in ``funding`` ({url: (plans, history)}; none: its
    funding.json is gone or says none), one statement per table for all of them."""
    if not funding:
        return
    urls = list(funding)
    conn.execute("DELETE FROM funding_plans WHERE repository_url IN (SELECT unnest(?::VARCHAR[]))", [urls])
    conn.execute("DELETE FROM funding_history WHERE repository_url IN (SELECT unnest(?::VARCHAR[]))", [urls])
    plans = [(url, p) for url, (repository_plans, _) in funding.items() for p in repository_plans]
    history = [(url, h) for url, (_, repository_history) in funding.items() for h in repository_history]
    insert_columns(
        conn,
        PLANS,
        {
            "repository_url": [url for url, _ in plans],
            "guid": [p.guid for _, p in plans],
            "name": [p.name for _, p in plans],
            "status": [p.status for _, p in plans],
            "amount": [p.amount for _, p in plans],
            "currency": [p.currency for _, p in plans],
            "frequency": [p.frequency for _, p in plans],
            "run_id": [run_id] * len(plans),
        },
    )
    insert_columns(
        conn,
        HISTORY,
        {
            "repository_url": [url for url, _ in history],
            "year": [h.year for _, h in history],
            "amount": [h.amount for _, h in history],
            "currency": [h.currency for _, h in history],
            "description": [h.description for _, h in history],
            "run_id": [run_id] * len(history),
        },
    )
