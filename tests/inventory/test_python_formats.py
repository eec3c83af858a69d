"""Python lockfiles made by the real tools from manifests written for these tests, checked against
each tool's own view of the same tree."""

from __future__ import annotations

from pathlib import Path

from collectors.inventory.read import read_file
from tests.inventory.helpers import FIXTURES, edges, table

PY = FIXTURES / "python"


def test_uv_workspace_with_a_virtual_root() -> None:
    # uv-workspace/ was locked with `uv lock` (uv 0.13): a virtual root (no [project]) with the groups
    # lint (ruff) and test (pytest, httpx[http2]); members svc (httpx, lib; dev group: pytest-cov) and
    # lib (idna; extra color: colorama). `uv lock` resolved 21 packages: the 2 members and these 19.
    # `uv tree --all-groups --universal --frozen` shows each at these depths (members are own code, so
    # what they name is depth 1), and pytest -> colorama under the marker sys_platform == 'win32'.
    inventory = read_file(PY / "uv-workspace" / "uv.lock")
    assert (inventory.format, inventory.name) == ("uv-lock", None)  # named after its folder on import
    assert table(inventory) == {
        "pkg:pypi/httpx@0.28.1": ("runtime", ">=0.27", 1),  # svc's, and the test group's httpx[http2]
        "pkg:pypi/idna@3.20": ("runtime", ">=3", 1),  # lib's
        "pkg:pypi/colorama@0.4.6": ("optional", ">=0.4", 1),  # lib[color]; also pytest's on Windows (dev)
        "pkg:pypi/pytest-cov@7.1.0": ("dev", ">=5", 1),  # a member's dev group
        "pkg:pypi/pytest@9.2.0": ("dev", ">=8", 1),  # the virtual root's test group
        "pkg:pypi/ruff@0.17.6": ("dev", ">=0.6", 1),  # the virtual root's lint group
        "pkg:pypi/anyio@4.16.0": ("runtime", "", 2),
        "pkg:pypi/certifi@2026.10.19.post1": ("runtime", "", 2),
        "pkg:pypi/httpcore@1.0.9": ("runtime", "", 2),
        "pkg:pypi/h11@0.16.0": ("runtime", "", 3),
        "pkg:pypi/typing-extensions@4.16.0": ("runtime", "", 3),
        # the http2 extra was asked for by the test group only: dev, although httpx itself is runtime
        "pkg:pypi/h2@4.4.1": ("dev", "", 2),
        "pkg:pypi/hpack@4.2.0": ("dev", "", 3),
        "pkg:pypi/hyperframe@6.1.0": ("dev", "", 3),
        "pkg:pypi/coverage@7.17.5": ("dev", "", 2),
        "pkg:pypi/iniconfig@2.3.1": ("dev", "", 2),
        "pkg:pypi/packaging@26.4": ("dev", "", 2),
        "pkg:pypi/pluggy@1.7.0": ("dev", "", 2),
        "pkg:pypi/pygments@2.21.0": ("dev", "", 2),
    }
    assert len(inventory.edges) == 19
    assert ("pkg:pypi/httpx@0.28.1", "pkg:pypi/h2@4.4.1") in edges(inventory)
    assert ("pkg:pypi/pytest@9.2.0", "pkg:pypi/colorama@0.4.6") in edges(inventory)
    assert inventory.skips == ()


def test_uv_lock_package_nothing_reaches_is_a_skip_not_runtime(tmp_path: Path) -> None:
    text = (PY / "uv-workspace" / "uv.lock").read_text()
    stale = (
        '[[package]]\nname = "stale"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n'
    )
    (tmp_path / "uv.lock").write_text(text + "\n" + stale)
    inventory = read_file(tmp_path / "uv.lock")
    assert "pkg:pypi/stale" not in {c.package.purl for c in inventory.components}
    assert [(s.where, s.reason) for s in inventory.skips] == [
        ("pkg:pypi/stale@1.0", "no project of the workspace depends on it; left out")
    ]


