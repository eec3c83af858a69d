"""Reads of the registry tables: coverage per ecosystem for ``socle status``."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class RegistryCoverage:
    ecosystem: str
    packages: int
    with_metadata: int
    with_repository: int
    with_funding: int
    failed: int


def registry_coverage(conn: duckdb.DuckDBPyConnection) -> list[RegistryCoverage]:
    """Per ecosystem: packages, with metadata, with a repository URL, with funding links, last attempt failed."""
    rows = conn.execute(
        """
        SELECT p.ecosystem,
               count(*),
               count(m.purl),
               count(m.repository_url),
               count(*) FILTER (WHERE p.purl IN (
                   SELECT subject FROM funding_links WHERE subject_kind = 'package')),
               count(*) FILTER (WHERE s.status = 'error')
        FROM packages p
        LEFT JOIN package_metadata m ON m.purl = p.purl
        LEFT JOIN registry_state s ON s.purl = p.purl
        GROUP BY p.ecosystem
        ORDER BY p.ecosystem
        """
    ).fetchall()
    return [RegistryCoverage(str(r[0]), *(int(v) for v in r[1:])) for r in rows]
