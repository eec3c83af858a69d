"""``socle mine`` over many repositories: one process, a local pool, and a two-worker local Dask cluster.

Repositories (1,000; ``--quick``: 100) are generated with ``git fast-import`` into a mirror folder, with
commits per repository drawn from the same log-normal distribution as ``bench_store_scale`` (most small, a
few large; capped at 5,000 commits here to keep the build short). Each mode mines all of them into a fresh
store in a child process (``socle mine --offline --mirror-dir``, which also computes every maintainer score):
``--workers 1``, ``--workers 2`` and ``--cluster`` against a ``distributed.LocalCluster`` of two worker
processes on 127.0.0.1. The ratio's baseline is the one-process run of the same run: below 1 is faster.
Figures per repository and per 1,000 commits feed the extrapolation in docs/operations.md, with the CPU a
worker spends per repository (measured alone, in this process) and the CPU of the writer alone (the cluster
run's command: its workers are not its children).

    python -m bench mine_parallel [--quick]
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_git import SyntheticHistory, fast_import
from bench.bench_store_scale import commits_per_repository
from bench.common import ChildRun, Figure, check, run_child
from collectors.git.worker import MineTask, mine_repository
from collectors.store import git as store
from collectors.store import write_session

SOCLE = [sys.executable, "-m", "analysis.cli"]
CAP = 5_000


def build_mirror(mirror: Path, repositories: int) -> list[int]:
    sizes = [min(CAP, n) for n in commits_per_repository(repositories, seed=11)]
    for i, commits in enumerate(sizes):
        repo = mirror / f"acme+r{i:04d}.git"
        subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(repo)], check=True)
        history = SyntheticHistory(files=max(20, min(2000, commits // 2)), authors=1 + i % 40, seed=i)
        fast_import(repo, history.stream(commits))
    return sizes


def fresh_store(db: Path, repositories: int) -> None:
    with write_session(db, "add-repo") as session:
        for i in range(repositories):
            store.add_repository(
                session.conn, f"https://github.com/acme/r{i:04d}", "github.com", session.run_id
            )


def mine(work: Path, mirror: Path, repositories: int, mode: str, extra: list[str]) -> ChildRun:
    db = work / f"{mode}.duckdb"
    fresh_store(db, repositories)
    argv = [*SOCLE, "mine", "--offline", "--mirror-dir", str(mirror), "--db", str(db), *extra]
    return check(run_child(argv), f"socle mine ({mode})")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def mine_without_store(mirror: Path, repositories: int) -> tuple[float, float]:
    """What a worker does per repository, here in this process: (wall ms, CPU ms incl. git) per repository."""
    started, cpu = time.perf_counter(), _cpu()
    for i in range(repositories):
        task = MineTask(
            url=f"https://github.com/acme/r{i:04d}", last_mined_sha=None, network=False, mirror_dir=mirror
        )
        assert mine_repository(task).status == "ok"
    return (time.perf_counter() - started) / repositories * 1000, (_cpu() - cpu) / repositories * 1000


def run(quick: bool) -> list[Figure]:
    import distributed

    repositories = 100 if quick else 1_000
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="socle-bench-mine-") as tmp:
        work, mirror = Path(tmp), Path(tmp) / "mirror"
        sizes = build_mirror(mirror, repositories)
        commits = sum(sizes)
        figures += [
            Figure("repositories", repositories, "repos"),
            Figure("commits in all", commits, "commits"),
            Figure("largest repository", max(sizes), "commits"),
        ]
        worker_wall, worker_cpu = mine_without_store(mirror, repositories)
        figures += [
            Figure("worker side alone (clone found, mine, no store): wall per repository", worker_wall, "ms"),
            Figure("worker side alone: CPU per repository (with git)", worker_cpu, "ms"),
        ]
        one = mine(work, mirror, repositories, "one", ["--workers", "1"])
        pool = mine(work, mirror, repositories, "pool", ["--workers", "2"])
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster:
            on_cluster = mine(work, mirror, repositories, "cluster", ["--cluster", cluster.scheduler_address])
        for label, child in (("one process", one), ("pool of 2", pool), ("2-worker cluster", on_cluster)):
            baseline = None if child is one else one.seconds
            figures += [
                Figure(f"socle mine, {label}: wall", child.seconds, "s", baseline),
                Figure(
                    f"socle mine, {label}: wall per repository", child.seconds / repositories * 1000, "ms"
                ),
                Figure(f"socle mine, {label}: wall per 1,000 commits", child.seconds / commits * 1000, "s"),
                Figure(
                    f"socle mine, {label}: CPU user+sys of the command and its processes (not cluster workers)",
                    child.cpu_seconds,
                    "s",
                ),
                Figure(f"socle mine, {label}: peak RSS of the command", child.max_rss_mb, "MB"),
            ]
    return figures


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table([("mine_parallel", f) for f in run("--quick" in sys.argv)])
