"""The refresh pipeline's ``criticality`` and ``risk`` steps: scores for every package, written once."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from analysis.budget.assess import assess_all
from analysis.queries.budget import load
from analysis.risk import load_weights
from collectors.store import WriteSession, write_scores


class _Options(Protocol):
    """The attributes of the pipeline's RefreshOptions these steps read."""

    @property
    def now(self) -> datetime: ...


def run(session: WriteSession, options: _Options) -> None:
    """Write ``criticality``, ``openssf_criticality`` and ``risk`` (subject_kind ``package``).

    Runs after the registry, git and standards steps, since risk reads their scores from this session.
    """
    data = load(session.conn, options.now)
    rows = []
    for entry in assess_all(data, load_weights()):
        for score in (entry.criticality, entry.openssf, entry.risk):
            rows.append(score.row("package", entry.purl))
    write_scores(session, rows)
    session.count("criticality_scores", len(rows) // 3)
