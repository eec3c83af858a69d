"""The refresh pipeline: ordered steps run inside one write session (one run of the ledger).

Each step is ``run(session, options)``; ``socle refresh --only`` picks steps by name. A step records
per-package problems as run events and raises only for what stops the whole refresh.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import httpx

from analysis.budget import step as budget_step
from analysis.maintainers import step as maintainers_step
from analysis.signals import step as signals_step
from analysis.standards import step as standards_step
from collectors.base import Collector, Outcome, collector_for
from collectors.completion import complete_ecosystem
from collectors.git import step as git_step
from collectors.git.step import GitSettings
from collectors.http import HttpSettings, open_fetcher
from collectors.paths import cache_dir
from collectors.registry.collect import collect_ecosystem
from collectors.registry_signals import SignalSettings
from collectors.registry_signals import run as collect_registry_signals
from collectors.store import WriteSession, write_session


class Progress(Protocol):
    """What a step reports while it works (a rich bar on a terminal, log lines under cron)."""

    def start(self, step: str, total: int) -> None: ...

    def advance(self, step: str, outcome: Outcome) -> None: ...


@dataclass(frozen=True, kw_only=True)
class RefreshOptions:
    db_path: Path
    only: frozenset[str] | None = None
    max_age: timedelta = timedelta(hours=24)
    concurrency: int = 10
    now: datetime
    mirror_dir: Path | None = None
    catalogue_overlays: tuple[Path, ...] = ()
    at: str | None = None
    #: Clone or fetch repositories that the mirror folder does not hold (off: mirror folder only).
    clone: bool = True
    #: Worker processes mining repositories at once (1: in the refresh's own process).
    mine_workers: int = 1
    #: A Dask scheduler address (tcp://host:8786): repositories are mined on that cluster instead.
    cluster: str | None = None
    #: Python version whose markers transitive completion evaluates (None: the running one).
    target_python: str | None = None
    #: The whole refresh gives up network work after this long.
    deadline: timedelta = timedelta(minutes=30)
    started_monotonic: float = field(default_factory=time.monotonic)
    #: Registry base URLs by ecosystem (tests and benchmarks point them at a local fake registry).
    registry_urls: Mapping[str, str] = field(default_factory=dict)
    #: Replaces the network (tests hand an ``httpx.MockTransport``); the HTTP cache still wraps it.
    http_transport: httpx.AsyncBaseTransport | None = None
    http_cache: bool = True
    progress: Progress | None = None


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[WriteSession, RefreshOptions], None]


def http_settings(options: RefreshOptions) -> HttpSettings:
    remaining = options.deadline.total_seconds() - (time.monotonic() - options.started_monotonic)
    return HttpSettings(
        concurrency=options.concurrency,
        deadline_seconds=max(remaining, 0.001),
        cache_dir=cache_dir(options.db_path) / "http" if options.http_cache else None,
    )


def _collector(options: RefreshOptions, ecosystem: str) -> Collector:
    collector = collector_for(ecosystem)
    base = options.registry_urls.get(ecosystem)
    if base:
        collector = type(collector)(base)  # type: ignore[call-arg]
    return collector


def _registry_step(ecosystem: str) -> Callable[[WriteSession, RefreshOptions], None]:
    def run(session: WriteSession, options: RefreshOptions) -> None:
        progress = options.progress

        def hook(eco: str, total: int, outcome: Outcome | None) -> None:
            if progress is None:
                return
            if outcome is None:
                progress.start(eco, total)
            else:
                progress.advance(eco, outcome)

        collect_ecosystem(
            session,
            _collector(options, ecosystem),
            http_settings(options),
            now=options.now,
            max_age=options.max_age,
            transport=options.http_transport,
            progress=hook,
        )

    return run


#: Ecosystems with a registry collector, in refresh order (Debian last: its indices are the largest answers).
REGISTRY_ECOSYSTEMS = ("pypi", "npm", "maven", "golang", "cargo", "deb")
#: Those whose applications may list only direct dependencies. A container SBOM lists every installed
#: Debian package but often without edges: completion links them through their Depends (and adds what a
#: partial SBOM left out).
COMPLETED_ECOSYSTEMS = ("pypi", "npm", "maven", "golang", "cargo", "deb")


def _completion(session: WriteSession, options: RefreshOptions) -> None:
    for ecosystem in COMPLETED_ECOSYSTEMS:
        if options.only is not None and ecosystem not in options.only and "completion" not in options.only:
            continue
        factory = functools.partial(open_fetcher, http_settings(options), transport=options.http_transport)
        complete_ecosystem(
            session,
            _collector(options, ecosystem),
            factory,
            now=options.now,
            python_version=options.target_python,
        )


def _registry_signals(session: WriteSession, options: RefreshOptions) -> None:
    settings = SignalSettings(now=options.now, max_age=options.max_age)
    if "npm" in options.registry_urls:
        settings = replace(settings, npm_registry=options.registry_urls["npm"])
    if "pypi" in options.registry_urls:
        settings = replace(settings, pypi_base=options.registry_urls["pypi"])
    collect_registry_signals(session, http_settings(options), settings, transport=options.http_transport)


def _git(session: WriteSession, options: RefreshOptions) -> None:
    settings = GitSettings(network=options.clone, workers=options.mine_workers, cluster=options.cluster)
    git_step.mine_all(session, options, settings)


STEPS: list[Step] = [
    *(Step(ecosystem, _registry_step(ecosystem)) for ecosystem in REGISTRY_ECOSYSTEMS),
    Step("completion", _completion),
    # npm advisories, PyPI project status and attestations: calls of their own, after the registry answers.
    Step("registry_signals", _registry_signals),
    Step("git", _git),
    # Scores: maintainers first (exit options quote truck factors), then standards, then what combines them.
    Step("maintainers", maintainers_step.run),
    Step("standards", standards_step.run),
    # Vulnerabilities, lifecycle and libyear from the registry answers stored above; risk reads them.
    Step("signals", signals_step.run),
    Step("criticality", budget_step.run_criticality),
    Step("risk", budget_step.run_risk),
]

SCORE_STEPS = frozenset({"maintainers", "standards", "signals", "criticality", "risk"})

#: ``--only pypi`` also runs completion for PyPI applications: it needs the same registry; ``--only git``
#: also scores what it mined; ``--only scores`` recomputes every score from the store without the network.
_IMPLIED = {
    **{ecosystem: {"completion"} for ecosystem in COMPLETED_ECOSYSTEMS},
    "git": {"maintainers"},
    "scores": set(SCORE_STEPS),
}
STEP_NAMES = frozenset({s.name for s in STEPS} | set(_IMPLIED))


def selected_steps(only: frozenset[str] | None) -> list[Step]:
    if only is None:
        return list(STEPS)
    wanted = set(only)
    for name in only:
        wanted |= _IMPLIED.get(name, set())
    return [step for step in STEPS if step.name in wanted]


def run_refresh(options: RefreshOptions) -> WriteSession:
    """Run the selected steps in one write session; returns the finished session (status, counts)."""
    params = {
        "only": sorted(options.only) if options.only else None,
        "max_age_seconds": options.max_age.total_seconds(),
        "concurrency": options.concurrency,
    }
    with write_session(options.db_path, "refresh", params) as session:
        for step in selected_steps(options.only):
            before, warnings_before = dict(session.counts), session.warnings
            step.run(session, options)
            added = {k: v - before.get(k, 0) for k, v in session.counts.items() if v != before.get(k, 0)}
            reason = shortfall(step.name, added, session.warnings - warnings_before)
            if reason:
                session.fell_short(reason)
    return session


def shortfall(step: str, added: Mapping[str, int], warnings: int) -> str | None:
    """Why a step that had work achieved nothing, from the counts it added (None: it achieved something).

    A registry step whose every package failed, a git step whose every repository was skipped or failed,
    and a completion whose every look-up became a warning leave the run ``partial`` (exit 1), so a cron
    job is never told "ok" when nothing worked. A step with nothing to do is not a shortfall.
    """
    if step in ("pypi", "npm"):
        failed = added.get(f"{step}_failed", 0)
        good = sum(added.get(f"{step}_{k}", 0) for k in ("collected", "unchanged", "skipped"))
        if failed and not good:
            return f"{step}: all {failed} package look-ups failed; nothing was updated"
    elif step == "git":
        tried = sum(v for k, v in added.items() if k.startswith("repositories_"))
        if tried and not added.get("repositories_ok", 0):
            return f"git: none of the {tried} repositories could be mined (all skipped or failed)"
    elif step == "completion" and warnings and not added.get("inferred_packages", 0):
        return f"completion: {warnings} problem(s) and no dependency could be completed"
    return None
