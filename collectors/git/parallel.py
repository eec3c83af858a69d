"""Run :func:`collectors.git.worker.mine_repository` on many repositories at once: a pool of local worker
processes, or a Dask distributed cluster (``--cluster tcp://scheduler:8786``).

Either way results come back, one per repository and as soon as each is done, to the one process that holds
the store. Nothing here touches the store, and no scheduling or RPC is written here: the pool is the standard
library's, the cluster is Dask's (https://distributed.dask.org/en/stable/client.html). On a cluster a task
whose worker dies is run again on another worker by the scheduler (``distributed.scheduler.allowed-failures``)
and a task that raised is retried (``retries=``); the writer still applies each repository once.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Callable, Iterator, Sequence

from collectors.errors import TransientError
from collectors.git.worker import MinedRepository, MineTask, mine_repository

#: Retries of a task that raised on a cluster worker (a worker that died is handled by the scheduler).
CLUSTER_RETRIES = 2
#: Seconds to wait for the scheduler to answer before the step fails.
CONNECT_TIMEOUT = 30

MineFunction = Callable[[MineTask], MinedRepository]


def default_workers() -> int:
    """One worker process per core this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _lost(task: MineTask, why: str) -> MinedRepository:
    """A repository whose worker was lost: an error (retried next run), what was mined before is kept."""
    return MinedRepository(task.url, "error", why, located=False)


def mine_in_pool(
    tasks: Sequence[MineTask], workers: int, function: MineFunction = mine_repository
) -> Iterator[MinedRepository]:
    """Mine ``tasks`` in ``workers`` local processes, yielding results as they finish.

    Processes are spawned, not forked: the parent holds an open DuckDB connection and threads."""
    if not tasks:
        return
    # imported here: a mining in one process (the default for one repository) never needs them
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        futures = {pool.submit(function, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield _lost(futures[future], "the mining process died (out of memory?); retried next run")


def mine_on_cluster(
    tasks: Sequence[MineTask], address: str, function: MineFunction = mine_repository
) -> Iterator[MinedRepository]:
    """Mine ``tasks`` on the Dask cluster whose scheduler is at ``address``, yielding results as they finish.

    Each result names the worker (its address) that mined it."""
    if not tasks:
        return
    import distributed  # a second or so to import: only when a cluster is asked for

    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise TransientError(f"cannot reach the cluster scheduler at {address} ({exc})") from exc
    batch = uuid.uuid4().hex[:12]
    with client:
        futures = {
            client.submit(
                _on_worker, function, task, key=f"socle-mine-{batch}-{i}", retries=CLUSTER_RETRIES, pure=False
            ): task
            for i, task in enumerate(tasks)
        }
        for future in distributed.as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            task = futures[future]
            try:
                yield future.result()
            except distributed.KilledWorker as exc:
                yield _lost(task, f"every worker that tried it died ({exc}); retried next run")
            except (OSError, distributed.TimeoutError) as exc:
                yield _lost(task, f"the cluster lost it ({exc}); retried next run")


def _on_worker(function: MineFunction, task: MineTask) -> MinedRepository:
    """Runs on a cluster worker: mine, and name the worker by its address."""
    from distributed import get_worker

    result = function(task)
    return dataclasses.replace(result, worker=get_worker().address)
