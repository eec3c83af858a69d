"""Where socle keeps things: the reference data folder and the default store."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Reference data shipped with socle (catalogues, bot lists, example inventories).
DATA_DIR = Path(os.environ.get("SOCLE_DATA_DIR", PROJECT_ROOT / "data"))


def default_db_path() -> Path:
    """``$SOCLE_DB`` if set, else ``data/socle.duckdb`` in the project."""
    env = os.environ.get("SOCLE_DB")
    return Path(env) if env else DATA_DIR / "socle.duckdb"


def cache_dir(db_path: Path) -> Path:
    """Caches (HTTP, git clones) live beside the database they feed: ``<db dir>/cache``."""
    return db_path.resolve().parent / "cache"
