"""A stand-in for the budget engine, with the interface the planner expects from ``analysis.budget``
(``BudgetParams``, ``propose``) and ``collectors.store.budget`` (``save_proposal``). Tests install it under
those module names; it is deliberately simple: weights from criticality x risk (or equal), boosts, exclusions,
a cap and a floor, whole units with largest-remainder rounding so the lines sum to the total.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import duckdb

from collectors.store import WriteSession, insert_columns, utcnow


@dataclass(frozen=True)
class BudgetParams:
    total: float
    currency: str = "EUR"
    method: str = "need"
    min_amount: float = 0.0
    cap: float | None = None
    exclude: tuple[str, ...] = ()
    boosts: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    project: str
    packages: tuple[str, ...]
    amount: int
    channel: str
    rationale: str


@dataclass(frozen=True)
class Proposal:
    params: BudgetParams
    lines: tuple[Line, ...]


def _allocate(weights: dict[str, float], total: int, floor: float, cap: float | None) -> dict[str, int]:
    active = dict(weights)
    while active:
        fixed: dict[str, float] = {}
        remaining = float(total)
        while True:  # cap: lines over it are fixed at the cap, the rest shares what is left
            free = {k: w for k, w in active.items() if k not in fixed}
            weight = sum(free.values())
            shares = {k: remaining * w / weight for k, w in free.items()} if weight else {}
            over = [k for k, v in shares.items() if cap is not None and v > cap * total]
            if not over:
                break
            for k in over:
                fixed[k] = cap * total if cap is not None else 0.0
                remaining -= fixed[k]
        amounts = {**shares, **fixed}
        smallest = min(amounts, key=lambda k: (amounts[k], k))
        if amounts[smallest] >= floor or len(active) == 1:
            whole = {k: math.floor(v) for k, v in amounts.items()}
            left = total - sum(whole.values())
            for k in sorted(amounts, key=lambda k: (whole[k] - amounts[k], k))[:left]:
                whole[k] += 1
            return whole
        del active[smallest]
    return {}


def propose(conn: duckdb.DuckDBPyConnection, params: BudgetParams) -> Proposal:
    rows = conn.execute(
        """
        SELECT p.purl, coalesce(c.value, 0) * coalesce(r.value, 0),
               (SELECT min(platform) FROM funding_links f WHERE f.subject = p.purl)
        FROM packages p
        LEFT JOIN scores c ON c.subject = p.purl AND c.name = 'criticality'
        LEFT JOIN scores r ON r.subject = p.purl AND r.name = 'risk'
        ORDER BY p.purl
        """
    ).fetchall()
    weights: dict[str, float] = {}
    channels: dict[str, str] = {}
    for purl, need, channel in rows:
        if purl in params.exclude:
            continue
        base = 1.0 if params.method == "equal" else float(need)
        if base > 0:
            weights[purl] = base * params.boosts.get(purl, 1.0)
            channels[purl] = channel or "no channel: contact the maintainers"
    amounts = _allocate(weights, round(params.total), params.min_amount, params.cap)
    lines = tuple(
        Line(
            purl.split("/")[-1],
            (purl,),
            amount,
            channels[purl],
            f"{params.method} weight {weights[purl]:.3f}",
        )
        for purl, amount in sorted(amounts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return Proposal(params, lines)


def save_proposal(session: WriteSession, proposal: Proposal, *, name: str) -> int:
    row = session.conn.execute("SELECT coalesce(max(proposal_id), 0) + 1 FROM budget_proposals").fetchone()
    proposal_id = int(row[0]) if row else 1
    p = proposal.params
    session.conn.execute(
        "INSERT INTO budget_proposals VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            proposal_id,
            name,
            utcnow(),
            p.method,
            p.total,
            p.currency,
            json.dumps({"total": p.total}),
            session.run_id,
        ],
    )
    lines: dict[str, list[Any]] = {
        "proposal_id": [proposal_id] * len(proposal.lines),
        "project": [line.project for line in proposal.lines],
        "packages": [list(line.packages) for line in proposal.lines],
        "amount": [float(line.amount) for line in proposal.lines],
        "channel": [line.channel for line in proposal.lines],
        "rationale": [line.rationale for line in proposal.lines],
    }
    insert_columns(session.conn, "budget_lines", lines)
    return proposal_id


def as_modules() -> dict[str, ModuleType]:
    """This module under the two names the planner imports."""
    import tests.dashboard.fake_budget as module

    return {"analysis.budget": module, "collectors.store.budget": module}
