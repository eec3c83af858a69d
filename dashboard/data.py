"""Every read the pages make, cached, each through its own short-lived read-only connection.

Why this is safe beside the cron refresh: a refresh writes a private copy of the store and renames it over
the database in one step (see ``collectors.store``). A read here opens the file read-only, runs one query
function and closes it, so it sees either the store before a refresh or the one after, never a half-finished
one, and never holds the file open between page runs (a long-held connection is what would block a writer).
The cache key includes the file's identity (inode, size, modification time): after a refresh is published the
next page run reads the new store at once, and the ``ttl`` bounds memory for stores that never change.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pandas as pd
import streamlit as st

from analysis.queries import dashboard as q
from collectors.paths import default_db_path
from collectors.store import read_connection, write_session

TTL_SECONDS = 300

#: The read functions pages may call, by name (the cache key names the query; nothing else is dispatched).
_QUERIES: dict[str, Callable[..., Any]] = {
    "overview": q.overview,
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
    "proposal_lines": q.proposal_lines,
    "runs": q.runs,
    "run_problems": q.run_problems,
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


@st.cache_data(ttl=TTL_SECONDS, max_entries=512, show_spinner=False)
def _cached_query(db: str, version: str, name: str, args: tuple[Any, ...]) -> Any:
    del version  # part of the cache key only
    with read_connection(Path(db)) as conn:
        return _QUERIES[name](conn, *args)


def query(name: str, *args: Any, db: Path | None = None) -> Any:
    """Run the read function ``name`` on the published store (cached per store version)."""
    path = db or db_path()
    return _cached_query(str(path), store_version(path), name, tuple(args))


def clear_cache() -> None:
    _cached_query.clear()
    _cached_proposal.clear()


# Typed entry points, one per read, so pages read like UI descriptions.
def overview(db: Path | None = None) -> q.Overview:
    return cast(q.Overview, query("overview", db=db))


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


def proposal_lines(proposal_id: int, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("proposal_lines", proposal_id, db=db))


def runs(db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("runs", db=db))


def run_problems(run_id: int, db: Path | None = None) -> pd.DataFrame:
    return cast(pd.DataFrame, query("run_problems", run_id, db=db))


# ---------------------------------------------------------------------------------------------- budget engine
# The planner calls the budget library; everything it needs from it goes through the functions below.


@dataclass(frozen=True)
class PlannerInputs:
    total: float
    currency: str
    method: str
    floor: float
    cap: float | None  # largest share of the total one line may get, 0-1
    exclude: tuple[str, ...] = ()
    boosts: tuple[tuple[str, float], ...] = ()


def _optional_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None  # that module is not installed; any other missing import is a real error
        raise


def budget_engine() -> ModuleType | None:
    """``analysis.budget`` when it offers ``propose``; None otherwise (the page says so)."""
    module = _optional_module("analysis.budget")
    return module if module is not None and hasattr(module, "propose") else None


def propose_budget(inputs: PlannerInputs, db: Path | None = None) -> Any | None:
    """The engine's proposal for these inputs, read from the published store; None without an engine.

    Expects ``analysis.budget.propose(conn, analysis.budget.BudgetParams(...)) -> Proposal`` whose ``lines``
    have ``project``, ``packages``, ``amount``, ``channel`` and ``rationale``. Cached per store version and
    inputs, so changing an unrelated widget does not recompute it.
    """
    if budget_engine() is None:
        return None
    path = db or db_path()
    return _cached_proposal(str(path), store_version(path), dataclasses.astuple(inputs))


@st.cache_data(ttl=TTL_SECONDS, max_entries=64, show_spinner=False)
def _cached_proposal(db: str, version: str, inputs: tuple[Any, ...]) -> Any:
    del version  # part of the cache key only
    engine = budget_engine()
    assert engine is not None
    planner = PlannerInputs(*inputs)
    params = engine.BudgetParams(
        total=planner.total,
        currency=planner.currency,
        method=planner.method,
        min_amount=planner.floor,
        cap=planner.cap,
        exclude=planner.exclude,
        boosts=dict(planner.boosts),
    )
    with read_connection(Path(db)) as conn:
        return engine.propose(conn, params)


def proposal_frame(proposal: Any) -> pd.DataFrame:
    """The proposal's lines as a table (packages joined as text)."""
    return pd.DataFrame(
        [
            {
                "project": str(line.project),
                "packages": ", ".join(str(p) for p in line.packages),
                "amount": float(line.amount),
                "channel": line.channel,
                "rationale": line.rationale,
            }
            for line in proposal.lines
        ],
        columns=["project", "packages", "amount", "channel", "rationale"],
    )


def export_proposal(proposal: Any, fmt: str) -> bytes | None:
    """CSV or XLSX bytes from ``analysis.exports`` (``proposal_csv`` / ``proposal_xlsx``) when installed,
    else the lines table alone. None for an unknown format."""
    exports = _optional_module("analysis.exports")
    exporter = getattr(exports, f"proposal_{fmt}", None) if exports else None
    if exporter is not None:
        exported: bytes = exporter(proposal)
        return exported
    lines = proposal_frame(proposal)
    if fmt == "csv":
        text: str = lines.to_csv(index=False)
        return text.encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            lines.to_excel(writer, sheet_name="lines", index=False)
        return buffer.getvalue()
    return None


def save_proposal(proposal: Any, name: str, params: Mapping[str, Any], db: Path | None = None) -> int | None:
    """Save through ``collectors.store.budget.save_proposal(session, proposal, name=...)`` in a write session
    of kind ``budget``; returns the new proposal id, or None when that function is not installed.
    A running refresh makes this raise ``StoreBusyError``: the page asks to try again."""
    store = _optional_module("collectors.store.budget")
    saver = getattr(store, "save_proposal", None) if store else None
    if saver is None:
        return None
    with write_session(db or db_path(), "budget", dict(params)) as session:
        proposal_id = int(saver(session, proposal, name=name))
    clear_cache()
    return proposal_id


def compare(current: pd.DataFrame, saved: pd.DataFrame) -> pd.DataFrame:
    """Per project: the saved amount, the current one and the difference (projects of either side)."""
    left = current[["project", "amount"]].rename(columns={"amount": "current"})
    right = saved[["project", "amount"]].rename(columns={"amount": "saved"})
    merged = left.merge(right, on="project", how="outer").fillna({"current": 0.0, "saved": 0.0})
    merged["difference"] = merged["current"] - merged["saved"]
    return merged.sort_values(["difference", "project"], key=_abs_desc).reset_index(drop=True)


def _abs_desc(column: pd.Series) -> pd.Series:
    ordered: pd.Series = -column.abs() if column.name == "difference" else column
    return ordered
