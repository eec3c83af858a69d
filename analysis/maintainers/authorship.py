"""Degree of authorship and the truck factor, exactly as Avelino, Passos, Hora and Valente, "A Novel
Approach for Estimating Truck Factors", ICPC 2016 (https://arxiv.org/abs/1604.06766), whose reference tool is
https://github.com/aserg-ufmg/Truck-Factor.

DOA(d, f) = 3.293 + 1.098 * FA + 0.164 * DL - 0.321 * ln(1 + AC)   (Fritz et al.'s degree-of-authorship)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# the replay itself is the git collector's, which keeps its totals (collectors/git/file_authorship.py)
from collectors.git.file_authorship import FileHistory as FileHistory
from collectors.git.file_authorship import file_histories as file_histories

DOA_BASE, DOA_FA, DOA_DL, DOA_AC = 3.293, 1.098, 0.164, 0.321
#: d authors f iff DOA(d,f)/max DOA(.,f) > 0.75 and (DOA(d,f) >= 3.293 or d created f).
NORM_THRESHOLD = 0.75
ABS_THRESHOLD = 3.293
#: The truck factor stops when fewer than half of the files keep an author.
COVERAGE = 0.5
#: The pruned variant ignores removed developers with fewer than 10% of the top developer's files.
PRUNE_SHARE = 0.1
TIE_BREAK = "more authored files, then more commits, then identity key (alphabetical)"


#: The same coefficients and thresholds as parameters of the query that computes them in the store
#: (analysis/queries/git.py ``_file_authors``).
DOA_PARAMS = {
    "base": DOA_BASE, "fa": DOA_FA, "dl": DOA_DL, "ac": DOA_AC, "norm": NORM_THRESHOLD, "abs": ABS_THRESHOLD,
}  # fmt: skip


def doa(fa: int, dl: int, ac: int) -> float:
    return DOA_BASE + DOA_FA * fa + DOA_DL * dl - DOA_AC * math.log(1 + ac)


@dataclass(frozen=True)
class Change:
    status: str  # A M D T R
    path: str
    old_path: str | None = None


def add_aggregated(
    files: dict[str, FileHistory], aggregated: Iterable[tuple[str, str, bool, int]]
) -> dict[str, FileHistory]:
    """Add (path, developer, created, changes) totals of paths never involved in a rename: their history
    does not depend on order, so it can be summed (in SQL) instead of replayed."""
    for path, developer, created, changes in aggregated:
        history = files.get(path)
        if history is None:
            history = files[path] = FileHistory()
        if created:
            history.creators.add(developer)
        if changes:
            history.changes[developer] += changes
    return files


#: How a renamed file's history is built. ``at-rename`` (socle's default): the old path's history moves to
#: the new path at the rename, and what happens under the old path later belongs to that later file.
#: ``all-names`` (the reference tool's behaviour, for reproducing the study): a file gets everything that ever
#: happened under each of its former paths, before and after the rename.
RENAME_HISTORIES = ("at-rename", "all-names")


def histories_all_names(
    totals: Iterable[tuple[str, str, bool, int]], renames: Iterable[tuple[str, str]]
) -> dict[str, FileHistory]:
    """The ``all-names`` histories: (path, developer, created, changes) totals of every path, where a rename
    counts as a change of the new path, and (old_path, new_path) rename pairs. Each path's history is its
    own plus that of every path ever renamed into it, transitively."""
    own = add_aggregated({}, totals)
    former: dict[str, set[str]] = {}
    for old, new in renames:
        if old != new:
            former.setdefault(new, set()).add(old)
    if not former:
        return own
    result: dict[str, FileHistory] = {}
    for path in own.keys() | former.keys():
        seen = {path}
        stack = [path]
        while stack:
            for old in former.get(stack.pop(), ()):
                if old not in seen:
                    seen.add(old)
                    stack.append(old)
        merged = FileHistory()
        for name in seen:
            part = own.get(name)
            if part is not None:
                merged.creators |= part.creators
                merged.changes.update(part.changes)
        result[path] = merged
    return result


def replay_order(commits: Iterable[tuple[str, Sequence[Change]]]) -> list[tuple[str, str, str, str | None]]:
    """Flatten (developer, changes) commits into replay rows, renames first within each commit."""
    order = {"R": 0, "D": 1, "A": 2}
    return [
        (developer, c.status, c.path, c.old_path)
        for developer, changes in commits
        for c in sorted(changes, key=lambda c: (order.get(c.status, 3), c.path))
    ]


def file_authors(history: FileHistory) -> list[str]:
    """The authors of one file (sorted)."""
    developers = history.creators | set(history.changes)
    if not developers:
        return []
    total = sum(history.changes.values())
    values = {}
    for d in developers:
        dl = history.changes.get(d, 0)
        values[d] = doa(1 if d in history.creators else 0, dl, total - dl)
    best = max(values.values())
    return sorted(
        d
        for d, value in values.items()
        if value / best > NORM_THRESHOLD and (value >= ABS_THRESHOLD or d in history.creators)
    )


@dataclass(frozen=True)
class TruckFactor:
    value: int
    files_counted: int  # files with a history, with or without an author
    developers: tuple[tuple[str, int], ...]  # (developer, files authored) in removal order
    variant: str
    files_without_author: int = 0


def truck_factor(
    authors: Mapping[str, Sequence[str]],
    commit_counts: Mapping[str, int] | None = None,
    *,
    variant: str = "greedy",
) -> TruckFactor:
    """Greedy truck factor over ``authors`` (file -> its authors).

    Every file given counts, as in the reference tool: a file with a history but no developer above the
    authorship thresholds is one nobody covers from the start. Developers are removed in order of authored
    files (ties: :data:`TIE_BREAK`) until fewer than half of the files keep at least one author.
    """
    if variant not in ("greedy", "pruned"):
        raise ValueError(f"unknown truck factor variant {variant!r}")
    counted = {f: set(a) for f, a in authors.items() if a}
    n = len(authors)
    per_dev: Counter[str] = Counter()
    for file_authors_ in counted.values():
        per_dev.update(file_authors_)
    commits = commit_counts or {}
    order = sorted(per_dev, key=lambda d: (-per_dev[d], -commits.get(d, 0), d))
    remaining = {f: len(a) for f, a in counted.items()}
    files_of: dict[str, list[str]] = {}
    for f, a in counted.items():
        for d in a:
            files_of.setdefault(d, []).append(f)
    covered = len(counted)
    removed: list[tuple[str, int]] = []
    for developer in order:
        if n == 0 or covered / n < COVERAGE:
            break
        removed.append((developer, per_dev[developer]))
        for f in files_of[developer]:
            remaining[f] -= 1
            if remaining[f] == 0:
                covered -= 1
    value = len(removed)
    if variant == "pruned" and removed:
        top = removed[0][1]
        removed = [(d, k) for d, k in removed if k >= PRUNE_SHARE * top]
        value = len(removed)
    return TruckFactor(
        value=value, files_counted=n, developers=tuple(removed), variant=variant,
        files_without_author=n - len(counted),
    )  # fmt: skip
