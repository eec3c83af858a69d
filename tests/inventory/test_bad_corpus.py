"""Every file of the bad-input corpus (tests/inventory/bad_corpus.py) gets what it should from ``socle import``."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from collectors.store import copy_store, read_connection
from tests.inventory.bad_corpus import CORPUS, BadInput
from tests.inventory.helpers import FIXTURES

#: Address space of the child that reads an isolated case: a reader that built a 100,000-level document or
#: read /dev/zero whole would fail there, not take the machine.
ADDRESS_SPACE = 2 * 1024 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


def _snapshot(db: Path) -> tuple[list[tuple[object, ...]], ...]:
    with read_connection(db) as conn:
        return (
            conn.execute("SELECT * FROM applications ORDER BY name").fetchall(),
            conn.execute("SELECT * FROM app_packages ORDER BY app, purl, version").fetchall(),
        )


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seed") / "socle.duckdb"
    assert main(["import", "--db", str(db), "--app", "victim", str(FIXTURES / "uv.lock")]) == 0
    return db


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _import(db: Path, path: Path, isolated: bool) -> tuple[int, list[str]]:
    args = ["import", "--db", str(db), "--app", "victim", str(path)]
    if not isolated:
        return main(args), []
    child = subprocess.run(
        [sys.executable, "-m", "analysis.cli", *args],
        cwd=ROOT,
        preexec_fn=_limit_memory,
        capture_output=True,
        text=True,
        timeout=120,  # a FIFO that blocked the import would end the test here, with a failure
        check=False,
    )
    return child.returncode, child.stderr.splitlines()


def test_the_corpus_has_at_least_40_bad_files() -> None:
    assert len(CORPUS) >= 40
    assert len({case.name for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_bad_input(
    case: BadInput, seeded_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store" / "socle.duckdb"
    db.parent.mkdir()
    copy_store(seeded_template, db)  # the core file and its history file
    folder = tmp_path / "input"
    folder.mkdir()
    path = case.make(folder)
    before = _snapshot(db)
    capsys.readouterr()
    code, child_err = _import(db, path, case.isolated)
    err = child_err or capsys.readouterr().err.splitlines()
    if case.outcome == "accepted":
        assert (code, err) == (0, []), err
        with read_connection(db) as conn:
            packages = conn.execute("SELECT count(*) FROM app_packages WHERE app = 'victim'").fetchone()
        assert packages is not None and packages[0] >= 1
        return
    assert code == 2, err
    assert len(err) == 1, err  # one line, no traceback
    assert err[0].startswith(f"socle: error: {path}"), err[0]
    assert re.search(case.says, err[0]), err[0]
    assert _snapshot(db) == before  # the application's earlier data is as it was
    assert not list(db.parent.glob(".*.tmp"))  # and no working copy was left behind


def test_every_file_is_documented() -> None:
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert [case.name for case in CORPUS if f"| `{case.name}` |" not in page] == []
