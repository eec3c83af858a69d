"""Degree of authorship, authorship thresholds and the truck factor greedy (Avelino et al. 2016), and the
share factors (CHAOSS), on literal inputs."""

from __future__ import annotations

import pytest

from analysis.maintainers import authorship, factors
from analysis.maintainers.authorship import Change, FileHistory


@pytest.mark.parametrize(
    ("fa", "dl", "ac", "expected"),
    [
        (1, 0, 0, 4.391),
        (1, 1, 0, 4.555),
        (0, 1, 0, 3.457),
        (0, 2, 0, 3.621),
        (1, 0, 1, 4.1685),
        (1, 1, 1, 4.3325),
        (1, 0, 3, 3.946),
        (0, 1, 5, 2.881845),
        (1, 10, 0, 6.031),
    ],
)
def test_doa_matches_the_reference_table(fa: int, dl: int, ac: int, expected: float) -> None:
    assert authorship.doa(fa, dl, ac) == pytest.approx(expected, abs=5e-4)


def test_creator_with_many_foreign_changes_keeps_authorship_only_above_the_relative_threshold() -> None:
    # alice created it; bob changed it 5 times: DOA(alice) = 3.293 + 1.098 - 0.321 ln 6 = 3.816;
    # DOA(bob) = 3.293 + 0.82 = 4.113; alice's normalised DOA 0.928 > 0.75: both are authors.
    history = FileHistory(creators={"alice"}, changes={"bob": 5})  # type: ignore[arg-type]
    assert authorship.file_authors(history) == ["alice", "bob"]
    # with 15 changes by bob: DOA(bob) = 5.753, alice 3.293+1.098-0.321 ln 16 = 3.501; 0.61 < 0.75
    history = FileHistory(creators={"alice"}, changes={"bob": 15})  # type: ignore[arg-type]
    assert authorship.file_authors(history) == ["bob"]


def test_renames_carry_history_and_count_as_a_change() -> None:
    histories = authorship.file_histories(
        authorship.replay_order(
            [
                ("alice", [Change("A", "a.py")]),
                ("bob", [Change("R", "b.py", "a.py")]),
                ("bob", [Change("M", "b.py")]),
            ]
        )
    )
    assert set(histories) == {"b.py"}
    assert histories["b.py"].creators == {"alice"}
    assert histories["b.py"].changes == {"bob": 2}


def test_a_readded_file_keeps_its_history_and_gains_a_creator() -> None:
    histories = authorship.file_histories(
        authorship.replay_order(
            [
                ("alice", [Change("A", "x.py")]),
                ("carol", [Change("M", "x.py")]),
                ("alice", [Change("D", "x.py")]),
                ("bob", [Change("A", "x.py")]),
            ]
        )
    )
    assert histories["x.py"].creators == {"alice", "bob"}
    assert histories["x.py"].changes == {"carol": 1}


def test_truck_factor_greedy_stops_below_half_coverage() -> None:
    authors = {
        "f1": ["alice"],
        "f2": ["alice"],
        "f3": ["alice", "bob"],
        "f4": ["bob"],
        "f5": ["carol"],
    }
    tf = authorship.truck_factor(authors)
    # remove alice: f3,f4,f5 covered (60%); remove bob: f5 (20%) -> stop. TF = 2
    assert tf.value == 2
    assert tf.developers == (("alice", 3), ("bob", 2))
    assert tf.files_counted == 5


def test_tie_break_is_files_then_commits_then_name() -> None:
    authors = {"f1": ["zoe"], "f2": ["adam"], "f3": ["zoe", "adam"]}
    by_name = authorship.truck_factor(authors)
    assert by_name.developers[0][0] == "adam"
    by_commits = authorship.truck_factor(authors, {"zoe": 5, "adam": 1})
    assert by_commits.developers[0][0] == "zoe"


