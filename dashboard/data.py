"""Every read the pages make, cached, each through its own short-lived read-only connection.

Why this is safe beside the cron refresh: a refresh writes a private copy of the store and renames it over
the database in one step (see ``collectors.store``). A read here opens the file read-only, runs one query
function and closes it, so it sees either the store before a refresh or the one after, never a half-finished
one, and never holds the file open between page runs (a long-held connection is what would block a writer).
The cache key includes the file's identity (inode, size, modification time): after a refresh is published the
next page run reads the new store at once, and the ``ttl`` bounds memory for stores that never change.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import pandas as pd
import streamlit as st

from analysis.budget import compare as comparing
from analysis.budget import plan
from analysis.budget.proposal import Proposal
from analysis.queries import budget as budget_queries
from analysis.queries import dashboard as q
from analysis.queries.budget import SavedProposal
from analysis.queries.dashboard.graph import ApplicationGraph, application_graph
from analysis.sovereignty import reference as sovereignty_reference
from analysis.sovereignty import report as sovereignty
from analysis.sovereignty.exposure import Exposure
from collectors.errors import SocleError
from collectors.paths import default_db_path
from collectors.store import CORE, read_connection, write_session

TTL_SECONDS = 300

#: The read functions pages may call, by name (the cache key names the query; nothing else is dispatched).
_QUERIES: dict[str, Callable[..., Any]] = {
    "overview": q.overview,
    "vulnerabilities": q.vulnerabilities,
    "vulnerability_coverage": q.vulnerability_coverage,
    "lifecycle": q.lifecycle,
    "applications": q.applications,
    "dependencies": q.dependencies,
    "package_detail": q.package_detail,
    "truck_factor_distribution": q.truck_factor_distribution,
    "riskiest_packages": q.riskiest_packages,
    "repositories": q.repositories,
    "contributor_shares": q.contributor_shares,
    "monthly_activity": q.monthly_activity,
    "truck_factor_developers": q.truck_factor_developers,
    "fragility_classes": q.fragility_classes,
    "interfaces_in_use": q.interfaces_in_use,
    "exit_options": q.exit_options,
    "interface_control": q.interface_control,
    "review_list": q.review_list,
    "score_names": q.score_names,
    "score_trend": q.score_trend,
    "score_changes": q.score_changes,
    "proposals": q.proposals,
    "saved_proposal": budget_queries.saved_proposal,
    "budget_proposal": plan.propose_from_store,
    "budget_line_keys": plan.line_keys,
    "proposal_lines": q.proposal_lines,
    "received_by_year": budget_queries.received_by_year,
    "runs": q.runs,
    "run_problems": q.run_problems,
    "dependency_card": sovereignty.card,
    "exposure": sovereignty.organisation_exposure,
    "application_graph": application_graph,
    "unmined_repositories": q.unmined_repositories,
}


def db_path() -> Path:
    """The store the dashboard shows: ``$SOCLE_DB`` (set by ``socle dashboard --db``), else the default."""
    return default_db_path()


def store_version(db: Path) -> str:
    """Changes whenever a write session publishes a new file (a rename gives a new inode)."""
    try:
        stat = os.stat(db)
    except FileNotFoundError:
        return "missing"
    return f"{stat.st_ino}-{stat.st_size}-{stat.st_mtime_ns}"


@st.cache_resource(ttl=TTL_SECONDS, max_entries=8, show_spinner=False)
def _budget_data(db: str, version: str) -> budget_queries.BudgetData:
    # A resource, not data: shared without a copy (it is frozen and only read), as pickling 5,000
    # packages' facts on every use would cost what reading them does. The dependency graph is left out:
    # only the StackAid method walks it, and ``_budget_graph`` reads it when that method is chosen.
    del version  # part of the cache key only
    with read_connection(Path(db)) as conn:
        return plan.read(conn)  # the graph is read by ``_budget_graph`` for StackAid


@st.cache_resource(ttl=TTL_SECONDS, max_entries=8, show_spinner=False)
def _budget_graph(db: str, version: str) -> Mapping[str, tuple[str, ...]]:
    del version  # part of the cache key only
    with read_connection(Path(db)) as conn:
        return budget_queries.children(conn)


def _propose(db: str, version: str, choices: plan.Choices) -> Proposal:
    """The proposal from the store's budget facts, read once per store version and shared: changing a
    planner input then recomputes only the assessment and the allocation."""
    data = _budget_data(db, version)
    if choices.method == "stackaid":
        data = replace(data, children=_budget_graph(db, version))
    return plan.propose_from_data(data, choices)


def _card(db: str, version: str, purl: str) -> sovereignty.Card:
    """The dependency card, its budget line taken from the proposal computed from the shared budget facts."""
    try:
        proposal: Proposal | None = _propose(db, version, sovereignty.CARD_BUDGET)
    except SocleError:
        proposal = None  # the card then says no proposal can be made from this store
    with read_connection(Path(db)) as conn:
        return sovereignty.card(conn, purl, proposal=proposal)


#: Reads computed from the store's budget facts rather than through a connection of their own.
_FROM_BUDGET_DATA: dict[str, Callable[..., Any]] = {"budget_proposal": _propose, "dependency_card": _card}


@st.cache_data(ttl=TTL_SECONDS, max_entries=512, show_spinner=False)
def _cached_query(db: str, version: str, name: str, args: tuple[Any, ...]) -> Any:
    if name in _FROM_BUDGET_DATA:
        return _FROM_BUDGET_DATA[name](db, version, *args)
    with read_connection(Path(db)) as conn:
        return _QUERIES[name](conn, *args)


def query(name: str, *args: Any, db: Path | None = None) -> Any:
    """Run the read function ``name`` on the published store (cached per store version)."""
    path = db or db_path()
    return _cached_query(str(path), store_version(path), name, tuple(args))


def clear_cache() -> None:
    _cached_query.clear()
    _budget_data.clear()
    _budget_graph.clear()


# Typed entry points, one per read, so pages read like UI descriptions.
def overview(db: Path | None = None) -> q.Overview:
    return cast(q.Overview, query("overview", db=db))


def vulnerabilities(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("vulnerabilities", db=db))


def vulnerability_coverage(db: Path | None = None) -> q.Coverage:
    return cast(q.Coverage, query("vulnerability_coverage", db=db))


def lifecycle(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("lifecycle", db=db))


def applications(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("applications", db=db))


def dependencies(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("dependencies", db=db))


def package_detail(purl: str, db: Path | None = None) -> q.PackageDetail:
    return cast(q.PackageDetail, query("package_detail", purl, db=db))


def truck_factor_distribution(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("truck_factor_distribution", db=db))


def riskiest_packages(limit: int = 20, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("riskiest_packages", limit, db=db))


def repositories(db: Path | None = None) -> list[str]:
    return cast(list[str], query("repositories", db=db))


def contributor_shares(repository_url: str, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("contributor_shares", repository_url, db=db))


def monthly_activity(repository_url: str, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("monthly_activity", repository_url, db=db))


def truck_factor_developers(repository_url: str, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("truck_factor_developers", repository_url, db=db))


def fragility_classes(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("fragility_classes", db=db))


def interfaces_in_use(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("interfaces_in_use", db=db))


def exit_options(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("exit_options", db=db))


def interface_control(min_criticality: float = 0.0, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("interface_control", min_criticality, db=db))


def review_list(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("review_list", db=db))


def score_names(db: Path | None = None) -> list[str]:
    return cast(list[str], query("score_names", db=db))


def score_trend(name: str, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("score_trend", name, db=db))


def score_changes(name: str, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("score_changes", name, db=db))


def proposals(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("proposals", db=db))


def received_by_year(db: Path | None = None) -> pd.DataFrame:
    """What each project received per year (the last proposal saved in each year) and in total: one row per
    project and currency, one column per year."""
    rows = cast(list[budget_queries.YearAmount], query("received_by_year", db=db))
    if not rows:
        return pd.DataFrame(columns=["project", "currency", "total"])
    frame = pd.DataFrame([(r.project, r.currency, str(r.year), r.amount) for r in rows],
                         columns=["project", "currency", "year", "amount"])  # fmt: skip
    table = frame.pivot_table(index=["project", "currency"], columns="year", values="amount", aggfunc="sum",
                              fill_value=0)  # fmt: skip
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False).reset_index().rename_axis(columns=None)


def proposal_lines(proposal_id: int, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("proposal_lines", proposal_id, db=db))


def runs(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("runs", db=db))


def run_problems(run_id: int, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("run_problems", run_id, db=db))


def dependency_card(purl: str, db: Path | None = None) -> sovereignty.Card:
    return cast(sovereignty.Card, query("dependency_card", purl, db=db))


def exposure(db: Path | None = None) -> Exposure:
    return cast(Exposure, query("exposure", db=db))


def application_graph_of(application: str, top: int = 12, db: Path | None = None) -> ApplicationGraph:
    return cast(ApplicationGraph, query("application_graph", application, top, db=db))


def unmined_repositories(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("unmined_repositories", db=db))


def licence_changes() -> pd.DataFrame:
    """The reviewed licence changes and their forks (data/sovereignty/licence_changes.toml)."""
    return pd.DataFrame(
        [
            {
                "project": c.project,
                "company": c.company,
                "date": c.date.isoformat(),
                "change": f"{c.from_licence} to {c.to_licence}",
                "fork": c.fork or "none recorded",
                "fork steward": c.fork_steward or "none recorded",
                "source": c.source,
                "fork source": c.fork_source or "none recorded",
            }
            for c in sovereignty_reference.shipped().licence_changes
        ]
    )


def operators() -> pd.DataFrame:
    """Who operates each forge, registry and funding platform socle knows (data/sovereignty/operators.toml)."""
    return pd.DataFrame(
        [
            {
                "role": p.role,
                "place": p.key,
                "operator": p.operator.name,
                "controlled by": p.operator.parent or "itself",
                "country": p.operator.country or "not known",
                "source": p.source,
            }
            for p in sorted(sovereignty_reference.shipped().places.values(), key=lambda p: (p.role, p.key))
        ]
    )


# ---------------------------------------------------------------------------------------------- budget
# The planner calls the budget engine as ``socle budget`` does (``analysis.budget.plan``): the proposal, the
# saved proposals and the comparison all come from it; this section only caches them and shapes tables.


def budget_line_keys(per: str, db: Path | None = None) -> list[str]:
    """What a person can exclude or boost: every line key (repository URL, or purl) under ``per``."""
    return cast(list[str], query("budget_line_keys", per, db=db))


def propose_budget(choices: plan.Choices, db: Path | None = None) -> Proposal:
    """The engine's proposal for ``choices`` over the published store (cached per store version and choices,
    so changing an unrelated widget does not recompute it)."""
    return cast(Proposal, query("budget_proposal", choices, db=db))


def saved_proposal(proposal_id: int, db: Path | None = None) -> SavedProposal | None:
    return cast(SavedProposal | None, query("saved_proposal", proposal_id, db=db))


def proposal_frame(proposal: Proposal) -> pd.DataFrame:
    """The proposal's lines as a table (packages joined as text)."""
    return pd.DataFrame(
        [
            {
                "project": line.project,
                "packages": ", ".join(line.packages),
                "amount": line.amount,
                "channel": line.channel_text,
                "rationale": line.rationale,
            }
            for line in proposal.lines
        ],
        columns=["project", "packages", "amount", "channel", "rationale"],
    )


