"""The ``maintainers`` step of a refresh: score every mined repository and copy the scores to its packages;
``publishers`` for every package from the registries' maintainer lists."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

import duckdb

from analysis.maintainers import authorship
from analysis.maintainers.publishers import publishers_score
from analysis.maintainers.scores import (
    SHARE_SCORES,
    VERSION,
    MaintainerParams,
    all_params_fingerprint,
    days_since_last_commit,
    params_fingerprint,
    repository_scores,
)
from analysis.queries import git as queries
from analysis.score import Score, Status
from collectors.gcpause import gc_paused
from collectors.git.filters import load_filter
from collectors.store import WriteSession, utcnow, write_scores


class MaintainerStepOptions(Protocol):
    @property
    def now(self) -> datetime: ...
    @property
    def at(self) -> str | None: ...


@dataclass(frozen=True)
class ScoreSummary:
    repositories: int
    packages: int


def run(session: WriteSession, options: MaintainerStepOptions) -> None:
    """Refresh step entry point (``Step("maintainers", analysis.maintainers.step.run)``)."""
    score_all(session, options.now, at=options.at)


#: Repositories scored together: their score inputs are read in one query per input (each query reads the
#: history tables once for the batch), so the reading cost per repository stays flat as the store grows; the
#: rows of one batch are held in memory.
BATCH_REPOSITORIES = 500


@gc_paused
def score_all(
    session: WriteSession,
    now: datetime | None,
    *,
    at: str | None = None,
    params: MaintainerParams | None = None,
) -> ScoreSummary:
    conn = session.conn
    now = (now or utcnow()).replace(tzinfo=None)
    links = queries.package_links(conn)
    stored = queries.stored_scores(conn, queries.MAINTAINER_SCORES)
    rows: list[dict[str, Any]] = []
    repositories = queries.mined_repositories(conn)
    for start in range(0, len(repositories), BATCH_REPOSITORIES):
        batch = repositories[start : start + BATCH_REPOSITORIES]
        for url, score in _score_batch(conn, batch, now, at, params or MaintainerParams(), stored):
            rows.append(score.row("repository", url))
            for purl in links.get(url, []):
                rows.append(score.row("package", purl))
    maintainers = queries.publishers(conn)
    purls = sorted(queries.all_packages(conn))
    for purl in purls:
        people = None if maintainers is None else maintainers.get(purl, [])
        rows.append(publishers_score(people).row("package", purl))
    changed = [row for row in rows if not _unchanged(row, stored)]
    write_scores(session, changed)
    session.count("maintainer_scores", len(rows))
    scored = {purl for url in repositories for purl in links.get(url, [])} | set(purls)
    return ScoreSummary(repositories=len(repositories), packages=len(scored))


def _score_batch(
    conn: duckdb.DuckDBPyConnection,
    urls: list[str],
    now: datetime,
    at: str | None,
    params: MaintainerParams,
    stored: dict[tuple[str, str, str], tuple[Any, ...]],
) -> list[tuple[str, Score]]:
    """(repository, score) of every maintainer score of these repositories, their inputs read together."""
    heads = queries.repository_heads(conn, urls, latest_commit=bool(at))
    requests: list[queries.HistoryRequest] = []
    plans: dict[str, tuple[MaintainerParams, datetime, str | None, Score | None, str | None]] = {}
    out: list[tuple[str, Score]] = []
    for url in urls:
        p = params if params.file_filter.exclude != () else replace(params, file_filter=load_filter(url))
        head = heads.get(url, queries.RepositoryHead(None, None))
        # --at: the scores describe the repository as of the analysed commit, not as of today
        reference = (head.latest_commit_at or now) if at else now
        inputs = _truck_factor_inputs(head.derived_key, p)
        # the windows start at the start of a day (UTC): two runs on one day count the same commits, so a run
        # with nothing new finds those scores unchanged and writes none
        since = reference.replace(hour=0, minute=0, second=0, microsecond=0) - p.window
        every = _scores_inputs(inputs, p, since)
        kept = _stored_repository_scores(stored, url, every, reference)
        if kept is not None:  # nothing they are computed from changed: the history is not read at all
            out.extend((url, score) for score in kept)
            continue
        reused = _stored_truck_factor(stored.get(("repository", url, "truck_factor")), inputs)
        plans[url] = (p, reference, inputs, reused, every)
        requests.append(queries.HistoryRequest(url, since, truck_factor_inputs=reused is None))
    histories = queries.repository_histories(conn, requests, params.rename_history, authorship.DOA_PARAMS)
    for url, (p, reference, inputs, reused, every) in plans.items():
        history = histories[url]
        # only a truck factor computed from the per-file history carries its inputs: the "too little history"
        # one (see repository_scores) does not, or the next run would reuse it, drop the inputs and rewrite it
        computed = history.human_commits >= p.min_commits
        for score in repository_scores(history, reference, p, truck_factor=reused):
            if score.name == "truck_factor" and inputs is not None and computed:
                score = replace(score, details={**score.details, "inputs": inputs, "scores_inputs": every})
            out.append((url, score))
    return out


def _scores_inputs(truck_factor_inputs: str | None, params: MaintainerParams, since: datetime) -> str | None:
    """What every repository score is computed from: the truck factor's inputs (the derived tables and the
    filter), every other parameter, and the start of the recent window (a day). None when not known."""
    if truck_factor_inputs is None:
        return None
    key = f"{truck_factor_inputs}\n{all_params_fingerprint(params)}\n{since.isoformat()}"
    return hashlib.sha256(key.encode()).hexdigest()


#: The scores of a repository with enough history (repository_scores), the truck factor among them.
_REPOSITORY_SCORES = ("days_since_last_commit", *SHARE_SCORES)


def _stored_repository_scores(
    stored: dict[tuple[str, str, str], tuple[Any, ...]], url: str, inputs: str | None, reference: datetime
) -> list[Score] | None:
    """The stored scores of a repository when they were computed from exactly these inputs (its truck
    factor records them), the days since its last commit counted again to ``reference``; None otherwise."""
    tf = _stored_score("truck_factor", stored.get(("repository", url, "truck_factor")))
    if inputs is None or tf is None or tf.details.get("scores_inputs") != inputs:
        return None
    scores = []
    for name in _REPOSITORY_SCORES:
        score = _stored_score(name, stored.get(("repository", url, name)))
        if score is None:
            return None
        if name == "days_since_last_commit" and "last_commit_at" in score.details:
            details = dict(score.details)
            last = datetime.fromisoformat(details.pop("last_commit_at"))
            score = days_since_last_commit(last, reference, details)
        scores.append(score)
    return scores


def _stored_score(name: str, row: tuple[Any, ...] | None) -> Score | None:
    """A stored score row (version, value, status, label, reason, details as JSON) of this version, or None."""
    if row is None or row[0] != VERSION:
        return None
    version, value, status, label, reason, details_json = row
    details = json.loads(details_json) if details_json else {}
    return Score(name, version, value, Status(status), reason, label=label, details=details)


def _truck_factor_inputs(derived_key: str | None, params: MaintainerParams) -> str | None:
    """What a truck factor is computed from: the repository's derived tables (their fingerprint, which covers
    the analysed commit and the identities) and the parameters. None when the tables carry no fingerprint."""
    if derived_key is None:
        return None
    return hashlib.sha256(f"{derived_key}\n{params_fingerprint(params)}".encode()).hexdigest()


def _stored_truck_factor(stored: tuple[Any, ...] | None, inputs: str | None) -> Score | None:
    """The stored truck factor when it was computed from exactly these inputs (a run with nothing new)."""
    score = _stored_score("truck_factor", stored)
    if score is None or inputs is None or score.details.get("inputs") != inputs:
        return None
    return score


def _unchanged(row: dict[str, Any], stored: dict[tuple[str, str, str], tuple[Any, ...]]) -> bool:
    """True when the stored score is this one (writing it again would change nothing but its run id)."""
    before = stored.get((row["subject_kind"], row["subject"], row["name"]))
    if before is None:
        return False
    version, value, status, label, reason, details_json = before
    details = json.loads(json.dumps(row["details"], default=str))  # as the store keeps it
    return (version, value, status, label, reason) == (
        row["version"], row["value"], row["status"], row["label"], row["reason"],
    ) and (json.loads(details_json) if details_json else {}) == details  # fmt: skip
