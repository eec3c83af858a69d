"""Every hostile behaviour of the Go, crates.io and Debian fault matrix (tests/registry/fault_matrix_polyglot.py)
gets what it should, in a child process under the same address-space limit as the PyPI/npm matrix."""

from __future__ import annotations

from typing import Any

import pytest

from tests.registry.fault_matrix_polyglot import CASES, PACKAGES, Case
from tests.registry.test_fault_matrix import ADDRESS_SPACE, ROOT, run_matrix


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_matrix(
        "tests.registry.fault_matrix_polyglot", tmp_path_factory.mktemp("fault-matrix-polyglot")
    )


def test_each_new_ecosystem_has_its_cases() -> None:
    assert len({case.name for case in CASES}) == len(CASES)
    counts = {eco: sum(case.ecosystem == eco for case in CASES) for eco in PACKAGES}
    assert min(counts.values()) >= 8, counts


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fault(results: dict[str, Any], case: Case) -> None:
    got = results[case.name]
    victim, good = PACKAGES[case.ecosystem]
    if case.outcome == "index":
        # Both Debian packages need the index: both keep their records, each with its own line.
        assert got["good_intact"] and got["victim_intact"], got
        if case.says:
            assert got["code"] == 1, got
            assert sorted(line.split(": ")[3] for line in got["err"]) == sorted([good, victim]), got["err"]
            assert all(case.says in line.lower() for line in got["err"]), got["err"]
        else:  # the release is not on the mirror: both skipped
            assert (got["code"], got["err"]) == (0, []), got
        return
    assert got["good_updated"], got  # the other package's new answer was stored
    if case.outcome == "kept":
        assert got["code"] == 1, got
        assert len(got["err"]) == 1, got["err"]  # one line naming the package: no traceback, no retry logs
        line = got["err"][0]
        assert line.startswith(f"socle refresh: {case.ecosystem}: error: {victim}: "), line
        assert case.says in line.lower(), line
        assert got["victim_intact"], got
        assert got["events"] == [[victim, "error"]], got
    elif case.outcome == "skipped":
        assert (got["code"], got["err"]) == (0, []), got
        assert got["victim_intact"], got
        assert got["events"] == [[victim, "skipped"]], got
    else:
        assert (got["code"], got["err"]) == (0, []), got
        assert got["victim_updated"], got
        assert got["events"] == [[victim, "warning"]], got  # what was not read is said


def test_memory_stayed_within_the_limit(results: dict[str, Any]) -> None:
    assert "limit" in results["go-gzip-bomb"]["err"][0]
    assert max(r["peak_vm_mb"] for r in results.values()) * 1024 * 1024 < ADDRESS_SPACE


def test_every_case_is_documented() -> None:
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert [case.name for case in CASES if f"| `{case.name}` |" not in page] == []
