"""The refresh pipeline's ``criticality`` and ``risk`` steps: scores for every package, written once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from analysis.budget.assess import assess_all
from analysis.queries.budget import Usage, load
from analysis.queries.budget import usage as live_usage
from analysis.risk import load_weights
from collectors.store import WriteSession, write_scores
from collectors.store.inventory import USAGE_COLUMNS, replace_usage


class _Options(Protocol):
    """The attributes of the pipeline's RefreshOptions these steps read."""

    @property
    def now(self) -> datetime: ...


def store_usage(session: WriteSession, usage: Mapping[str, Usage] | None = None) -> int:
    """Replace ``package_usage`` with ``usage`` (computed from the session's graph when not given)."""
    if usage is None:
        usage = live_usage(session.conn, stored=False)
    return replace_usage(
        session, {name: [getattr(u, name) for u in usage.values()] for name in USAGE_COLUMNS}
    )


def _write(session: WriteSession, options: _Options, names: tuple[str, ...]) -> None:
    # Criticality computes usage and reverse reach from the graph and stores them for every later reader.
    fresh_usage = "criticality" in names
    data = load(session.conn, options.now, stored_usage=not fresh_usage)
    if fresh_usage:
        store_usage(session, data.usage)
    rows: list[dict[str, Any]] = []
    for entry in assess_all(data, load_weights()):
        chosen = {"criticality": entry.criticality, "openssf_criticality": entry.openssf, "risk": entry.risk}
        rows.extend(chosen[name].row("package", entry.purl) for name in names)
    write_scores(session, rows)
    for name in names:
        session.count(f"{name}_scores", len(data.usage))


def run(session: WriteSession, options: _Options) -> None:
    """Write ``criticality``, ``openssf_criticality`` and ``risk`` (subject_kind ``package``) in one step.

    Runs after the registry, git and standards steps, since risk reads their scores from this session.
    """
    _write(session, options, ("criticality", "openssf_criticality", "risk"))


def run_criticality(session: WriteSession, options: _Options) -> None:
    """The ``criticality`` step alone: ``criticality`` and ``openssf_criticality``."""
    _write(session, options, ("criticality", "openssf_criticality"))


def run_risk(session: WriteSession, options: _Options) -> None:
    """The ``risk`` step alone (after the maintainers and standards steps)."""
    _write(session, options, ("risk",))
