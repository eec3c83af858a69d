"""Import a generated CycloneDX SBOM of 10,000 components and 50,000 edges; wall time and peak memory.

The import runs as ``socle import`` in a child process (a fresh store each time), so the figures are
what a user sees: interpreter start, parsing, graph walk, bulk inserts and the atomic publish.
Goal on a 2-core machine: under 3 s and under 400 MB.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, check, median, run_child

GOAL_SECONDS = 3.0
GOAL_MB = 400.0


def write_sbom(path: Path, components: int, edges: int, seed: int = 42) -> None:
    """A layered graph (every component reachable, diamonds everywhere), mixed PyPI and npm purls."""
    rng = random.Random(seed)
    refs = [
        f"pkg:npm/%40scope-{i % 50}/pkg-{i}@1.{i % 7}.0" if i % 3 == 0 else f"pkg:pypi/package-{i}@2.{i % 11}"
        for i in range(components)
    ]
    children: list[set[int]] = [set() for _ in range(components)]
    for i in range(1, components):  # a parent earlier in the list keeps every component reachable
        children[rng.randrange(max(0, i - 500), i)].add(i)
    added = components - 1
    while added < edges:
        a, b = sorted(rng.sample(range(components), 2))
        if b not in children[a]:
            children[a].add(b)
            added += 1
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "bench-app"}},
        "components": [
            {"type": "library", "bom-ref": ref, "name": ref.split("/")[-1].split("@")[0], "purl": ref}
            for ref in refs
        ],
        "dependencies": [{"ref": "app", "dependsOn": refs[:20]}]
        + [{"ref": refs[i], "dependsOn": [refs[j] for j in sorted(children[i])]} for i in range(components)],
    }
    path.write_text(json.dumps(document))


def run(quick: bool) -> list[Figure]:
    repeats = 1 if quick else 5
    with tempfile.TemporaryDirectory(prefix="socle-bench-") as tmp:
        sbom = Path(tmp) / "bench.cdx.json"
        write_sbom(sbom, 10_000, 50_000)
        runs = []
        for i in range(repeats):
            db = Path(tmp) / f"bench-{i}.duckdb"
            argv = [sys.executable, "-m", "analysis.cli", "import", "--db", str(db), str(sbom)]
            runs.append(check(run_child(argv), "socle import"))
        size_mb = sbom.stat().st_size / 1e6
    label = "import 10k components / 50k edges"
    return [
        Figure(f"{label}: wall time (median)", median([r.seconds for r in runs]), "s", GOAL_SECONDS),
        Figure(f"{label}: CPU user+sys (median)", median([r.cpu_seconds for r in runs]), "s", GOAL_SECONDS),
        Figure(f"{label}: peak RSS (median)", median([r.max_rss_mb for r in runs]), "MB", GOAL_MB),
        Figure("SBOM size", size_mb, "MB"),
    ]


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table([("import", f) for f in run("--quick" in sys.argv)])
