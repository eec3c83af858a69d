"""Benchmark of the git collector and the maintainer scores.

A deterministic synthetic repository (50,000 commits, 5,000 files, 300 authors; ``quick``: 5,000 commits)
is generated with ``git fast-import``; repositories listed in ``$SOCLE_BENCH_REPOS`` (paths to git
repositories, separated by ``:``) are measured too. For each: wall time and peak memory of full mining plus
all scores (a fresh store, in a child process), beside ``git log --no-merges --name-status -M`` on the same
repository in the same run (the ratio's baseline); then, on the synthetic repository, an incremental run
after 100 new commits.

Run: ``python -m bench.bench_git [--quick]`` (or ``make bench``).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import Figure, check, run_child

SEED = 20150228


def _blob(path: str, version: int) -> bytes:
    lines = [f"# {path}\n"] + [f"line {i} of {path}\n" for i in range(12)] + [f"revision {version}\n"]
    return "".join(lines).encode()


class SyntheticHistory:
    """Deterministic commits for ``git fast-import``: 1-3 files changed per commit, new files until
    ``files`` exist, occasional renames; authors drawn with a long tail (a few people do most work)."""

    def __init__(self, files: int = 5000, authors: int = 300, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.files = files
        self.people = [
            (f"Dev {i:03d}", f"dev{i:03d}@{'gmail.example' if i % 3 == 0 else f'org{i % 17}.example'}")
            for i in range(authors)
        ]
        self.weights = [1.0 / (i + 1) ** 1.1 for i in range(authors)]
        self.paths: list[str] = []
        self.created = 0
        self.count = 0
        self.clock = 1_400_000_000

    def _new_path(self) -> str:
        path = f"src/m{self.created // 100:02d}/f{self.created:04d}.py"
        self.created += 1
        self.paths.append(path)
        return path

    def stream(self, commits: int) -> bytes:
        out = bytearray()
        first_of_session = True
        for _ in range(commits):
            n = self.count
            self.count += 1
            self.clock += self.rng.randint(60, 3600)
            name, email = self.rng.choices(self.people, self.weights)[0]
            message = f"change {n}\n".encode()
            out += (
                f"commit refs/heads/main\nmark :{n + 1}\nauthor {name} <{email}> {self.clock} +0000\n"
                f"committer {name} <{email}> {self.clock} +0000\ndata {len(message)}\n"
            ).encode() + message
            if n > 0:
                out += b"from refs/heads/main^0\n" if first_of_session else f"from :{n}\n".encode()
            first_of_session = False
            touched: list[str] = []
            if n == 0:
                touched = [self._new_path() for _ in range(50)]
            else:
                roll = self.rng.random()
                if roll < 0.09 and self.created < self.files:
                    touched.append(self._new_path())
                elif roll < 0.10 and len(self.paths) > 10:
                    i = self.rng.randrange(len(self.paths))
                    old = self.paths[i]
                    self.paths[i] = old.replace(".py", f"_r{n}.py")
                    out += f"R {old} {self.paths[i]}\n".encode()
                for path in self.rng.sample(self.paths, k=min(len(self.paths), self.rng.randint(1, 3))):
                    if path not in touched:
                        touched.append(path)
            for path in touched:
                content = _blob(path, n)
                out += f"M 100644 inline {path}\ndata {len(content)}\n".encode() + content + b"\n"
            out += b"\n"
        return bytes(out)


def fast_import(repo: Path, stream: bytes) -> None:
    subprocess.run(["git", "--git-dir", str(repo), "fast-import", "--quiet"], input=stream, check=True)


def build_synthetic(root: Path, history: SyntheticHistory, commits: int) -> Path:
    repo = root / "synthetic.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(repo)], check=True)
    fast_import(repo, history.stream(commits))
    return repo


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def git_log_seconds(repo: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``git log --no-merges --name-status -M`` (CPU is robust on a busy machine)."""
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        ["git", "--git-dir", str(repo), "log", "--no-merges", "--name-status", "-M", "HEAD"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start, _cpu(resource.RUSAGE_CHILDREN) - cpu


def mine_in_child(db: Path, repo: Path) -> dict[str, float]:
    """Mine and score in a child process: its own wall and CPU time of the work, and its peak memory (read
    by the launcher of ``bench.common.run_child``, so this process's memory is not counted)."""
    argv = [sys.executable, "-m", "bench.bench_git", "--child", str(db), str(repo)]
    done = check(run_child(argv), "mining child")
    return dict(json.loads(done.stdout.strip().splitlines()[-1])) | {"peak_mb": done.max_rss_mb}


def child(db: Path, repo: Path) -> None:
    from datetime import datetime

    from analysis.maintainers.step import score_all
    from collectors.git.repos import local_url
    from collectors.git.step import GitSettings, mine_all
    from collectors.store import git as store
    from collectors.store import write_session

    @dataclass(frozen=True)
    class Options:
        db_path: Path
        mirror_dir: Path | None = None
        at: str | None = None

    # The first Arrow table imports pandas (about a second): a per-process cost, like the interpreter's
    # start, kept out of the figure (`/usr/bin/time -v socle mine ...` shows the whole process).
    store.warm_up()
    start = time.perf_counter()
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    with write_session(db, "bench") as session:
        store.add_repository(session.conn, local_url(repo), None, session.run_id)
        [result] = mine_all(session, Options(db), GitSettings(network=False))
        score_all(session, datetime(2026, 1, 1))
    wall = time.perf_counter() - start
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "commits": result.new_commits,
                "status": result.status,
            }
        )
    )


