"""A full disk (simulated with ``RLIMIT_FSIZE`` in a child process): one line, exit 2, nothing left behind,
the earlier data kept, and the next run after space is freed succeeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from analysis.cli import main
from collectors.store import read_connection

ROOT = Path(__file__).resolve().parents[2]
UV_LOCK = ROOT / "tests" / "inventory" / "fixtures" / "uv.lock"
#: Runs ``socle ARGS`` with files limited to LIMIT bytes: a write past it fails with EFBIG, as on a full disk.
_CHILD = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # report EFBIG to the writer instead of killing it
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from analysis.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _socle_with_file_limit(limit: int, *args: str) -> tuple[int, list[str]]:
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(limit), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return child.returncode, child.stderr.splitlines()


def _applications(db: Path) -> list[tuple[object, ...]]:
    with read_connection(db) as conn:
        return conn.execute("SELECT name, content_hash FROM applications ORDER BY name").fetchall()


def _large_sbom(path: Path, components: int) -> Path:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": [
            {"bom-ref": f"c{i}", "name": f"package-{i}", "purl": f"pkg:pypi/package-{i}@1.{i}"}
            for i in range(components)
        ],
    }
    path.write_text(json.dumps(doc))
    return path


def test_no_room_for_the_working_copy(db_path: Path, tmp_path: Path) -> None:
    assert main(["import", "--db", str(db_path), "--app", "one", str(UV_LOCK)]) == 0
    before, size = _applications(db_path), db_path.stat().st_size
    for _ in range(2):  # the same failure twice: nothing accumulates
        code, err = _socle_with_file_limit(
            size // 2, "import", "--db", str(db_path), "--app", "two", str(UV_LOCK)
        )
        assert code == 2, err
        assert len(err) == 1, err
        assert err[0].startswith(f"socle: error: {db_path}: cannot make the working copy of the store"), err
        assert "File too large" in err[0] and err[0].endswith("nothing was changed")
        assert not list(db_path.parent.glob(".*.tmp*"))
        assert _applications(db_path) == before
    # Space freed: the next run works.
    assert main(["import", "--db", str(db_path), "--app", "two", str(UV_LOCK)]) == 0
    assert [name for name, _ in _applications(db_path)] == ["one", "two"]


def test_disk_full_inside_duckdb_is_one_line(db_path: Path, tmp_path: Path) -> None:
    assert main(["import", "--db", str(db_path), "--app", "one", str(UV_LOCK)]) == 0
    before, size = _applications(db_path), db_path.stat().st_size
    sbom = _large_sbom(tmp_path / "big.cdx.json", 20_000)
    # Room for the copy, not for what the import adds to it.
    code, err = _socle_with_file_limit(
        size + 256 * 1024, "import", "--db", str(db_path), "--app", "big", str(sbom)
    )
    assert code == 2, err
    assert len(err) == 1, err  # no DuckDB traceback
    assert err[0].startswith(f"socle: error: {db_path}: cannot write the store ("), err
    assert not list(db_path.parent.glob(".*.tmp*"))
    assert _applications(db_path) == before
    assert main(["import", "--db", str(db_path), "--app", "big", str(sbom)]) == 0
    assert [name for name, _ in _applications(db_path)] == ["big", "one"]