def short_name(project: str) -> str:
    """A line's project as a chart label: ``https://github.com/pallets/click`` -> ``pallets/click``."""
    for prefix in ("https://github.com/", "https://"):
        if project.startswith(prefix):
            return project[len(prefix) :]
    return project


def outreach_frame(proposal: Proposal) -> pd.DataFrame:
    """Projects without a funding channel: what they would receive with one, and whom to contact."""
    return pd.DataFrame(
        [
            (o.project, ", ".join(o.packages), o.amount, " ".join(o.contacts), o.rationale)
            for o in proposal.outreach
        ],
        columns=["project", "packages", "amount", "contacts", "rationale"],
    )


def left_out_frame(proposal: Proposal) -> pd.DataFrame:
    return pd.DataFrame(proposal.left_out, columns=["subject", "reason"])


def save_proposal(proposal: Proposal, db: Path | None = None) -> int:
    """Save ``proposal`` as one ``budget`` run of the ledger; returns its id. A running refresh makes this
    raise ``StoreBusyError``: the page asks to try again."""
    with write_session(db or db_path(), "budget", proposal.parameters, domains={CORE}) as session:
        proposal_id = plan.save(session, proposal)
    clear_cache()
    return proposal_id


@dataclass(frozen=True)
class Comparison:
    """A saved proposal against the current one: parameters that differ ('name: old -> new') and, per
    project whose amount changed, the saved amount, the current one, the difference and why."""

    saved: SavedProposal
    parameters: tuple[str, ...]
    changes: pd.DataFrame


def compare(proposal: Proposal, proposal_id: int, db: Path | None = None) -> Comparison | None:
    """``proposal`` against saved proposal ``proposal_id`` (None when there is no such proposal)."""
    old = saved_proposal(proposal_id, db=db)
    if old is None:
        return None
    changes = pd.DataFrame(
        [
            {"project": c.project, "saved": c.before, "current": c.after, "difference": c.delta, "why": c.why}
            for c in comparing.compare(old, proposal)
        ],
        columns=["project", "saved", "current", "difference", "why"],
    )
    return Comparison(old, tuple(comparing.parameter_changes(old, proposal)), changes)
