"""Benchmark of the git collector and the maintainer scores, beside git itself.

A deterministic synthetic repository (60,000 commits, 5,000 files, 300 authors; ``--quick``: 5,000 commits)
is generated with ``git fast-import``; a real repository is measured too when given with ``--repo PATH`` or
``$SOCLE_BENCH_REPOS`` (paths to git repositories, separated by ``:``), for example a bare clone of git/git.

For each repository, with BASE a commit that has exactly 100 non-merge commits above it (reachable from
HEAD, not from BASE):

1. ``git log --no-merges --name-status -M BASE``: the baseline, measured in the same run;
2. ``socle mine --at BASE`` on a fresh store, as a whole process (interpreter start and imports included):
   full mining plus every maintainer score; its peak resident memory (the largest of socle and its git
   processes, as wait4 reports it). 1 and 2 alternate three times (once with ``--quick``) and the medians
   are quoted; the work beyond starting the process, and the part of it after the history is written
   (deriving identities and files, the scores), measured inside a child after its imports;
3. ``socle mine --at BASE`` again (no new commit): whole process, and the work beyond starting the process
   (median of three runs);
4. ``socle mine`` at HEAD (exactly 100 new commits): the same two figures (the work: median of three runs,
   each on a copy of the store as it was at BASE).

The load average is printed before and after: on a shared machine, quote it with the figures. The first line
says which parser of git's output ran: the compiled one, or the Python one where no C compiler was found at
install.

Run: ``python -m bench.bench_git [--quick] [--repo PATH] [--no-synthetic]`` (or ``make bench``).
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
from typing import Any

from bench.common import Figure, check, median, run_child
from collectors.git import git_engine
from collectors.store import copy_store
from collectors.store.layout import generation_files

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


NEW_COMMITS = 100
#: Whole-process runs of git log and of a full socle mine, alternated: the medians are quoted (a machine
#: shared with other work makes single runs noisy).
REPEATS = 3


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def git_log_seconds(repo: Path, rev: str) -> dict[str, float]:
    """Wall, CPU and peak memory of ``git log --no-merges --name-status -M`` as a whole process."""
    argv = ["git", "--git-dir", str(repo), "log", "--no-merges", "--name-status", "-M", rev]
    done = check(run_child(argv), "git log")
    return {"wall": done.seconds, "cpu": done.cpu_seconds, "peak_mb": done.max_rss_mb}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def _new_above(repo: Path, base: str) -> int:
    return int(_git(repo, "rev-list", "--count", "--no-merges", "HEAD", f"^{base}"))


def base_commit(repo: Path, window: int = 5_000) -> str:
    """A commit with exactly NEW_COMMITS non-merge commits reachable from HEAD and not from it (what
    ``socle mine`` at HEAD reads after mining it).

    On a history of merged topic branches no commit of HEAD's first-parent chain may have exactly that many
    above it, and the count jumps about from one commit to the next by date; any commit will do as BASE
    (``--at`` takes a commit id). The count is worked out for each of the newest commits on the graph of the
    newest ``window`` commits, and the first that gives exactly NEW_COMMITS is checked with git itself.
    Falls back to the commit NEW_COMMITS steps down the first-parent chain."""
    graph = [
        line.split()
        for line in _git(repo, "rev-list", "--parents", f"--max-count={window}", "HEAD").splitlines()
    ]
    parents = {commit: rest for commit, *rest in graph}

    def reachable(start: str) -> set[str]:
        seen, stack = {start}, [start]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent in parents and parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    everything = reachable(graph[0][0])
    for candidate, *_ in graph[: NEW_COMMITS * 4]:
        above = everything - reachable(candidate)
        if (
            sum(len(parents[c]) < 2 for c in above) == NEW_COMMITS
            and _new_above(repo, candidate) == NEW_COMMITS
        ):
            return candidate
    chain = _git(repo, "rev-list", "--first-parent", f"--max-count={NEW_COMMITS + 1}", "HEAD").split()
    return chain[-1]


def socle_exe() -> str:
    return str(Path(sys.executable).with_name("socle"))


def socle_mine(db: Path, at: str | None) -> dict[str, Any]:
    """``socle mine`` as a whole process: wall, CPU (with its git processes) and peak memory."""
    argv = [socle_exe(), "mine", "--offline", "--db", str(db)] + (["--at", at] if at else [])
    done = check(run_child(argv), "socle mine")
    return {"wall": done.seconds, "cpu": done.cpu_seconds, "peak_mb": done.max_rss_mb, "out": done.stdout}


def work_in_child(db: Path, at: str | None) -> dict[str, float]:
    """The work of ``socle mine`` beyond starting the process: timed inside a child after its imports."""
    argv = [sys.executable, "-m", "bench.bench_git", "--child", str(db), at or ""]
    done = check(run_child(argv), "mining child")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def child(db: Path, at: str | None) -> None:
    from analysis.maintainers.step import score_all
    from collectors.git.step import GitSettings, mine_all
    from collectors.store import utcnow, write_session

    @dataclass(frozen=True)
    class Options:
        db_path: Path
        mirror_dir: Path | None = None
        at: str | None = None

    start = time.perf_counter()
    own, git = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    with write_session(db, "bench") as session:
        results = mine_all(session, Options(db, at=at), GitSettings(network=False))
        mined, own_mined = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
        score_all(session, utcnow(), at=at)
        own_scored = _cpu(resource.RUSAGE_SELF)
    wall = time.perf_counter() - start
    own_end, git_end = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": own_end + git_end - own - git,
                "scores": start + wall - mined,
                "commits": sum(r.new_commits for r in results),
                # CPU of this process (its parsing, writing, deriving: DuckDB's threads included) and of git
                "cpu_mine": own_mined - own,
                "cpu_scores": own_scored - own_mined,
                "cpu_close": own_end - own_scored,
                "cpu_git": git_end - git,
                "cpu_start": own,  # the interpreter's start and the imports, before the work
            }
        )
    )


def _median_work(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run of median wall time among ``runs`` (its other figures with it)."""
    return sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]


