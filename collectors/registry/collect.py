"""Collect one ecosystem's packages concurrently and store them in batches as they arrive.

Network work overlaps store writes: outcomes are consumed as they complete and written every ``batch``
packages, so memory holds at most one batch of raw answers whatever the number of packages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx

from collectors.base import Collected, Collector, Failed, Outcome, PackageRef, Skipped
from collectors.http import Fetcher, HttpSettings, open_fetcher
from collectors.registry.fetch import guarded_collect
from collectors.store import WriteSession
from collectors.store.registry import packages_to_collect, record_outcomes, write_collected

ProgressHook = Callable[[str, int, Outcome | None], None]  # (ecosystem, total, outcome or None at start)


@dataclass(frozen=True)
class CollectStats:
    total: int
    collected: int
    skipped: int
    failed: int
    requests: int
    cache_hits: int
    revalidated: int


async def collect_refs(
    session: WriteSession,
    collector: Collector,
    fetcher: Fetcher,
    refs: Sequence[PackageRef],
    *,
    now: datetime,
    batch: int = 100,
    progress: ProgressHook | None = None,
) -> list[Outcome]:
    """Collect ``refs`` and write them; returns the outcomes without their raw documents."""
    ecosystem = collector.ecosystem
    pending: list[Outcome] = []
    kept: list[Outcome] = []

    def flush() -> None:
        collected = [o for o in pending if isinstance(o, Collected)]
        write_collected(session, ecosystem, collected, collector.purl_for, now)
        record_outcomes(session, ecosystem, pending, now)
        pending.clear()

    tasks = [asyncio.ensure_future(guarded_collect(collector, fetcher, ref, now=now)) for ref in refs]
    try:
        for next_done in asyncio.as_completed(tasks):
            outcome = await next_done
            pending.append(outcome)
            # Keep what callers need, not the raw answers: memory stays at one batch of documents.
            kept.append(replace(outcome, documents=()) if isinstance(outcome, Collected) else outcome)
            if progress:
                progress(ecosystem, len(refs), outcome)
            if len(pending) >= batch:
                flush()
        flush()
    finally:
        for task in tasks:
            task.cancel()
    return kept


def collect_ecosystem(
    session: WriteSession,
    collector: Collector,
    settings: HttpSettings,
    *,
    now: datetime,
    max_age: timedelta,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: ProgressHook | None = None,
) -> CollectStats:
    """The registry step of one ecosystem: every package used by an application and not fresh enough."""
    refs = packages_to_collect(session.conn, collector.ecosystem, max_age=max_age, now=now)
    if progress:
        progress(collector.ecosystem, len(refs), None)

    async def main() -> CollectStats:
        async with open_fetcher(settings, transport=transport) as fetcher:
            outcomes = await collect_refs(session, collector, fetcher, refs, now=now, progress=progress)
            return CollectStats(
                total=len(refs),
                collected=sum(isinstance(o, Collected) for o in outcomes),
                skipped=sum(isinstance(o, Skipped) for o in outcomes),
                failed=sum(isinstance(o, Failed) for o in outcomes),
                requests=fetcher.requests,
                cache_hits=fetcher.cache_hits,
                revalidated=fetcher.revalidated,
            )

    stats = asyncio.run(main())
    session.count(f"{collector.ecosystem}_requests", stats.requests)
    session.count(f"{collector.ecosystem}_cache_hits", stats.cache_hits)
    return stats
