"""Tables another area's migration will create, declared here only so dashboard tests can run before it lands.

What is left is the registry's ``0002_registry.sql`` (``package_metadata``, ``package_releases``,
``package_maintainers``, ``package_dependencies``), with the columns of the cross-area contract. The git (0003),
catalogue (0004) and budget (0005) tables come from their real migrations. ``CREATE TABLE IF NOT EXISTS`` lets
the real migration win once merged; then this module goes.
"""

from __future__ import annotations

import duckdb

from collectors.store import writable_table

CONTRACT_DDL = """
CREATE TABLE IF NOT EXISTS package_metadata (
    purl VARCHAR PRIMARY KEY, ecosystem VARCHAR, latest_version VARCHAR, summary VARCHAR, description VARCHAR,
    homepage VARCHAR, repository_url VARCHAR, repository_directory VARCHAR, license VARCHAR, deprecated VARCHAR,
    first_release_at TIMESTAMP, last_release_at TIMESTAMP, releases_last_12m INTEGER, keywords VARCHAR[],
    classifiers VARCHAR[], project_urls JSON, requires_python VARCHAR, ownership_org VARCHAR,
    fetched_at TIMESTAMP, run_id BIGINT);
CREATE TABLE IF NOT EXISTS package_releases (
    purl VARCHAR, version VARCHAR, released_at TIMESTAMP, yanked BOOLEAN, run_id BIGINT);
CREATE TABLE IF NOT EXISTS package_maintainers (
    purl VARCHAR, login VARCHAR, email VARCHAR, role VARCHAR, source VARCHAR, run_id BIGINT);
CREATE TABLE IF NOT EXISTS package_dependencies (
    purl VARCHAR, version VARCHAR, dependency_purl VARCHAR, specifier VARCHAR, kind VARCHAR, marker VARCHAR,
    run_id BIGINT);
"""

TABLES = ("package_metadata", "package_releases", "package_maintainers", "package_dependencies")


def create_contract_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(CONTRACT_DDL)
    for table in TABLES:
        writable_table(table)
