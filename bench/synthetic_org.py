"""A generated organisation of N packages over a few applications, for timing the budget (and by hand).

The inventory is layered like real dependency trees (see ``_deps``); with ``collected`` (the default) the store
also holds what a refresh would have written for it: registry metadata, repositories (about two packages
each), contributors and monthly activity, funding links and the maintainer scores the budget reads.

``python -m bench.synthetic_org PATH N [--dense] [--inventory-only]`` writes one.
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import collectors.store.git
import collectors.store.registry  # noqa: F401 - registers the registry and git tables for bulk writes
from analysis.budget.step import store_usage
from collectors.store import WriteSession, insert_columns, write_scores, write_session

AS_OF = datetime(2026, 11, 1, 12, 0, 0)
PLATFORMS = ("github-sponsors", "open-collective", "tidelift", "liberapay")


def _deps(rnd: random.Random, i: int, n: int, dense: bool) -> list[int]:
    """Dependencies of package i. Layered like real trees (10% frameworks, 20% libraries that may chain
    through nearby libraries, 70% leaves with no dependencies); ``dense``: any later package (a random DAG,
    whose transitive closure holds nearly every pair: the worst case for reverse reach)."""
    if dense:
        return rnd.sample(range(i + 1, n), k=min(3, n - i - 1))
    top, mid = n // 10, 3 * n // 10
    if i >= mid:
        return []
    leaves = rnd.sample(range(mid, n), k=min(2, n - mid))
    if i < top:
        return [*rnd.sample(range(top, mid), k=min(2, mid - top)), *leaves]
    chain = [rnd.randrange(i + 1, min(i + 50, mid))] if i + 1 < mid and rnd.random() < 0.5 else []
    return [*chain, *leaves]


def _inventory(session: WriteSession, purls: list[str], apps: int, dense: bool) -> None:
    """``apps`` applications, each using half of the packages (10% of its rows direct)."""
    rnd = random.Random(42)
    run, packages = session.run_id, len(purls)
    conn = session.conn
    insert_columns(
        conn,
        "applications",
        {
            "name": [f"app{a}" for a in range(apps)],
            "source": ["synthetic"] * apps,
            "format": ["synthetic"] * apps,
            "content_hash": ["hash"] * apps,
            "run_id": [run] * apps,
        },
    )
    insert_columns(
        conn,
        "packages",
        {
            "purl": purls,
            "ecosystem": ["pypi"] * packages,
            "name": [p[9:] for p in purls],
            "run_id": [run] * packages,
        },
    )
    rows: list[tuple[Any, ...]] = []
    edges: list[tuple[Any, ...]] = []
    for a in range(apps):
        used = sorted(rnd.sample(range(packages), k=min(packages, packages // 2)))
        for i in used:
            direct = rnd.random() < 0.1
            rows.append((f"app{a}", purls[i], direct, 1 if direct else 2, "runtime", run))
            edges.extend((f"app{a}", purls[i], purls[j], run) for j in _deps(rnd, i, packages, dense))
    names = ("app", "purl", "is_direct", "depth", "scope", "run_id")
    insert_columns(conn, "app_packages", {n: [r[i] for r in rows] for i, n in enumerate(names)})
    names = ("app", "parent_purl", "child_purl", "run_id")
    insert_columns(conn, "app_edges", {n: [e[i] for e in edges] for i, n in enumerate(names)})


def _collected(session: WriteSession, purls: list[str]) -> None:
    """Registry and git facts for every package, and the maintainer scores the risk score reads."""
    conn, run, n = session.conn, session.run_id, len(purls)
    repo = [f"https://github.com/org{i % 97}/project{i // 2}" for i in range(n)]  # two packages a project
    insert_columns(
        conn,
        "package_metadata",
        {
            "purl": purls,
            "ecosystem": ["pypi"] * n,
            "latest_version": ["1.0"] * n,
            "repository_url": repo,
            "license": ["Proprietary" if i % 50 == 0 else "MIT" for i in range(n)],
            "first_release_at": [AS_OF - timedelta(days=365 * (1 + i % 15)) for i in range(n)],
            "last_release_at": [AS_OF - timedelta(days=(i * 37) % 900) for i in range(n)],
            "releases_last_12m": [i % 9 for i in range(n)],
            "classifiers": [[] for _ in range(n)],
            "fetched_at": [AS_OF] * n,
            "run_id": [run] * n,
        },
    )
    insert_columns(
        conn,
        "package_repositories",
        {
            "purl": purls,
            "repository_url": repo,
            "directory": [""] * n,
            "source": ["package-metadata"] * n,
            "run_id": [run] * n,
        },
    )
    repos = sorted(set(repo))
    people = [(r, k) for r in range(len(repos)) for k in range(1 + r % 8)]
    insert_columns(
        conn,
        "contributors",
        {
            "repository_url": [repos[r] for r, _ in people],
            "person": [f"dev{k}@{r}" for r, k in people],
            "display_name": [f"Developer {k}" for _, k in people],
            "org": [f"company{r % 5}" if k == 0 else None for r, k in people],
            "is_bot": [k == 7 for _, k in people],
            "commits": [400 // (k + 1) for _, k in people],
            "first_at": [AS_OF - timedelta(days=3000) for _ in people],
            "last_at": [AS_OF - timedelta(days=(r * 13 + k * 40) % 800) for r, k in people],
            "run_id": [run] * len(people),
        },
    )
    months = [(r, m) for r in range(len(repos)) for m in range(12)]
    insert_columns(
        conn,
        "monthly_activity",
        {
            "repository_url": [repos[r] for r, _ in months],
            "month": [date(2025 + (10 + m) // 12, (10 + m) % 12 + 1, 1) for _, m in months],
            "active_contributors": [1 + (r + m) % 5 for r, m in months],
            "commits": [(r * 7 + m * 3) % 40 for r, m in months],
            "run_id": [run] * len(months),
        },
    )
    funded = [i for i in range(n) if i % 3 != 2]
    insert_columns(
        conn,
        "funding_links",
        {
            "subject_kind": ["package"] * len(funded),
            "subject": [purls[i] for i in funded],
            "url": [f"https://example.org/fund/{i}" for i in funded],
            "platform": [PLATFORMS[i % 4] for i in funded],
            "source": ["pypi"] * len(funded),
            "run_id": [run] * len(funded),
        },
    )
    scores = []
    for i, purl in enumerate(purls):
        truck = 1 + (i * 7) % 5
        base = {"subject_kind": "package", "subject": purl, "version": "1", "status": "ok", "label": None}
        scores += [
            base | {"name": "truck_factor", "value": float(truck), "reason": f"truck factor {truck}."},
            base
            | {"name": "active_maintainers", "value": float(i % 6), "reason": "committers in 12 months."},
            base | {"name": "elephant_factor", "value": float(1 + i % 3), "reason": "organisations."},
        ]
    write_scores(session, scores)


def synthetic(
    db_path: Path, packages: int, apps: int = 10, dense: bool = False, collected: bool = True
) -> Path:
    """A generated organisation of ``packages`` packages over ``apps`` applications (one import run, and
    with ``collected`` one refresh run)."""
    purls = [f"pkg:pypi/p{i:05d}" for i in range(packages)]
    with write_session(db_path, "import") as session:
        _inventory(session, purls, apps, dense)
    if collected:
        with write_session(db_path, "refresh") as session:
            _collected(session, purls)
            store_usage(session)  # usage and reverse reach, as the refresh's criticality step stores them
    return db_path


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    print(
        synthetic(
            Path(arguments[0]),
            int(arguments[1]),
            dense="--dense" in sys.argv,
            collected="--inventory-only" not in sys.argv,
        )
    )
