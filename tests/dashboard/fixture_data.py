"""The fixture organisation as data: its packages (one table), stewards and every package's scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


GH = "https://github.com/"
# apps: c = citizen-portal-api, s = services-web, o = open-data-pipeline; through: the parent of a transitive
# dependency; tf: truck factor; "-" means none.
_TABLE = """
purl                            version apps through                  repository                        tf interface                fragility     funding         scope
pkg:pypi/fastapi                0.115.4 c    -                        fastapi/fastapi                   1  asgi-framework           vigilance     github-sponsors runtime
pkg:pypi/starlette              0.41.2  c    pkg:pypi/fastapi         encode/starlette                  2  asgi-framework           vigilance     github-sponsors runtime
pkg:pypi/uvicorn                0.32.0  c    -                        encode/uvicorn                    2  asgi-server              commons-grade github-sponsors runtime
pkg:pypi/sqlalchemy             2.0.36  c,o  -                        sqlalchemy/sqlalchemy             1  sql-orm                  commons-grade github-sponsors runtime
pkg:pypi/psycopg                3.2.3   c    -                        psycopg/psycopg                   1  postgresql-wire-protocol commons-grade open-collective runtime
pkg:pypi/alembic                1.14.0  c    -                        sqlalchemy/alembic                1  -                        -             github-sponsors runtime
pkg:pypi/pydantic               2.9.2   c    -                        pydantic/pydantic                 3  data-validation          single-actor  -               runtime
pkg:pypi/pydantic-core          2.23.4  c    pkg:pypi/pydantic        pydantic/pydantic-core            2  -                        -             -               runtime
pkg:pypi/httpx                  0.27.2  c    -                        encode/httpx                      1  http-client              commons-grade github-sponsors runtime
pkg:pypi/httpcore               1.0.6   c    pkg:pypi/httpx           encode/httpcore                   1  http-client              commons-grade -               runtime
pkg:pypi/pyjwt                  2.9.0   c    -                        jpadilla/pyjwt                    1  jwt                      commons-grade -               runtime
pkg:pypi/cryptography           43.0.3  c    -                        pyca/cryptography                 3  tls-crypto               commons-grade tidelift        runtime
pkg:pypi/cffi                   1.17.1  c    pkg:pypi/cryptography    python-cffi/cffi                  1  -                        -             -               runtime
pkg:pypi/redis                  5.2.0   c    -                        redis/redis-py                    4  redis-protocol           single-actor  -               runtime
pkg:pypi/celery                 5.4.0   c    -                        celery/celery                     2  task-queue               single-actor  open-collective runtime
pkg:pypi/jinja2                 3.1.4   c    -                        pallets/jinja                     1  template-language        vigilance     github-sponsors runtime
pkg:pypi/markupsafe             3.0.2   c    pkg:pypi/jinja2          pallets/markupsafe                1  -                        -             github-sponsors runtime
pkg:pypi/python-dateutil        2.9.0   c,o  -                        dateutil/dateutil                 1  iso-8601                 commons-grade tidelift        runtime
pkg:pypi/six                    1.16.0  c,o  pkg:pypi/python-dateutil benjaminp/six                     1  -                        -             -               runtime
pkg:pypi/babel                  2.16.0  c    -                        python-babel/babel                2  unicode-cldr             commons-grade -               runtime
pkg:pypi/pytest                 8.3.3   c    -                        pytest-dev/pytest                 5  test-runner              single-actor  open-collective dev
pkg:pypi/requests               2.32.3  o    -                        psf/requests                      3  http-client              commons-grade open-collective runtime
pkg:pypi/urllib3                2.2.3   o    pkg:pypi/requests        urllib3/urllib3                   2  http-client              commons-grade open-collective runtime
pkg:pypi/lxml                   5.3.0   o    -                        lxml/lxml                         1  xml                      commons-grade -               runtime
pkg:pypi/pyyaml                 6.0.2   o    -                        yaml/pyyaml                       1  yaml                     commons-grade -               runtime
pkg:pypi/pandas                 2.2.3   o    -                        pandas-dev/pandas                 6  dataframe                single-actor  open-collective runtime
pkg:pypi/numpy                  2.1.3   o    pkg:pypi/pandas          numpy/numpy                       5  array                    vigilance     open-collective runtime
pkg:pypi/paramiko               3.5.0   o    -                        paramiko/paramiko                 1  ssh                      commons-grade tidelift        runtime
pkg:pypi/pika                   1.3.2   o    -                        pika/pika                         1  amqp                     commons-grade -               runtime
pkg:pypi/defusedxml             0.7.1   o    -                        tiran/defusedxml                  1  xml                      commons-grade -               runtime
pkg:pypi/click                  8.1.7   o    -                        pallets/click                     1  cli-parser               single-actor  github-sponsors runtime
pkg:npm/react                   18.3.1  s    -                        facebook/react                    4  ui-component-library     single-actor  -               runtime
pkg:npm/react-dom               18.3.1  s    -                        facebook/react                    4  ui-component-library     single-actor  -               runtime
pkg:npm/scheduler               0.23.2  s    pkg:npm/react-dom        facebook/react                    4  -                        -             -               runtime
pkg:npm/axios                   1.7.7   s    -                        axios/axios                       1  http-client              commons-grade open-collective runtime
pkg:npm/follow-redirects        1.15.9  s    pkg:npm/axios            follow-redirects/follow-redirects 1  -                        -             github-sponsors runtime
pkg:npm/date-fns                4.1.0   s    -                        date-fns/date-fns                 1  iso-8601                 commons-grade open-collective runtime
pkg:npm/i18next                 23.16.4 s    -                        i18next/i18next                   1  i18n                     vigilance     github-sponsors runtime
pkg:npm/dompurify               3.1.7   s    -                        cure53/DOMPurify                  1  html-sanitizer           vigilance     github-sponsors runtime
pkg:npm/marked                  14.1.3  s    -                        markedjs/marked                   2  commonmark               commons-grade -               runtime
pkg:npm/zod                     3.23.8  s    -                        colinhacks/zod                    1  data-validation          single-actor  github-sponsors runtime
pkg:npm/ws                      8.18.0  s    -                        websockets/ws                     1  websocket                commons-grade open-collective runtime
pkg:npm/%40tanstack/react-query 5.59.16 s    -                        TanStack/query                    1  -                        -             github-sponsors runtime
pkg:npm/vite                    5.4.10  s    -                        vitejs/vite                       2  bundler                  vigilance     open-collective dev
"""


def _parse(table: str) -> list[Pkg]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    return [
        Pkg(
            purl,
            version,
            apps,
            None if through == "-" else through,
            GH + repo,
            int(tf),
            None if interface == "-" else interface,
            None if fragility == "-" else fragility,
            None if funding == "-" else funding,
            scope,
        )
        for purl, version, apps, through, repo, tf, interface, fragility, funding, scope in rows
    ]


PACKAGES = _parse(_TABLE)
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
    "linux-foundation": ("The Linux Foundation", "foundation", "US"),
}
#: steward -> its ultimate parent, where it has one (the OpenJS Foundation is a Linux Foundation entity)
ULTIMATE_PARENT = {"openjs-foundation": "linux-foundation"}
INTERFACE_STEWARD = {
    "ui-component-library": "meta",
    "redis-protocol": "redis-ltd",
    "data-validation": "pydantic-services",
    "dataframe": "numfocus",
    "array": "numfocus",
    "task-queue": "individual",
    "test-runner": "openjs-foundation",  # Jest and Mocha are OpenJS projects
    "cli-parser": "individual",
}


def name_parts(purl: str) -> tuple[str, str, str | None]:
    ecosystem, rest = purl.removeprefix("pkg:").split("/", 1)
    if "/" in rest:
        namespace, name = rest.split("/", 1)
        return ecosystem, name, namespace.replace("%40", "@")
    return ecosystem, rest, None


def package_scores(pkg: Pkg, second_run: bool) -> list[dict[str, Any]]:
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
            "details": {
                "components": {"truck_factor": {"value": round(1 / truck, 2), "weight": 3.0}},
                "weights": {"truck_factor": 3.0},
            },
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
                "name": name_parts(a.purl)[1],
                "lineage": name_parts(a.purl)[1],
                "steward": "individual",
                "cost": "port",
                # react-dom is react's own lineage: not an independent exit
                "control": "same lineage" if name_parts(a.purl)[1].startswith("react") else "independent",
                "cost_evidence": f"both implement the {pkg.interface} interface",
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
