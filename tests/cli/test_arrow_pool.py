"""The ``socle`` command allocates Arrow memory with the system allocator, not Arrow's default (mimalloc, which
reserves 1 GiB of address space at its first array), unless the user chose one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: An import writes its rows through Arrow; then the pool that served them is named.
CHILD = (
    "import sys\n"
    "from analysis.cli import main\n"
    "code = main(['import', '--db', sys.argv[1], sys.argv[2]])\n"
    "import pyarrow\n"
    "print(code, pyarrow.default_memory_pool().backend_name)\n"
)


def _import_in_child(tmp_path: Path, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "socle.duckdb"), str(ROOT / "data/examples/services-web")],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[-2:]


def test_socle_writes_through_the_system_allocator(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    assert _import_in_child(tmp_path, env) == ["0", "system"]


def test_an_allocator_the_user_chose_is_kept(tmp_path: Path) -> None:
    env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}
    assert _import_in_child(tmp_path, env) == ["0", "mimalloc"]
