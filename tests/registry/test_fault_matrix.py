"""Every hostile registry behaviour of the fault matrix (tests/registry/fault_matrix.py) gets what it should.

The cases run once, in a child process under an address-space limit (``resource.setrlimit``): a case that
tried to hold a decompressed bomb or a 100,000-level document in memory would fail there (MemoryError, a
different exit code) instead of taking the machine. For each case: the exit code, exactly one error line
naming the package (or none), the other package's update stored, and the victim's earlier record kept.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.registry.fault_matrix import BOMB_BYTES, CASES, Case

#: Address space for the whole child (Python, DuckDB, httpx, the fake registry's threads). A refresh needs
#: well under half of it; the compression bombs expand to :data:`BOMB_BYTES` each, past it if held whole.
ADDRESS_SPACE = 2 * 1024 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_matrix(module: str, work: Path) -> dict[str, Any]:
    """Run a fault matrix module in a child under the address-space limit; its results by case name."""
    out = work / "results.json"
    child = subprocess.run(
        [sys.executable, "-m", module, str(out), str(work / "cases")],
        cwd=ROOT,
        preexec_fn=_limit_memory,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    loaded: dict[str, Any] = json.loads(out.read_text())
    return loaded


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_matrix("tests.registry.fault_matrix", tmp_path_factory.mktemp("fault-matrix"))


def test_the_matrix_has_at_least_50_hostile_behaviours() -> None:
    assert len(CASES) >= 50
    assert len({case.name for case in CASES}) == len(CASES)
    assert BOMB_BYTES >= ADDRESS_SPACE // 2


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fault(results: dict[str, Any], case: Case) -> None:
    got = results[case.name]
    assert got["good_updated"], got  # the other package's new answer was stored
    if case.outcome == "kept":
        assert got["code"] == 1, got
        assert len(got["err"]) == 1, got["err"]  # one line, naming the package: no traceback, no retry logs
        line = got["err"][0]
        assert line.startswith(f"socle refresh: {case.ecosystem}: error: {case.purl}: "), line
        assert case.says in line.lower(), line
        assert got["victim_intact"], got  # summary, releases, maintainers, funding as they were
        assert [severity for severity, _ in got["events"]] == ["error"]
    elif case.outcome == "skipped":
        assert (got["code"], got["err"]) == (0, []), got
        assert got["victim_intact"], got
        assert [severity for severity, _ in got["events"]] == ["skipped"]
    else:
        assert (got["code"], got["err"]) == (0, []), got
        assert got["victim_summary"] == (case.summary or "new summary"), got
    for key, value in case.extra.items():
        assert got[f"victim_{key}"] == value, got


def test_the_bombs_were_refused_within_the_memory_limit(results: dict[str, Any]) -> None:
    for name in ("gzip-bomb", "deflate-bomb", "deep-nesting-100k", "body-60-mb-declared"):
        assert re.search(r"limit|nested", results[name]["err"][0]), results[name]
    assert max(r["peak_vm_mb"] for r in results.values()) * 1024 * 1024 < ADDRESS_SPACE


def test_every_case_is_documented() -> None:
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert [case.name for case in CASES if f"| `{case.name}` |" not in page] == []
