"""Import a generated pnpm-lock.yaml (lockfile v9) of 5,000 packages and 25,000 edges; wall time and peak
memory.

Three workspace projects name 30 direct dependencies; every package is reachable; one package in ten
resolves a peer (``name@1.0.0(peer@2.0.0)``), as React or Babel plugins do. The import runs as
``socle import`` in a child process (a fresh store each time), so the figures are what a user sees.
Goal on a 2-core machine: under 3 s and under 400 MB.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, check, median, run_child

GOAL_SECONDS = 3.0
GOAL_MB = 400.0


def write_lockfile(path: Path, packages: int, edges: int, seed: int = 42) -> None:
    """A layered graph like bench_import's SBOM, written as pnpm 9 writes its lockfile."""
    rng = random.Random(seed)
    names = [f"@scope-{i % 40}/pkg-{i}" if i % 4 == 0 else f"pkg-{i}" for i in range(packages)]
    versions = [f"{1 + i % 5}.{i % 13}.{i % 7}" for i in range(packages)]
    peer = [i % 10 == 5 for i in range(packages)]  # these resolve a peer: their snapshot key has (...)
    children: list[set[int]] = [set() for _ in range(packages)]
    for i in range(1, packages):
        children[rng.randrange(max(0, i - 500), i)].add(i)
    added = packages - 1
    while added < edges:
        a, b = sorted(rng.sample(range(packages), 2))
        if b not in children[a]:
            children[a].add(b)
            added += 1

    def quoted(name: str) -> str:
        return f"'{name}'" if name.startswith("@") else name

    def snapshot_version(i: int) -> str:
        return f"{versions[i]}(react@18.3.1)" if peer[i] else versions[i]

    lines = ["lockfileVersion: '9.0'", "", "settings:", "  autoInstallPeers: true", "", "importers:", ""]
    for importer, direct in (
        (".", range(0, 10)),
        ("packages/web", range(10, 20)),
        ("packages/api", range(20, 30)),
    ):
        lines += [f"  {importer}:", "    dependencies:"]
        for i in direct:
            lines += [
                f"      {quoted(names[i])}:",
                f"        specifier: ^{versions[i]}",
                f"        version: {snapshot_version(i)}",
            ]
        lines.append("")
    lines += ["packages:", ""]
    for i in range(packages):
        lines += [
            f"  {quoted(names[i] + '@' + versions[i])}:",
            f"    resolution: {{integrity: sha512-{'A' * 86}==}}",
            "    engines: {node: '>=18'}",
            "",
        ]
    lines += ["snapshots:", ""]
    for i in range(packages):
        key = f"{names[i]}@{snapshot_version(i)}"
        if not children[i]:
            lines += [f"  {quoted(key)}: {{}}", ""]
            continue
        lines += [f"  {quoted(key)}:", "    dependencies:"]
        lines += [f"      {quoted(names[j])}: {snapshot_version(j)}" for j in sorted(children[i])]
        lines.append("")
    path.write_text("\n".join(lines))


def run(quick: bool) -> list[Figure]:
    repeats = 1 if quick else 5
    with tempfile.TemporaryDirectory(prefix="socle-bench-") as tmp:
        lockfile = Path(tmp) / "pnpm-lock.yaml"
        write_lockfile(lockfile, 5_000, 25_000)
        runs = []
        for i in range(repeats):
            db = Path(tmp) / f"bench-{i}.duckdb"
            argv = [
                sys.executable,
                "-m",
                "analysis.cli",
                "import",
                "--db",
                str(db),
                "--app",
                "bench",
                str(lockfile),
            ]
            runs.append(check(run_child(argv), "socle import"))
        size_mb = lockfile.stat().st_size / 1e6
    label = "import pnpm-lock.yaml 5k packages / 25k edges"
    return [
        Figure(f"{label}: wall time (median)", median([r.seconds for r in runs]), "s", GOAL_SECONDS),
        Figure(f"{label}: CPU user+sys (median)", median([r.cpu_seconds for r in runs]), "s", GOAL_SECONDS),
        Figure(f"{label}: peak RSS (median)", median([r.max_rss_mb for r in runs]), "MB", GOAL_MB),
        Figure("pnpm-lock.yaml size", size_mb, "MB"),
    ]


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table([("import_pnpm", f) for f in run("--quick" in sys.argv)])