def test_pruned_variant_drops_minor_developers() -> None:
    # alice authors 40 files; 20 others 3 files each (60): greedy removes alice then 4 others (60% -> 48%)
    authors: dict[str, list[str]] = {f"a{i}": ["alice"] for i in range(40)}
    for d in range(20):
        authors |= {f"d{d}-{i}": [f"dev{d:02d}"] for i in range(3)}
    assert authorship.truck_factor(authors).value == 5
    # the pruned variant ignores removed developers with fewer than 10% of alice's 40 files
    pruned = authorship.truck_factor(authors, variant="pruned")
    assert pruned.value == 1
    assert pruned.developers == (("alice", 40),)


@pytest.mark.parametrize(
    ("contributions", "threshold", "operator", "expected"),
    [
        ([1000, 202, 90, 33, 332, 343, 42, 433], 0.5, ">=", 2),  # the CHAOSS worked example
        ([50, 50], 0.5, ">=", 1),
        ([50, 50], 0.5, ">", 2),
        ([50, 30, 20], 0.51, ">=", 2),
        ([], 0.5, ">=", 0),
        ([10], 0.5, ">=", 1),
    ],
)
def test_smallest_share_count(
    contributions: list[int], threshold: float, operator: str, expected: int
) -> None:
    assert factors.smallest_share_count(contributions, threshold, operator) == expected


def test_hhi_and_lfx_bands() -> None:
    assert factors.hhi([1, 1, 1, 1]) == pytest.approx(0.25)
    assert factors.hhi([7]) == 1.0
    assert [factors.lfx_band(k) for k in (1, 2, 3, 5, 8, 10)] == [0, 1, 2, 3, 4, 5]
    assert [factors.lfx_band(k, organisations=True) for k in (1, 2, 3, 4, 6, 8)] == [0, 1, 2, 3, 4, 5]


def test_files_with_history_but_no_author_count_as_uncovered() -> None:
    # f5 and f6 have a history but nobody above the thresholds: the reference counts them (N = 6).
    authors = {"f1": ["alice"], "f2": ["alice"], "f3": ["bob"], "f4": ["carol"], "f5": [], "f6": []}
    tf = authorship.truck_factor(authors)
    # 4/6 covered; remove alice -> 2/6 < 50%: stop. TF = 1 (over the 4 authored files alone it is 2)
    assert (tf.value, tf.files_counted, tf.files_without_author) == (1, 6, 2)
    assert authorship.truck_factor({f: a for f, a in authors.items() if a}).value == 2
    # how a file has no author: six developers changed it once each, nobody created it in the history
    history = FileHistory(changes={"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1})  # type: ignore[arg-type]
    assert authorship.file_authors(history) == []  # 3.293 + 0.164 - 0.321 ln 6 = 2.88 < 3.293


def test_all_names_history_adds_every_former_path_even_after_the_rename() -> None:
    # alice creates a.py; bob renames it to b.py; carol re-creates a.py as a shim and edits it twice
    totals = [
        ("a.py", "alice", True, 0),
        ("b.py", "bob", False, 1),  # the rename is a change of b.py
        ("a.py", "carol", True, 2),
        ("c.py", "dan", True, 0),
    ]
    histories = authorship.histories_all_names(totals, [("a.py", "b.py"), ("b.py", "c.py")])
    assert histories["b.py"].creators == {"alice", "carol"}
    assert histories["b.py"].changes == {"bob": 1, "carol": 2}
    assert histories["a.py"].creators == {"alice", "carol"}  # a path keeps its own history
    assert histories["c.py"].creators == {"alice", "carol", "dan"}  # transitively
    # the at-rename replay moves alice's history at the rename; carol's shim stays with a.py
    moved = authorship.file_histories(
        authorship.replay_order(
            [
                ("alice", [Change("A", "a.py")]),
                ("bob", [Change("R", "b.py", "a.py")]),
                ("carol", [Change("A", "a.py")]),
                ("carol", [Change("M", "a.py")]),
                ("carol", [Change("M", "a.py")]),
            ]
        )
    )
    assert moved["b.py"].creators == {"alice"} and moved["b.py"].changes == {"bob": 1}
    assert moved["a.py"].creators == {"carol"} and moved["a.py"].changes == {"carol": 2}
