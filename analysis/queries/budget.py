"""Read side of criticality, risk and budgets: usage, reverse reach, registry and git facts, proposals.

Tables written by other areas (registry, git, standards) may not exist in a store yet (a store that was
only imported). Each query here checks the tables it needs and returns nothing when they are absent;
``BudgetData.missing_tables`` says which were absent so scores can name the missing inputs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import duckdb
import numpy as np

from analysis.queries import table_names
from collectors.gcpause import gc_paused
from collectors.git.funding import FundingHistory, FundingPlan

#: Runs that collect data (``runs.kind``): "data as of" is the end of the last of them, never a budget save.
COLLECTING_RUNS = ("import", "refresh", "mine", "add-repo", "standards")

#: Scores of other areas that risk and eligibility read (subject_kind 'package'); only these are loaded.
INPUT_SCORES = (
    "truck_factor",
    "contributor_absence_factor",
    "active_maintainers",
    "days_since_last_commit",
    "elephant_factor",
    "fragility",
    "vulnerabilities",
    "lifecycle",
    "provenance",
)


@dataclass(frozen=True)
class Usage:
    """How the organisation uses one package (from the inventory)."""

    purl: str
    apps: int
    direct_apps: int
    min_depth: int | None
    scope: str  # runtime | optional | dev (the strongest scope across applications)
    reverse_reach: int = 0  # the organisation's packages that depend on it, transitively


@dataclass(frozen=True)
class InputScores:
    """The scores of other areas one package has, as risk and eligibility read them: a value only when its
    status is ``ok`` (otherwise None, as when the score is absent)."""

    truck_factor: float | None = None
    # The share of files the truck factor's top developer holds (``details.developers[0].share``), the one
    # detail risk reads: read in SQL, so no score's JSON details is parsed in Python.
    truck_top_share: float | None = None
    contributor_absence_factor: float | None = None
    active_maintainers: float | None = None
    days_since_last_commit: float | None = None
    elephant_factor: float | None = None
    fragility: str | None = None  # the label
    vulnerabilities: float | None = None  # exposed advisories on the versions in use (None: not collected)
    vulnerability_severity: str | None = None  # the highest severity among them (label)
    vulnerability_reason: str | None = (
        None  # "2 known vulnerabilities in 1.26.5, one high, fixed in 1.26.17."
    )
    lifecycle: str | None = None  # active | finished | dormant | deprecated | yanked | archived | quarantined
    lifecycle_reason: str | None = None
    provenance: str | None = None  # changed | attested | unattested (label)
    provenance_reason: str | None = None


@dataclass(frozen=True)
class Metadata:
    license: str | None
    classifiers: tuple[str, ...]
    deprecated: str | None
    first_release_at: datetime | None
    last_release_at: datetime | None
    releases_last_12m: int | None
    repository_url: str | None
    fetched_at: datetime | None


@dataclass(frozen=True)
class RepoActivity:
    contributor_count: int
    org_count: int
    first_commit_at: datetime | None
    last_commit_at: datetime | None
    commits_last_12m: int | None


@dataclass(frozen=True)
class FundingLink:
    url: str
    platform: str | None
    source: str
    subject_kind: str


@dataclass(frozen=True)
class BudgetData:
    """Everything criticality, risk and budgets read, keyed by purl (or repository URL)."""

    total_apps: int
    usage: Mapping[str, Usage]
    direct: frozenset[str]
    # parent purl -> children (the StackAid method walks it); None when ``load`` was told not to read it.
    children: Mapping[str, tuple[str, ...]] | None
    metadata: Mapping[str, Metadata] = field(default_factory=dict)
    yanked_last_12m: Mapping[str, int] = field(default_factory=dict)
    repository: Mapping[str, str] = field(default_factory=dict)
    scores: Mapping[str, InputScores] = field(default_factory=dict)
    activity: Mapping[str, RepoActivity] = field(default_factory=dict)  # the OpenSSF signals' (``openssf``)
    last_commit: Mapping[str, datetime] = field(default_factory=dict)  # repository URL -> its last commit
    funding: Mapping[str, tuple[FundingLink, ...]] = field(default_factory=dict)
    steward_kind: Mapping[str, str] = field(default_factory=dict)
    # Repositories whose files were read (``repositories.status = 'ok'``): their funding files are known.
    mined: frozenset[str] = frozenset()
    # purl -> (registry, login) of the people with publish rights: public contact points for outreach.
    maintainers: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    plans: Mapping[str, tuple[FundingPlan, ...]] = field(
        default_factory=dict
    )  # repository URL -> funding.json plans
    history: Mapping[str, tuple[FundingHistory, ...]] = field(
        default_factory=dict
    )  # repository URL -> history
    missing_tables: tuple[str, ...] = ()
    data_as_of: datetime | None = None
    now: datetime | None = None  # the moment ages (days since a release) are measured from
    # purl -> the project a package belongs to when no repository is known: for a Debian binary package, its
    # source package's page on Debian's tracker (every binary built from one source is one project).
    source_project: Mapping[str, str] = field(default_factory=dict)

    def project_of(self, purl: str) -> str:
        """The project a budget line of ``purl`` belongs to: its repository, else its source package's
        page, else the package itself."""
        return self.repository.get(purl) or self.source_project.get(purl) or purl


def _fetch_columns(
    conn: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] | None = None, *, bulk: bool = False
) -> list[list[Any]]:
    """The result of ``sql`` as one Python list per column, with the values ``fetchall`` gives (str, int,
    float, bool, datetime, list; NULL as None).

    ``bulk`` reads the columns through NumPy (``fetchnumpy`` then ``tolist``; a list value arrives as an
    array and is turned back into a list): two to four times faster on thousands of timestamps or lists, but
    slower than row tuples on strings and integers alone.
    """
    if bulk:
        columns = []
        for column in conn.execute(sql, params).fetchnumpy().values():
            values = column.tolist()
            if column.dtype == object:
                values = [v.tolist() if isinstance(v, np.ndarray) else v for v in values]
            columns.append(values)
        return columns if columns and columns[0] else []
    rows = conn.execute(sql, params).fetchall()
    return [list(column) for column in zip(*rows, strict=True)] if rows else []


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()
    return {str(r[0]) for r in rows}


def usage(
    conn: duckdb.DuckDBPyConnection, *, stored: bool = True, tables: set[str] | None = None
) -> dict[str, Usage]:
    """Applications using each package, directly or not, shortest depth, strongest scope, reverse reach.

    ``package_usage`` holds them when the last refresh wrote them and no import changed the graph since (an
    import empties it): then they are read from it (``stored``). Otherwise they are computed live, in one
    query: the usage aggregates joined to the recursive reverse reach (see ``reverse_reach``). Both give the
    same mapping; the refresh computes it live and stores it.
    """
    tables = set(table_names(conn)) if tables is None else tables
    if stored and "package_usage" in tables and not _is_empty(conn, "package_usage"):
        columns = _fetch_columns(
            conn,
            "SELECT purl, apps, direct_apps, min_depth, scope, reverse_reach FROM package_usage ORDER BY purl",
        )
    else:
        columns = _fetch_columns(conn, _LIVE_USAGE)
    return {
        p: Usage(p, a, d, m, s, n)
        for p, a, d, m, s, n in zip(*columns, strict=True)  # VARCHAR, BIGINT, INTEGER: str and int
    }


# Integer ids make the recursion's joins and duplicate checks about twice as fast as on purl strings;
# MATERIALIZED keeps the edge list from being recomputed at every step of the recursion (3x faster).
_REACH_CTES = """
    ids AS MATERIALIZED (
        SELECT purl, row_number() OVER (ORDER BY purl) AS id
        FROM (SELECT parent_purl AS purl FROM app_edges UNION SELECT child_purl FROM app_edges)
    ), edges AS MATERIALIZED (
        SELECT DISTINCT p.id AS parent, c.id AS child
        FROM app_edges e JOIN ids p ON p.purl = e.parent_purl JOIN ids c ON c.purl = e.child_purl
        WHERE p.id <> c.id
    ), reach(node, dependent) AS (
        SELECT child, parent FROM edges
        UNION
        SELECT r.node, e.parent FROM reach r JOIN edges e ON e.child = r.dependent
    ), reach_count AS (
        SELECT i.purl, count(*) FILTER (WHERE r.dependent <> r.node) AS n
        FROM reach r JOIN ids i ON i.id = r.node GROUP BY i.purl
    )
