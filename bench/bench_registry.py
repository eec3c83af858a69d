"""Registry refresh speed: a loopback fake registry with 50 ms added per answer, then the live registries.

``python -m bench registry`` (or, alone, ``python -m bench.bench_registry [--quick] [--live]``). The fake registry
runs in its own process; refreshes run in this one (wall time of ``run_refresh``, peak resident memory of the
process so far), plus one ``socle refresh`` process to show the command's own start-up cost.

* cold: an empty store and an empty HTTP cache, 1,000 PyPI packages (goal <= 10 s);
* warm, fresh: the same again within ``--max-age`` (nothing to fetch);
* warm, cache: ``--max-age 0s`` while the registry's ``Cache-Control: max-age`` still holds (served locally);
* warm, 304: ``--max-age 0s`` with every answer revalidated (``If-None-Match`` -> 304) (goal <= 2 s).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

from analysis.pipeline import RefreshOptions, run_refresh
from bench.common import Figure, run_child
from bench.fake_registry import FakeRegistry, Route, serve
from bench.registry_documents import synthetic_pypi
from collectors.registry.parsing import purl_for
from collectors.store import insert_columns, utcnow, write_session

LATENCY = 0.05
#: The registry steps only (a whole refresh also mines repositories and scores: see bench_refresh).
REGISTRY_STEPS = frozenset({"pypi", "npm"})
EXAMPLE_PYPI = [
    "fastapi",
    "uvicorn",
    "sqlalchemy",
    "psycopg",
    "alembic",
    "pydantic",
    "httpx",
    "pyjwt",
    "cryptography",
    "redis",
    "celery",
    "jinja2",
    "python-multipart",
    "structlog",
    "opentelemetry-api",
    "opentelemetry-sdk",
    "email-validator",
    "python-dateutil",
    "babel",
    "requests",
    "lxml",
    "pyyaml",
    "psycopg2-binary",
    "pandas",
    "numpy",
    "pyarrow",
    "paramiko",
    "pika",
    "paho-mqtt",
    "openpyxl",
    "pillow",
    "jsonschema",
    "boto3",
    "click",
    "dnspython",
    "ldap3",
    "shapely",
    "tomli",
    "defusedxml",
]
EXAMPLE_NPM = [
    "react",
    "react-dom",
    "react-router-dom",
    "axios",
    "date-fns",
    "i18next",
    "react-i18next",
    "leaflet",
    "chart.js",
    "dompurify",
    "marked",
    "zod",
    "jwt-decode",
    "@tanstack/react-query",
    "ws",
]


def build_store(db: Path, packages: dict[str, list[str]]) -> None:
    """One application per ecosystem, every package direct but the first: a transitive row keeps completion idle."""
    purls: dict[str, tuple[str, str | None, str]] = {}
    rows: list[tuple[str, str, bool]] = []
    for ecosystem, names in packages.items():
        app = f"bench-{ecosystem}"
        for i, name in enumerate(names):
            purl = purl_for(ecosystem, name)
            ns, _, bare = name.partition("/") if name.startswith("@") else (None, "", name)
            purls[purl] = (ecosystem, ns, bare)
            rows.append((app, purl, i > 0))
    with write_session(db, "import") as session:
        insert_columns(
            session.conn,
            "packages",
            {
                "purl": list(purls),
                "ecosystem": [p[0] for p in purls.values()],
                "namespace": [p[1] for p in purls.values()],
                "name": [p[2] for p in purls.values()],
                "run_id": [session.run_id] * len(purls),
            },
        )
        insert_columns(
            session.conn,
            "app_packages",
            {
                "app": [r[0] for r in rows],
                "purl": [r[1] for r in rows],
                "version": [""] * len(rows),
                "is_direct": [r[2] for r in rows],
                "depth": [1 if r[2] else 2 for r in rows],
                "scope": ["runtime"] * len(rows),
                "run_id": [session.run_id] * len(rows),
            },
        )


def refresh_cli(
    db: Path, max_age: str, env: dict[str, str], only: str = "pypi,npm"
) -> tuple[float, float, int]:
    """One ``socle refresh`` process: wall time (interpreter start included), peak memory, exit code."""
    argv = [sys.executable, "-m", "analysis.cli", "refresh", "--db", str(db), "--only", only]
    argv += ["--max-age", max_age, "--concurrency", "20"]
    child = run_child(argv, env={**os.environ, **env})
    return child.seconds, child.max_rss_mb, child.returncode


def _serve_forever(fake: FakeRegistry, ready: Any) -> None:
    with serve(fake):
        ready.send(fake.base_url)
        ready.recv()  # blocks until the benchmark is done


def _stats(base_url: str) -> dict[str, int]:
    with urllib.request.urlopen(base_url + "/_stats") as answer:
        return dict(json.load(answer))


def _phases(
    names: list[str], cache_control: str, phases: list[tuple[str, timedelta]]
) -> dict[str, tuple[float, float, int, int]]:
    """Run refreshes in this process against a fake registry in another: (seconds, peak MB, requests, 304s)."""
    routes = {f"/pypi/{n}/json": Route(synthetic_pypi(n)) for n in names}
    fake = FakeRegistry(routes=routes, latency=LATENCY, cache_control=cache_control)
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=_serve_forever, args=(fake, child), daemon=True
    )
    server.start()
    results = {}
    try:
        base_url = parent.recv()
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "socle.duckdb"
            build_store(db, {"pypi": names})
            for label, max_age in phases:
                before = _stats(base_url)
                options = RefreshOptions(
                    db_path=db,
                    now=utcnow(),
                    max_age=max_age,
                    concurrency=20,
                    only=REGISTRY_STEPS,
                    registry_urls={"pypi": base_url + "/pypi"},
                )
                started = time.perf_counter()
                session = run_refresh(options)
                seconds = time.perf_counter() - started
                assert session.errors == 0, f"{label}: {session.errors} errors"
                after = _stats(base_url)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                results[label] = (
                    seconds,
                    peak,
                    after["requests"] - before["requests"] - 1,
                    after["not_modified"] - before["not_modified"],
                )
            if cache_control == "max-age=600":
                results["CLI process, warm fresh"] = (
                    *refresh_cli(db, "24h", {"SOCLE_PYPI_URL": base_url + "/pypi"})[:2],
                    0,
                    0,
                )
    finally:
        parent.send("stop")
        server.join(timeout=10)
    return results


def fake_registry_figures(quick: bool) -> list[Figure]:
    count = 200 if quick else 1000
    names = [f"bench-pkg-{i:04d}" for i in range(count)]
    runs = _phases(
        names,
        "max-age=600",
        [
            ("cold", timedelta(hours=24)),
            ("warm fresh", timedelta(hours=24)),
            ("warm HTTP-cache fresh", timedelta(0)),
        ],
    )
    # A registry whose answers must always be revalidated: the warm refresh is all 304s.
    runs.update(
        {
            f"{k} (no-cache)": v
            for k, v in _phases(
                names, "no-cache", [("cold", timedelta(hours=24)), ("warm 304", timedelta(0))]
            ).items()
        }
    )
    goals = {"cold": 10.0, "warm 304 (no-cache)": 2.0, "warm fresh": 2.0, "warm HTTP-cache fresh": 2.0}
    figures: list[Figure] = []
    for label, (seconds, rss, requests, not_modified) in runs.items():
        goal = goals.get(label)
        figures.append(
            Figure(
                f"registry {label}, {count} pkgs",
                round(seconds, 2),
                "s",
                goal * count / 1000 if goal else None,
            )
        )
        if requests > 0:
            figures.append(Figure(f"registry {label}, requests/s", round(requests / seconds, 1), "req/s"))
        if not_modified:
            figures.append(Figure(f"registry {label}, 304 answers", not_modified, "answers"))
        figures.append(Figure(f"registry {label}, peak memory", round(rss, 1), "MB"))
    return figures


def live_figures() -> list[Figure]:
    """The example organisation's direct dependencies against the live registries, cold then warm."""
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "socle.duckdb"
        build_store(db, {"pypi": EXAMPLE_PYPI, "npm": EXAMPLE_NPM})
        for label, max_age in (("cold", "24h"), ("warm fresh", "24h"), ("warm, --max-age 0s", "0s")):
            seconds, rss, code = refresh_cli(db, max_age, {}, only="pypi,npm")
            figures.append(
                Figure(
                    f"live {label}, {len(EXAMPLE_PYPI) + len(EXAMPLE_NPM)} packages", round(seconds, 2), "s"
                )
            )
            figures.append(Figure(f"live {label}, peak memory", round(rss, 1), "MB"))
            figures.append(Figure(f"live {label}, exit code", code, ""))
    return figures


def run(quick: bool) -> list[Figure]:
    return fake_registry_figures(quick)


if __name__ == "__main__":
    chosen = fake_registry_figures("--quick" in sys.argv)
    if "--live" in sys.argv:
        chosen += live_figures()
    for figure in chosen:
        goal = f"  (goal {figure.baseline:g} {figure.unit})" if figure.baseline else ""
        print(f"{figure.name:<45} {figure.value:>10g} {figure.unit}{goal}")
