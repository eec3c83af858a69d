"""Bad input in the JavaScript and Python formats added with pnpm, yarn, Pipfile.lock, pylock and
conda: each is one line naming the file (and where), exit 2, and the earlier data stays as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.cli import main
from collectors.errors import InputError
from collectors.inventory import yamlfile
from collectors.inventory.read import read_file
from tests.inventory.helpers import FIXTURES
from tests.inventory.test_bad_input import _snapshot

PNPM = (FIXTURES / "js" / "pnpm9" / "pnpm-lock.yaml").read_text()
DEEP = "lockfileVersion: '9.0'\nimporters:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 80))

BAD_FILES = [
    (
        "truncated-pnpm",
        "pnpm-lock.yaml",
        PNPM[: PNPM.index("snapshots:") + 40] + "\n  'x: [",
        r"invalid YAML",
    ),
    ("deep-pnpm", "pnpm-lock.yaml", DEEP, r":\d+: YAML nested deeper than 64 levels$"),
    (
        "pnpm-v5",
        "pnpm-lock.yaml",
        "lockfileVersion: 5.4\nspecifiers: {}\n",
        r"lockfileVersion 5.4 is not supported",
    ),
    (
        "pnpm-shape",
        "pnpm-lock.yaml",
        "lockfileVersion: '9.0'\nimporters: [1, 2]\n",
        r"importers: YAML of the wrong shape",
    ),
    (
        "yarn-v1-garbage",
        "yarn.lock",
        "# yarn lockfile v1\n\nchalk@^4:\n  version\n",
        r"yarn\.lock:4: yarn\.lock v1: expected 'key value'",
    ),
    (
        "berry-truncated",
        "yarn.lock",
        '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"a@npm:1":\n  version: [',
        r"invalid YAML",
    ),
    ("pipfile-shape", "Pipfile.lock", '{"_meta": {}, "default": [1]}', r"default: JSON of the wrong shape"),
    (
        "pylock-version",
        "pylock.toml",
        'lock-version = "2.0"\npackages = []\n',
        r"lock-version '2\.0' is not supported",
    ),
    (
        "conda-shape",
        "environment.yml",
        "name: x\ndependencies: numpy\n",
        r"dependencies: YAML of the wrong shape",
    ),
    (
        "conda-lock-version",
        "conda-lock.yml",
        "version: 3\nmetadata: {}\npackage:\n- {manager: conda}\n",
        r"version: conda-lock version 3",
    ),
]


@pytest.fixture
def seeded(db_path: Path) -> Path:
    assert main(["import", "--db", str(db_path), "--app", "victim", str(FIXTURES / "uv.lock")]) == 0
    return db_path


@pytest.mark.parametrize(("case", "name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_one_line_and_keeps_earlier_data(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    name: str,
    content: str,
    message: str,
) -> None:
    before = _snapshot(seeded)
    capsys.readouterr()
    path = tmp_path / name
    path.write_text(content)
    assert main(["import", "--db", str(seeded), "--app", "victim", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"socle: error: {path}")
    assert re.search(message, err.strip()), err
    assert _snapshot(seeded) == before


def test_yaml_alias_bomb_is_refused_before_objects_are_built(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 200)]
    path = tmp_path / "pnpm-lock.yaml"
    path.write_text("lockfileVersion: '9.0'\n" + "\n".join(lines) + "\n")
    with pytest.raises(InputError, match="more than 1000 aliases; refused"):
        read_file(path)


def test_yaml_size_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfile, "MAX_BYTES", 100)
    path = tmp_path / "environment.yml"
    path.write_text("name: x\ndependencies:\n" + "  - numpy\n" * 50)
    with pytest.raises(InputError, match=r"YAML file too large \(\d+ bytes, at most 100\)"):
        yamlfile.load(path)