"""


_LIVE_USAGE = f"""
    WITH RECURSIVE {_REACH_CTES}, agg AS (
        SELECT purl, count(DISTINCT app) AS apps, count(DISTINCT app) FILTER (WHERE is_direct) AS direct_apps,
               min(depth) AS min_depth,
               CASE WHEN bool_or(scope = 'runtime') THEN 'runtime'
                    WHEN bool_or(scope = 'optional') THEN 'optional' ELSE 'dev' END AS scope
        FROM app_packages GROUP BY purl
    )
    SELECT a.purl, a.apps, a.direct_apps, a.min_depth, a.scope, coalesce(r.n, 0)
    FROM agg a LEFT JOIN reach_count r ON r.purl = a.purl ORDER BY a.purl
"""  # noqa: S608 (constants)


def reverse_reach(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many of the organisation's packages depend on each package, directly or transitively.

    A recursive walk up ``app_edges`` (versions merged); ``UNION`` (not ``UNION ALL``) drops pairs already
    found, so dependency cycles terminate. A package never counts itself.
    """
    rows = conn.execute(f"WITH RECURSIVE {_REACH_CTES} SELECT purl, n FROM reach_count").fetchall()  # noqa: S608
    return {str(p): int(n) for p, n in rows}


def total_apps(conn: duckdb.DuckDBPyConnection) -> int:
    row = conn.execute(
        "SELECT count(*) FROM (SELECT name FROM applications UNION SELECT app FROM app_packages)"
    ).fetchone()
    return int(row[0]) if row else 0


