"""Reads of the inventory: applications, packages per ecosystem, direct and transitive counts."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class ApplicationRow:
    name: str
    format: str
    source: str
    direct: int
    transitive: int
    run_id: int


@dataclass(frozen=True)
class EcosystemRow:
    ecosystem: str
    packages: int
    direct: int  # packages some application uses directly
    transitive_only: int  # packages used only through other packages


def applications(conn: duckdb.DuckDBPyConnection) -> list[ApplicationRow]:
    rows = conn.execute(
        """
        SELECT a.name, a.format, a.source,
               count(p.purl) FILTER (WHERE p.is_direct),
               count(p.purl) FILTER (WHERE NOT p.is_direct),
               a.run_id
        FROM applications a LEFT JOIN app_packages p ON p.app = a.name
        GROUP BY a.name, a.format, a.source, a.run_id
        ORDER BY a.name
        """
    ).fetchall()
    return [ApplicationRow(str(n), str(f), str(s), int(d), int(t), int(r)) for n, f, s, d, t, r in rows]


def packages_per_ecosystem(conn: duckdb.DuckDBPyConnection) -> list[EcosystemRow]:
    """Distinct packages in use by any application (a package used by several applications counts once)."""
    rows = conn.execute(
        """
        WITH used AS (
            SELECT p.purl, k.ecosystem, bool_or(p.is_direct) AS direct
            FROM app_packages p JOIN packages k USING (purl)
            GROUP BY p.purl, k.ecosystem
        )
        SELECT ecosystem, count(*), count(*) FILTER (WHERE direct), count(*) FILTER (WHERE NOT direct)
        FROM used GROUP BY ecosystem ORDER BY count(*) DESC, ecosystem
        """
    ).fetchall()
    return [EcosystemRow(str(e), int(n), int(d), int(t)) for e, n, d, t in rows]


def app_packages(conn: duckdb.DuckDBPyConnection, app: str) -> list[tuple[str, str, bool, int | None, str]]:
    """(purl, version, is_direct, depth, scope) of one application, ordered by depth then purl."""
    rows = conn.execute(
        "SELECT purl, version, is_direct, depth, scope FROM app_packages WHERE app = ? "
        "ORDER BY depth NULLS LAST, purl, version",
        [app],
    ).fetchall()
    return [(str(p), str(v), bool(d), None if h is None else int(h), str(s)) for p, v, d, h, s in rows]


def applied_migrations(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the migrations recorded in the store, oldest first (empty for a store never written)."""
    exists = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND NOT temporary"
    ).fetchone()
    if not exists or not exists[0]:
        return []
    return [
        str(row[0]) for row in conn.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
    ]
