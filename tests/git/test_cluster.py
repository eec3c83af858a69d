"""Mining on a real Dask cluster started here (a scheduler and two worker processes on 127.0.0.1): the store
holds what mining in one process gives, each repository names the worker that mined it, and a worker killed
mid-repository has that repository mined again by another worker with the same result."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.cli import main
from collectors.git import parallel, worker
from tests.git.test_parallel import build_estate, contents, mine, miners, url

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    build_estate(tmp_path / "mirrors")
    return tmp_path / "mirrors"


def test_cluster_gives_what_one_process_gives(tmp_path: Path, mirror: Path, scheduler: str) -> None:
    one, cluster = tmp_path / "one.duckdb", tmp_path / "cluster.duckdb"
    assert mine(cluster, mirror, cluster=scheduler) == mine(one, mirror)
    assert contents(cluster) == contents(one)
    workers = miners(cluster)
    assert len(workers) == 5  # the five repositories that could be read; the two others were not mined
    assert all(address.startswith("tcp://127.0.0.1:") for address in workers.values())


def die_once(marker: Path, task: worker.MineTask) -> worker.MinedRepository:
    """The first worker to take beta dies in the middle of it (as under the OOM killer or kill -9)."""
    if task.url == url("beta") and not marker.exists():
        marker.write_text(str(os.getpid()))
        os._exit(9)
    return worker.mine_repository(task)


def test_a_worker_killed_mid_repository(tmp_path: Path, mirror: Path, scheduler: str) -> None:
    tasks = [
        worker.MineTask(url=url(name), last_mined_sha=None, network=False, mirror_dir=mirror)
        for name in ("alpha", "beta", "gamma", "delta")
    ]
    marker = tmp_path / "killed"
    mined = list(parallel.mine_on_cluster(tasks, scheduler, functools.partial(die_once, marker)))
    assert marker.exists()  # a worker did die holding beta
    by_url = {m.url: m for m in mined}
    assert sorted(by_url) == sorted(t.url for t in tasks) and len(mined) == 4  # each once
    for task in tasks:
        here = worker.mine_repository(task)
        assert dataclasses.replace(by_url[task.url], worker=here.worker) == here
    assert len(by_url[url("beta")].history.sha) == 9
    # the killed worker's nanny starts a new process: the cluster has two workers again
    with distributed.Client(scheduler, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)


def test_mine_command_on_a_cluster(
    tmp_path: Path, mirror: Path, scheduler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.duckdb"
    for name in ("alpha", "gamma"):
        assert main(["add-repo", url(name), "--db", str(db)]) == 0
    assert (
        main(["mine", "--mirror-dir", str(mirror), "--offline", "--cluster", scheduler, "--db", str(db)]) == 0
    )
    assert f"ok       {url('gamma')}  12 new commits" in capsys.readouterr().out
    assert sorted(miners(db)) == [url("alpha"), url("gamma")]


def test_an_unreachable_scheduler_is_one_clear_error(
    tmp_path: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", 1)
    db = tmp_path / "cli.duckdb"
    for name in ("alpha", "gamma"):
        assert main(["add-repo", url(name), "--db", str(db)]) == 0
    args = [
        "mine",
        "--mirror-dir",
        str(mirror),
        "--offline",
        "--cluster",
        "tcp://127.0.0.1:9",
        "--db",
        str(db),
    ]
    assert main(args) == 2
    assert "cannot reach the cluster scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
