"""Storing inventories: exact counts and depths, idempotency, atomic replacement."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from collectors.inventory.read import read_file
from collectors.store import read_connection, write_session
from collectors.store.inventory import replace_application
from tests.inventory.helpers import FIXTURES


def _import(db: Path, app: str, path: Path) -> str:
    with write_session(db, "import") as session:
        return replace_application(session, app, read_file(path)).outcome


def _rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with read_connection(db) as conn:
        return conn.execute(sql, params or []).fetchall()


def test_depths_and_direct_flags_are_stored(db_path: Path) -> None:
    assert _import(db_path, "diamond", FIXTURES / "diamond-cycle.cdx.json") == "created"
    rows = _rows(db_path, "SELECT purl, version, is_direct, depth, scope FROM app_packages ORDER BY purl")
    assert rows == [
        ("pkg:npm/%40babel/core", "7.0.0", False, 2, "runtime"),
        ("pkg:pypi/a-lib", "1.0", True, 1, "runtime"),
        ("pkg:pypi/b", "2.0", True, 1, "runtime"),
        ("pkg:pypi/d", "4.0", False, 3, "optional"),
        ("pkg:pypi/nested", "0.1", False, 2, "runtime"),
        ("pkg:pypi/orphan", "1", False, None, "runtime"),
        ("pkg:pypi/pytest", "8.0", True, 1, "dev"),
    ]
    assert _rows(db_path, "SELECT count(*) FROM app_edges WHERE app = 'diamond'") == [(5,)]
    assert _rows(
        db_path, "SELECT purl, ecosystem, namespace, name FROM packages WHERE ecosystem = 'npm'"
    ) == [("pkg:npm/%40babel/core", "npm", "@babel", "core")]


def test_same_content_twice_changes_nothing(db_path: Path) -> None:
    _import(db_path, "web", FIXTURES / "package-lock.json")
    before = _rows(db_path, "SELECT * FROM app_packages ORDER BY purl, version")
    funding_before = _rows(
        db_path, "SELECT subject, url, label, source, run_id FROM funding_links ORDER BY url"
    )
    assert _import(db_path, "web", FIXTURES / "package-lock.json") == "unchanged"
    assert _rows(db_path, "SELECT * FROM app_packages ORDER BY purl, version") == before
    assert {row[-1] for row in before} == {1}  # rows keep the run that wrote them
    assert _rows(db_path, "SELECT subject, url, label, source, run_id FROM funding_links ORDER BY url") == (
        funding_before
    )
    assert len(funding_before) == 4
    assert _rows(db_path, "SELECT run_id, status FROM runs ORDER BY run_id") == [(1, "ok"), (2, "ok")]


def test_changed_content_replaces_the_application_only(db_path: Path, tmp_path: Path) -> None:
    _import(db_path, "web", FIXTURES / "package-lock.json")
    _import(db_path, "api", FIXTURES / "uv.lock")
    smaller = tmp_path / "package.json"
    smaller.write_text('{"name": "web-app", "dependencies": {"react": "^19"}}')
    assert _import(db_path, "web", smaller) == "replaced"
    assert _rows(db_path, "SELECT purl, version, specifier, run_id FROM app_packages WHERE app = 'web'") == [
        ("pkg:npm/react", "", "^19", 3)
    ]
    assert _rows(db_path, "SELECT count(*) FROM app_edges WHERE app = 'web'") == [(0,)]
    assert _rows(
        db_path, "SELECT count(*), min(run_id), max(run_id) FROM app_packages WHERE app = 'api'"
    ) == [(9, 2, 2)]
    assert _rows(db_path, "SELECT format, run_id FROM applications WHERE name = 'web'") == [
        ("package-json", 3)
    ]


def test_a_package_used_by_two_applications_is_one_package(db_path: Path) -> None:
    _import(db_path, "one", FIXTURES / "uv.lock")
    _import(db_path, "two", FIXTURES / "pyproject-pep621.toml")
    assert _rows(db_path, "SELECT count(*) FROM packages WHERE purl = 'pkg:pypi/psycopg'") == [(1,)]
    assert _rows(db_path, "SELECT app FROM app_packages WHERE purl = 'pkg:pypi/psycopg' ORDER BY app") == [
        ("one",),
        ("two",),
    ]


def test_a_failure_inside_the_replacement_keeps_the_earlier_application(db_path: Path) -> None:
    _import(db_path, "web", FIXTURES / "package-lock.json")
    before = _rows(db_path, "SELECT * FROM app_packages ORDER BY purl, version")
    good = read_file(FIXTURES / "uv.lock")
    # Two identical components break the (app, purl, version) key half-way through the writes.
    broken = dataclasses.replace(good, components=(*good.components, good.components[0]))
    with write_session(db_path, "import") as session:
        with pytest.raises(duckdb.Error):  # a ConstraintException, or the abort it causes
            replace_application(session, "web", broken)
        session.event("error", "broken", "constraint")
    assert _rows(db_path, "SELECT * FROM app_packages ORDER BY purl, version") == before
    assert _rows(db_path, "SELECT format FROM applications") == [("npm-lock",)]
    assert _rows(db_path, "SELECT status FROM runs ORDER BY run_id") == [("ok",), ("partial",)]