def children(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    """parent purl -> its children's purls (sorted), versions merged, self-edges left out."""
    rows = conn.execute(
        "SELECT parent_purl, list(child_purl ORDER BY child_purl) FROM "
        "(SELECT DISTINCT parent_purl, child_purl FROM app_edges WHERE parent_purl <> child_purl) "
        "GROUP BY parent_purl ORDER BY parent_purl"
    ).fetchall()
    return {parent: tuple(kids) for parent, kids in rows}


def _metadata(conn: duckdb.DuckDBPyConnection) -> dict[str, Metadata]:
    columns = _fetch_columns(
        conn,
        "SELECT purl, license, classifiers, deprecated, first_release_at, last_release_at, "
        "releases_last_12m, repository_url, fetched_at FROM package_metadata",
        bulk=True,  # three timestamps and a list per package
    )
    return {
        str(p): Metadata(lic, tuple(cl or ()), dep, first, last, n, url, fetched)
        for p, lic, cl, dep, first, last, n, url, fetched in zip(*columns, strict=True)
    }


def _scores(conn: duckdb.DuckDBPyConnection) -> dict[str, InputScores]:
    """One row per package (scores are unique per subject and name), pivoted in SQL."""
    columns = _fetch_columns(
        conn,
        f"""
        SELECT subject,
               {_ok_value("truck_factor")},
               max(CASE WHEN json_type(details, '$.developers[0].share') IN ('BIGINT', 'UBIGINT', 'DOUBLE')
                        THEN (details->>'$.developers[0].share')::DOUBLE END) FILTER (WHERE name = 'truck_factor'),
               {_ok_value("contributor_absence_factor")},
               {_ok_value("active_maintainers")},
               {_ok_value("days_since_last_commit")},
               {_ok_value("elephant_factor")},
               max(label) FILTER (WHERE name = 'fragility' AND status = 'ok'),
               {_ok_value("vulnerabilities")},
               max(label) FILTER (WHERE name = 'vulnerabilities' AND status = 'ok'),
               max(reason) FILTER (WHERE name = 'vulnerabilities' AND status = 'ok'),
               max(label) FILTER (WHERE name = 'lifecycle' AND status = 'ok'),
               max(reason) FILTER (WHERE name = 'lifecycle' AND status = 'ok'),
               max(label) FILTER (WHERE name = 'provenance' AND status = 'ok'),
               max(reason) FILTER (WHERE name = 'provenance' AND status = 'ok')
        FROM scores WHERE subject_kind = 'package' AND name IN ({", ".join("?" for _ in INPUT_SCORES)})
        GROUP BY subject
        """,  # noqa: S608 (names from INPUT_SCORES, values as parameters)
        list(INPUT_SCORES),
    )
    return {row[0]: InputScores(*row[1:]) for row in zip(*columns, strict=True)}


def _ok_value(name: str) -> str:
    if name not in INPUT_SCORES:
        raise ValueError(f"not an input score: {name}")
    return f"max(value) FILTER (WHERE name = '{name}' AND status = 'ok')"


def _activity(conn: duckdb.DuckDBPyConnection, tables: set[str], since: datetime) -> dict[str, RepoActivity]:
    if "contributors" not in tables:
        return {}
    commits: dict[str, int] = {}
    if "monthly_activity" in tables:
        commits = {
            str(u): int(n)
            for u, n in conn.execute(
                "SELECT repository_url, sum(commits) FROM monthly_activity WHERE month >= ? GROUP BY 1",
                [since.date().replace(day=1)],
            ).fetchall()
        }
    columns = _fetch_columns(
        conn,
        "SELECT repository_url, count(DISTINCT person) FILTER (WHERE NOT coalesce(is_bot, FALSE)), "
        "count(DISTINCT org) FILTER (WHERE NOT coalesce(is_bot, FALSE)), min(first_at), max(last_at) "
        "FROM contributors GROUP BY repository_url",
        bulk=True,
    )
    return {
        str(u): RepoActivity(
            int(c), int(o), f, la, commits.get(str(u), 0 if "monthly_activity" in tables else None)
        )
        for u, c, o, f, la in zip(*columns, strict=True)
    }


def _last_commits(conn: duckdb.DuckDBPyConnection, tables: set[str]) -> dict[str, datetime]:
    """Repository URL -> the last commit of any of its contributors (``RepoActivity.last_commit_at``)."""
    if "contributors" not in tables:
        return {}
    columns = _fetch_columns(
        conn,
        "SELECT repository_url, max(last_at) FROM contributors GROUP BY repository_url HAVING max(last_at) IS NOT NULL",
        bulk=True,
    )
    return {str(u): t for u, t in zip(*columns, strict=True)}


def _funding(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[FundingLink, ...]]:
    out: dict[str, list[FundingLink]] = {}
    columns = _fetch_columns(
        conn,
        "SELECT DISTINCT subject_kind, subject, url, platform, source FROM funding_links ORDER BY 1, 2, 3, 5",
    )
    for subject_kind, subject, url, platform, source in zip(*columns, strict=True):
        out.setdefault(str(subject), []).append(
            FundingLink(str(url), platform, str(source), str(subject_kind))
        )
    return {k: tuple(v) for k, v in out.items()}


def _is_empty(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    if table not in _OPTIONAL_TABLES:
        raise ValueError(f"not an optional table: {table}")
    return conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1)").fetchone() == (0,)  # noqa: S608


_OPTIONAL_TABLES = frozenset(
    {
        "package_metadata",
        "package_releases",
        "package_repositories",
        "contributors",
        "monthly_activity",
        "package_usage",
    }
)


def _steward_kinds(conn: duckdb.DuckDBPyConnection, tables: set[str]) -> dict[str, str]:
    """purl -> steward kind from the standards catalogue, when its tables are in the store."""
    if not {"cat_implementations", "cat_stewards"} <= tables:
        return {}
    rows = conn.execute(
        "SELECT i.purl, min(s.kind) FROM cat_implementations i "
        "JOIN cat_stewards s ON s.id = i.steward WHERE i.purl IS NOT NULL GROUP BY i.purl"
    ).fetchall()
    return {str(p): str(k) for p, k in rows}


def _data_as_of(conn: duckdb.DuckDBPyConnection) -> datetime | None:
    """The end of the last trusted run that collected data (``COLLECTING_RUNS``): saving a budget is not one."""
    row = conn.execute(
        "SELECT max(ended_at) FROM runs WHERE status IN ('ok', 'partial') AND list_contains(?, kind)",
        [list(COLLECTING_RUNS)],
    ).fetchone()
    return row[0] if row else None


def _mined(conn: duckdb.DuckDBPyConnection, tables: set[str]) -> frozenset[str]:
    if "repositories" not in tables:
        return frozenset()
    return frozenset(
        str(r[0]) for r in conn.execute("SELECT url FROM repositories WHERE status = 'ok'").fetchall()
    )


def _maintainers(conn: duckdb.DuckDBPyConnection, tables: set[str]) -> dict[str, tuple[tuple[str, str], ...]]:
    if "package_maintainers" not in tables:
        return {}
    out: dict[str, list[tuple[str, str]]] = {}
    for purl, source, login in conn.execute(
        "SELECT DISTINCT purl, source, login FROM package_maintainers WHERE coalesce(login, '') <> '' "
        "ORDER BY purl, source, login"
    ).fetchall():
        out.setdefault(str(purl), []).append((str(source), str(login)))
    return {k: tuple(v) for k, v in out.items()}


def _plans(
    conn: duckdb.DuckDBPyConnection, tables: set[str]
) -> tuple[dict[str, tuple[FundingPlan, ...]], dict[str, tuple[FundingHistory, ...]]]:
    """funding.json plans and history per repository (migration 0011), when the store has them."""
    plans: dict[str, list[FundingPlan]] = {}
    history: dict[str, list[FundingHistory]] = {}
    if "funding_plans" in tables:
        for url, *fields in conn.execute(
            "SELECT repository_url, guid, name, status, amount, currency, frequency FROM funding_plans "
            "ORDER BY repository_url, guid, name"
        ).fetchall():
            plans.setdefault(str(url), []).append(FundingPlan(*fields))
    if "funding_history" in tables:
        for url, *fields in conn.execute(
            "SELECT repository_url, year, amount, currency, description FROM funding_history "
            "ORDER BY repository_url, year, currency"
        ).fetchall():
            history.setdefault(str(url), []).append(FundingHistory(*fields))
    return {k: tuple(v) for k, v in plans.items()}, {k: tuple(v) for k, v in history.items()}


def _repositories(
    conn: duckdb.DuckDBPyConnection, tables: set[str], registry: Mapping[str, str] | None = None
) -> dict[str, str]:
    """purl -> repository URL: the mined repository when known, else the registry's (``registry``: purl ->
    ``package_metadata.repository_url``, read here when not given)."""
    if registry is None:
        registry = {}
        if "package_metadata" in tables:
            registry = {
                str(p): str(u)
                for p, u in conn.execute(
                    "SELECT purl, repository_url FROM package_metadata WHERE repository_url <> ''"
                ).fetchall()
            }
    repository = {p: u for p, u in registry.items() if u}
    if "package_repositories" in tables:
        for purl, url in conn.execute(
            "SELECT purl, min(repository_url) FROM package_repositories GROUP BY purl"
        ).fetchall():
            repository[str(purl)] = str(url)
    return repository


#: Debian's package tracker: one page per source package, listing its binaries, maintainers and uploaders.
DEBIAN_TRACKER = "https://tracker.debian.org/pkg/"
_DEBIAN_SOURCE = "Debian-Source :: "


def _source_projects(conn: duckdb.DuckDBPyConnection, tables: set[str]) -> dict[str, str]:
    """purl -> the tracker page of the Debian source package it is built from (the Debian collector's
    ``Debian-Source :: NAME`` classifier), for the packages that have one."""
    if "package_metadata" not in tables:
        return {}
    rows = conn.execute(
        "SELECT purl, c FROM (SELECT purl, unnest(classifiers) AS c FROM package_metadata WHERE ecosystem = ?) "
        "WHERE starts_with(c, ?) ORDER BY purl, c",
        ["deb", _DEBIAN_SOURCE],
    ).fetchall()
    out: dict[str, str] = {}
    for purl, classifier in rows:
        source = str(classifier).removeprefix(_DEBIAN_SOURCE).strip()
        if source:
            out.setdefault(str(purl), DEBIAN_TRACKER + quote(source, safe=""))
    return out


def line_subjects(conn: duckdb.DuckDBPyConnection) -> tuple[list[str], dict[str, str]]:
    """The packages the organisation uses (sorted) and the project each belongs to when one is known (its
    repository, else its source package's page): what budget lines are keyed on, without reading the
    rest of ``load``."""
    tables = set(table_names(conn))
    purls = sorted(str(r[0]) for r in conn.execute("SELECT DISTINCT purl FROM app_packages").fetchall())
    return purls, {**_source_projects(conn, tables), **_repositories(conn, tables)}


@gc_paused
def load(
    conn: duckdb.DuckDBPyConnection,
    now: datetime | None = None,
    *,
    stored_usage: bool = True,
    graph: bool = True,
    openssf: bool = True,
) -> BudgetData:
    """Read everything criticality, risk and budgets need, in a handful of queries.

    ``now`` defaults to the end of the last trusted run, so the same store always gives the same ages
    (and the same budget), whenever it is read. ``stored_usage=False`` computes usage and reverse reach from
    the graph even when ``package_usage`` holds them (the refresh does, before storing them). ``graph=False``
    leaves ``children`` unread (None): only the StackAid method walks it, and a front end that proposes with
    another method saves its query (``children`` reads it on its own). ``openssf=False`` leaves ``activity``
    (contributor and organisation counts, commits in 12 months: the OpenSSF signals) unread and reads only
    each repository's last commit, which risk needs; a budget reads no more.

    The queries run on one DuckDB thread: they are small, and on a few thousand packages the thread pool's
    hand-offs cost more than they save (the recursive reverse reach is about 20% faster, the whole read
    about 40 ms). The connection's setting is restored afterwards.
    """
    row = conn.execute("SELECT current_setting('threads')").fetchone()
    threads = int(row[0]) if row else 0
    conn.execute("SET threads = 1")
    try:
        return _load(conn, now, stored_usage, graph, openssf)
    finally:
        if threads > 0:
            conn.execute(f"SET threads = {threads}")


def _load(
    conn: duckdb.DuckDBPyConnection, now: datetime | None, stored_usage: bool, graph: bool, openssf: bool
) -> BudgetData:
    conn.execute("SET enable_progress_bar = false")  # never draw on a reader's terminal
    tables = set(table_names(conn))
    as_of = _data_as_of(conn)
    if now is None:
        now = as_of or datetime.now(UTC).replace(tzinfo=None)
    optional = (
        "package_metadata",
        "package_releases",
        "package_repositories",
        "contributors",
        "monthly_activity",
    )
    # Absent (an old store) or empty (no refresh has filled it yet): either way the facts are missing.
    missing = tuple(t for t in optional if t not in tables or _is_empty(conn, t))
    year_ago = now - timedelta(days=365)
    uses = usage(conn, stored=stored_usage, tables=tables)
    metadata = _metadata(conn) if "package_metadata" in tables else {}
    yanked: dict[str, int] = {}
    if "package_releases" in tables:
        yanked = {
            str(p): int(n)
            for p, n in conn.execute(
                "SELECT purl, count(*) FILTER (WHERE yanked AND released_at >= ?) FROM package_releases "
                "GROUP BY purl",
                [year_ago],
            ).fetchall()
        }
    registry = {p: m.repository_url for p, m in metadata.items() if m.repository_url}
    repository = _repositories(conn, tables, registry)
    if openssf:
        activity = _activity(conn, tables, year_ago)
        last_commit = {u: a.last_commit_at for u, a in activity.items() if a.last_commit_at is not None}
    else:
        activity, last_commit = {}, _last_commits(conn, tables)
    plans, history = _plans(conn, tables)
    return BudgetData(
        total_apps=total_apps(conn),
        usage=uses,
        direct=frozenset(p for p, u in uses.items() if u.direct_apps),
        children=children(conn) if graph else None,
        metadata=metadata,
        yanked_last_12m=yanked,
        repository=repository,
        scores=_scores(conn),
        activity=activity,
        last_commit=last_commit,
        funding=_funding(conn),
        steward_kind=_steward_kinds(conn, tables),
        mined=_mined(conn, tables),
        maintainers=_maintainers(conn, tables),
        plans=plans,
        history=history,
        missing_tables=missing,
        data_as_of=as_of,
        now=now,
        source_project=_source_projects(conn, tables),
    )


# ------------------------------------------------------------------------------------------ proposals


@dataclass(frozen=True)
class SavedProposal:
    proposal_id: int
    created_at: datetime
    method: str
    total: int
    currency: str
    parameters: Mapping[str, Any]
    data_as_of: datetime | None
    lines: Sequence[Mapping[str, Any]]


def saved_proposal(conn: duckdb.DuckDBPyConnection, proposal_id: int) -> SavedProposal | None:
    """One saved proposal with its lines, or None."""
    if "budget_proposals" not in set(table_names(conn)):
        return None
    head = conn.execute(
        "SELECT proposal_id, created_at, method, total, currency, parameters::VARCHAR, data_as_of "
        "FROM budget_proposals WHERE proposal_id = ?",
        [proposal_id],
    ).fetchone()
    if head is None:
        return None
    lines = conn.execute(
        "SELECT project, packages, amount, channel, rationale FROM budget_lines "
        "WHERE proposal_id = ? ORDER BY position",
        [proposal_id],
    ).fetchall()
    return SavedProposal(
        int(head[0]),
        head[1],
        str(head[2]),
        int(head[3]),
        str(head[4]),
        json.loads(head[5]) if head[5] else {},
        head[6],
        [
            {"project": p, "packages": list(pk or ()), "amount": int(a), "channel": c, "rationale": r}
            for p, pk, a, c, r in lines
        ],
    )


def proposals(conn: duckdb.DuckDBPyConnection) -> list[tuple[int, datetime, str, int, str]]:
    """(id, created_at, method, total, currency) of every saved proposal, newest first."""
    if "budget_proposals" not in set(table_names(conn)):
        return []
    return [
        (int(i), c, str(m), int(t), str(cur))
        for i, c, m, t, cur in conn.execute(
            "SELECT proposal_id, created_at, method, total, currency FROM budget_proposals "
            "ORDER BY proposal_id DESC"
        ).fetchall()
    ]


@dataclass(frozen=True)
class YearAmount:
    """What one project received in one year: its line in the last proposal saved that year."""

    project: str
    year: int
    currency: str
    amount: int
    proposal_id: int


def received_by_year(conn: duckdb.DuckDBPyConnection) -> list[YearAmount]:
    """Per project and year, its amount in the last proposal saved in that year (drafts saved earlier in the
    year are replaced by the later one: a year has one budget), by project then year."""
    if not {"budget_proposals", "budget_lines"} <= set(table_names(conn)):
        return []
    rows = conn.execute(
        """
        WITH last AS (
            SELECT year(created_at) AS year, max(proposal_id) AS proposal_id FROM budget_proposals GROUP BY 1
        )
        SELECT l.project, last.year, p.currency, l.amount, p.proposal_id
        FROM last JOIN budget_proposals p USING (proposal_id) JOIN budget_lines l USING (proposal_id)
        ORDER BY l.project, last.year
        """
    ).fetchall()
    return [YearAmount(str(pr), int(y), str(c), int(a), int(i)) for pr, y, c, a, i in rows]
