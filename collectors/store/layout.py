"""The store's files: the core file (the path users name) and the mined history in a file of its own.

A write copies only the files of the domains it changes, so a budget save or a one-package refresh never
copies the mined history (docs/operations.md#store-layout):

* **core**, ``socle.duckdb``: inventory, registry facts, scores, budgets, the run ledger, and the manifest
  ``store_domains`` naming the current file of every other domain. Every run writes the ledger, so every
  write session copies and publishes the core file.
* **history**, ``socle.duckdb.history-N``: what the git collector writes, in one transaction per repository
  (:data:`HISTORY_TABLES`). ``N`` (the generation) grows with every publish that changed the history; a
  published generation is never written again, only replaced by the next one and then deleted.

The core file is the manifest, so one ``os.replace`` of it publishes every changed domain at once: the new
history generation is renamed into place first (unreferenced until then), then the core file that names it.
Readers attach the core file read-only, read which generation it names and attach that one read-only
(DuckDB's ``ATTACH``; ``search_path`` makes both files' tables answer to their plain names, so the read-side
SQL is unchanged). A reader that finds its generation already deleted (a publish happened between its two
attaches) starts again from the core file.

DuckDB lets one transaction write a single attached file
(https://duckdb.org/docs/stable/sql/statements/attach); that is why the domains are
cut along the collector's transactions, and why a write session holds the ledger events recorded inside a
transaction until it commits.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from collectors.errors import StoreError

CORE = "core"
HISTORY = "history"
#: Domains a write session may declare; the core is always written (the run ledger lives there).
DOMAINS = frozenset({CORE, HISTORY})

#: Catalog names of the two files in a reader's or writer's DuckDB instance (fixed text, not input).
STORE_ALIAS = "store"
HISTORY_ALIAS = "history"
SEARCH_PATH = f"{STORE_ALIAS}.main,{HISTORY_ALIAS}.main"

#: The history domain: the git collector's tables (0003_git.sql, 0011, 0013, 0016, 0022), written together in one
#: transaction per repository. Allow-list for identifiers.
HISTORY_TABLES = (
    "repositories",
    "package_repositories",
    "commits",
    "commit_files",
    "repository_files",
    "repository_identities",
    "contributors",
    "monthly_activity",
    "repository_miners",
    "funding_plans",
    "funding_history",
    "file_authorship",
    "history_state",
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))


_GENERATION = re.compile(r"\.history-([0-9]{1,18})$")


def generation_path(db_path: Path, generation: int) -> Path:
    """The published file of history generation ``generation`` (beside the core file)."""
    return db_path.with_name(f"{db_path.name}.history-{generation}")


def generation_files(db_path: Path) -> list[Path]:
    """Every published (or half-published, by a killed writer) history generation beside the store."""
    found = []
    for path in db_path.parent.glob(f"{db_path.name}.history-*"):
        if _GENERATION.search(path.name):
            found.append(path)
    return sorted(found)


def generation_of(path: Path) -> int:
    found = _GENERATION.search(path.name)
    if found is None:
        raise ValueError(f"not a history generation file: {path.name}")
    return int(found.group(1))


def has_table(conn: duckdb.DuckDBPyConnection, catalog: str, table: str) -> bool:
    rows = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
        "AND table_name = ? AND NOT temporary",
        [catalog, table],
    ).fetchall()
    return bool(rows and rows[0][0])


def current_history(conn: duckdb.DuckDBPyConnection, db_path: Path) -> tuple[int, Path] | None:
    """(generation, file) of the history the core file attached as ``store`` names; None: not split yet."""
    try:
        rows = conn.execute(
            f"SELECT generation, file FROM {STORE_ALIAS}.main.store_domains WHERE domain = ?",  # noqa: S608
            [HISTORY],
        ).fetchall()
    except duckdb.CatalogException:
        return None  # a store written before 0021_history_domain (a catalogue look-up first costs more)
    if not rows:
        return None
    # The path comes from the core file's own name and the generation, never from stored text (``file`` is
    # for people reading the table): a store renamed or copied with its history file keeps working.
    generation = int(rows[0][0])
    return generation, generation_path(db_path, generation)


def record_history(conn: duckdb.DuckDBPyConnection, generation: int, path: Path) -> None:
    """Name ``path`` as the current history in the working core file (published with it)."""
    conn.execute(
        f"INSERT OR REPLACE INTO {STORE_ALIAS}.main.store_domains (domain, generation, file) "  # noqa: S608
        "VALUES (?, ?, ?)",
        [HISTORY, generation, path.name],
    )


#: Rows per row group of what a write session adds to the history file (DuckDB's default: 122,880). DuckDB
#: writes each row group a large insert fills into the file as the insert runs ("optimistic writes"), and
#: the rest at commit: with groups of 65,536 rows, 3 of the 4 groups of rails's 210,000 file changes and 1
#: of its 73,000 commits are written while the insert runs (in the thread beside the collector's Python
#: work), so the commit of a full mining takes 0.02 s instead of 0.08 s for the history tables alone (0.08
#: s less for a whole mining of rails); the file grows by 7% (7.9 MB instead of 7.4 MB), and reads are as
#: fast. Row groups already in the file keep their size.
HISTORY_ROW_GROUP_SIZE = 65_536


def attach_history(conn: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
    mode = " (READ_ONLY)" if read_only else f" (ROW_GROUP_SIZE {HISTORY_ROW_GROUP_SIZE})"
    conn.execute(f"ATTACH ? AS {HISTORY_ALIAS}{mode}", [str(path)])
    conn.execute(f"SET search_path = '{SEARCH_PATH}'")


def tables_to_move(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """History tables still in the core file: a store written before 0021_history_domain, or a new one."""
    rows = conn.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
        "AND table_name IN (SELECT unnest(?::VARCHAR[])) AND NOT temporary",
        [STORE_ALIAS, list(HISTORY_TABLES)],
    ).fetchall()
    present = {str(name) for (name,) in rows}
    return [table for table in HISTORY_TABLES if table in present]  # in HISTORY_TABLES' order


def move_history_tables(conn: duckdb.DuckDBPyConnection) -> int:
    """Move the history tables from the working core file to the working history file; rows moved.

    Each table is created in the history file from its own definition (``duckdb_tables().sql``: columns,
    keys and constraints as every migration left them), filled, then dropped from the core. The statements
    write two files, so they run one by one, not in one transaction: both files are the session's private
    copies, published together or not at all.
    """
    moved = 0
    for table in tables_to_move(conn):
        if has_table(conn, HISTORY_ALIAS, table):
            raise StoreError(f"table {table} is in both the core file and the history file")
        rows = conn.execute(
            "SELECT sql FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' AND table_name = ?",
            [STORE_ALIAS, table],
        ).fetchall()
        conn.execute(f"USE {HISTORY_ALIAS}")
        try:
            conn.execute(str(rows[0][0]))  # CREATE TABLE <table>(...): created in the file in use
        finally:
            conn.execute(f"USE {STORE_ALIAS}")  # USE replaces the search path: set it again
            conn.execute(f"SET search_path = '{SEARCH_PATH}'")
        conn.execute(
            f"INSERT INTO {HISTORY_ALIAS}.main.{table} SELECT * FROM {STORE_ALIAS}.main.{table}"  # noqa: S608
        )
        count = conn.execute(f"SELECT count(*) FROM {HISTORY_ALIAS}.main.{table}").fetchall()  # noqa: S608
        moved += int(count[0][0])
        conn.execute(f"DROP TABLE {STORE_ALIAS}.main.{table}")
    return moved
