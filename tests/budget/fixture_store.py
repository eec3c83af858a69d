"""A small organisation in a real DuckDB store, for budget, risk and criticality tests.

The registry (0002) and git (0003) tables are created here with the columns the cross-area contract
names, until those migrations are on this branch; the data is a trimmed copy of the example organisation.
Run ``python -m tests.budget.fixture_store PATH`` to build one by hand (a large generated organisation, for
timing: ``python -m bench.synthetic_org PATH N``).
"""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from collectors.store import write_session

AS_OF = datetime(2026, 11, 1, 12, 0, 0)

CONTRACT_TABLES = {
    "package_metadata": """CREATE TABLE IF NOT EXISTS package_metadata (purl VARCHAR PRIMARY KEY, ecosystem VARCHAR,
        latest_version VARCHAR, summary VARCHAR, description VARCHAR, homepage VARCHAR, repository_url VARCHAR,
        repository_directory VARCHAR, license VARCHAR, deprecated VARCHAR, first_release_at TIMESTAMP,
        last_release_at TIMESTAMP, releases_last_12m INTEGER, keywords VARCHAR[], classifiers VARCHAR[],
        project_urls JSON, requires_python VARCHAR, ownership_org VARCHAR, fetched_at TIMESTAMP, run_id BIGINT)""",
    "package_releases": """CREATE TABLE IF NOT EXISTS package_releases (purl VARCHAR, version VARCHAR,
        released_at TIMESTAMP, yanked BOOLEAN, run_id BIGINT)""",
    "package_repositories": """CREATE TABLE IF NOT EXISTS package_repositories (purl VARCHAR,
        repository_url VARCHAR, directory VARCHAR, source VARCHAR, run_id BIGINT)""",
    "contributors": """CREATE TABLE IF NOT EXISTS contributors (repository_url VARCHAR, person VARCHAR,
        display_name VARCHAR, org VARCHAR, is_bot BOOLEAN, commits INTEGER, first_at TIMESTAMP, last_at TIMESTAMP)""",
    "monthly_activity": """CREATE TABLE IF NOT EXISTS monthly_activity (repository_url VARCHAR, month DATE,
        active_contributors INTEGER, commits INTEGER)""",
}