def measure(name: str, repo: Path, work: Path) -> list[Figure]:
    baseline, baseline_cpu = git_log_seconds(repo)
    db = work / f"{name}.duckdb"
    got = mine_in_child(db, repo)
    return [
        Figure(f"git {name}: git log --name-status -M", round(baseline, 2), "s", None),
        Figure(f"git {name}: full mining + scores ({int(got['commits'])} commits)", round(got["wall"], 2), "s",
               round(baseline, 2)),
        Figure(f"git {name}: git log CPU", round(baseline_cpu, 2), "s", None),
        Figure(f"git {name}: mining + scores CPU (socle and its git)", round(got["cpu"], 2), "s",
               round(baseline_cpu, 2)),
        Figure(f"git {name}: peak memory", round(got["peak_mb"]), "MB", None),
    ]  # fmt: skip


def run(quick: bool) -> list[Figure]:
    figures: list[Figure] = []
    commits = 5_000 if quick else 50_000
    with tempfile.TemporaryDirectory(prefix="socle-bench-git-") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        history = SyntheticHistory()
        repo = build_synthetic(work, history, commits)
        figures.append(
            Figure(
                f"git synthetic: build {commits} commits (fast-import)",
                round(time.perf_counter() - start, 2),
                "s",
            )
        )
        figures += measure("synthetic", repo, work)
        fast_import(repo, history.stream(100))
        got = mine_in_child(work / "synthetic.duckdb", repo)
        figures.append(Figure("git synthetic: incremental after 100 new commits", round(got["wall"], 2), "s"))
        for i, raw in enumerate(p for p in os.environ.get("SOCLE_BENCH_REPOS", "").split(":") if p):
            path = Path(raw)
            if not path.is_dir():
                print(f"SOCLE_BENCH_REPOS: {raw} is not a folder, left out", file=sys.stderr)
                continue
            figures += measure(
                path.parent.name if path.name == "repo" else path.name or f"repo{i}", path, work
            )
    return figures


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(Path(argv[1]), Path(argv[2]))
        return 0
    for figure in run(quick="--quick" in argv):
        ratio = f"  ratio {figure.value / figure.baseline:.2f}" if figure.baseline else ""
        print(f"{figure.name:<70} {figure.value:>10} {figure.unit}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