def _new_commits(out: str) -> str:
    """The count in socle mine's "ok  URL  N new commits" line."""
    return out.split(" new commits")[0].rsplit(" ", 1)[-1]


def _copy_store(db: Path, target: Path) -> None:
    copy_store(db, target)  # the core file and the history file it names


def _fresh_store(work: Path, name: str, repo: Path) -> Path:
    db = work / f"{name}.duckdb"
    for suffix in ("", ".wal"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    for history in generation_files(db):  # the store's history file (collectors/store/layout.py)
        history.unlink()
    subprocess.run([socle_exe(), "add-repo", str(repo), "--db", str(db)], check=True, capture_output=True)
    return db


def measure(name: str, repo: Path, work: Path, repeats: int = REPEATS) -> list[Figure]:
    base = base_commit(repo)
    load_before = os.getloadavg()[0]
    logs, fulls = [], []
    for _ in range(repeats):  # alternated, so that a burst of other work weighs on both alike
        logs.append(git_log_seconds(repo, base))
        fulls.append(socle_mine(_fresh_store(work, name, repo), base))
    db, at_base = work / f"{name}.duckdb", work / f"{name}-at-base.duckdb"
    _copy_store(db, at_base)
    again = socle_mine(db, base)
    again_work = _median_work([work_in_child(db, base) for _ in range(repeats)])
    newer = socle_mine(db, None)
    newer_runs = []
    for i in range(repeats):  # the same new commits, each time on a copy of the store as it was at BASE
        store = work / f"{name}-newer-{i}.duckdb"
        _copy_store(at_base, store)
        newer_runs.append(work_in_child(store, None))
    newer_work = _median_work(newer_runs)
    full_work = work_in_child(_fresh_store(work, f"{name}-work", repo), base)
    load_after = os.getloadavg()[0]
    log_wall, log_cpu = median([r["wall"] for r in logs]), median([r["cpu"] for r in logs])
    full_wall, full_cpu = median([r["wall"] for r in fulls]), median([r["cpu"] for r in fulls])
    full_peak = max(r["peak_mb"] for r in fulls)
    new = int(newer_work["commits"])
    return [
        Figure(f"git {name}: load average (1 min) before", round(load_before, 2), "", None),
        Figure(f"git {name}: load average (1 min) after", round(load_after, 2), "", None),
        Figure(f"git {name}: git log --no-merges --name-status -M, wall (median of {repeats})",
               round(log_wall, 2), "s", None),
        Figure(f"git {name}: socle mine, full ({_new_commits(fulls[0]['out'])} commits) + scores, whole process",
               round(full_wall, 2), "s", round(log_wall, 2)),
        Figure(f"git {name}: git log CPU", round(log_cpu, 2), "s", None),
        Figure(f"git {name}: socle mine full, CPU (socle and its git processes)", round(full_cpu, 2), "s",
               round(log_cpu, 2)),
        Figure(f"git {name}: socle mine full, work beyond process start", round(full_work["wall"], 2), "s",
               round(log_wall, 2)),
        Figure(f"git {name}: socle mine full, of which after the history is written (derive, scores)",
               round(full_work["scores"], 2), "s", None),
        Figure(f"git {name}: socle mine full, CPU of its git processes", round(full_work["cpu_git"], 2), "s",
               round(log_cpu, 2)),
        Figure(f"git {name}: socle mine full, CPU of socle reading, writing and deriving the history",
               round(full_work["cpu_mine"], 2), "s", None),
        Figure(f"git {name}: socle mine full, CPU of socle scoring", round(full_work["cpu_scores"], 2), "s", None),
        Figure(f"git {name}: socle mine full, CPU of closing the store", round(full_work["cpu_close"], 2), "s",
               None),
        Figure(f"git {name}: socle mine full, CPU before the work (interpreter, imports)",
               round(full_work["cpu_start"], 2), "s", None),
        Figure(f"git {name}: socle mine full, peak memory (largest of socle and its git)", round(full_peak),
               "MB", 500),
        Figure(f"git {name}: git log, peak memory", round(max(r["peak_mb"] for r in logs)), "MB", None),
        Figure(f"git {name}: no new commit, whole process", round(again["wall"], 2), "s", None),
        Figure(f"git {name}: no new commit, work beyond process start (median of {repeats})", round(again_work["wall"], 3), "s", 0.3),
        Figure(f"git {name}: no new commit, work CPU", round(again_work["cpu"], 3), "s", 0.3),
        Figure(f"git {name}: {_new_commits(newer['out'])} new commits, whole process", round(newer["wall"], 2),
               "s", None),
        Figure(f"git {name}: {new} new commits, work beyond process start (median of {repeats})",
               round(newer_work["wall"], 3), "s", 1.0),
        Figure(f"git {name}: {new} new commits, work CPU (with its git)", round(newer_work["cpu"], 3), "s", 1.0),
    ]  # fmt: skip


def _repos(argv: list[str]) -> list[Path]:
    raw = [p for p in os.environ.get("SOCLE_BENCH_REPOS", "").split(":") if p]
    raw += [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--repo"]
    found = []
    for item in raw:
        path = Path(item)
        if not path.is_dir():
            print(f"bench git: {item} is not a folder, left out", file=sys.stderr)
            continue
        found.append(path)
    return found


def run(quick: bool, argv: list[str] | None = None) -> list[Figure]:
    argv = argv if argv is not None else sys.argv[1:]
    figures: list[Figure] = []
    commits = 5_000 if quick else 60_000
    repeats = 1 if quick else REPEATS
    with tempfile.TemporaryDirectory(prefix="socle-bench-git-") as tmp:
        work = Path(tmp)
        if "--no-synthetic" not in argv:
            start = time.perf_counter()
            repo = build_synthetic(work, SyntheticHistory(), commits)
            figures.append(
                Figure(
                    f"git synthetic: build {commits} commits (fast-import)",
                    round(time.perf_counter() - start, 2),
                    "s",
                )
            )
            figures += measure("synthetic", repo, work, repeats)
        for i, path in enumerate(_repos(argv)):
            name = path.parent.name if path.name == "repo" else path.name or f"repo{i}"
            figures += measure(name.removesuffix(".git"), path, work, repeats)
    return figures


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(Path(argv[1]), argv[2] or None)
        return 0
    print(f"git output parser: {git_engine.parser_name()}")
    for figure in run(quick="--quick" in argv, argv=argv):
        ratio = f"  ratio {figure.value / figure.baseline:.2f}" if figure.baseline else ""
        print(f"{figure.name:<75} {figure.value:>10} {figure.unit}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
