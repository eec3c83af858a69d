"""A small, realistic organisation in a real DuckDB store, for dashboard tests and manual checks.

``python -m tests.dashboard.fixture_store PATH`` writes one; ``socle dashboard --db PATH`` shows it.
Three applications, 44 packages, repositories with contributors and activity, every score with a reason,
funding links, two runs (the second partial, with per-package errors) and a saved budget proposal
(written by the budget store's own ``save_proposal``).
One package summary is hostile on purpose (a script tag and a Markdown link): pages must show it as text.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import collectors.store.catalogue
import collectors.store.git
import collectors.store.registry  # noqa: F401 - registers the registry tables for bulk writes
from analysis.risk import DEFAULT_WEIGHTS_PATH
from collectors.store import WriteSession, insert_columns, write_scores, write_session
from collectors.store.budget import save_proposal
from tests.dashboard.fixture_data import (
    APP_KEYS,
    APPS,
    GH,
    HOSTILE_SUMMARY,
    INTERFACE_STEWARD,
    NOW,
    PACKAGES,
    STEWARDS,
    ULTIMATE_PARENT,
    name_parts,
    package_scores,
)

__all__ = ["HOSTILE_SUMMARY", "PACKAGES", "build_fixture_store"]


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
    eco, names, namespaces = zip(*(name_parts(p.purl) for p in PACKAGES), strict=True)
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
        "detection_hints",
    ):
        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    n = len(PACKAGES)
    fetched = NOW + (timedelta(days=7) if second_run else timedelta())
    insert_columns(
        conn,
        "package_metadata",
        {
            "purl": [p.purl for p in PACKAGES],
            "ecosystem": [name_parts(p.purl)[0] for p in PACKAGES],
            "latest_version": [p.version for p in PACKAGES],
            "summary": [
                HOSTILE_SUMMARY if p.purl == "pkg:npm/marked" else f"The {name_parts(p.purl)[1]} package."
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
            "login": [f"maint-{name_parts(p.purl)[1]}" for p in PACKAGES],
            "email": [None] * n,
            "role": ["Owner"] * n,
            "source": [name_parts(p.purl)[0] for p in PACKAGES],
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
    contributors["run_id"] = [run] * len(contributors["person"])
    activity["run_id"] = [run] * len(activity["month"])
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
            "url": [f"https://example.org/fund/{name_parts(p.purl)[1]}" for p in funded],
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
            "subject": [GH + "pydantic/pydantic"],
            "url": ["https://github.com/sponsors/pydantic"],
            "platform": ["github-sponsors"],
            "label": ["github"],
            "source": ["funding-yml"],
            "run_id": [run],
        },
    )
    insert_columns(
        conn,
        "detection_hints",
        {
            "purl": ["pkg:pypi/alembic", "pkg:npm/%40tanstack/react-query"],
            "kind": ["family", "keyword"],
            "value": ["sql", "http"],
            "field": ["summary", "keywords"],
            "evidence": ["summary mentions 'SQL migrations'", "keywords: fetch, http"],
            "confidence": [0.4, 0.3],
            "suggested": [["sql-toolkit-orm"], ["http-client"]],
            "matched": [False, False],
            "run_id": [run, run],
        },
    )
    scores = [row for p in PACKAGES for row in package_scores(p, second_run)]
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
    run, n = session.run_id, len(interfaces)
    origin = {"source": ["https://example.org/catalogue"], "origin": ["catalogue"], "file": ["fixture.toml"]}
    insert_columns(
        session.conn,
        "cat_interfaces",
        {
            "id": interfaces,
            "title": [i.replace("-", " ") for i in interfaces],
            "kind": ["protocol"] * n,
            "scope": ["ecosystem"] * n,
            "domain": ["web"] * n,
            **{k: v * n for k, v in origin.items()},
            "run_id": [run] * n,
        },
    )
    m = len(STEWARDS)
    insert_columns(
        session.conn,
        "cat_stewards",
        {
            "id": list(STEWARDS),
            "name": [v[0] for v in STEWARDS.values()],
            "kind": [v[1] for v in STEWARDS.values()],
            "country": [v[2] for v in STEWARDS.values()],
            "url": ["https://example.org"] * m,
            "ultimate_parent": [ULTIMATE_PARENT.get(s, s) for s in STEWARDS],
            **{k: v * m for k, v in origin.items()},
            "run_id": [run] * m,
        },
    )
    with_iface = [p for p in PACKAGES if p.interface]
    k = len(with_iface)
    insert_columns(
        session.conn,
        "cat_implementations",
        {
            "interface_id": [p.interface for p in with_iface],
            "subject": [p.purl for p in with_iface],
            "purl": [p.purl for p in with_iface],
            "component": [None] * k,
            "name": [name_parts(p.purl)[1] for p in with_iface],
            "lineage": [name_parts(p.purl)[1] for p in with_iface],
            "steward": [
                INTERFACE_STEWARD.get(
                    p.interface or "", "ietf" if p.fragility == "commons-grade" else "individual"
                )
                for p in with_iface
            ],
            "conformance": ["unknown"] * k,
            "evidence": ["https://example.org"] * k,
            "ecosystem": [name_parts(p.purl)[0] for p in with_iface],
            "origin": ["catalogue"] * k,
            "file": ["fixture.toml"] * k,
            "run_id": [run] * k,
        },
    )


#: The saved proposal "Q1 plan": (project, packages, amount, platform, channel as shown).
SAVED_LINES = [
    (GH + "fastapi/fastapi", ["fastapi"], 4000, "github-sponsors", "https://example.org/fund/fastapi"),
    (GH + "encode/httpx", ["httpx"], 3000, "github-sponsors", "https://example.org/fund/httpx"),
    (GH + "pyca/cryptography", ["cryptography"], 2000, "tidelift", "https://example.org/fund/cryptography"),
    (GH + "pydantic/pydantic", ["pydantic"], 1000, None, None),
]
SAVED_PARAMETERS = {
    "method": "need",
    "total": 10000,
    "currency": "EUR",
    "min": 250,
    "cap": 0.4,
    "exclude": [],
    "boost": {},
    "per": "project",
    "company_evidence": ["elephant", "steward"],
    "risk_weights": str(DEFAULT_WEIGHTS_PATH),
}


def _write_proposal(session: WriteSession) -> None:
    head = {
        "created_at": NOW,
        "method": "need",
        "total": 10000,
        "currency": "EUR",
        "parameters": SAVED_PARAMETERS,
        "data_as_of": NOW,
    }
    lines = [
        {
            "project": project,
            "packages": packages,
            "amount": amount,
            "weight": amount / 10000,
            "platform": platform,
            "channel": f"{platform}: {url}" if platform else "no channel: contact the maintainers",
            "recipients": [],
            "rationale": "criticality x risk",
        }
        for project, packages, amount, platform, url in SAVED_LINES
    ]
    save_proposal(session, head, lines)


def build_fixture_store(db_path: Path) -> Path:
    """Write the organisation into ``db_path`` through two write sessions (two runs of the ledger)."""
    with write_session(db_path, "refresh", {"fixture": True}) as session:
        _write_inventory(session)
        _write_catalogue(session)
        _write_collected(session, second_run=False)
    with write_session(db_path, "refresh", {"only": "pypi,npm,git,standards,scores"}) as session:
        _write_collected(session, second_run=True)
        _write_proposal(session)
    _pin_run_times(db_path)
    return db_path


def _pin_run_times(db_path: Path) -> None:
    """The ledger's times as of the fixture's own clock, not the day the store is built: budgets count ages
    from the last collecting run, so a fixture dated by the wall clock would give other amounts each day."""
    import duckdb

    with duckdb.connect(str(db_path)) as conn:
        for run_id, start in ((1, NOW), (2, NOW + timedelta(days=7))):
            conn.execute(
                "UPDATE runs SET started_at = ?, ended_at = ? WHERE run_id = ?",
                [start, start + timedelta(minutes=5), run_id],
            )


if __name__ == "__main__":
    print(build_fixture_store(Path(sys.argv[1])))
