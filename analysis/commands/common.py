"""Options and helpers shared by every command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from collectors.paths import default_db_path

if TYPE_CHECKING:
    import duckdb

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 success, 1 partial (some inputs failed, the rest went through) or store busy, 2 fatal/usage.
EXIT_OK, EXIT_PARTIAL, EXIT_FATAL = 0, 1, 2


def db_option(func: F) -> F:
    """``--db PATH`` (or ``$SOCLE_DB``), default ``data/socle.duckdb``."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="The DuckDB store (default: $SOCLE_DB, else data/socle.duckdb).",
    )(func)


def resolve_db(db_path: Path | None) -> Path:
    return db_path if db_path is not None else default_db_path()


@dataclass(frozen=True)
class StatusSection:
    """A titled block of ``socle status``: a function from a read-only connection to lines of text. Here,
    not in the inventory commands' module, so that a command showing a section need not import that one."""

    title: str
    lines: Callable[[duckdb.DuckDBPyConnection], list[str]]