# poetry-extras/ was locked with `poetry lock` (Poetry 2.5): httpx in main, httpx[http2] and pytest in
# the dev group. `poetry show --tree` lists the same 16 packages; the lockfile's own `groups` put h2,
# hpack and hyperframe in dev only.
POETRY_EXTRAS = {
    "pkg:pypi/httpx@0.28.1": ("runtime", "", 1),
    "pkg:pypi/pytest@8.4.2": ("dev", "", 1),
    "pkg:pypi/anyio@4.16.0": ("runtime", "", 2),
    "pkg:pypi/certifi@2026.10.19.post1": ("runtime", "", 2),
    "pkg:pypi/httpcore@1.0.9": ("runtime", "", 2),
    "pkg:pypi/idna@3.20": ("runtime", "", 2),
    "pkg:pypi/h11@0.16.0": ("runtime", "", 3),
    "pkg:pypi/typing-extensions@4.16.0": ("runtime", "", 3),
    "pkg:pypi/h2@4.4.1": ("dev", "", 2),  # the http2 extra, asked for by the dev group only
    "pkg:pypi/hpack@4.2.0": ("dev", "", 3),
    "pkg:pypi/hyperframe@6.1.0": ("dev", "", 3),
    "pkg:pypi/colorama@0.4.6": ("dev", "", 2),  # pytest's, on Windows
    "pkg:pypi/iniconfig@2.3.1": ("dev", "", 2),
    "pkg:pypi/packaging@26.4": ("dev", "", 2),
    "pkg:pypi/pluggy@1.7.0": ("dev", "", 2),
    "pkg:pypi/pygments@2.21.0": ("dev", "", 2),
}


def test_poetry_lock_extras_on_a_group_dependency() -> None:
    inventory = read_file(PY / "poetry-extras" / "poetry.lock")
    assert (inventory.format, inventory.name) == ("poetry-lock", "poetry-extras")
    assert table(inventory) == POETRY_EXTRAS
    assert ("pkg:pypi/httpx@0.28.1", "pkg:pypi/h2@4.4.1") in edges(inventory)
    assert len(inventory.edges) == 16
    assert inventory.skips == ()


def test_poetry_lock_without_groups_walks_extras_from_the_declaring_group(tmp_path: Path) -> None:
    # Before Poetry 2 the lockfile had no `groups`: scopes come from the pyproject.toml's roots.
    folder = PY / "poetry-extras"
    lock = "\n".join(
        line for line in (folder / "poetry.lock").read_text().splitlines() if not line.startswith("groups =")
    )
    (tmp_path / "poetry.lock").write_text(lock)
    (tmp_path / "pyproject.toml").write_text((folder / "pyproject.toml").read_text())
    assert table(read_file(tmp_path / "poetry.lock")) == POETRY_EXTRAS


def test_pip_compile_via_comments_decide_direct_pins_and_edges() -> None:
    # pip-compile (pip-tools) from pip-compile/requirements.in (requests, click, httpx): 11 pins, 3 of
    # them "# via -r requirements.in"; the other "# via" lines give 12 dependent -> pin edges.
    inventory = read_file(PY / "pip-compile" / "requirements.txt")
    assert {f"{r.purl}@{r.version}" for r in inventory.roots} == {
        "pkg:pypi/click@8.5.1",
        "pkg:pypi/httpx@0.28.1",
        "pkg:pypi/requests@2.34.2",
    }
    depth = {purl: d for purl, (_, _, d) in table(inventory).items()}
    assert depth == {
        "pkg:pypi/click@8.5.1": 1,
        "pkg:pypi/httpx@0.28.1": 1,
        "pkg:pypi/requests@2.34.2": 1,
        "pkg:pypi/anyio@4.16.0": 2,
        "pkg:pypi/certifi@2026.10.19.post1": 2,  # via httpcore, httpx, requests (one per line)
        "pkg:pypi/charset-normalizer@3.5.3": 2,
        "pkg:pypi/httpcore@1.0.9": 2,
        "pkg:pypi/idna@3.20": 2,
        "pkg:pypi/urllib3@2.8.0": 2,
        "pkg:pypi/h11@0.16.0": 3,
        "pkg:pypi/typing-extensions@4.16.0": 3,
    }
    assert len(inventory.edges) == 12
    assert ("pkg:pypi/anyio@4.16.0", "pkg:pypi/idna@3.20") in edges(inventory)
    assert inventory.skips == ()
