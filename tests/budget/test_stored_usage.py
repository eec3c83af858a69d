"""``package_usage``: the refresh stores usage and reverse reach, readers read them until an import changes the
graph (which empties the table), and what a proposal reads gives the same lines as reading everything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from analysis.budget import plan, step
from analysis.budget.proposal import propose
from analysis.cli import main
from analysis.queries import budget as queries
from collectors.store import read_connection, write_session
from tests.budget import fixture_store


@dataclass(frozen=True)
class _Options:
    now: datetime


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = fixture_store.build(tmp_path / "org.duckdb")
    with write_session(db, "refresh") as session:
        step.run(session, _Options(now=fixture_store.AS_OF))
    return db


def _stored(db: Path) -> list[tuple[object, ...]]:
    with read_connection(db) as conn:
        return conn.execute(
            "SELECT purl, apps, direct_apps, min_depth, scope, reverse_reach FROM package_usage ORDER BY purl"
        ).fetchall()


def test_the_criticality_step_stores_the_usage_it_computed(store: Path) -> None:
    with read_connection(store) as conn:
        live = queries.usage(conn, stored=False)
    assert _stored(store) == [
        (u.purl, u.apps, u.direct_apps, u.min_depth, u.scope, u.reverse_reach) for u in live.values()
    ]
    six = live["pkg:pypi/six"]
    assert (six.apps, six.min_depth, six.reverse_reach) == (2, 2, 1)  # python-dateutil depends on it


def test_readers_take_the_stored_usage(store: Path) -> None:
    with write_session(store, "refresh") as session:  # a value only the table holds
        session.conn.execute("UPDATE package_usage SET reverse_reach = 999 WHERE purl = 'pkg:pypi/six'")
    with read_connection(store) as conn:
        assert queries.usage(conn)["pkg:pypi/six"].reverse_reach == 999
        assert queries.usage(conn, stored=False)["pkg:pypi/six"].reverse_reach == 1
        assert queries.load(conn).usage["pkg:pypi/six"].reverse_reach == 999


def test_an_import_that_changes_the_graph_empties_it_and_readers_compute_it_live(
    store: Path, tmp_path: Path
) -> None:
    before = _stored(store)
    unchanged = tmp_path / "requirements.txt"
    unchanged.write_text("six==1.16.0\n", encoding="utf-8")
    assert main(["import", "--db", str(store), "--app", "new-app", str(unchanged)]) == 0
    assert _stored(store) == []  # a new application: usage changed
    with read_connection(store) as conn:
        usage = queries.usage(conn)
    assert (usage["pkg:pypi/six"].apps, usage["pkg:pypi/six"].min_depth) == (3, 1)
    with write_session(store, "refresh") as session:
        step.run_criticality(session, _Options(now=fixture_store.AS_OF))
    assert len(_stored(store)) == len(before)
    assert main(["import", "--db", str(store), "--app", "new-app", str(unchanged)]) == 0
    assert len(_stored(store)) == len(before)  # the same content again changes nothing


def test_a_store_without_the_table_filled_gives_the_same_usage(tmp_path: Path, store: Path) -> None:
    plain = fixture_store.build(tmp_path / "plain.duckdb")  # imported, never refreshed
    with read_connection(plain) as conn:
        assert conn.execute("SELECT count(*) FROM package_usage").fetchone() == (0,)
        live = queries.usage(conn)
    with read_connection(store) as conn:
        assert queries.usage(conn) == live


@pytest.mark.parametrize("method", ["need", "equal", "stackaid", "usage"])
def test_what_a_proposal_reads_gives_the_lines_of_a_full_read(store: Path, method: str) -> None:
    choices = plan.Choices(total=12000, method=method, floor=100)
    with read_connection(store) as conn:
        full = queries.load(conn, stored_usage=False)
        lean = plan.read(conn, method)
    assert lean.activity == {} and (lean.children is None) == (method != "stackaid")
    assert lean.last_commit == {u: a.last_commit_at for u, a in full.activity.items() if a.last_commit_at}
    a = plan.propose_from_data(full, choices, created_at=fixture_store.AS_OF)
    b = plan.propose_from_data(lean, choices, created_at=fixture_store.AS_OF)
    assert a.lines and a == b


def test_stackaid_refuses_data_read_without_the_graph(store: Path) -> None:
    with read_connection(store) as conn:
        data = plan.read(conn, "need")
    options = plan.options(plan.Choices(total=1000, method="stackaid"), data)
    with pytest.raises(ValueError, match="dependency graph"):
        propose(data, options)
