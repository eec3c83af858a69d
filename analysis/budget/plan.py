"""A proposal straight from the store, and the rows that save one: what a front end (the dashboard's
planner) needs to offer the budget without reading tables or building ``Options`` itself.

The options a person chooses are ``Choices``; the store supplies the rest (its data and the moment its
data is as of, from which ages are measured), so the same store and choices give the same lines as
``socle budget`` with the same options.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from analysis.budget import eligibility
from analysis.budget.proposal import Options, Proposal, default_floor, propose
from analysis.queries import budget as queries
from analysis.risk import load_weights
from collectors.errors import InputError
from collectors.store import WriteSession, utcnow
from collectors.store.budget import save_proposal


@dataclass(frozen=True)
class Choices:
    """The options of ``socle budget`` a person picks (``--total``, ``--method``, ``--min``, ``--cap``...)."""

    total: int
    currency: str = "EUR"
    method: str = "need"
    floor: int | None = None  # None: DEFAULT_FLOOR (or the total when smaller)
    cap: float | None = None  # fraction of the total per line
    exclude: frozenset[str] = frozenset()
    boost: Mapping[str, float] = field(default_factory=dict)
    per: str = "project"
    company_evidence: frozenset[str] = frozenset(eligibility.COMPANY_RULES)
    weights_path: Path | None = None  # risk weights TOML; None: the shipped data/risk_weights.toml
    max_lines: int | None = None
    unreachable: str = "redistribute"  # redistribute | reserve


def options(choices: Choices, data: queries.BudgetData, created_at: datetime | None = None) -> Options:
    """The allocation options for ``choices`` over ``data`` (ages measured from the data's as-of time)."""
    floor = default_floor(choices.total) if choices.floor is None else choices.floor
    if floor > choices.total:
        raise InputError("--min", f"the floor {floor} is larger than the total {choices.total}")
    assert data.now is not None  # queries.load always sets it
    return Options(
        total=choices.total,
        currency=choices.currency,
        weights=load_weights(choices.weights_path),
        now=data.now,
        created_at=created_at or utcnow(),
        method=choices.method,
        floor=floor,
        cap=choices.cap,
        exclude=choices.exclude,
        boost=dict(choices.boost),
        per=choices.per,
        rules=eligibility.Rules(choices.company_evidence),
        max_lines=choices.max_lines,
        unreachable=choices.unreachable,
    )


def propose_from_store(
    conn: duckdb.DuckDBPyConnection, choices: Choices, created_at: datetime | None = None
) -> Proposal:
    """Read the store once through ``conn`` (read-only is enough) and propose for ``choices``."""
    return propose_from_data(read(conn, choices.method), choices, created_at)


def read(conn: duckdb.DuckDBPyConnection, method: str = "need") -> queries.BudgetData:
    """What a proposal with ``method`` reads: the dependency graph only for StackAid, and no OpenSSF
    signals (only the refresh's scores use them)."""
    return queries.load(conn, graph=method == "stackaid", openssf=False)


def propose_from_data(
    data: queries.BudgetData, choices: Choices, created_at: datetime | None = None
) -> Proposal:
    """Propose for ``choices`` over what ``queries.load`` read (a front end may read once, propose often)."""
    return propose(data, options(choices, data, created_at))


def line_keys(conn: duckdb.DuckDBPyConnection, per: str = "project") -> list[str]:
    """Every key a line can have (a repository URL, or the purl without one; the purl with ``per='package'``),
    sorted: what a person can exclude or boost."""
    purls, repository = queries.line_subjects(conn)
    if per != "project":
        return purls
    return sorted({repository.get(purl, purl) for purl in purls})


def head_row(proposal: Proposal) -> dict[str, Any]:
    """The ``budget_proposals`` row of a proposal (without its id and run)."""
    return {
        "created_at": proposal.created_at,
        "method": proposal.method,
        "total": proposal.total,
        "currency": proposal.currency,
        "parameters": proposal.parameters,
        "data_as_of": proposal.data_as_of,
    }


def line_rows(proposal: Proposal) -> list[dict[str, Any]]:
    """The ``budget_lines`` rows of a proposal, in the order the lines are shown."""
    return [
        {
            "project": line.project,
            "packages": list(line.packages),
            "amount": line.amount,
            "weight": line.weight,
            "platform": line.channel.platform if line.channel else None,
            "channel": line.channel_text,
            "recipients": list(line.channel.recipients) if line.channel else [],
            "rationale": line.rationale,
        }
        for line in proposal.lines
    ]


def save(session: WriteSession, proposal: Proposal) -> int:
    """Save ``proposal`` in ``session`` (a ``write_session(db, "budget", proposal.parameters)``); its id."""
    return save_proposal(session, head_row(proposal), line_rows(proposal))
