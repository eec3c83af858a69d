"""OSV range evaluation, table-driven (https://ossf.github.io/osv-schema/#evaluation)."""

from __future__ import annotations

import pytest

from collectors.vulnerabilities.versions import comparator, describe, in_range

PYPI = comparator("PyPI", "ECOSYSTEM")
SEMVER = comparator("npm", "SEMVER")


@pytest.mark.parametrize(
    ("version", "events", "expected"),
    [
        ("1.26.5", [{"introduced": "0"}, {"fixed": "1.26.17"}], True),
        ("1.26.17", [{"introduced": "0"}, {"fixed": "1.26.17"}], False),
        ("2.0.0", [{"introduced": "2.0.0"}, {"fixed": "2.0.7"}], True),
        ("1.9.9", [{"introduced": "2.0.0"}, {"fixed": "2.0.7"}], False),
        ("2.0.0rc1", [{"introduced": "2.0.0"}, {"fixed": "2.0.7"}], False),  # PEP 440: rc sorts before
        ("3.1", [{"introduced": "3.0"}, {"last_affected": "3.1"}], True),
        ("3.1.1", [{"introduced": "3.0"}, {"last_affected": "3.1"}], False),
        # two introduced/fixed pairs in one range
        ("1.5", [{"introduced": "1.0"}, {"fixed": "1.2"}, {"introduced": "1.4"}, {"fixed": "1.6"}], True),
        ("1.3", [{"introduced": "1.0"}, {"fixed": "1.2"}, {"introduced": "1.4"}, {"fixed": "1.6"}], False),
        ("not a version", [{"introduced": "0"}, {"fixed": "1.0"}], None),
    ],
)
def test_pypi_ranges(version: str, events: list[dict[str, str]], expected: bool | None) -> None:
    assert PYPI is not None
    assert in_range(version, events, PYPI) is expected


@pytest.mark.parametrize(
    ("version", "events", "expected"),
    [
        ("4.17.15", [{"introduced": "0"}, {"fixed": "4.17.21"}], True),
        ("4.17.21", [{"introduced": "0"}, {"fixed": "4.17.21"}], False),
        ("v1.2.3", [{"introduced": "1.0.0"}, {"fixed": "1.10.0"}], True),  # Go's leading v; 1.2 < 1.10
        ("1.0.0-beta.1", [{"introduced": "1.0.0"}], False),  # a prerelease sorts before its release
    ],
)
def test_semver_ranges(version: str, events: list[dict[str, str]], expected: bool) -> None:
    assert SEMVER is not None
    assert in_range(version, events, SEMVER) is expected


def test_orderings_socle_lacks_and_git_ranges_give_no_comparator() -> None:
    assert comparator("Maven", "ECOSYSTEM") is None
    assert comparator("PyPI", "GIT") is None


def test_ranges_are_described_as_a_person_reads_them() -> None:
    assert describe([{"introduced": "0"}, {"fixed": "1.26.17"}]) == "<1.26.17"
    assert describe([{"introduced": "2.0.0"}, {"fixed": "2.0.7"}]) == ">=2.0.0, <2.0.7"
    assert describe([{"introduced": "0"}]) == "every version"
