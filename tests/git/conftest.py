"""Fixtures: a small project history built with pygit2, placed in a mirror folder as acme+tool."""

from __future__ import annotations

import shutil
import sysconfig
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from tests.git.builder import RepoBuilder, body

URL = "https://github.com/acme/tool"


@dataclass(frozen=True)
class Options:
    db_path: Path
    mirror_dir: Path | None
    at: str | None = None
    now: datetime = datetime(2020, 10, 1)


@dataclass
class Project:
    builder: RepoBuilder
    mirror: Path
    shas: dict[str, str]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """alice creates a.py and b.py; bob edits a.py twice; carol adds c.py; alice renames b.py; dave writes
    docs; a side branch by bob is merged; a bot bumps a lock file."""
    mirror = tmp_path / "mirrors"
    b = RepoBuilder(mirror / "acme+tool")
    shas = {}
    shas["c1"] = b.commit(
        "Alice", "alice@acme.example", {"src/a.py": body(20, "a"), "src/b.py": body(20, "b")}
    )
    shas["c2"] = b.commit("Bob", "bob@gmail.com", {"src/a.py": body(20, "a") + "bob 1\n"})
    shas["c3"] = b.commit("Bob", "bob@gmail.com", {"src/a.py": body(20, "a") + "bob 1\nbob 2\n"})
    shas["c4"] = b.commit("Carol", "carol@other.example", {"src/c.py": body(10, "c")})
    shas["c5"] = b.commit("Alice", "alice@acme.example", renames={"src/b.py": "src/b2.py"})
    shas["c6"] = b.commit("Dave", "dave@acme.example", {"docs/index.md": "# Tool\n"})
    shas["c7"] = b.commit(
        "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", {"package-lock.json": "{}\n"}
    )
    return Project(b, mirror, shas)


@pytest.fixture(params=["python", "compiled"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Runs a test with each parser of git's output: the Python one, and the compiled one
    (collectors/git/_gitlog.c), which must have been built wherever a C compiler is installed."""
    from collectors.git import git_engine

    if request.param == "python":
        monkeypatch.setattr(git_engine._TwoEnds, "compiled", None)
    elif git_engine._TwoEnds.compiled is None:
        headers = Path(sysconfig.get_paths()["include"], "Python.h").is_file()
        if headers and (shutil.which("cc") or shutil.which("gcc")):
            pytest.fail(
                "a C compiler and Python's headers are installed but the parser was not built (make install)"
            )
        pytest.skip("no C compiler or no Python headers here: the compiled parser was not built")
    return str(request.param)