GH = "https://github.com/"
# (app, purl, is_direct, depth, scope)
APP_PACKAGES = [
    ("citizen-portal-api", "pkg:pypi/fastapi", True, 1, "runtime"),
    ("citizen-portal-api", "pkg:pypi/starlette", False, 2, "runtime"),
    ("citizen-portal-api", "pkg:pypi/pydantic", True, 1, "runtime"),
    ("citizen-portal-api", "pkg:pypi/python-dateutil", True, 1, "runtime"),
    ("citizen-portal-api", "pkg:pypi/six", False, 2, "runtime"),
    ("citizen-portal-api", "pkg:pypi/sqlalchemy", True, 1, "runtime"),
    ("citizen-portal-api", "pkg:pypi/opentelemetry-api", True, 1, "runtime"),
    ("citizen-portal-api", "pkg:pypi/opentelemetry-sdk", True, 1, "runtime"),
    ("citizen-portal-api", "pkg:pypi/pytest", True, 1, "dev"),
    ("citizen-portal-api", "pkg:pypi/closedthing", True, 1, "runtime"),
    ("open-data-pipeline", "pkg:pypi/requests", True, 1, "runtime"),
    ("open-data-pipeline", "pkg:pypi/urllib3", False, 2, "runtime"),
    ("open-data-pipeline", "pkg:pypi/python-dateutil", True, 1, "runtime"),
    ("open-data-pipeline", "pkg:pypi/six", False, 2, "runtime"),
    ("open-data-pipeline", "pkg:pypi/sqlalchemy", True, 1, "runtime"),
    ("services-web", "pkg:npm/react", True, 1, "runtime"),
    ("services-web", "pkg:npm/react-dom", True, 1, "runtime"),
    ("services-web", "pkg:npm/scheduler", False, 2, "runtime"),
    ("services-web", "pkg:npm/axios", True, 1, "runtime"),
    ("services-web", "pkg:npm/typescript", True, 1, "dev"),
]
# (app, parent, child)
APP_EDGES = [
    ("citizen-portal-api", "pkg:pypi/fastapi", "pkg:pypi/starlette"),
    ("citizen-portal-api", "pkg:pypi/fastapi", "pkg:pypi/pydantic"),
    ("citizen-portal-api", "pkg:pypi/python-dateutil", "pkg:pypi/six"),
    ("citizen-portal-api", "pkg:pypi/opentelemetry-sdk", "pkg:pypi/opentelemetry-api"),
    ("open-data-pipeline", "pkg:pypi/requests", "pkg:pypi/urllib3"),
    ("open-data-pipeline", "pkg:pypi/python-dateutil", "pkg:pypi/six"),
    ("services-web", "pkg:npm/react-dom", "pkg:npm/react"),
    ("services-web", "pkg:npm/react-dom", "pkg:npm/scheduler"),
]
REPOS = {
    "pkg:pypi/fastapi": GH + "fastapi/fastapi",
    "pkg:pypi/starlette": GH + "encode/starlette",
    "pkg:pypi/pydantic": GH + "pydantic/pydantic",
    "pkg:pypi/python-dateutil": GH + "dateutil/dateutil",
    "pkg:pypi/six": GH + "benjaminp/six",
    "pkg:pypi/sqlalchemy": GH + "sqlalchemy/sqlalchemy",
    "pkg:pypi/opentelemetry-api": GH + "open-telemetry/opentelemetry-python",
    "pkg:pypi/opentelemetry-sdk": GH + "open-telemetry/opentelemetry-python",
    "pkg:pypi/requests": GH + "psf/requests",
    "pkg:pypi/urllib3": GH + "urllib3/urllib3",
    "pkg:npm/react": GH + "facebook/react",
    "pkg:npm/react-dom": GH + "facebook/react",
    "pkg:npm/scheduler": GH + "facebook/react",
    "pkg:npm/axios": GH + "axios/axios",
    "pkg:npm/typescript": GH + "microsoft/TypeScript",
    "pkg:pypi/pytest": GH + "pytest-dev/pytest",
}
LICENCES = {
    "pkg:pypi/closedthing": "Proprietary",
    "pkg:pypi/python-dateutil": "Apache-2.0 OR BSD-3-Clause",
    "pkg:pypi/six": "MIT",
    "pkg:npm/typescript": "Apache-2.0",
}
# purl -> (last release days ago, releases in 12 months, first release years ago)
RELEASES = {
    "pkg:pypi/python-dateutil": (800, 0, 20),
    "pkg:pypi/six": (700, 0, 15),
    "pkg:pypi/fastapi": (10, 40, 7),
    "pkg:pypi/requests": (120, 2, 14),
}
FUNDING = [
    ("package", "pkg:pypi/fastapi", GH + "sponsors/tiangolo", "github-sponsors", "pypi"),
    ("repository", GH + "encode/starlette", "https://encode.io/funding.json", "funding-json", "funding-json"),
    ("repository", GH + "encode/starlette", GH + "sponsors/encode", "github-sponsors", "funding-yml"),
    ("package", "pkg:pypi/python-dateutil", "https://tidelift.com/funding/github/pypi/python-dateutil", "tidelift", "pypi"),
    ("repository", GH + "dateutil/dateutil", GH + "sponsors/pganssle", "github-sponsors", "funding-yml"),
    ("repository", GH + "dateutil/dateutil", GH + "sponsors/mariocj89", "github-sponsors", "funding-yml"),
    ("package", "pkg:npm/axios", "https://opencollective.com/axios", "open-collective", "npm"),
    ("package", "pkg:npm/axios", GH + "sponsors/axios", "github-sponsors", "npm"),
    ("package", "pkg:pypi/sqlalchemy", GH + "sponsors/zzzeek", "github-sponsors", "pypi"),
]  # fmt: skip
# purl -> {score name: (value, label, details)}
SCORES: dict[str, dict[str, tuple[float | None, str | None, dict[str, Any]]]] = {
    "pkg:pypi/python-dateutil": {
        "truck_factor": (1, None, {"developers": [{"name": "Paul", "files": 90, "share": 0.9}]}),
        "contributor_absence_factor": (1, None, {}),
        "active_maintainers": (1, None, {}),
        "elephant_factor": (3, None, {}),
    },
    "pkg:pypi/six": {"truck_factor": (1, None, {}), "active_maintainers": (0, None, {})},
    "pkg:pypi/fastapi": {"truck_factor": (1, None, {}), "active_maintainers": (3, None, {})},
    "pkg:npm/typescript": {"elephant_factor": (1, None, {})},
    "pkg:npm/react": {"fragility": (0, "single-actor", {})},
    "pkg:pypi/requests": {"truck_factor": (3, None, {}), "fragility": (2, "commons-grade", {})},
}


