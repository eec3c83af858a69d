"""The refresh pipeline's ``criticality`` and ``risk`` steps: scores for every package, written once."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from analysis.budget.assess import assess_all
from analysis.queries.budget import load
from analysis.risk import load_weights
from collectors.store import WriteSession, write_scores


class _Options(Protocol):
    """The attributes of the pipeline's RefreshOptions these steps read."""

    @property
    def now(self) -> datetime: ...


def _write(session: WriteSession, options: _Options, names: tuple[str, ...]) -> None:
    data = load(session.conn, options.now)
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
