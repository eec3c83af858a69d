"""What changed between a saved proposal and a new one, line by line, and why."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.budget.proposal import Proposal, package_name
from analysis.queries.budget import SavedProposal


@dataclass(frozen=True)
class Change:
    project: str
    before: int
    after: int
    why: str

    @property
    def delta(self) -> int:
        return self.after - self.before


def compare(old: SavedProposal, new: Proposal) -> list[Change]:
    """Every project whose amount changed, largest change first; unchanged lines are left out."""
    before = {str(line["project"]): line for line in old.lines}
    after = {line.project: line for line in new.lines}
    left_out = dict(new.left_out)
    left_out.update({package_name(subject): why for subject, why in new.left_out})
    changes: list[Change] = []
    for project in sorted(set(before) | set(after)):
        was = int(before[project]["amount"]) if project in before else 0
        now = after[project].amount if project in after else 0
        if was == now:
            continue
        if project not in before:
            why = f"new line: {after[project].rationale}"
        elif project not in after:
            keys = [project, *(str(p) for p in before[project]["packages"])]
            reason = next((left_out[k] for k in keys if k in left_out), "")
            why = "no longer in the proposal" + (f": {reason}" if reason else "")
        elif before[project]["rationale"] != after[project].rationale:
            why = f"was: {before[project]['rationale']}; now: {after[project].rationale}"
        else:
            why = "same factors; other lines changed (total, parameters or other projects)"
        changes.append(Change(project, was, now, why))
    changes.sort(key=lambda c: (-abs(c.delta), c.project))
    return changes


def parameter_changes(old: SavedProposal, new: Proposal) -> list[str]:
    """Parameters that differ, as 'name: old -> new'."""
    keys = sorted(set(old.parameters) | set(new.parameters))
    return [
        f"{k}: {old.parameters.get(k)!r} -> {new.parameters.get(k)!r}"
        for k in keys
        if old.parameters.get(k) != new.parameters.get(k)
    ]
