"""A synthetic organisation of 5,000 packages and 50 applications in a real store, for the dashboard benchmark.

Everything is written through the real migrations and the stores' own writers, as
``tests/dashboard/fixture_store.py`` does for the small fixture: inventory, the catalogue's ``cat_*`` tables,
registry and git tables, every score the pages read, two refresh runs (the second with per-package errors and
changed truck factors, for the History and Runs pages) and one saved budget proposal (``save_proposal``).

``python -m bench.dashboard_store PATH`` writes one, to look at with ``socle dashboard --db PATH``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import collectors.store.budget
import collectors.store.catalogue
import collectors.store.git
import collectors.store.registry  # noqa: F401 - each store module registers its tables for bulk writes
from analysis.budget.step import store_usage
from collectors.store import WriteSession, insert_columns, write_scores, write_session
from collectors.store.budget import save_proposal

NOW = datetime(2026, 11, 1, 6, 0)
GH = "https://github.com/"
FRAGILITY = ("commons-grade", "vigilance", "single-actor")
PLATFORMS = ("github-sponsors", "open-collective", "tidelift", "liberapay")


def _columns(count: int, run: int, **makers: Callable[[int], Any]) -> dict[str, list[Any]]:
    """Columns of ``count`` rows: each keyword is a column, its function gives the value of row ``i``."""
    columns = {name: [make(i) for i in range(count)] for name, make in makers.items()}
    columns["run_id"] = [run] * count
    return columns


class Organisation:
    """Deterministic names and shapes: package i, its repository, its interface, the applications using it."""

    def __init__(self, packages: int, apps: int, per_app: int = 400, direct_per_app: int = 40) -> None:
        self.purls = [
            f"pkg:npm/package-{i}" if i % 3 == 0 else f"pkg:pypi/package-{i}" for i in range(packages)
        ]
        self.repos = [f"{GH}org{i % 700}/repo{i}" for i in range(packages * 3 // 5)]
        self.apps = [f"app-{a:02d}" for a in range(apps)]
        self.interfaces = [f"interface-{k}" for k in range(80)]
        self.stewards = [f"steward-{k}" for k in range(30)]
        self.uses: list[tuple[int, int, int]] = []  # (app, package, rank in the app: < direct = direct)
        self.direct = direct_per_app
        for a in range(apps):
            chosen = list(dict.fromkeys((a * 97 + k * 13) % packages for k in range(per_app)))
            self.uses += [(a, i, k) for k, i in enumerate(chosen)]
        self.parent = {(a, i): (a * 97 + (k % direct_per_app) * 13) % packages for a, i, k in self.uses}

    def repo(self, i: int) -> str:
        return self.repos[i % len(self.repos)]

    def with_interface(self) -> list[int]:
        return list(range(0, len(self.purls), 2))


def _inventory(session: WriteSession, org: Organisation) -> None:
    run, n = session.run_id, len(org.purls)
    insert_columns(
        session.conn,
        "applications",
        _columns(
            len(org.apps),
            run,
            name=lambda a: org.apps[a],
            source=lambda a: f"apps/{org.apps[a]}/uv.lock",
            format=lambda a: "uv-lock",
            content_hash=lambda a: f"h{a}",
        ),
    )
    insert_columns(
        session.conn,
        "packages",
        _columns(
            n,
            run,
            purl=lambda i: org.purls[i],
            ecosystem=lambda i: "npm" if i % 3 == 0 else "pypi",
            namespace=lambda i: None,
            name=lambda i: f"package-{i}",
        ),
    )
    uses = org.uses
    insert_columns(
        session.conn,
        "app_packages",
        _columns(
            len(uses),
            run,
            app=lambda u: org.apps[uses[u][0]],
            purl=lambda u: org.purls[uses[u][1]],
            version=lambda u: "1.0",
            is_direct=lambda u: uses[u][2] < org.direct,
            depth=lambda u: 1 if uses[u][2] < org.direct else 2 + uses[u][2] % 4,
            scope=lambda u: "dev" if uses[u][2] % 9 == 0 else "runtime",
        ),
    )
    edges = [(a, org.parent[a, i], i) for a, i, k in uses if k >= org.direct]
    insert_columns(
        session.conn,
        "app_edges",
        _columns(
            len(edges),
            run,
            app=lambda e: org.apps[edges[e][0]],
            parent_purl=lambda e: org.purls[edges[e][1]],
            parent_version=lambda e: "1.0",
            child_purl=lambda e: org.purls[edges[e][2]],
            child_version=lambda e: "1.0",
        ),
    )


def _catalogue(session: WriteSession, org: Organisation) -> None:
    run = session.run_id
    origin = {"source": lambda _: "https://example.org/catalogue", "origin": lambda _: "catalogue"}
    insert_columns(
        session.conn,
        "cat_interfaces",
        _columns(
            len(org.interfaces),
            run,
            id=lambda k: org.interfaces[k],
            title=lambda k: f"Interface {k}",
            kind=lambda k: "protocol",
            scope=lambda k: "ecosystem",
            domain=lambda k: "web",
            file=lambda _: "interfaces/web.toml",
            **origin,
        ),
    )
    insert_columns(
        session.conn,
        "cat_stewards",
        _columns(
            len(org.stewards),
            run,
            id=lambda k: org.stewards[k],
            name=lambda k: f"Steward {k}",
            kind=lambda k: ("company", "foundation", "community")[k % 3],
            country=lambda k: ("US", "DE", None)[k % 3],
            url=lambda _: "https://example.org",
            file=lambda _: "stewards.toml",
            **origin,
        ),
    )
    implemented = org.with_interface()
    insert_columns(
        session.conn,
        "cat_implementations",
        _columns(
            len(implemented),
            run,
            interface_id=lambda k: org.interfaces[implemented[k] % 80],
            subject=lambda k: org.purls[implemented[k]],
            purl=lambda k: org.purls[implemented[k]],
            component=lambda _: None,
            name=lambda k: f"package-{implemented[k]}",
            lineage=lambda k: f"lineage-{implemented[k] % 160}",
            steward=lambda k: org.stewards[implemented[k] % 30],
            conformance=lambda _: "unknown",
            evidence=lambda _: "https://example.org",
            ecosystem=lambda k: org.purls[implemented[k]][4:].split("/")[0],
            origin=lambda _: "catalogue",
            file=lambda _: "interfaces/web.toml",
        ),
    )


def _collected(session: WriteSession, org: Organisation, second: bool) -> None:
    """What a refresh writes: registry, git and catalogue-detection tables (replaced whole) and scores."""
    conn, run, n = session.conn, session.run_id, len(org.purls)
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
    fetched = NOW + timedelta(days=7 if second else 0)
    insert_columns(
        conn,
        "package_metadata",
        _columns(
            n,
            run,
            purl=lambda i: org.purls[i],
            ecosystem=lambda i: "npm" if i % 3 == 0 else "pypi",
            latest_version=lambda _: "1.4.0",
            summary=lambda i: f"The package-{i} library.",
            repository_url=org.repo,
            license=lambda _: "MIT",
            deprecated=lambda i: "use package-1 instead" if i % 500 == 7 else None,
            first_release_at=lambda i: NOW - timedelta(days=2000 + i % 900),
            last_release_at=lambda i: NOW - timedelta(days=i % 700),
            releases_last_12m=lambda i: i % 12,
            fetched_at=lambda _: fetched,
        ),
    )
    insert_columns(
        conn,
        "package_releases",
        _columns(
            n * 5,
            run,
            purl=lambda r: org.purls[r // 5],
            version=lambda r: f"1.{r % 5}.0",
            released_at=lambda r: NOW - timedelta(days=60 * (r % 5) + r // 5 % 300),
            yanked=lambda r: r % 97 == 0,
        ),
    )
    insert_columns(
        conn,
        "package_maintainers",
        _columns(
            n,
            run,
            purl=lambda i: org.purls[i],
            login=lambda i: f"maintainer-{i % 900}",
            email=lambda _: None,
            role=lambda _: "Owner",
            source=lambda i: "npm" if i % 3 == 0 else "pypi",
        ),
    )
    r = len(org.repos)
    insert_columns(
        conn,
        "repositories",
        _columns(
            r,
            run,
            url=lambda j: org.repos[j],
            host=lambda _: "github.com",
            status=lambda _: "ok",
            mined_at=lambda _: fetched,
        ),
    )
    insert_columns(
        conn,
        "package_repositories",
        _columns(
            n, run, purl=lambda i: org.purls[i], repository_url=org.repo, source=lambda _: "package-metadata"
        ),
    )
    insert_columns(
        conn,
        "contributors",
        _columns(
            r * 10,
            run,
            repository_url=lambda c: org.repos[c // 10],
            person=lambda c: f"dev{c % 10}@{c // 10}",
            display_name=lambda c: f"Developer {c % 10}",
            org=lambda c: "acme" if c % 10 == 1 else None,
            is_bot=lambda c: c % 10 == 9,
            commits=lambda c: 500 // (c % 10 + 1),
            first_at=lambda _: NOW - timedelta(days=2000),
            last_at=lambda c: NOW - timedelta(days=30 * (c % 10)),
        ),
    )
    insert_columns(
        conn,
        "monthly_activity",
        _columns(
            r * 24,
            run,
            repository_url=lambda m: org.repos[m // 24],
            month=lambda m: date(2024 + (10 + m % 24) // 12, (10 + m % 24) % 12 + 1, 1),
            active_contributors=lambda m: 1 + (m // 24 + m % 24) % 6,
            commits=lambda m: 5 + m % 24,
        ),
    )
    implemented = org.with_interface()
    insert_columns(
        conn,
        "package_interfaces",
        _columns(
            len(implemented),
            run,
            purl=lambda k: org.purls[implemented[k]],
            interface_id=lambda k: org.interfaces[implemented[k] % 80],
            source=lambda _: "catalogue",
        ),
    )
    funded = list(range(1, n, 2))
    insert_columns(
        conn,
        "funding_links",
        _columns(
            len(funded),
            run,
            subject_kind=lambda _: "package",
            subject=lambda k: org.purls[funded[k]],
            url=lambda k: f"https://example.org/fund/{funded[k]}",
            platform=lambda k: PLATFORMS[k % 4],
            label=lambda _: "Funding",
            source=lambda k: "npm" if funded[k] % 3 == 0 else "pypi",
        ),
    )
    hinted = list(range(1, min(n, 400), 7))
    insert_columns(
        conn,
        "detection_hints",
        _columns(
            len(hinted),
            run,
            purl=lambda k: org.purls[hinted[k]],
            kind=lambda _: "standard",
            value=lambda _: "ietf:rfc7519",
            field=lambda _: "summary",
            evidence=lambda _: "summary mentions RFC 7519",
            confidence=lambda _: 0.4,
            suggested=lambda _: ["interface-1"],
            matched=lambda _: False,
        ),
    )
    write_scores(session, [row for i in range(n) for row in _scores(org, i, second)])
    if second:
        for i in range(200):
            session.event("error" if i % 2 else "skipped", org.purls[i], "registry answered 503")
    session.count("packages", n)


def _scores(org: Organisation, i: int, second: bool) -> list[dict[str, Any]]:
    truck = 1 + (i * 7 + int(second)) % 6
    label = FRAGILITY[i % 3]
    base = {"subject_kind": "package", "subject": org.purls[i], "version": "1", "status": "ok", "label": None}
    developers = [
        {"name": f"dev{k}@{i}", "files": 40 - 5 * k, "share": round(0.6 / (k + 1), 2)} for k in range(truck)
    ]
    options = [
        {"purl_or_component": org.purls[(i + k) % len(org.purls)], "lineage": f"l{k}", "steward": "steward-1",
         "truck_factor": k}
        for k in (1, 2)
    ]  # fmt: skip
    rows = [
        {"name": "truck_factor", "value": float(truck), "reason": f"truck factor {truck}.",
         "details": {"developers": developers, "files_counted": 120, "variant": "greedy"}},
        {"name": "active_maintainers", "value": float(truck + 1), "reason": "committers in 12 months."},
        {"name": "days_since_last_commit", "value": float(i % 400), "reason": "days since the last commit."},
        {"name": "publishers", "value": float(1 + i % 3), "reason": "people who can publish."},
        {"name": "criticality", "value": (i % 100) / 100, "reason": "used by the organisation.",
         "details": {"apps": 1 + i % 5, "direct_apps": i % 2, "min_depth": 1 + i % 3, "scope": "runtime"}},
        {"name": "openssf_criticality", "value": (i % 70) / 100, "reason": "OpenSSF criticality."},
        {"name": "risk", "value": ((i * 31) % 100) / 100, "reason": "composed risk.",
         "details": {"components": {"maintainers": round(1 / truck, 2)}, "weights": {"maintainers": 0.5}}},
    ]  # fmt: skip
    if i % 2 == 0:  # packages with an interface
        rows += [
            {"name": "standardisation", "value": float(i % 4), "reason": "openness of the standard."},
            {"name": "implementation_diversity", "value": 1.0 + i % 4, "reason": "lineages in use."},
            {"name": "fragility", "value": float(2 - i % 3), "label": label, "reason": f"{label}."},
            {"name": "exit_options", "value": 2.0, "reason": "two options.", "details": {"options": options}},
        ]
    return [base | row for row in rows]


def _proposal(session: WriteSession, org: Organisation) -> None:
    head = {"created_at": NOW, "method": "need", "total": 50000, "currency": "EUR",
            "parameters": {"method": "need", "total": 50000, "currency": "EUR", "min": 250, "per": "project"},
            "data_as_of": NOW}  # fmt: skip
    lines = [
        {"project": org.repos[k], "packages": [org.purls[k]], "amount": 250, "weight": 0.005,
         "platform": "open-collective", "channel": f"open-collective: https://example.org/fund/{k}",
         "recipients": [], "rationale": "criticality x risk"}
        for k in range(200)
    ]  # fmt: skip
    save_proposal(session, head, lines)


def build_store(db: Path, packages: int = 5000, apps: int = 50) -> Path:
    """Two refresh runs (the second partial) and a saved proposal, as ``socle`` would leave them."""
    org = Organisation(packages, apps)
    with write_session(db, "refresh", {"bench": 1}) as session:
        _inventory(session, org)
        _catalogue(session, org)
        _collected(session, org, second=False)
    with write_session(db, "refresh", {"bench": 2}) as session:
        _collected(session, org, second=True)
        store_usage(session)  # as the refresh's criticality step leaves it
        _proposal(session, org)
    return db


if __name__ == "__main__":
    print(build_store(Path(sys.argv[1])))
