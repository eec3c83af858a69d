"""Dashboard speed on a synthetic organisation of 5,000 packages and 50 applications (``bench/dashboard_store.py``).

Every read function of ``dashboard/data.py`` (cold: its caches cleared, so it attaches the store afresh and
reads everything it shows; the process's idle DuckDB instances are reused, as in the dashboard) must take
under 300 ms, and every page rendered by Streamlit's AppTest under 2 s (cold cache; the page alone, after the
app has started). Figures are medians of several runs, with the goal as the baseline.

    python -m bench dashboard [--quick]
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import Figure, median

FUNCTION_GOAL_MS = 300.0
PAGE_GOAL_MS = 2000.0
PAGES = (
    "overview", "applications", "dependencies", "bus_factor", "standards", "sovereignty", "vulnerabilities",
    "budget_planner", "history", "runs", "glossary",
)  # fmt: skip
APP = Path(__file__).resolve().parents[1] / "dashboard" / "streamlit_app.py"


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return median(timings)


def _arguments(db: Path) -> dict[str, tuple[Any, ...]]:
    """The arguments each read function is called with, as the pages call them."""
    from analysis.budget import plan
    from dashboard import data

    repository = data.repositories(db)[0]
    purl = str(data.dependencies(db)["purl"][0])
    return {
        "overview": (),
        "applications": (),
        "dependencies": (),
        "package_detail": (purl,),
        "truck_factor_distribution": (),
        "riskiest_packages": (20,),
        "repositories": (),
        "contributor_shares": (repository,),
        "monthly_activity": (repository,),
        "truck_factor_developers": (repository,),
        "fragility_classes": (),
        "interfaces_in_use": (),
        "exit_options": (),
        "interface_control": (0.5,),
        "review_list": (),
        "score_names": (),
        "score_trend": ("truck_factor",),
        "score_changes": ("truck_factor",),
        "proposals": (),
        "saved_proposal": (1,),
        "budget_proposal": (plan.Choices(total=20000),),
        "budget_line_keys": ("project",),
        "proposal_lines": (1,),
        "runs": (),
        "run_problems": (2,),
        "dependency_card": (purl,),
        "exposure": (),
        "application_graph": (str(data.applications(db)["application"][0]), 12),
        "unmined_repositories": (),
        "vulnerabilities": (),
        "vulnerability_coverage": (),
        "lifecycle": (),
    }


def function_figures(db: Path, repeat: int) -> list[Figure]:
    from dashboard import data

    arguments = _arguments(db)
    missing = sorted(set(data._QUERIES) - set(arguments))
    if missing:  # a new read function must be measured too
        raise RuntimeError(f"no benchmark arguments for dashboard read(s): {', '.join(missing)}")
    figures = []
    for name, args in arguments.items():

        def cold(name: str = name, args: tuple[Any, ...] = args) -> object:
            data.clear_cache()
            return data.query(name, *args, db=db)

        figures.append(Figure(f"data.{name} (cold)", _median_ms(cold, repeat), "ms", FUNCTION_GOAL_MS))
    return figures


def page_figures(db: Path, repeat: int) -> list[Figure]:
    from streamlit.testing.v1 import AppTest

    from dashboard import data

    os.environ["SOCLE_DB"] = str(db)
    figures = []
    for page in PAGES:
        timings = []
        for _ in range(repeat):
            at = AppTest.from_file(str(APP), default_timeout=120)
            if page != "overview":
                at.run()  # the app starts on the overview; only the switch to the page is timed
                at.switch_page(f"app_pages/{page}.py")
            data.clear_cache()
            started = time.perf_counter()
            at.run()
            timings.append((time.perf_counter() - started) * 1000)
            if at.exception:
                raise RuntimeError(f"page {page} failed: {at.exception}")
            if page != "overview" and not at.title:
                raise RuntimeError(f"page {page} shows no title")
        figures.append(Figure(f"page {page} (AppTest, cold)", median(timings), "ms", PAGE_GOAL_MS))
    return figures


def run(quick: bool) -> list[Figure]:
    from bench.dashboard_store import build_store

    # st.cache_data called outside a running app warns on every call; Streamlit resets log levels when its
    # configuration loads, so these two loggers are switched off instead.
    for name in ("scriptrunner_utils.script_run_context", "caching.cache_data_api"):
        logging.getLogger(f"streamlit.runtime.{name}").disabled = True
    repeat = 1 if quick else 5
    with tempfile.TemporaryDirectory(prefix="socle-bench-dashboard-") as folder:
        started = time.perf_counter()
        db = build_store(Path(folder) / "socle.duckdb")
        built = time.perf_counter() - started
        figures = [Figure("build the 5,000-package store (2 runs)", built, "s")]
        figures += function_figures(db, repeat)
        figures += page_figures(db, repeat)
    return figures


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table([("dashboard", f) for f in run("--quick" in sys.argv)])
