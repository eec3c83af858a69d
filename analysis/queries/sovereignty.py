"""Reads behind control, jurisdiction and exit: per dependency, its usage, scores, catalogue steward,
repositories, the organisations behind its commits and its funding links. Set-based: one query per kind of
fact for all the dependencies asked, so the Sovereignty page costs the same few queries for 50 or 5,000.

Tables another area has not created (an older store, a step not run) read as empty: the facts then say
"not known" rather than failing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import duckdb

from analysis.queries import table_names


@dataclass(frozen=True)
class ScoreFact:
    value: float | None
    status: str
    label: str | None
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StewardFact:
    id: str
    name: str
    kind: str
    country: str | None
    source: str
    ultimate: str | None = (
        None  # the top of its parent chain (the catalogue's steward hierarchy), when another
    )


@dataclass(frozen=True)
class RepositoryFact:
    url: str
    host: str | None
    status: str | None  # ok | skipped | error; None: never tried
    message: str | None


@dataclass(frozen=True)
class OrganisationShare:
    """The organisation with the most non-bot commits in a dependency's repositories."""

    name: str
    commits: int
    human_commits: int  # all non-bot commits, affiliated or not

    @property
    def share(self) -> float:
        return self.commits / self.human_commits if self.human_commits else 0.0


@dataclass(frozen=True)
class Usage:
    application: str
    version: str
    direct: bool
    scope: str


@dataclass(frozen=True)
class DependencyFacts:
    purl: str
    ecosystem: str
    name: str
    usage: tuple[Usage, ...] = ()
    scores: dict[str, ScoreFact] = field(default_factory=dict)
    steward: StewardFact | None = None
    interfaces: tuple[str, ...] = ()
    lineages: tuple[str, ...] = ()  # catalogue lineages (shared-codebase families) of its implementations
    repositories: tuple[RepositoryFact, ...] = ()
    top_organisation: OrganisationShare | None = None
    funding: tuple[tuple[str, str], ...] = ()  # (platform, url)

    def score(self, name: str) -> ScoreFact | None:
        return self.scores.get(name)

    def value(self, name: str) -> float | None:
        fact = self.scores.get(name)
        return fact.value if fact is not None and fact.status == "ok" else None


def display_name(ecosystem: str, namespace: str | None, name: str) -> str:
    """What a person calls the package: ``@tanstack/react-query``, ``org.slf4j:slf4j-api``, ``requests``."""
    if not namespace:
        return name
    return f"{namespace}:{name}" if ecosystem == "maven" else f"{namespace}/{name}"


def purl_name(purl: str) -> str:
    """A purl as a person names the package: ``pkg:npm/%40tanstack/react-query@5`` -> ``@tanstack/react-query``."""
    body = purl.split("?", 1)[0].split("#", 1)[0]
    body = body.split("/", 1)[1] if body.startswith("pkg:") and "/" in body else body
    body = body.rsplit("@", 1)[0] if "@" in body.lstrip("%@") else body
    return unquote(body)


def stewards(conn: duckdb.DuckDBPyConnection) -> dict[str, StewardFact]:
    """Every catalogue steward by id (a few thousand rows at most)."""
    if "cat_stewards" not in table_names(conn):
        return {}
    ultimate, join = _ultimate(conn)
    rows = conn.execute(
        f"SELECT st.id, st.name, st.kind, st.country, st.source, {ultimate} FROM cat_stewards st {join}"  # noqa: S608 - fixed text
    ).fetchall()
    return {str(r[0]): _steward(r) for r in rows}


