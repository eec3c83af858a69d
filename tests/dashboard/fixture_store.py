"""A small, realistic organisation in a real DuckDB store, for dashboard tests and manual checks.

``python -m tests.dashboard.fixture_store PATH`` writes one; ``socle dashboard --db PATH`` shows it.
Three applications, 44 packages, repositories with contributors and activity, every score with a reason,
funding links, two runs (the second partial, with per-package errors) and a saved budget proposal.
One package summary is hostile on purpose (a script tag and a Markdown link): pages must show it as text.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from collectors.store import WriteSession, insert_columns, write_scores, write_session
from tests.dashboard.contract_tables import create_contract_tables

HOSTILE_SUMMARY = 'Markdown parser <script>alert("owned")</script> [click here](https://evil.example/phish)'
NOW = datetime(2026, 11, 1, 6, 0)

APPS = {
    "citizen-portal-api": ("data/examples/citizen-portal-api/uv.lock", "uv-lock"),
    "services-web": ("data/examples/services-web/package-lock.json", "npm-lock"),
    "open-data-pipeline": ("data/examples/open-data-pipeline/sbom.cdx.json", "cyclonedx"),
}


@dataclass(frozen=True)
class Pkg:
    purl: str
    version: str
    apps: str  # comma-separated app keys: c (citizen), s (services), o (open-data)
    parent: str | None  # the purl it comes through (None: direct)
    repo: str
    truck: int
    interface: str | None
    fragility: str | None  # commons-grade | vigilance | single-actor
    funding: str | None  # platform
    scope: str = "runtime"


_GH = "https://github.com/"
PACKAGES = [
    Pkg(
        "pkg:pypi/fastapi",
        "0.115.4",
        "c",
        None,
        _GH + "fastapi/fastapi",
        1,
        "asgi-framework",
        "vigilance",
        "github-sponsors",
    ),
    Pkg(
        "pkg:pypi/starlette",
        "0.41.2",
        "c",
        "pkg:pypi/fastapi",
        _GH + "encode/starlette",
        2,
        "asgi-framework",
        "vigilance",
        "github-sponsors",
    ),
    Pkg(
        "pkg:pypi/uvicorn",
        "0.32.0",
        "c",
        None,
        _GH + "encode/uvicorn",
        2,
        "asgi-server",
        "commons-grade",
        "github-sponsors",
    ),
    Pkg(
        "pkg:pypi/sqlalchemy",
        "2.0.36",
        "c,o",
        None,
        _GH + "sqlalchemy/sqlalchemy",
        1,
        "sql-orm",
        "commons-grade",
        "github-sponsors",
    ),
    Pkg(
        "pkg:pypi/psycopg",
        "3.2.3",
        "c",
        None,
        _GH + "psycopg/psycopg",
        1,
        "postgresql-wire-protocol",
        "commons-grade",
        "open-collective",
    ),
    Pkg(
        "pkg:pypi/alembic", "1.14.0", "c", None, _GH + "sqlalchemy/alembic", 1, None, None, "github-sponsors"
    ),
    Pkg(
        "pkg:pypi/pydantic",
        "2.9.2",
        "c",
        None,
        _GH + "pydantic/pydantic",
        3,
        "data-validation",
        "single-actor",
        None,
    ),
    Pkg(
        "pkg:pypi/pydantic-core",
        "2.23.4",
        "c",
        "pkg:pypi/pydantic",
        _GH + "pydantic/pydantic-core",
        2,
        None,
        None,
        None,
    ),
    Pkg(
        "pkg:pypi/httpx",
        "0.27.2",
        "c",
        None,
        _GH + "encode/httpx",
        1,
        "http-client",
        "commons-grade",
        "github-sponsors",
    ),
    Pkg(
        "pkg:pypi/httpcore",
        "1.0.6",
        "c",
        "pkg:pypi/httpx",
        _GH + "encode/httpcore",
        1,
        "http-client",
        "commons-grade",
        None,
    ),
    Pkg("pkg:pypi/pyjwt", "2.9.0", "c", None, _GH + "jpadilla/pyjwt", 1, "jwt", "commons-grade", None),
    Pkg(
        "pkg:pypi/cryptography",
        "43.0.3",
        "c",
        None,
        _GH + "pyca/cryptography",
        3,
        "tls-crypto",
        "commons-grade",
        "tidelift",
    ),
    Pkg(
        "pkg:pypi/cffi", "1.17.1", "c", "pkg:pypi/cryptography", _GH + "python-cffi/cffi", 1, None, None, None
    ),
    Pkg(
        "pkg:pypi/redis",
        "5.2.0",
        "c",
        None,
        _GH + "redis/redis-py",
        4,
        "redis-protocol",
        "single-actor",
        None,
    ),
    Pkg(
        "pkg:pypi/celery",
        "5.4.0",
        "c",
        None,
        _GH + "celery/celery",
        2,
        "task-queue",
        "single-actor",
        "open-collective",
    ),
    Pkg(
        "pkg:pypi/jinja2",
        "3.1.4",
        "c",
        None,
        _GH + "pallets/jinja",
        1,
        "template-language",
        "vigilance",
        "github-sponsors",
    ),
    Pkg(
        "pkg:pypi/markupsafe",
        "3.0.2",
        "c",
        "pkg:pypi/jinja2",
        _GH + "pallets/markupsafe",
        1,
        None,
        None,
        "github-sponsors",
    ),
    Pkg(
        "pkg:pypi/python-dateutil",
        "2.9.0",
        "c,o",
        None,
        _GH + "dateutil/dateutil",
        1,
        "iso-8601",
        "commons-grade",
        "tidelift",
    ),
    Pkg(
        "pkg:pypi/six",
        "1.16.0",
        "c,o",
        "pkg:pypi/python-dateutil",
        _GH + "benjaminp/six",
        1,
        None,
        None,
        None,
    ),
    Pkg(
        "pkg:pypi/babel",
        "2.16.0",
        "c",
        None,
        _GH + "python-babel/babel",
        2,
        "unicode-cldr",
        "commons-grade",
        None,
    ),
    Pkg(
        "pkg:pypi/pytest",
        "8.3.3",
        "c",
        None,
        _GH + "pytest-dev/pytest",
        5,
        "test-runner",
        "single-actor",
        "open-collective",
        "dev",
    ),
    Pkg(
        "pkg:pypi/requests",
        "2.32.3",
        "o",
        None,
        _GH + "psf/requests",
        3,
        "http-client",
        "commons-grade",
        "open-collective",
    ),
    Pkg(
        "pkg:pypi/urllib3",
        "2.2.3",
        "o",
        "pkg:pypi/requests",
        _GH + "urllib3/urllib3",
        2,
        "http-client",
        "commons-grade",
        "open-collective",
    ),
    Pkg("pkg:pypi/lxml", "5.3.0", "o", None, _GH + "lxml/lxml", 1, "xml", "commons-grade", None),
    Pkg("pkg:pypi/pyyaml", "6.0.2", "o", None, _GH + "yaml/pyyaml", 1, "yaml", "commons-grade", None),
    Pkg(
        "pkg:pypi/pandas",
        "2.2.3",
        "o",
        None,
        _GH + "pandas-dev/pandas",
        6,
        "dataframe",
        "single-actor",
        "open-collective",
    ),
    Pkg(
        "pkg:pypi/numpy",
        "2.1.3",
        "o",
        "pkg:pypi/pandas",
        _GH + "numpy/numpy",
        5,
        "array",
        "vigilance",
        "open-collective",
    ),
    Pkg(
        "pkg:pypi/paramiko",
        "3.5.0",
        "o",
        None,
        _GH + "paramiko/paramiko",
        1,
        "ssh",
        "commons-grade",
        "tidelift",
    ),
    Pkg("pkg:pypi/pika", "1.3.2", "o", None, _GH + "pika/pika", 1, "amqp", "commons-grade", None),
    Pkg("pkg:pypi/defusedxml", "0.7.1", "o", None, _GH + "tiran/defusedxml", 1, "xml", "commons-grade", None),
    Pkg(
        "pkg:pypi/click",
        "8.1.7",
        "o",
        None,
        _GH + "pallets/click",
        1,
        "cli-parser",
        "single-actor",
        "github-sponsors",
    ),
    Pkg(
        "pkg:npm/react",
        "18.3.1",
        "s",
        None,
        _GH + "facebook/react",
        4,
        "ui-component-library",
        "single-actor",
        None,
    ),
    Pkg(
        "pkg:npm/react-dom",
        "18.3.1",
        "s",
        None,
        _GH + "facebook/react",
        4,
        "ui-component-library",
        "single-actor",
        None,
    ),
    Pkg("pkg:npm/scheduler", "0.23.2", "s", "pkg:npm/react-dom", _GH + "facebook/react", 4, None, None, None),
    Pkg(
        "pkg:npm/axios",
        "1.7.7",
        "s",
        None,
        _GH + "axios/axios",
        1,
        "http-client",
        "commons-grade",
        "open-collective",
    ),
    Pkg(
        "pkg:npm/follow-redirects",
        "1.15.9",
        "s",
        "pkg:npm/axios",
        _GH + "follow-redirects/follow-redirects",
        1,
        None,
        None,
        "github-sponsors",
    ),
    Pkg(
        "pkg:npm/date-fns",
        "4.1.0",
        "s",
        None,
        _GH + "date-fns/date-fns",
        1,
        "iso-8601",
        "commons-grade",
        "open-collective",
    ),
    Pkg(
        "pkg:npm/i18next",
        "23.16.4",
        "s",
        None,
        _GH + "i18next/i18next",
        1,
        "i18n",
        "vigilance",
        "github-sponsors",
    ),
    Pkg(
        "pkg:npm/dompurify",
        "3.1.7",
        "s",
        None,
        _GH + "cure53/DOMPurify",
        1,
        "html-sanitizer",
        "vigilance",
        "github-sponsors",
    ),
    Pkg(
        "pkg:npm/marked", "14.1.3", "s", None, _GH + "markedjs/marked", 2, "commonmark", "commons-grade", None
    ),
    Pkg(
        "pkg:npm/zod",
        "3.23.8",
        "s",
        None,
        _GH + "colinhacks/zod",
        1,
        "data-validation",
        "single-actor",
        "github-sponsors",
    ),
    Pkg(
        "pkg:npm/ws",
        "8.18.0",
        "s",
        None,
        _GH + "websockets/ws",
        1,
        "websocket",
        "commons-grade",
        "open-collective",
    ),
    Pkg(
        "pkg:npm/%40tanstack/react-query",
        "5.59.16",
        "s",
        None,
        _GH + "TanStack/query",
        1,
        None,
        None,
        "github-sponsors",
    ),
    Pkg(
        "pkg:npm/vite",
        "5.4.10",
        "s",
        None,
        _GH + "vitejs/vite",
        2,
        "bundler",
        "vigilance",
        "open-collective",
        "dev",
    ),
]
APP_KEYS = {"c": "citizen-portal-api", "s": "services-web", "o": "open-data-pipeline"}
FRAGILITY_VALUE = {"commons-grade": 2.0, "vigilance": 1.0, "single-actor": 0.0}
STEWARDS = {
    "python-software-foundation": ("Python Software Foundation", "foundation", "US"),
    "openjs-foundation": ("OpenJS Foundation", "foundation", "US"),
    "meta": ("Meta Platforms", "company", "US"),
    "redis-ltd": ("Redis Ltd.", "company", "US"),
    "ietf": ("IETF community", "community", None),
    "pydantic-services": ("Pydantic Services Inc.", "company", "US"),
    "numfocus": ("NumFOCUS", "foundation", "US"),
    "individual": ("Independent maintainers", "individual", None),
}
INTERFACE_STEWARD = {
    "ui-component-library": "meta",
    "redis-protocol": "redis-ltd",
    "data-validation": "pydantic-services",
    "dataframe": "numfocus",
    "array": "numfocus",
    "task-queue": "individual",
    "test-runner": "individual",
    "cli-parser": "individual",
}


def _name(purl: str) -> tuple[str, str, str | None]:
    ecosystem, rest = purl.removeprefix("pkg:").split("/", 1)
    if "/" in rest:
        namespace, name = rest.split("/", 1)
        return ecosystem, name, namespace.replace("%40", "@")
    return ecosystem, rest, None


def _package_scores(pkg: Pkg, second_run: bool) -> list[dict[str, Any]]:
    truck = pkg.truck
    if second_run and pkg.purl == "pkg:pypi/uvicorn":
        truck = 1  # a maintainer left between the two runs: the History page shows it
    index = PACKAGES.index(pkg)
    criticality = round(
        0.2 + 0.8 * ((len(PACKAGES) - index) / len(PACKAGES)) * (1 + pkg.apps.count(",")) / 2, 3
    )
    risk = round(min(1.0, 0.9 / truck + (0.3 if pkg.fragility == "single-actor" else 0.0)), 3)
    dev = [
        {"name": f"maintainer-{index}-{k}", "files": 40 - 7 * k, "share": round(0.6 / (k + 1), 2)}
        for k in range(truck)
    ]
    rows: list[dict[str, Any]] = [
        {
            "name": "truck_factor",
            "value": float(truck),
            "reason": f"truck factor {truck}: {truck} developer(s) author over half of the files.",
            "details": {
                "developers": dev,
                "files_counted": 120 + index,
                "tie_break": "files, commits, name",
                "variant": "greedy",
            },
        },
        {
            "name": "contributor_absence_factor",
            "value": float(max(1, truck - 1) if truck > 2 else truck),
            "reason": "contributors responsible for 50% of commits (CHAOSS).",
            "details": {},
        },
        {
            "name": "pony_factor",
            "value": float(truck),
            "reason": "committers whose commits make up at least 50% of all commits.",
            "details": {},
        },
        {
            "name": "active_maintainers",
            "value": float(truck + 2),
            "reason": f"{truck + 2} people committed in the last 12 months.",
            "details": {},
        },
        {
            "name": "days_since_last_commit",
            "value": float(3 + index * 5),
            "reason": f"last commit {3 + index * 5} days before the refresh.",
            "details": {},
        },
        {
            "name": "publishers",
            "value": float(1 + index % 3),
            "reason": f"{1 + index % 3} people can publish releases.",
            "details": {},
        },
        {
            "name": "criticality",
            "value": criticality,
            "reason": f"used by {pkg.apps.count(',') + 1} application(s), {'directly' if pkg.parent is None else 'transitively'}.",
            "details": {
                "apps": pkg.apps.count(",") + 1,
                "direct_apps": 0 if pkg.parent else pkg.apps.count(",") + 1,
                "min_depth": 1 if pkg.parent is None else 2,
                "scope": pkg.scope,
                "reverse_reach": 1 + index % 4,
            },
        },
        {
            "name": "openssf_criticality",
            "value": round(0.3 + (index % 7) / 10, 3),
            "reason": "OpenSSF criticality v2 from the signals socle has.",
            "details": {},
        },
        {
            "name": "risk",
            "value": risk,
            "reason": f"truck factor {truck}"
            + ("; single-actor interface" if pkg.fragility == "single-actor" else "")
            + ("; no funding channel" if pkg.funding is None else "")
            + ".",
            "details": {"components": {"maintainers": round(1 / truck, 2)}, "weights": {"maintainers": 0.5}},
        },
    ]
    if pkg.interface and pkg.fragility:
        n2 = {"commons-grade": 3.4, "vigilance": 1.8, "single-actor": 1.0}[pkg.fragility]
        rows += [
            {
                "name": "standardisation",
                "value": 3.0 if pkg.fragility == "commons-grade" else 1.0,
                "reason": f"the {pkg.interface} interface follows {'an open standard' if pkg.fragility == 'commons-grade' else 'no formal standard'}.",
                "details": {"interface": pkg.interface},
            },
            {
                "name": "implementation_diversity",
                "value": n2,
                "reason": f"effective number of independent implementations N2 = {n2}.",
                "details": {
                    "interface": pkg.interface,
                    "lineages": 4 if n2 > 3 else 1,
                    "stewards": 4 if n2 > 3 else 1,
                    "top_share": round(1 / n2, 2),
                    "k66": 3 if n2 > 3 else 1,
                },
            },
            {
                "name": "fragility",
                "value": FRAGILITY_VALUE[pkg.fragility],
                "label": pkg.fragility,
                "reason": f"{pkg.fragility}: standardisation and diversity of {pkg.interface}.",
                "details": {"interface": pkg.interface},
            },
        ]
        alternatives = [
            p
            for p in PACKAGES
            if p.interface == pkg.interface
            and p.purl != pkg.purl
            and p.purl.split("/")[0] == pkg.purl.split("/")[0]
        ]
        options = [
            {
                "purl_or_component": a.purl,
                "name": _name(a.purl)[1],
                "lineage": _name(a.purl)[1],
                "steward": "individual",
                "truck_factor": a.truck,
            }
            for a in alternatives
        ]
        rows.append(
            {
                "name": "exit_options",
                "value": float(len(options)),
                "reason": f"{len(options)} other implementation(s) of {pkg.interface} in the same ecosystem.",
                "details": {"options": options},
            }
        )
    for row in rows:
        row.update(subject_kind="package", subject=pkg.purl, version="1", status="ok", label=row.get("label"))
    if pkg.purl == "pkg:pypi/cffi":
        rows[0].update(
            value=None, status="inconclusive", reason="no repository history could be mined for this package."
        )
    return rows


def _write_inventory(session: WriteSession) -> None:
    run = session.run_id
    insert_columns(
        session.conn,
        "applications",
        {
            "name": list(APPS),
            "source": [s for s, _ in APPS.values()],
            "format": [f for _, f in APPS.values()],
            "content_hash": [f"h{i}" for i in range(3)],
            "run_id": [run] * 3,
        },
    )
    eco, names, namespaces = zip(*(_name(p.purl) for p in PACKAGES), strict=True)
    insert_columns(
        session.conn,
        "packages",
        {
            "purl": [p.purl for p in PACKAGES],
            "ecosystem": list(eco),
            "namespace": list(namespaces),
            "name": list(names),
            "run_id": [run] * len(PACKAGES),
        },
    )
    app_rows: dict[str, list[Any]] = {
        k: [] for k in ("app", "purl", "version", "is_direct", "depth", "scope", "run_id")
    }
    edge_rows: dict[str, list[Any]] = {
        k: [] for k in ("app", "parent_purl", "parent_version", "child_purl", "child_version", "run_id")
    }
    versions = {p.purl: p.version for p in PACKAGES}
    for pkg in PACKAGES:
        for key in pkg.apps.split(","):
            for column, value in zip(
                app_rows,
                (
                    APP_KEYS[key],
                    pkg.purl,
                    pkg.version,
                    pkg.parent is None,
                    1 if pkg.parent is None else 2,
                    pkg.scope,
                    run,
                ),
                strict=True,
            ):
                app_rows[column].append(value)
            if pkg.parent:
                for column, value in zip(
                    edge_rows,
                    (APP_KEYS[key], pkg.parent, versions[pkg.parent], pkg.purl, pkg.version, run),
                    strict=True,
                ):
                    edge_rows[column].append(value)
    insert_columns(session.conn, "app_packages", app_rows)
    insert_columns(session.conn, "app_edges", edge_rows)
    session.count("applications", 3)
    session.count("packages", len(PACKAGES))


def _write_collected(session: WriteSession, second_run: bool) -> None:
    run = session.run_id
    conn = session.conn
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
        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    n = len(PACKAGES)
    fetched = NOW + (timedelta(days=7) if second_run else timedelta())
    insert_columns(
        conn,
        "package_metadata",
        {
            "purl": [p.purl for p in PACKAGES],
            "ecosystem": [_name(p.purl)[0] for p in PACKAGES],
            "latest_version": [p.version for p in PACKAGES],
            "summary": [
                HOSTILE_SUMMARY if p.purl == "pkg:npm/marked" else f"The {_name(p.purl)[1]} package."
                for p in PACKAGES
            ],
            "repository_url": [p.repo for p in PACKAGES],
            "license": ["MIT"] * n,
            "deprecated": ["use httpx instead" if p.purl == "pkg:pypi/six" else None for p in PACKAGES],
            "last_release_at": [NOW - timedelta(days=20 * i) for i in range(n)],
            "releases_last_12m": [i % 9 for i in range(n)],
            "fetched_at": [fetched] * n,
            "run_id": [run] * n,
        },
    )
    releases: dict[str, list[Any]] = {k: [] for k in ("purl", "version", "released_at", "yanked", "run_id")}
    for i, p in enumerate(PACKAGES):
        for k in range(3):
            for column, value in zip(
                releases,
                (
                    p.purl,
                    p.version if k == 0 else f"{p.version.split('.')[0]}.0.{k}",
                    NOW - timedelta(days=40 * (k + i)),
                    k == 2 and i % 10 == 0,
                    run,
                ),
                strict=True,
            ):
                releases[column].append(value)
    insert_columns(conn, "package_releases", releases)
    insert_columns(
        conn,
        "package_maintainers",
        {
            "purl": [p.purl for p in PACKAGES],
            "login": [f"maint-{_name(p.purl)[1]}" for p in PACKAGES],
            "email": [None] * n,
            "role": ["Owner"] * n,
            "source": [_name(p.purl)[0] for p in PACKAGES],
            "run_id": [run] * n,
        },
    )
    repos = sorted({p.repo for p in PACKAGES})
    insert_columns(
        conn,
        "repositories",
        {
            "url": repos,
            "host": ["github.com"] * len(repos),
            "status": ["ok"] * len(repos),
            "mined_at": [fetched] * len(repos),
            "run_id": [run] * len(repos),
        },
    )
    insert_columns(
        conn,
        "package_repositories",
        {
            "purl": [p.purl for p in PACKAGES],
            "repository_url": [p.repo for p in PACKAGES],
            "source": ["registry"] * n,
            "run_id": [run] * n,
        },
    )
    contributors: dict[str, list[Any]] = {
        k: []
        for k in (
            "repository_url",
            "person",
            "display_name",
            "org",
            "is_bot",
            "commits",
            "first_at",
            "last_at",
        )
    }
    activity: dict[str, list[Any]] = {
        k: [] for k in ("repository_url", "month", "active_contributors", "commits")
    }
    for r, repo in enumerate(repos):
        for k in range(8):
            for column, value in zip(
                contributors,
                (
                    repo,
                    f"dev{k}@{r}",
                    f"Developer {k}",
                    "acme" if k == 1 else None,
                    k == 7,
                    int(900 / (k + 1) ** 1.5) + r,
                    NOW - timedelta(days=2000),
                    NOW - timedelta(days=30 * k),
                ),
                strict=True,
            ):
                contributors[column].append(value)
        for m in range(24):
            for column, value in zip(
                activity,
                (repo, date(2024, 11, 1) + timedelta(days=31 * m), 2 + (m + r) % 5, 10 + (m * 7 + r) % 30),
                strict=True,
            ):
                activity[column].append(value)
    insert_columns(conn, "contributors", contributors)
    insert_columns(conn, "monthly_activity", activity)
    with_iface = [p for p in PACKAGES if p.interface]
    insert_columns(
        conn,
        "package_interfaces",
        {
            "purl": [p.purl for p in with_iface],
            "interface_id": [p.interface for p in with_iface],
            "source": ["catalogue"] * len(with_iface),
            "run_id": [run] * len(with_iface),
        },
    )
    funded = [p for p in PACKAGES if p.funding]
    insert_columns(
        conn,
        "funding_links",
        {
            "subject_kind": ["package"] * len(funded),
            "subject": [p.purl for p in funded],
            "url": [f"https://example.org/fund/{_name(p.purl)[1]}" for p in funded],
            "platform": [p.funding for p in funded],
            "label": ["Funding"] * len(funded),
            "source": ["pypi" if "pypi" in p.purl else "npm" for p in funded],
            "run_id": [run] * len(funded),
        },
    )
    # A repository's own FUNDING.yml: pydantic has no package-level link but its repository has one.
    insert_columns(
        conn,
        "funding_links",
        {
            "subject_kind": ["repository"],
            "subject": [_GH + "pydantic/pydantic"],
            "url": ["https://github.com/sponsors/pydantic"],
            "platform": ["github-sponsors"],
            "label": ["github"],
            "source": ["funding-yml"],
            "run_id": [run],
        },
    )
    insert_columns(
        conn,
        "catalogue_review",
        {
            "purl": ["pkg:pypi/alembic", "pkg:npm/%40tanstack/react-query"],
            "hint": ["sql", "http"],
            "evidence": ["summary mentions 'SQL migrations'", "keywords: fetch, http"],
            "confidence": [0.4, 0.3],
            "run_id": [run, run],
        },
    )
    scores = [row for p in PACKAGES for row in _package_scores(p, second_run)]
    write_scores(session, scores)
    session.count("metadata", n)
    session.count("scores", len(scores))
    if second_run:
        session.event(
            "error", "pkg:pypi/pika", "registry answered 503 three times; kept the previous metadata"
        )
        session.event("error", "pkg:pypi/pika", "repository clone timed out")
        session.event(
            "skipped", "pkg:npm/%40tanstack/react-query", "no repository URL in the registry metadata"
        )
        session.event("warning", "pkg:pypi/six", "package is deprecated")


def _write_catalogue(session: WriteSession) -> None:
    interfaces = sorted({p.interface for p in PACKAGES if p.interface})
    insert_columns(
        session.conn,
        "catalogue_interfaces",
        {
            "interface_id": interfaces,
            "name": [i.replace("-", " ") for i in interfaces],
            "kind": ["protocol"] * len(interfaces),
            "scope": ["ecosystem"] * len(interfaces),
        },
    )
    insert_columns(
        session.conn,
        "catalogue_stewards",
        {
            "steward_id": list(STEWARDS),
            "name": [v[0] for v in STEWARDS.values()],
            "kind": [v[1] for v in STEWARDS.values()],
            "country": [v[2] for v in STEWARDS.values()],
        },
    )
    with_iface = [p for p in PACKAGES if p.interface]
    insert_columns(
        session.conn,
        "catalogue_implementations",
        {
            "interface_id": [p.interface for p in with_iface],
            "purl": [p.purl for p in with_iface],
            "component": [None] * len(with_iface),
            "name": [_name(p.purl)[1] for p in with_iface],
            "lineage": [_name(p.purl)[1] for p in with_iface],
            "steward_id": [
                INTERFACE_STEWARD.get(
                    p.interface or "", "ietf" if p.fragility == "commons-grade" else "individual"
                )
                for p in with_iface
            ],
            "conformance": ["unknown"] * len(with_iface),
        },
    )


def _write_proposal(session: WriteSession) -> None:
    lines = [
        ("fastapi/fastapi", ["pkg:pypi/fastapi"], 4000.0, "github-sponsors"),
        ("encode/httpx", ["pkg:pypi/httpx", "pkg:pypi/httpcore"], 3000.0, "github-sponsors"),
        ("pyca/cryptography", ["pkg:pypi/cryptography"], 2000.0, "tidelift"),
        ("pydantic/pydantic", ["pkg:pypi/pydantic"], 1000.0, "no channel: contact the maintainers"),
    ]
    session.conn.execute(
        "INSERT INTO budget_proposals VALUES (1, 'Q1 plan', ?, 'need', 10000, 'EUR', ?, ?)",
        [NOW, json.dumps({"total": 10000, "method": "need", "min": 250, "cap": 0.4}), session.run_id],
    )
    insert_columns(
        session.conn,
        "budget_lines",
        {
            "proposal_id": [1] * len(lines),
            "project": [x[0] for x in lines],
            "packages": [x[1] for x in lines],
            "amount": [x[2] for x in lines],
            "channel": [x[3] for x in lines],
            "rationale": ["criticality x risk"] * len(lines),
        },
    )


def build_fixture_store(db_path: Path) -> Path:
    """Write the organisation into ``db_path`` through two write sessions (two runs of the ledger)."""
    with write_session(db_path, "refresh", {"fixture": True}) as session:
        create_contract_tables(session.conn)
        _write_inventory(session)
        _write_catalogue(session)
        _write_collected(session, second_run=False)
    with write_session(db_path, "refresh", {"only": "pypi,npm,git,standards,scores"}) as session:
        create_contract_tables(session.conn)
        _write_collected(session, second_run=True)
        _write_proposal(session)
    return db_path


if __name__ == "__main__":
    print(build_fixture_store(Path(sys.argv[1])))
