"""From what the store holds (``BudgetData``) to the literal inputs of risk and the OpenSSF score."""

from __future__ import annotations

from datetime import datetime

from analysis.queries.budget import BudgetData, FundingLink, InputScores
from analysis.risk import RiskInputs

_DAYS_PER_MONTH = 30.44
_NO_SCORES = InputScores()


def funding_links(data: BudgetData, purl: str) -> tuple[FundingLink, ...]:
    """Links of the package and of its repository, package ones first."""
    links = data.funding.get(purl, ())
    repo = data.repository.get(purl)
    if repo:
        links = links + tuple(link for link in data.funding.get(repo, ()) if link not in links)
    return links


def risk_inputs(data: BudgetData, purl: str, now: datetime) -> RiskInputs:
    meta = data.metadata.get(purl)
    scores = data.scores.get(purl, _NO_SCORES)
    last_release = meta.last_release_at if meta else None
    repo = data.repository.get(purl)
    return RiskInputs(
        truck_factor=scores.truck_factor,
        truck_top_share=scores.truck_top_share,
        contributor_absence_factor=scores.contributor_absence_factor,
        active_maintainers=scores.active_maintainers,
        fragility=scores.fragility,
        days_since_last_commit=_days_since_commit(data, scores, repo, now),
        days_since_last_release=(now - last_release).total_seconds() / 86400 if last_release else None,
        releases_last_12m=meta.releases_last_12m if meta else None,
        deprecated=bool(meta.deprecated) if meta else None,
        yanked_last_12m=data.yanked_last_12m.get(purl),
        has_funding_channel=has_funding_channel(data, purl),
        vulnerabilities=scores.vulnerabilities,
        vulnerability_severity=scores.vulnerability_severity,
        vulnerability_reason=scores.vulnerability_reason,
        lifecycle=scores.lifecycle,
        lifecycle_reason=scores.lifecycle_reason,
        provenance=scores.provenance,
        provenance_reason=scores.provenance_reason,
    )


def has_funding_channel(data: BudgetData, purl: str) -> bool | None:
    """True when a channel is known; False only when every place one is published was read (the registry
    answered, and the repository's funding files were read, or there is no repository); otherwise None:
    not known, which lowers risk's confidence and never raises it."""
    repo = data.repository.get(purl)
    if data.funding.get(purl) or (repo and data.funding.get(repo)):
        return True
    registry_read = purl in data.metadata
    files_read = repo is None or repo in data.mined
    return False if registry_read and files_read else None


def _days_since_commit(
    data: BudgetData, scores: InputScores, repo: str | None, now: datetime
) -> float | None:
    days_commit = scores.days_since_last_commit
    last_commit = data.last_commit.get(repo) if days_commit is None and repo else None
    if last_commit is not None:
        days_commit = (now - last_commit).total_seconds() / 86400
    return days_commit


def openssf_signals(data: BudgetData, purl: str, now: datetime) -> dict[str, float | None]:
    """The six OpenSSF signals socle measures; the others stay missing (left out of the formula)."""
    meta = data.metadata.get(purl)
    repo = data.repository.get(purl)
    activity = data.activity.get(repo) if repo else None
    first = [
        t for t in ((meta.first_release_at if meta else None), activity and activity.first_commit_at) if t
    ]
    created = min(first) if first else None
    updated = activity.last_commit_at if activity else None
    return {
        "created_since": (now - created).days / _DAYS_PER_MONTH if created else None,
        "updated_since": (now - updated).days / _DAYS_PER_MONTH if updated else None,
        "contributor_count": float(activity.contributor_count) if activity else None,
        "org_count": float(activity.org_count) if activity else None,
        "commit_frequency": activity.commits_last_12m / 52
        if activity and activity.commits_last_12m is not None
        else None,
        "recent_release_count": float(meta.releases_last_12m)
        if meta and meta.releases_last_12m is not None
        else None,
    }
