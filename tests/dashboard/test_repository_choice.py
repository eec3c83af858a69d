"""The Bus factor page's repository list (analysis/queries/dashboard/bus_factor.py repositories): the page
opens on the first one, so mined repositories come before those that could not be mined, and among them the
riskiest first, by their packages' truck factor or else their own."""

from __future__ import annotations

from pathlib import Path

from analysis.queries.dashboard.bus_factor import repositories
from collectors.store import git as store
from collectors.store import read_connection, write_session


def test_mined_repositories_first_riskiest_first(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with write_session(db, "test") as session:
        conn = session.conn
        for url in (
            "https://a.example/never/mined",
            "https://b.example/o/safe",
            "https://c.example/o/fragile",
        ):
            store.add_repository(conn, url, "example", session.run_id)
        conn.execute("UPDATE repositories SET status = 'ok' WHERE url <> 'https://a.example/never/mined'")
        for url, value in (("https://b.example/o/safe", 9.0), ("https://c.example/o/fragile", 1.0)):
            conn.execute(
                "INSERT INTO scores (subject_kind, subject, name, version, value, status, reason, run_id) "
                "VALUES ('repository', ?, 'truck_factor', '1', ?, 'ok', 'r', ?)",
                [url, value, session.run_id],
            )
    with read_connection(db) as conn:
        assert repositories(conn) == [
            "https://c.example/o/fragile", "https://b.example/o/safe", "https://a.example/never/mined",
        ]  # fmt: skip
