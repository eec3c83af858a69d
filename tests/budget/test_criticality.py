"""Criticality: usage from the inventory and reverse reach over app_edges (a recursive query)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import criticality
from analysis.queries import budget as queries
from analysis.queries.budget import Usage
from collectors.store import read_connection, write_session
from tests.budget import fixture_store


def test_reverse_reach_follows_transitive_dependents_and_survives_cycles(db_path: Path) -> None:
    with write_session(db_path, "import") as session:
        session.conn.executemany(
            "INSERT INTO app_edges (app, parent_purl, child_purl, run_id) VALUES ('app', ?, ?, 1)",
            [["A", "B"], ["B", "C"], ["C", "A"], ["D", "B"], ["E", "D"], ["E", "E"]],
        )
    with read_connection(db_path) as conn:
        reach = queries.reverse_reach(conn)
    # B is depended on by A, D (directly), C (via the cycle) and E (via D); never by itself.
    assert reach["B"] == 4
    assert reach["D"] == 1
    assert "E" not in reach


def test_usage_on_the_fixture_organisation(tmp_path: Path) -> None:
    db = fixture_store.build(tmp_path / "s.duckdb")
    with read_connection(db) as conn:
        usage = queries.usage(conn)
    six = usage["pkg:pypi/six"]
    assert (six.apps, six.direct_apps, six.min_depth, six.scope, six.reverse_reach) == (2, 0, 2, "runtime", 1)
    assert usage["pkg:pypi/pytest"].scope == "dev"
    assert usage["pkg:npm/react"].reverse_reach == 1


def test_normalised_value_literal() -> None:
    u = Usage("p", apps=2, direct_apps=2, min_depth=1, scope="runtime", reverse_reach=1)
    assert criticality.value(u, total_apps=3, max_reach=1) == pytest.approx(0.8)
    dev = Usage("p", apps=2, direct_apps=2, min_depth=1, scope="dev", reverse_reach=1)
    assert criticality.value(dev, total_apps=3, max_reach=1) == pytest.approx(0.24)
    score = criticality.score(u, 3, 1)
    assert score.details["reverse_reach"] == 1 and "Used by 2 of 3 applications" in score.reason