def used_purls(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Every package some application uses, most critical first."""
    rows = conn.execute(
        "SELECT DISTINCT a.purl, s.value FROM app_packages a LEFT JOIN scores s ON s.subject_kind = 'package' "
        "AND s.subject = a.purl AND s.name = 'criticality' ORDER BY s.value DESC NULLS LAST, a.purl"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _steward(row: Sequence[Any]) -> StewardFact:
    ident, name, kind, country, source, ultimate = row
    return StewardFact(
        str(ident), str(name), str(kind), None if country is None else str(country), str(source),
        None if ultimate is None else str(ultimate),
    )  # fmt: skip


def _ultimate(conn: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(select expression, join) for the steward's ultimate parent's name, on stores whose catalogue has the
    steward hierarchy (migration 0014); NULL otherwise."""
    row = conn.execute(
        "SELECT count(*) FROM duckdb_columns() "
        "WHERE table_name = 'cat_stewards' AND column_name = 'ultimate_parent'"
    ).fetchone()
    if row is None or not row[0]:
        return "NULL::VARCHAR", ""
    return (
        "CASE WHEN up.id <> st.id THEN up.name END",
        "LEFT JOIN cat_stewards up ON up.id = st.ultimate_parent",
    )


def _group(rows: Sequence[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(str(row[0]), []).append(tuple(row[1:]))
    return out


#: Scores whose details the sovereignty functions read (the risk's components, the exit options); the others'
#: details are not parsed, which is most of the cost over thousands of packages.
DETAILED_SCORES = frozenset({"risk", "exit_options"})


def dependency_facts(
    conn: duckdb.DuckDBPyConnection,
    purls: Sequence[str],
    score_names: Sequence[str] | None = None,
    *,
    with_usage: bool = True,
) -> dict[str, DependencyFacts]:
    """The facts of each package of ``purls`` that the store knows (unknown purls are left out), with every
    score, or only ``score_names``; without the usage rows when ``with_usage`` is false (the organisation's
    exposure does not read them, and they are the most numerous)."""
    present = table_names(conn)
    wanted = list(purls)
    base = conn.execute(
        "SELECT purl, ecosystem, namespace, name FROM packages WHERE purl IN (SELECT unnest(?::VARCHAR[]))",
        [wanted],
    ).fetchall()
    usage = (
        {}
        if not with_usage
        else _group(
            conn.execute(
                "SELECT purl, app, version, is_direct, scope FROM app_packages WHERE purl IN (SELECT unnest(?::VARCHAR[])) "
                "ORDER BY purl, app, version",
                [wanted],
            ).fetchall()
        )
    )
    scores = _group(
        conn.execute(
            "SELECT subject, name, value, status, label, reason, "
            "CASE WHEN list_contains(?, name) THEN details::VARCHAR END FROM scores "
            "WHERE subject_kind = 'package' AND subject IN (SELECT unnest(?::VARCHAR[])) "
            "AND (? OR list_contains(?, name))",
            [sorted(DETAILED_SCORES), wanted, score_names is None, list(score_names or [])],
        ).fetchall()
    )
    steward: dict[str, list[tuple[Any, ...]]] = {}
    if {"cat_implementations", "cat_stewards"} <= present:
        ultimate, join = _ultimate(conn)
        steward = _group(
            conn.execute(
                "SELECT ci.purl, ci.interface_id, ci.lineage, st.id, st.name, st.kind, st.country, st.source, "  # noqa: S608
                f"{ultimate} FROM cat_implementations ci JOIN cat_stewards st ON st.id = ci.steward {join} "
                "WHERE ci.purl IN (SELECT unnest(?::VARCHAR[])) ORDER BY ci.purl, ci.interface_id",
                [wanted],
            ).fetchall()
        )
    repositories: dict[str, list[tuple[Any, ...]]] = {}
    organisations: dict[str, list[tuple[Any, ...]]] = {}
    if {"package_repositories", "repositories"} <= present:
        repositories = _group(
            conn.execute(
                "SELECT pr.purl, pr.repository_url, r.host, r.status, r.message FROM package_repositories pr "
                "LEFT JOIN repositories r ON r.url = pr.repository_url WHERE pr.purl IN (SELECT unnest(?::VARCHAR[])) "
                "ORDER BY pr.purl, pr.repository_url",
                [wanted],
            ).fetchall()
        )
    if {"package_repositories", "contributors"} <= present:
        # Per package: its leading organisation's commits and all non-bot commits (Elephant factor's input,
        # https://chaoss.community/kb/metric-elephant-factor/).
        organisations = _group(
            conn.execute(
                """
                WITH human AS (
                    SELECT pr.purl, c.org, c.commits FROM package_repositories pr
                    JOIN contributors c ON c.repository_url = pr.repository_url
                    WHERE pr.purl IN (SELECT unnest(?::VARCHAR[])) AND NOT c.is_bot),
                per_org AS (
                    SELECT purl, org, sum(commits) AS commits FROM human WHERE org IS NOT NULL GROUP BY ALL),
                top AS (SELECT purl, arg_max(org, commits) AS org, max(commits) AS commits
                        FROM per_org GROUP BY purl)
                SELECT t.purl, t.org, t.commits, (SELECT sum(h.commits) FROM human h WHERE h.purl = t.purl)
                FROM top t
                """,
                [wanted],
            ).fetchall()
        )
    funding: dict[str, list[tuple[Any, ...]]] = {}
    via_repository = (
        "UNION SELECT pr.purl, f.platform, f.url FROM package_repositories pr JOIN funding_links f "
        "ON f.subject_kind = 'repository' AND f.subject = pr.repository_url WHERE pr.purl IN (SELECT unnest($p::VARCHAR[]))"
        if "package_repositories" in present
        else ""
    )
    funding = _group(
        conn.execute(
            "SELECT subject, coalesce(platform, 'other'), url FROM funding_links "  # noqa: S608 - fixed text
            f"WHERE subject_kind = 'package' AND subject IN (SELECT unnest($p::VARCHAR[])) {via_repository} ORDER BY 1, 2, 3",
            {"p": wanted},
        ).fetchall()
    )
    out: dict[str, DependencyFacts] = {}
    for purl, ecosystem, namespace, name in base:
        key = str(purl)
        first_steward = steward.get(key, [])
        org = organisations.get(key, [])
        out[key] = DependencyFacts(
            purl=key,
            ecosystem=str(ecosystem),
            name=display_name(str(ecosystem), namespace, str(name)),
            usage=tuple(Usage(str(a), str(v), bool(d), str(s)) for a, v, d, s in usage.get(key, [])),
            scores={
                str(n): ScoreFact(v, str(st), lb, str(r), json.loads(d) if d else {})
                for n, v, st, lb, r, d in scores.get(key, [])
            },
            steward=_steward(first_steward[0][2:]) if first_steward else None,
            interfaces=tuple(str(row[0]) for row in first_steward),
            lineages=tuple(sorted({str(row[1]) for row in first_steward})),
            repositories=tuple(RepositoryFact(str(u), h, s, m) for u, h, s, m in repositories.get(key, [])),
            top_organisation=OrganisationShare(str(org[0][0]), int(org[0][1]), int(org[0][2] or 0))
            if org
            else None,
            funding=tuple((str(p), str(u)) for p, u in funding.get(key, [])),
        )
    return out
