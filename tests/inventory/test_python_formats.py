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


def test_pipfile_lock_with_its_pipfile() -> None:
    # `pipenv lock` (pipenv 2026.10) from pipenv/Pipfile: requests and click, dev pytest. The lockfile
    # lists 6 packages in default and 5 in develop, flat: below the direct ones, depth is not known.
    inventory = read_file(PY / "pipenv" / "Pipfile.lock")
    assert inventory.format == "pipfile-lock"
    assert table(inventory) == {
        "pkg:pypi/requests@2.34.2": ("runtime", ">=2.32", 1),
        "pkg:pypi/click@8.5.1": ("runtime", "", 1),
        "pkg:pypi/pytest@9.2.0": ("dev", ">=8", 1),
        "pkg:pypi/certifi@2026.10.19.post1": ("runtime", "", None),
        "pkg:pypi/charset-normalizer@3.5.3": ("runtime", "", None),
        "pkg:pypi/idna@3.20": ("runtime", "", None),
        "pkg:pypi/urllib3@2.8.0": ("runtime", "", None),
        "pkg:pypi/iniconfig@2.3.1": ("dev", "", None),
        "pkg:pypi/packaging@26.4": ("dev", "", None),
        "pkg:pypi/pluggy@1.7.0": ("dev", "", None),
        "pkg:pypi/pygments@2.21.0": ("dev", "", None),
    }
    assert inventory.edges == ()
    assert inventory.skips == ()


def test_pipfile_lock_alone_says_direct_is_not_known(tmp_path: Path) -> None:
    (tmp_path / "Pipfile.lock").write_text((PY / "pipenv" / "Pipfile.lock").read_text())
    inventory = read_file(tmp_path / "Pipfile.lock")
    assert (len(inventory.components), inventory.roots) == (11, ())
    assert [s.reason for s in inventory.skips] == [
        "no Pipfile beside the lockfile: which packages are direct is not known"
    ]


def test_pylock_from_pip_lock_with_its_pyproject() -> None:
    # `pip lock . -o pylock.toml` (pip 26.3) in pylock/: 7 [[packages]], one of them the project's own
    # directory; pip records no edges, so only the declared requests and click have a depth.
    inventory = read_file(PY / "pylock" / "pylock.toml")
    assert (inventory.format, inventory.name) == ("pylock", "pylock-app")
    assert table(inventory) == {
        "pkg:pypi/requests@2.34.2": ("runtime", "", 1),
        "pkg:pypi/click@8.5.1": ("runtime", "", 1),
        "pkg:pypi/certifi@2026.10.19.post1": ("runtime", "", None),
        "pkg:pypi/charset-normalizer@3.5.3": ("runtime", "", None),
        "pkg:pypi/idna@3.20": ("runtime", "", None),
        "pkg:pypi/urllib3@2.8.0": ("runtime", "", None),
    }
    assert inventory.skips == ()


def test_pylock_from_uv_export_leaves_members_out() -> None:
    # `uv export --format pylock.toml --all-groups --all-packages --all-extras` of uv-workspace/:
    # 21 [[packages]], the members lib and svc as editable directories; the virtual root's
    # pyproject.toml declares the groups' ruff, pytest and httpx (dev).
    inventory = read_file(PY / "uv-workspace" / "pylock.toml")
    assert len(inventory.components) == 19
    assert {c.package.name for c in inventory.components} & {"lib", "svc"} == set()
    assert {f"{r.purl}@{r.version}" for r in inventory.roots} == {
        "pkg:pypi/httpx@0.28.1",
        "pkg:pypi/pytest@9.2.0",
        "pkg:pypi/ruff@0.17.6",
    }
    markers = {c.package.name: c.marker for c in inventory.components if c.marker}
    assert markers == {"typing-extensions": "python_full_version < '3.15'"}


def test_conda_environment_yml_direct_conda_and_pip_packages() -> None:
    # conda is not installed here: conda/environment.yml is written by hand from conda's documentation.
    inventory = read_file(PY / "conda" / "environment.yml")
    assert (inventory.format, inventory.name) == ("conda-env", "conda-app")
    assert table(inventory) == {
        "pkg:conda/python@": ("runtime", "=3.12", 1),  # "=3.12" is 3.12.*, not a pin
        "pkg:conda/numpy@2.1.3": ("runtime", "==2.1.3", 1),
        "pkg:conda/pandas@": ("runtime", ">=2.2", 1),  # conda-forge::pandas>=2.2
        "pkg:conda/pip@": ("runtime", "", 1),
        "pkg:pypi/requests@2.32.3": ("runtime", "==2.32.3", 1),  # from the pip: list
    }
    assert [s.where for s in inventory.skips] == ["dependencies.pip[1]"]  # -r extra-requirements.txt


def test_conda_lock_with_its_environment_yml() -> None:
    # conda-lock is not installed here: conda/conda-lock.yml is written by hand from conda-lock's
    # documentation of its unified lockfile: 17 entries (python and six for two platforms), 11 conda
    # and 5 pip packages, pytest in the dev category; 18 distinct edges once platforms are merged
    # (the virtual package __glibc is the machine, not an edge).
    inventory = read_file(PY / "conda" / "conda-lock.yml")
    assert (inventory.format, inventory.name) == ("conda-lock", "conda-app")
    assert table(inventory) == {
        "pkg:conda/python@3.12.7": ("runtime", "=3.12", 1),
        "pkg:conda/numpy@2.1.3": ("runtime", "==2.1.3", 1),
        "pkg:conda/pandas@2.2.3": ("runtime", ">=2.2", 1),
        "pkg:conda/pip@24.3.1": ("runtime", "", 1),
        "pkg:pypi/requests@2.32.3": ("runtime", "==2.32.3", 1),
        "pkg:conda/libzlib@1.3.1": ("runtime", "", 2),
        "pkg:conda/python_abi@3.12": ("runtime", "", 2),
        "pkg:conda/python-dateutil@2.9.0.post0": ("runtime", "", 2),
        "pkg:conda/pytz@2024.2": ("runtime", "", 2),
        "pkg:conda/six@1.16.0": ("runtime", "", 3),
        "pkg:pypi/certifi@2024.8.30": ("runtime", "", 2),
        "pkg:pypi/charset-normalizer@3.4.0": ("runtime", "", 2),
        "pkg:pypi/idna@3.10": ("runtime", "", 2),
        "pkg:pypi/urllib3@2.2.3": ("runtime", "", 2),
        "pkg:conda/pytest@8.3.4": ("dev", "", None),  # dev category: no declared root reaches it
    }
    assert len(inventory.edges) == 18
    assert ("pkg:conda/pandas@2.2.3", "pkg:conda/numpy@2.1.3") in edges(inventory)
    assert inventory.skips == ()
