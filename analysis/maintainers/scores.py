"""The maintainer scores of one repository, from its mined history (pure: literal inputs, Score outputs)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from analysis.maintainers import authorship, factors
from analysis.queries.git import RepositoryHistory
from analysis.score import Score, Status
from collectors.git.filters import NO_FILTER, FileFilter

VERSION = "1"
#: The text of the code that computes the scores and words their reasons: part of every fingerprint of their
#: inputs, so that a release changing a formula or a sentence computes stored scores again instead of
#: keeping them (a run with nothing new keeps the stored ones when their inputs are unchanged).
_CODE = hashlib.sha256(
    b"".join(Path(m.__file__).read_bytes() for m in (authorship, factors) if m.__file__)
    + Path(__file__).read_bytes()
).hexdigest()


@dataclass(frozen=True)
class MaintainerParams:
    threshold: float = factors.DEFAULT_THRESHOLD
    operator: str = factors.DEFAULT_OPERATOR
    window: timedelta = timedelta(days=365)
    min_commits: int = 10  # below this, scores are inconclusive
    active_min_commits: int = 5  # "active maintainer": at least this many commits in the window
    truck_factor_variant: str = "greedy"  # greedy | pruned
    rename_history: str = "at-rename"  # at-rename | all-names (the reference tool's; authorship docstring)
    credit_co_authors: bool = True  # Co-authored-by trailers count as contributions (not for DOA)
    file_filter: FileFilter = field(default=NO_FILTER)


def _contributions(history: RepositoryHistory, params: MaintainerParams, recent: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    for c in history.credits:
        n = c.authored_recent if recent else c.authored
        if params.credit_co_authors:
            n += c.co_authored_recent if recent else c.co_authored
        if n:
            counts[c.person] = n
    return counts


def _org_contributions(history: RepositoryHistory, people: Counter[str]) -> tuple[Counter[str], int]:
    org_of = {c.person: c.org for c in history.credits}
    orgs: Counter[str] = Counter()
    unaffiliated = 0
    for person, n in people.items():
        org = org_of.get(person)
        if org:
            orgs[org] += n
        else:
            unaffiliated += n
    return orgs, unaffiliated


SHARE_SCORES = (
    "truck_factor", "contributor_absence_factor", "contributor_absence_factor_12m", "pony_factor",
    "pony_factor_12m", "elephant_factor", "elephant_factor_12m", "commit_hhi", "active_maintainers",
)  # fmt: skip


def all_params_fingerprint(params: MaintainerParams) -> str:
    """Every parameter of every score (with the score's version and the text of its code)."""
    parts = [VERSION, _CODE, params.file_filter.fingerprint,
             [(f.name, getattr(params, f.name)) for f in fields(params) if f.name != "file_filter"]]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def params_fingerprint(params: MaintainerParams) -> str:
    """Everything in the parameters the truck factor depends on (with the score's version and the text of
    its code)."""
    parts = [
        VERSION,
        _CODE,
        params.truck_factor_variant,
        params.rename_history,
        params.file_filter.fingerprint,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def repository_scores(
    history: RepositoryHistory, now: datetime, params: MaintainerParams, *, truck_factor: Score | None = None
) -> list[Score]:
    """Every maintainer score of one repository; ``now`` is the reference time (the --at commit's time).
    ``truck_factor``: one already computed from the same inputs (its computation is the costly part)."""
    common = {"commits": history.human_commits, "bot_commits_excluded": history.bot_commits}
    scores = [_days_since(history, now, common)]
    if history.human_commits < params.min_commits:
        reason = (
            f"Fewer than {params.min_commits:,} non-bot commits ({history.human_commits:,}): "
            "too little history to judge."
        )
        scores += [Score.inconclusive(name, VERSION, reason, **common) for name in SHARE_SCORES]
        return scores
    scores.append(truck_factor or _truck_factor(history, params))
    share = f"{'at least' if params.operator == '>=' else 'more than'} {params.threshold:.0%}"
    details = {**common, "threshold": params.threshold, "operator": params.operator,
               "co_authors_credited": params.credit_co_authors, "window_start": history.since.isoformat()}  # fmt: skip
    window: dict[bool, Counter[str]] = {}
    for suffix, recent, label in (("", False, "over all time"), ("_12m", True, "over the last 12 months")):
        people = window[recent] = _contributions(history, params, recent)
        k = factors.smallest_share_count(people.values(), params.threshold, params.operator)
        d = {**details, "contributors": len(people), "lfx_points": factors.lfx_band(k) if k else None}
        if not people:
            reason = f"No non-bot commits {label}: nobody maintains it."
        else:
            reason = f"{k:,} of {len(people):,} contributors made {share} of the commits {label}."
        scores.append(
            Score("contributor_absence_factor" + suffix, VERSION, float(k), Status.OK, reason, details=d)
        )
        scores.append(Score("pony_factor" + suffix, VERSION, float(k), Status.OK, reason, details=d))
        orgs, unaffiliated = _org_contributions(history, people)
        e = factors.smallest_share_count(orgs.values(), params.threshold, params.operator)
        d_org = {**details, "organisations": len(orgs), "unaffiliated_commits": unaffiliated,
                 "lfx_points": factors.lfx_band(e, organisations=True) if e else None}  # fmt: skip
        if not orgs:
            reason = f"No commit {label} comes from an organisation's e-mail domain."
            scores.append(Score.inconclusive("elephant_factor" + suffix, VERSION, reason, **d_org))
        else:
            reason = (
                f"{e:,} of {len(orgs):,} organisations made {share} of the affiliated commits {label} "
                f"({unaffiliated:,} commits from personal addresses left out)."
            )
            scores.append(
                Score("elephant_factor" + suffix, VERSION, float(e), Status.OK, reason, details=d_org)
            )
    h = factors.hhi(window[False].values())
    scores.append(
        Score("commit_hhi", VERSION, round(h, 6), Status.OK,
              f"Commit concentration HHI {h * 10000:.0f} on the 0-10,000 scale"
              f"{' (highly concentrated above 1,800)' if h > 0.18 else ''}.",
              details={**details, "hhi_10000": round(h * 10000, 1),
                       "effective_contributors": round(1 / h, 2) if h else None})
    )  # fmt: skip
    people_recent = window[True]
    active = sorted(p for p, n in people_recent.items() if n >= params.active_min_commits)
    scores.append(
        Score("active_maintainers", VERSION, float(len(active)), Status.OK,
              f"{len(active):,} people made at least {params.active_min_commits:,} commits in the last 12 months "
              f"({len(people_recent):,} made at least one).",
              details={"min_commits": params.active_min_commits, "active_contributors": len(people_recent),
                       "people": [history.display_names.get(p, p) for p in active][:50]})
    )  # fmt: skip
    return scores


def _days_since(history: RepositoryHistory, now: datetime, common: dict[str, int]) -> Score:
    return days_since_last_commit(history.last_commit_at, now, common)


def days_since_last_commit(last: datetime | None, now: datetime, common: Mapping[str, Any]) -> Score:
    """Days from the last non-bot commit to ``now`` (the one score that moves with the clock alone)."""
    if last is None:
        return Score.inconclusive("days_since_last_commit", VERSION, "No non-bot commits found.", **common)
    days = max(0, (now - last).days)
    return Score("days_since_last_commit", VERSION, float(days), Status.OK,
                 f"The last non-bot commit was {days:,} days ago ({last:%Y-%m-%d}).",
                 details={**common, "last_commit_at": last.isoformat()})  # fmt: skip


def _truck_factor(history: RepositoryHistory, params: MaintainerParams) -> Score:
    commit_counts = {c.person: c.authored for c in history.credits}
    flt = params.file_filter
    if history.filter_key is not None and history.filter_key == flt.fingerprint:  # categories stored with it
        present = [
            f for f, category in zip(history.files, history.file_categories, strict=True) if category is None
        ]
    else:
        present = flt.counted(history.files)
    if params.rename_history == "all-names":
        histories = authorship.histories_all_names(history.aggregated, history.renames)
        authors = {f: authorship.file_authors(histories[f]) for f in present if f in histories}
    elif history.authors is None:
        return Score.inconclusive(
            "truck_factor", VERSION,
            "The per-file authorship totals do not describe the analysed commit (history stored by an older "
            "socle, or written around the git collector): mine the repository again with socle mine.",
            files_present=len(history.files),
        )  # fmt: skip
    else:
        kept = set(present)
        authors = {f: a for f, a in history.authors.items() if f in kept}
    tf = authorship.truck_factor(authors, commit_counts, variant=params.truck_factor_variant)
    if tf.files_counted == 0:
        return Score.inconclusive("truck_factor", VERSION, "No source file with an author was found.",
                                  files_present=len(history.files))  # fmt: skip
    developers = [
        {"name": history.display_names.get(d, d), "files": n, "share": round(n / tf.files_counted, 4)}
        for d, n in tf.developers
    ]
    names = ", ".join(str(d["name"]) for d in developers[:5])
    reason = (
        f"Losing {tf.value} developer{'s' if tf.value != 1 else ''} ({names}) would leave more than half of "
        f"the {tf.files_counted:,} source files without an author (Avelino et al. 2016, {tf.variant})."
    )
    return Score(
        "truck_factor", VERSION, float(tf.value), Status.OK, reason,
        details={"developers": developers, "files_counted": tf.files_counted, "tie_break": authorship.TIE_BREAK,
                 "files_without_author": tf.files_without_author, "variant": tf.variant,
                 "rename_history": params.rename_history, "files_present": len(history.files),
                 "files_excluded": len(history.files) - len(present), "head": history.head_sha},
    )  # fmt: skip
