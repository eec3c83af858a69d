"""Dashboard speed on a synthetic organisation of 5,000 packages and 50 applications.

Every read function of ``dashboard/data.py`` (cold: cache cleared, its own read-only connection) must take
under 300 ms, and every page rendered by Streamlit's AppTest under 2 s. Figures are medians of several runs,
with the limit as the baseline (a ratio under 1 is within the limit).

    python -m bench.bench_dashboard          (or `make bench` through the runner)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

try:
    from bench.common import Figure
except ImportError:  # the runner's module is not there yet: the same shape, locally

    @dataclass(frozen=True)
    class Figure:  # type: ignore[no-redef]
        name: str
        value: float
        unit: str
        baseline: float | None


FUNCTION_LIMIT_MS = 300.0
PAGE_LIMIT_MS = 2000.0
PAGES = ("overview", "dependencies", "bus_factor", "standards", "budget_planner", "history", "runs")
APP = Path(__file__).resolve().parents[1] / "dashboard" / "streamlit_app.py"
NOW = datetime(2026, 11, 1)


def _columns(rows: list[tuple[Any, ...]], names: str) -> dict[str, list[Any]]:
    keys = names.split()
    return {key: [row[i] for row in rows] for i, key in enumerate(keys)}


def build_store(db: Path, packages: int = 5000, apps: int = 50) -> None:
    """Two refresh runs over a synthetic organisation, with every table the pages read."""
    import collectors.store.registry  # noqa: F401 - registers the registry tables for bulk writes
    from collectors.store import insert_columns, write_scores, write_session

    purls = [f"pkg:{'pypi' if i % 3 else 'npm'}/package-{i}" for i in range(packages)]
    repos = [f"https://github.com/org{i % 700}/repo{i}" for i in range(packages * 3 // 5)]
    for run in (1, 2):
        with write_session(db, "refresh", {"bench": run}) as s:
            c = s.conn
            if run == 1:
                app_names = [f"app-{a:02d}" for a in range(apps)]
                insert_columns(
                    c,
                    "applications",
                    _columns(
                        [(n, "lock", "uv-lock", "h", 1) for n in app_names],
                        "name source format content_hash run_id",
                    ),
                )
                insert_columns(
                    c,
                    "packages",
                    _columns(
                        [(p, p[4:8].rstrip("/"), None, p.split("/")[1], 1) for p in purls],
                        "purl ecosystem namespace name run_id",
                    ),
                )
                uses, edges = [], []
                for a, app in enumerate(app_names):
                    chosen = [(a * 97 + k * 13) % packages for k in range(400)]
                    chosen = list(dict.fromkeys(chosen))
                    for k, i in enumerate(chosen):
                        uses.append(
                            (
                                app,
                                purls[i],
                                "1.0",
                                k < 40,
                                1 if k < 40 else 2 + k % 4,
                                "runtime" if k % 9 else "dev",
                                1,
                            )
                        )
                        if k >= 40:
                            edges.append((app, purls[chosen[k % 40]], "1.0", purls[i], "1.0", 1))
                insert_columns(
                    c, "app_packages", _columns(uses, "app purl version is_direct depth scope run_id")
                )
                insert_columns(
                    c,
                    "app_edges",
                    _columns(edges, "app parent_purl parent_version child_purl child_version run_id"),
                )
                interfaces = [f"interface-{k}" for k in range(80)]
                insert_columns(
                    c,
                    "catalogue_interfaces",
                    _columns(
                        [(i, i, "protocol", "ecosystem") for i in interfaces], "interface_id name kind scope"
                    ),
                )
                insert_columns(
                    c,
                    "catalogue_stewards",
                    _columns(
                        [
                            (
                                f"s{k}",
                                f"Steward {k}",
                                ("company", "foundation", "community")[k % 3],
                                ("US", "DE", None)[k % 3],
                            )
                            for k in range(30)
                        ],
                        "steward_id name kind country",
                    ),
                )
                impl = [
                    (interfaces[i % 80], purls[i], None, purls[i], purls[i], f"s{i % 30}", "unknown")
                    for i in range(0, packages, 2)
                ]
                insert_columns(
                    c,
                    "catalogue_implementations",
                    _columns(impl, "interface_id purl component name lineage steward_id conformance"),
                )
            for table in (
                "package_metadata",
                "package_releases",
                "package_maintainers",
                "repositories",
                "package_repositories",
                "contributors",
                "monthly_activity",
                "package_interfaces",
                "funding_links",
                "catalogue_review",
            ):
                c.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            insert_columns(
                c,
                "package_metadata",
                _columns(
                    [
                        (
                            p,
                            "pypi",
                            "1.0",
                            f"Summary of {p}",
                            repos[i % len(repos)],
                            "MIT",
                            NOW,
                            i % 12,
                            NOW + timedelta(days=run),
                            run,
                        )
                        for i, p in enumerate(purls)
                    ],
                    "purl ecosystem latest_version summary repository_url license last_release_at releases_last_12m fetched_at run_id",
                ),
            )
            insert_columns(
                c,
                "package_releases",
                _columns(
                    [
                        (p, f"1.{k}", NOW - timedelta(days=30 * k), False, run)
                        for p in purls
                        for k in range(5)
                    ],
                    "purl version released_at yanked run_id",
                ),
            )
            insert_columns(
                c,
                "package_maintainers",
                _columns(
                    [(p, f"m{i % 900}", None, "Owner", "pypi", run) for i, p in enumerate(purls)],
                    "purl login email role source run_id",
                ),
            )
            insert_columns(
                c,
                "repositories",
                _columns(
                    [(r, "github.com", "ok", NOW, run) for r in repos], "url host status mined_at run_id"
                ),
            )
            insert_columns(
                c,
                "package_repositories",
                _columns(
                    [(p, repos[i % len(repos)], "registry", run) for i, p in enumerate(purls)],
                    "purl repository_url source run_id",
                ),
            )
            insert_columns(
                c,
                "contributors",
                _columns(
                    [
                        (r, f"d{k}@{j}", f"Dev {k}", None, False, 500 // (k + 1), NOW, NOW)
                        for j, r in enumerate(repos)
                        for k in range(10)
                    ],
                    "repository_url person display_name org is_bot commits first_at last_at",
                ),
            )
            insert_columns(
                c,
                "monthly_activity",
                _columns(
                    [
                        (r, date(2024, 11, 1) + timedelta(days=31 * m), 1 + (m + j) % 6, 5 + m)
                        for j, r in enumerate(repos)
                        for m in range(24)
                    ],
                    "repository_url month active_contributors commits",
                ),
            )
            insert_columns(
                c,
                "package_interfaces",
                _columns(
                    [(purls[i], f"interface-{i % 80}", "catalogue", run) for i in range(0, packages, 2)],
                    "purl interface_id source run_id",
                ),
            )
            insert_columns(
                c,
                "funding_links",
                _columns(
                    [
                        ("package", p, f"https://example.org/{i}", "open-collective", None, "pypi", run)
                        for i, p in enumerate(purls)
                        if i % 2
                    ],
                    "subject_kind subject url platform label source run_id",
                ),
            )
            insert_columns(
                c,
                "catalogue_review",
                _columns(
                    [(purls[i], "rfc", "summary mentions RFC", 0.4, run) for i in range(1, 400, 7)],
                    "purl hint evidence confidence run_id",
                ),
            )
            scores = []
            for i, p in enumerate(purls):
                tf = 1 + (i * 7 + run) % 6
                label = ("commons-grade", "vigilance", "single-actor")[i % 3]
                base = {
                    "subject_kind": "package",
                    "subject": p,
                    "version": "1",
                    "status": "ok",
                    "label": None,
                }
                scores += [
                    base
                    | {
                        "name": "truck_factor",
                        "value": float(tf),
                        "reason": f"truck factor {tf}.",
                        "details": {
                            "developers": [{"name": f"d{k}", "files": 10, "share": 0.2} for k in range(tf)]
                        },
                    },
                    base
                    | {
                        "name": "criticality",
                        "value": (i % 100) / 100,
                        "reason": "used by the organisation.",
                    },
                    base | {"name": "risk", "value": ((i * 31) % 100) / 100, "reason": "composed risk."},
                    base
                    | {
                        "name": "active_maintainers",
                        "value": float(tf + 1),
                        "reason": "committers in 12 months.",
                    },
                    base
                    | {
                        "name": "standardisation",
                        "value": float(i % 4),
                        "reason": "openness of the standard.",
                    },
                    base
                    | {"name": "fragility", "value": float(i % 3), "label": label, "reason": f"{label}."},
                    base
                    | {
                        "name": "exit_options",
                        "value": 2.0,
                        "reason": "two options.",
                        "details": {
                            "options": [
                                {
                                    "purl_or_component": purls[(i + 1) % packages],
                                    "lineage": "x",
                                    "steward": "s1",
                                    "truck_factor": 2,
                                },
                                {
                                    "purl_or_component": purls[(i + 2) % packages],
                                    "lineage": "y",
                                    "steward": "s2",
                                    "truck_factor": 1,
                                },
                            ]
                        },
                    },
                ]
            write_scores(s, scores)
            for i in range(0, 200):
                s.event("error" if i % 2 else "skipped", purls[i], "registry answered 503")
            if run == 2:
                c.execute(
                    "INSERT INTO budget_proposals VALUES (1, 'bench', ?, 'need', 50000, 'EUR', ?, 2)",
                    [NOW, json.dumps({})],
                )
                insert_columns(
                    c,
                    "budget_lines",
                    _columns(
                        [
                            (1, f"project-{k}", [purls[k]], 250.0, "open-collective", "need")
                            for k in range(200)
                        ],
                        "proposal_id project packages amount channel rationale",
                    ),
                )
            s.count("packages", packages)


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run(quick: bool) -> list[Figure]:
    from streamlit.testing.v1 import AppTest

    from dashboard import data

    repeat = 3 if quick else 5
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "socle.duckdb"
        build_store(db)
        repository = data.repositories(db)[0]
        purl = str(data.dependencies(db)["purl"][0])
        calls: dict[str, Callable[[], object]] = {
            "overview": lambda: data.overview(db),
            "applications": lambda: data.applications(db),
            "dependencies": lambda: data.dependencies(db),
            "package_detail": lambda: data.package_detail(purl, db),
            "truck_factor_distribution": lambda: data.truck_factor_distribution(db=db),
            "riskiest_packages": lambda: data.riskiest_packages(db=db),
            "repositories": lambda: data.repositories(db),
            "contributor_shares": lambda: data.contributor_shares(repository, db),
            "monthly_activity": lambda: data.monthly_activity(repository, db),
            "truck_factor_developers": lambda: data.truck_factor_developers(repository, db),
            "fragility_classes": lambda: data.fragility_classes(db),
            "interfaces_in_use": lambda: data.interfaces_in_use(db),
            "exit_options": lambda: data.exit_options(db),
            "interface_control": lambda: data.interface_control(0.5, db),
            "review_list": lambda: data.review_list(db),
            "score_names": lambda: data.score_names(db),
            "score_trend": lambda: data.score_trend("truck_factor", db),
            "score_changes": lambda: data.score_changes("truck_factor", db),
            "proposals": lambda: data.proposals(db),
            "proposal_lines": lambda: data.proposal_lines(1, db),
            "runs": lambda: data.runs(db),
            "run_problems": lambda: data.run_problems(2, db),
        }
        figures = []
        for name, call in calls.items():

            def cold(call: Callable[[], object] = call) -> object:
                data.clear_cache()
                return call()

            figures.append(
                Figure(f"dashboard data.{name} (cold)", _median_ms(cold, repeat), "ms", FUNCTION_LIMIT_MS)
            )
        os.environ["SOCLE_DB"] = str(db)
        for page in PAGES:

            def render(page: str = page) -> None:
                data.clear_cache()
                at = AppTest.from_file(str(APP), default_timeout=60)
                at.run()
                if page != "overview":
                    at.switch_page(f"app_pages/{page}.py").run()
                if at.exception:
                    raise RuntimeError(f"page {page} failed: {at.exception}")

            figures.append(
                Figure(
                    f"dashboard page {page} (AppTest, cold)", _median_ms(render, repeat), "ms", PAGE_LIMIT_MS
                )
            )
    return figures


def main() -> int:
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    figures = run(quick="--quick" in sys.argv)
    width = max(len(f.name) for f in figures)
    print(f"{'figure':<{width}}  {'median':>9}  {'limit':>7}  ratio")
    for f in figures:
        ratio = f"{f.value / f.baseline:.2f}" if f.baseline else ""
        print(f"{f.name:<{width}}  {f.value:7.1f}{f.unit}  {f.baseline or 0:5.0f}{f.unit}  {ratio}")
    over = [f.name for f in figures if f.baseline and f.value > f.baseline]
    print("all within limits" if not over else f"over the limit: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
