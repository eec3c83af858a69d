"""The maintainer scores of one repository, from its mined history (pure: literal inputs, Score outputs)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from analysis.maintainers import authorship, factors
from analysis.queries.git import CommitRow, RepositoryHistory
from analysis.score import Score, Status
from collectors.git.filters import NO_FILTER, FileFilter
from collectors.git.identities import split_name_email

VERSION = "1"


@dataclass(frozen=True)
class MaintainerParams:
    threshold: float = factors.DEFAULT_THRESHOLD
    operator: str = factors.DEFAULT_OPERATOR
    window: timedelta = timedelta(days=365)
    min_commits: int = 10  # below this, scores are inconclusive
    active_min_commits: int = 5  # "active maintainer": at least this many commits in the window
    truck_factor_variant: str = "greedy"  # greedy | pruned
    credit_co_authors: bool = True  # Co-authored-by trailers count as contributions (not for DOA)
    file_filter: FileFilter = field(default=NO_FILTER)


def _credits(
    history: RepositoryHistory, params: MaintainerParams, since: datetime | None
) -> list[tuple[str, str | None]]:
    """(person, org) for each non-bot contribution: the author, plus co-authors when credited."""
    out = []
    for c in history.commits:
        if since is not None and c.authored_at < since:
            continue
        if not c.is_bot:
            out.append((c.person, c.org))
        if params.credit_co_authors:
            for value in c.co_authors:
                parsed = split_name_email(value)
                if parsed is None:
                    continue
                person, bot, org = history.identities.get(
                    (parsed.name, parsed.email), (parsed.email.lower(), False, None)
                )
                if not bot and person != c.person:
                    out.append((person, org))
    return out


def repository_scores(history: RepositoryHistory, now: datetime, params: MaintainerParams) -> list[Score]:
    humans = [c for c in history.commits if not c.is_bot]
    bots = len(history.commits) - len(humans)
    common = {"commits": len(humans), "bot_commits_excluded": bots}
    scores = [_days_since(humans, now, common)]
    if len(humans) < params.min_commits:
        reason = (
            f"Fewer than {params.min_commits} non-bot commits ({len(humans)}): too little history to judge."
        )
        for name in (
            "truck_factor", "contributor_absence_factor", "contributor_absence_factor_12m", "pony_factor",
            "pony_factor_12m", "elephant_factor", "elephant_factor_12m", "commit_hhi", "active_maintainers",
        ):  # fmt: skip
            scores.append(Score.inconclusive(name, VERSION, reason, **common))
        return scores
    scores.append(_truck_factor(history, humans, params))
    since = now - params.window
    share = f"{'at least' if params.operator == '>=' else 'more than'} {params.threshold:.0%}"
    all_credits = _credits(history, params, None)
    recent = _credits(history, params, since)
    details = {**common, "threshold": params.threshold, "operator": params.operator,
               "co_authors_credited": params.credit_co_authors}  # fmt: skip
    for name, credits, label in (
        ("", all_credits, "over all time"),
        ("_12m", recent, "over the last 12 months"),
    ):
        people = Counter(p for p, _ in credits)
        k = factors.smallest_share_count(people.values(), params.threshold, params.operator)
        d = {**details, "contributors": len(people), "lfx_points": factors.lfx_band(k) if k else None}
        if not people:
            reason = f"No non-bot commits {label}: nobody maintains it."
        else:
            reason = f"{k} of {len(people)} contributors made {share} of the commits {label}."
        scores.append(
            Score("contributor_absence_factor" + name, VERSION, float(k), Status.OK, reason, details=d)
        )
        scores.append(Score("pony_factor" + name, VERSION, float(k), Status.OK, reason, details=d))
        orgs = Counter(o for _, o in credits if o)
        unaffiliated = sum(1 for _, o in credits if not o)
        e = factors.smallest_share_count(orgs.values(), params.threshold, params.operator)
        d_org = {**details, "organisations": len(orgs), "unaffiliated_commits": unaffiliated,
                 "lfx_points": factors.lfx_band(e, organisations=True) if e else None}  # fmt: skip
        if not orgs:
            scores.append(
                Score.inconclusive(
                    "elephant_factor" + name,
                    VERSION,
                    f"No commit {label} comes from an organisation's e-mail domain.",
                    **d_org,
                )
            )
        else:
            reason = (
                f"{e} of {len(orgs)} organisations made {share} of the affiliated commits {label} "
                f"({unaffiliated} commits from personal addresses left out)."
            )
            scores.append(
                Score("elephant_factor" + name, VERSION, float(e), Status.OK, reason, details=d_org)
            )
    people_all = Counter(p for p, _ in all_credits)
    h = factors.hhi(people_all.values())
    scores.append(
        Score("commit_hhi", VERSION, round(h, 6), Status.OK,
              f"Commit concentration HHI {h * 10000:.0f} on the 0-10,000 scale"
              f"{' (highly concentrated above 1,800)' if h > 0.18 else ''}.",
              details={**details, "hhi_10000": round(h * 10000, 1), "effective_contributors": round(1 / h, 2) if h else None})
    )  # fmt: skip
    people_recent = Counter(p for p, _ in recent)
    active = sorted(p for p, n in people_recent.items() if n >= params.active_min_commits)
    scores.append(
        Score("active_maintainers", VERSION, float(len(active)), Status.OK,
              f"{len(active)} people made at least {params.active_min_commits} commits in the last 12 months "
              f"({len(people_recent)} made at least one).",
              details={"min_commits": params.active_min_commits, "active_contributors": len(people_recent),
                       "people": [history.display_names.get(p, p) for p in active][:50]})
    )  # fmt: skip
    return scores


def _days_since(humans: list[CommitRow], now: datetime, common: dict[str, int]) -> Score:
    if not humans:
        return Score.inconclusive("days_since_last_commit", VERSION, "No non-bot commits found.", **common)
    last = max(c.committed_at for c in humans)
    days = max(0, (now - last).days)
    return Score("days_since_last_commit", VERSION, float(days), Status.OK,
                 f"The last non-bot commit was {days} days ago ({last:%Y-%m-%d}).",
                 details={**common, "last_commit_at": last.isoformat()})  # fmt: skip


def _truck_factor(history: RepositoryHistory, humans: Iterable[CommitRow], params: MaintainerParams) -> Score:
    commit_counts = Counter(c.person for c in humans)
    histories = authorship.file_histories(history.replay)
    present = params.file_filter.counted(history.files)
    authors = {f: authorship.file_authors(histories[f]) for f in present if f in histories}
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
        f"the {tf.files_counted} source files without an author (Avelino et al. 2016, {tf.variant})."
    )
    return Score(
        "truck_factor", VERSION, float(tf.value), Status.OK, reason,
        details={"developers": developers, "files_counted": tf.files_counted, "tie_break": authorship.TIE_BREAK,
                 "variant": tf.variant, "files_present": len(history.files), "head": history.head_sha},
    )  # fmt: skip


def publishers_score(people: list[tuple[str, str | None]] | None) -> Score:
    if people is None:
        return Score.inconclusive("publishers", VERSION, "Registry maintainers were not collected yet.")
    if not people:
        return Score.inconclusive("publishers", VERSION, "The registry lists nobody with publish rights.")
    names = sorted({p for p, _ in people})
    return Score("publishers", VERSION, float(len(names)), Status.OK,
                 f"{len(names)} {'person has' if len(names) == 1 else 'people have'} publish rights on the registry.",
                 details={"people": [{"name": p, "role": r} for p, r in people]})  # fmt: skip
