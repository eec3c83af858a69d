"""Tables other areas' migrations will create, declared here only so dashboard tests can run before they land.

Columns follow the cross-area contract exactly (registry 0002, git 0003, standards 0004 ``package_interfaces``).
The catalogue and budget tables below the marked line are not spelled out by the contract: they are the shape
the dashboard's queries expect (``analysis/queries/dashboard.py``), and every such query degrades to "no data
yet" when its table is absent. ``CREATE TABLE IF NOT EXISTS`` lets the real migrations win once merged.
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
CREATE TABLE IF NOT EXISTS repositories (
    url VARCHAR PRIMARY KEY, host VARCHAR, local_path VARCHAR, head_sha VARCHAR, last_mined_sha VARCHAR,
    mined_at TIMESTAMP, status VARCHAR, message VARCHAR, run_id BIGINT);
CREATE TABLE IF NOT EXISTS package_repositories (
    purl VARCHAR, repository_url VARCHAR, directory VARCHAR, source VARCHAR, run_id BIGINT);
CREATE TABLE IF NOT EXISTS contributors (
    repository_url VARCHAR, person VARCHAR, display_name VARCHAR, org VARCHAR, is_bot BOOLEAN,
    commits INTEGER, first_at TIMESTAMP, last_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS monthly_activity (
    repository_url VARCHAR, month DATE, active_contributors INTEGER, commits INTEGER);
CREATE TABLE IF NOT EXISTS package_interfaces (
    purl VARCHAR, interface_id VARCHAR, source VARCHAR, run_id BIGINT);
-- ---- not in the contract: the shape the dashboard expects from the catalogue (0004) and budget (0005) ----
CREATE TABLE IF NOT EXISTS budget_proposals (
    proposal_id BIGINT PRIMARY KEY, name VARCHAR, created_at TIMESTAMP, method VARCHAR, total DOUBLE,
    currency VARCHAR, params JSON, run_id BIGINT);
CREATE TABLE IF NOT EXISTS budget_lines (
    proposal_id BIGINT, project VARCHAR, packages VARCHAR[], amount DOUBLE, channel VARCHAR, rationale VARCHAR);
"""

TABLES = (
    "package_metadata",
    "package_releases",
    "package_maintainers",
    "package_dependencies",
    "repositories",
    "package_repositories",
    "contributors",
    "monthly_activity",
    "package_interfaces",
    "budget_proposals",
    "budget_lines",
)


def create_contract_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(CONTRACT_DDL)
    for table in TABLES:
        writable_table(table)
