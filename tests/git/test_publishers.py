"""The ``publishers`` score: the same score for every registry, with the source and strength of its evidence."""

from __future__ import annotations

import pytest

from analysis.maintainers.publishers import publishers_score


@pytest.mark.parametrize(
    ("people", "value", "reason"),
    [
        ([("graffatcolmingov", "Owner", "pypi"), ("Lukasa", "Owner", "pypi"), ("nateprewitt", "Owner", "pypi")], 3.0,
         "3 people can publish to PyPI: Lukasa, graffatcolmingov, nateprewitt."),
        ([("isaacs", "maintainer", "npm")], 1.0, "1 person can publish to npm: isaacs."),
        ([("dtolnay", "owner", "cargo"), ("github:serde-rs:publish", "owner-team", "cargo"),
          ("Erick Tryzelaar", "author", "cargo")], 2.0,
         "2 people or teams can publish to crates.io: dtolnay, github:serde-rs:publish."),
        ([("Erick Tryzelaar", "author", "cargo"), ("David Tolnay", "author", "cargo")], 2.0,
         "Cargo.toml lists 2 authors (weaker evidence: authors are not necessarily crates.io owners): "
         "David Tolnay, Erick Tryzelaar."),
        ([("garydgregory", "developer", "maven")], 1.0,
         "POM lists 1 developer (weaker evidence: POM developers are not necessarily publishers): garydgregory."),
        ([(f"dev{i}", "Maintainer", "pypi") for i in range(7)], 7.0,
         "7 people can publish to PyPI: dev0, dev1, dev2, dev3, dev4 and 2 more."),
    ],
)  # fmt: skip
def test_reason_names_the_source_and_its_strength(
    people: list[tuple[str, str | None, str]], value: float, reason: str
) -> None:
    score = publishers_score(people)
    assert (score.value, score.reason) == (value, reason)


def test_weaker_evidence_is_marked_in_the_details() -> None:
    assert publishers_score([("a", "developer", "maven")]).details["evidence"] == "declared (weaker)"
    assert publishers_score([("a", "Owner", "pypi")]).details["evidence"] == "publish rights"


def test_not_collected_and_nobody_listed_are_inconclusive_not_zero() -> None:
    assert publishers_score(None).value is None and publishers_score([]).value is None
