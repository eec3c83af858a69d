"""Versions: `socle --version`, and the store's schema version in `socle status`."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cli import main
from analysis.commands.inventory import schema_line, socle_version
from collectors.store import migration_files

SHIPPED = [p.stem for p in migration_files()]


def test_schema_line_names_the_newest_migration() -> None:
    assert (
        schema_line(SHIPPED, SHIPPED) == f"{SHIPPED[-1]} ({len(SHIPPED)} migrations; socle {socle_version()})"
    )


def test_schema_line_says_what_the_next_write_applies() -> None:
    line = schema_line(SHIPPED[:2], SHIPPED)
    assert line.startswith(f"{SHIPPED[1]} (2 migrations;")
    assert f"{len(SHIPPED) - 2} newer migration(s) applied by the next write: {SHIPPED[2]}" in line


def test_schema_line_of_an_empty_store() -> None:
    assert schema_line([], SHIPPED).startswith("empty (")


def test_status_prints_the_schema_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("six==1.16.0\n", encoding="utf-8")
    db = tmp_path / "socle.duckdb"
    assert main(["import", "--db", str(db), "--app", "demo", str(reqs)]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == f"schema: {SHIPPED[-1]} ({len(SHIPPED)} migrations; socle {socle_version()})"
