"""The uniform score type: every score has a name, a version, a value or None, a status and a reason.

In the spirit of OpenSSF Scorecard's checks: raw data -> pure functions -> a Score. "Not enough evidence"
is ``inconclusive`` with a reason, never a failing value, and never -1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    OK = "ok"
    INCONCLUSIVE = "inconclusive"
    ERROR = "error"


@dataclass(frozen=True)
class Score:
    """One score of one subject.

    name: what is measured (``truck_factor``); version: bumped when the formula or its inputs change;
    value: the number, or None when there is none; status: ok / inconclusive / error;
    reason: one sentence a finance person can read; label: a categorical outcome where there is one
    (a fragility class); details: parameters used and findings, JSON-serialisable.
    """

    name: str
    version: str
    value: float | None
    status: Status
    reason: str
    label: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status is Status.OK and self.value is None and self.label is None:
            raise ValueError(f"score {self.name}: status ok needs a value or a label")
        if not self.reason:
            raise ValueError(f"score {self.name}: a reason is required")

    @classmethod
    def inconclusive(cls, name: str, version: str, reason: str, **details: Any) -> Score:
        return cls(name, version, None, Status.INCONCLUSIVE, reason, details=details)

    def row(self, subject_kind: str, subject: str) -> dict[str, Any]:
        """The shape :func:`collectors.store.write_scores` takes."""
        return {
            "subject_kind": subject_kind,
            "subject": subject,
            "name": self.name,
            "version": self.version,
            "value": self.value,
            "status": str(self.status),
            "label": self.label,
            "reason": self.reason,
            "details": dict(self.details),
        }