def build(db_path: Path, *, registry: bool = True) -> Path:
    """Create the fixture store at ``db_path`` (``registry=False``: inventory only, as after an import)."""
    with write_session(db_path, "import") as session:
        conn = session.conn
        apps = sorted({a for a, *_ in APP_PACKAGES})
        conn.executemany(
            "INSERT INTO applications VALUES (?, 'fixture', 'fixture', 'hash', ?)",
            [[a, session.run_id] for a in apps],
        )
        purls = sorted({p for _, p, *_ in APP_PACKAGES})
        conn.executemany(
            "INSERT INTO packages VALUES (?, ?, NULL, ?, ?)",
            [[p, p.split(":")[1].split("/")[0], p.rsplit("/", 1)[1], session.run_id] for p in purls],
        )
        conn.executemany(
            "INSERT INTO app_packages (app, purl, is_direct, depth, scope, run_id) VALUES (?, ?, ?, ?, ?, ?)",
            [[*row, session.run_id] for row in APP_PACKAGES],
        )
        conn.executemany(
            "INSERT INTO app_edges (app, parent_purl, child_purl, run_id) VALUES (?, ?, ?, ?)",
            [[*row, session.run_id] for row in APP_EDGES],
        )
        if registry:
            _registry(conn, session.run_id, purls)
    with contextlib.closing(duckdb.connect(str(db_path))) as conn:
        conn.execute("UPDATE runs SET started_at = ?, ended_at = ?", [AS_OF - timedelta(minutes=5), AS_OF])
    return db_path


def _registry(conn: duckdb.DuckDBPyConnection, run_id: int, purls: list[str]) -> None:
    for table, ddl in CONTRACT_TABLES.items():
        # only where no migration made it: in the store it may be in the history file, where an unqualified
        # CREATE TABLE IF NOT EXISTS would not look, and make a second table of that name in the core file
        if not conn.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchall()[
            0
        ][0]:
            conn.execute(ddl)
    for purl in purls:
        days, count, years = RELEASES.get(purl, (60, 4, 5))
        conn.execute(
            "INSERT INTO package_metadata (purl, ecosystem, license, repository_url, first_release_at, "
            "last_release_at, releases_last_12m, classifiers, fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                purl,
                purl.split(":")[1].split("/")[0],
                LICENCES.get(purl, "MIT"),
                REPOS.get(purl),
                AS_OF - timedelta(days=365 * years),
                AS_OF - timedelta(days=days),
                count,
                [],
                AS_OF,
                run_id,
            ],
        )
        conn.execute(
            "INSERT INTO package_releases (purl, version, released_at, yanked, run_id) VALUES (?, '1.0', ?, ?, ?)",
            [purl, AS_OF - timedelta(days=30), purl == "pkg:npm/axios", run_id],
        )
        if purl in REPOS:
            conn.execute(
                "INSERT INTO package_repositories (purl, repository_url, directory, source, run_id) "
                "VALUES (?, ?, '', 'registry', ?)",
                [purl, REPOS[purl], run_id],
            )
    for repo in sorted(set(REPOS.values())):
        conn.execute(
            "INSERT INTO contributors (repository_url, person, display_name, org, is_bot, commits, first_at, "
            "last_at, run_id) VALUES (?, 'alice', 'Alice', 'example.org', FALSE, 100, ?, ?, ?)",
            [repo, AS_OF - timedelta(days=3000), AS_OF - timedelta(days=40), run_id],
        )
        conn.execute(
            "INSERT INTO monthly_activity (repository_url, month, active_contributors, commits, run_id) "
            "VALUES (?, ?, 1, 26, ?)",
            [repo, (AS_OF - timedelta(days=60)).date(), run_id],
        )
    conn.executemany(
        "INSERT INTO funding_links (subject_kind, subject, url, platform, source, run_id) VALUES (?, ?, ?, ?, ?, ?)",
        [[*row, run_id] for row in FUNDING],
    )
    for purl, scores in SCORES.items():
        for name, (value, label, details) in scores.items():
            conn.execute(
                "INSERT INTO scores (subject_kind, subject, name, version, value, status, label, reason, details, "
                "run_id) VALUES ('package', ?, ?, '1', ?, 'ok', ?, 'fixture', ?, ?)",
                [purl, name, value, label, json.dumps(details), run_id],
            )


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
