"""Readers know the store's tables from the migrations it records, without listing the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

import collectors.store as store
from analysis.queries import table_names
from collectors.store import migration_files, read_connection, schema_tables, write_session


def _catalogue(conn: duckdb.DuckDBPyConnection) -> frozenset[str]:
    rows = conn.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    return frozenset(r[0] for r in rows)


def test_the_tables_of_a_migrated_store_are_its_catalogue(db_path: Path) -> None:
    with write_session(db_path, "import"):
        pass
    with read_connection(db_path) as conn:
        assert table_names(conn) == _catalogue(conn)
        assert {"package_usage", "budget_lines", "cat_stewards"} <= table_names(conn)


def test_every_create_table_of_the_migrations_is_counted() -> None:
    every = {
        name.lower()
        for path in migration_files()
        for name in re.findall(r"CREATE TABLE (\w+)", path.read_text(encoding="utf-8"), re.IGNORECASE)
    }
    assert schema_tables([p.stem for p in migration_files()]) == every | {"schema_migrations"}


def test_an_older_store_lacks_the_tables_of_later_migrations() -> None:
    first = migration_files()[0].stem
    tables = schema_tables([first])
    assert tables is not None and "app_edges" in tables and "package_usage" not in tables


def test_an_unknown_migration_or_no_ledger_falls_back_to_the_catalogue(db_path: Path) -> None:
    assert schema_tables(["9999_from_a_newer_socle"]) is None
    with write_session(db_path, "import") as session:
        session.conn.execute("INSERT INTO schema_migrations VALUES ('9999_from_a_newer_socle', now())")
        session.conn.execute("CREATE TABLE from_newer (x INTEGER)")
    with read_connection(db_path) as conn:
        assert "from_newer" in table_names(conn)
    plain = duckdb.connect(":memory:")
    plain.execute("CREATE TABLE t (x INTEGER)")
    assert table_names(plain) == {"t"}


@pytest.mark.parametrize("ddl", ["ALTER TABLE runs RENAME TO old_runs"])
def test_a_rename_in_a_migration_is_refused(
    ddl: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_x.sql").write_text(f"CREATE TABLE runs (x INTEGER);\n{ddl};\n", encoding="utf-8")
    monkeypatch.setattr(store, "MIGRATIONS_DIR", folder)
    store._migration_tables.cache_clear()
    try:
        with pytest.raises(store.StoreError, match="renames table runs"):
            schema_tables(["0001_x"])
    finally:
        monkeypatch.undo()
        store._migration_tables.cache_clear()
