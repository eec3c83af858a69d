"""Shared fixtures: a fresh store path per test. Tests are offline and deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "socle.duckdb"
