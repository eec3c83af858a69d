"""From what the store holds (``BudgetData``) to the literal inputs of risk and the OpenSSF score."""

from __future__ import annotations

from datetime import datetime

from analysis.queries.budget import BudgetData, FundingLink
from analysis.risk import RiskInputs

_DAYS_PER_MONTH = 30.44


def funding_links(data: BudgetData, purl: str) -> tuple[FundingLink, ...]:
    """Links of the package and of its repository, package ones first."""
    links = data.funding.get(purl, ())
    repo = data.repository.get(purl)
    if repo:
        links = links + tuple(link for link in data.funding.get(repo, ()) if link not in links)
    return links


def _score_value(data: BudgetData, purl: str, name: str) -> float | None:
    found = data.scores.get(purl, {}).get(name)
    return found.value if found is not None and found.status == "ok" else None


def _top_share(data: BudgetData, purl: str) -> float | None:
    found = data.scores.get(purl, {}).get("truck_factor")
    return found.top_share if found is not None else None


def risk_inputs(data: BudgetData, purl: str, now: datetime) -> RiskInputs:
    meta = data.metadata.get(purl)
    fragility = data.scores.get(purl, {}).get("fragility")
    last_release = meta.last_release_at if meta else None
    has_channel: bool | None = bool(funding_links(data, purl)) or None
    if has_channel is None and (meta is not None or purl in data.funding):
        has_channel = False  # registry data was collected and names no channel
    days_commit = _score_value(data, purl, "days_since_last_commit")
    repo = data.repository.get(purl)
    activity = data.activity.get(repo) if repo else None
    if days_commit is None and activity is not None and activity.last_commit_at is not None:
        days_commit = (now - activity.last_commit_at).total_seconds() / 86400
    return RiskInputs(
        truck_factor=_score_value(data, purl, "truck_factor"),
        truck_top_share=_top_share(data, purl),
        contributor_absence_factor=_score_value(data, purl, "contributor_absence_factor"),
        active_maintainers=_score_value(data, purl, "active_maintainers"),
        fragility=fragility.label if fragility is not None and fragility.status == "ok" else None,
        days_since_last_commit=days_commit,
        days_since_last_release=(now - last_release).total_seconds() / 86400 if last_release else None,
        releases_last_12m=meta.releases_last_12m if meta else None,
        deprecated=bool(meta.deprecated) if meta else None,
        yanked_last_12m=data.yanked_last_12m.get(purl),
        has_funding_channel=has_channel,
    )


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
