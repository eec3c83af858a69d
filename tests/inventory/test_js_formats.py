"""JavaScript lockfiles made by the real tools from the manifests beside them, checked against each
tool's own view of the same tree.

The workspace in fixtures/js/ (a root with ``ms`` and dev ``is-number``; members ``@estate/web`` and
``@estate/lib``) was locked with ``npx pnpm@9 install`` (pnpm9/), ``npx pnpm@8 install --lockfile-only``
(pnpm8/, lockfile v6), ``npm install --package-lock-only`` (npm-workspace/), ``npx yarn@1 install``
(yarn1/) and yarn 4 ``install --mode=update-lockfile`` (berry/).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from collectors.inventory.read import read_file
from tests.inventory.helpers import FIXTURES, edges, table

JS = FIXTURES / "js"

# `pnpm list -r --json --depth Infinity` in pnpm9/: 16 packages (name@version, link: members left out),
# 13 distinct edges, and these shortest depths from any workspace project.
WORKSPACE_TREE = {
    "pkg:npm/ansi-styles@4.3.0": ("runtime", "", 2),
    "pkg:npm/chalk@4.1.2": ("runtime", "^4.1.2", 1),  # lib's dependency, web's dev dependency
    "pkg:npm/color-convert@2.0.1": ("runtime", "", 3),
    "pkg:npm/color-name@1.1.4": ("runtime", "", 4),
    "pkg:npm/debug@4.4.3": ("runtime", "^4.3.7", 1),
    "pkg:npm/has-flag@4.0.0": ("runtime", "", 3),
    "pkg:npm/is-number@6.0.0": ("optional", "", 2),  # only under web's optional is-odd
    "pkg:npm/is-number@7.0.0": ("dev", "^7.0.0", 1),  # the root's dev dependency
    "pkg:npm/is-odd@3.0.1": ("optional", "^3.0.1", 1),
    "pkg:npm/js-tokens@4.0.0": ("runtime", "", 3),
    "pkg:npm/loose-envify@1.4.0": ("runtime", "", 2),
    "pkg:npm/ms@2.1.3": ("runtime", "^2.1.3", 1),
    "pkg:npm/react-dom@18.3.1": ("runtime", "^18.3.1", 1),  # snapshot react-dom@18.3.1(react@18.3.1)
    "pkg:npm/react@18.3.1": ("runtime", "^18.3.1", 1),
    "pkg:npm/scheduler@0.23.2": ("runtime", "", 2),
    "pkg:npm/supports-color@7.2.0": ("runtime", "", 2),
}
WORKSPACE_EDGES = {
    ("pkg:npm/ansi-styles@4.3.0", "pkg:npm/color-convert@2.0.1"),
    ("pkg:npm/chalk@4.1.2", "pkg:npm/ansi-styles@4.3.0"),
    ("pkg:npm/chalk@4.1.2", "pkg:npm/supports-color@7.2.0"),
    ("pkg:npm/color-convert@2.0.1", "pkg:npm/color-name@1.1.4"),
    ("pkg:npm/debug@4.4.3", "pkg:npm/ms@2.1.3"),
    ("pkg:npm/is-odd@3.0.1", "pkg:npm/is-number@6.0.0"),
    ("pkg:npm/loose-envify@1.4.0", "pkg:npm/js-tokens@4.0.0"),
    ("pkg:npm/react-dom@18.3.1", "pkg:npm/loose-envify@1.4.0"),
    ("pkg:npm/react-dom@18.3.1", "pkg:npm/react@18.3.1"),
    ("pkg:npm/react-dom@18.3.1", "pkg:npm/scheduler@0.23.2"),
    ("pkg:npm/react@18.3.1", "pkg:npm/loose-envify@1.4.0"),
    ("pkg:npm/scheduler@0.23.2", "pkg:npm/loose-envify@1.4.0"),
    ("pkg:npm/supports-color@7.2.0", "pkg:npm/has-flag@4.0.0"),
}


@pytest.mark.parametrize("folder", ["pnpm9", "pnpm8"])
def test_pnpm_workspace_matches_pnpm_list(folder: str) -> None:
    inventory = read_file(JS / folder / "pnpm-lock.yaml")
    assert (inventory.format, inventory.name) == ("pnpm-lock", "pnpm-estate")
    assert len(inventory.components) == 16
    assert table(inventory) == WORKSPACE_TREE
    assert edges(inventory) == WORKSPACE_EDGES
    assert not any("estate" in c.package.purl for c in inventory.components)  # members are own code
    assert inventory.skips == ()


def test_npm_workspace_reads_members_dependencies() -> None:
    # `npm ci && npm ls --all` in npm-workspace/: the same 16 packages; npm's own view shows members at
    # depth 1, but members are the application's own code, so what they name is direct (depth 1).
    inventory = read_file(JS / "npm-workspace" / "package-lock.json")
    assert (inventory.format, inventory.name) == ("npm-lock", "js-estate")
    assert table(inventory) == WORKSPACE_TREE
    assert edges(inventory) == WORKSPACE_EDGES  # react-dom -> react: npm records the peer it installed
    assert inventory.skips == ()


def test_npm_shrinkwrap_is_a_package_lock() -> None:
    # `npm shrinkwrap` in shrinkwrap/, then `npm ls --all`: debug@4.4.3 -> ms@2.1.3 and (dev)
    # is-odd@3.0.1 -> is-number@6.0.0: 4 packages, 2 edges.
    inventory = read_file(JS / "shrinkwrap" / "npm-shrinkwrap.json")
    assert (inventory.format, inventory.name) == ("npm-lock", "shrink-app")
    assert table(inventory) == {
        "pkg:npm/debug@4.4.3": ("runtime", "^4.3.7", 1),
        "pkg:npm/ms@2.1.3": ("runtime", "", 2),
        "pkg:npm/is-odd@3.0.1": ("dev", "^3.0.1", 1),
        "pkg:npm/is-number@6.0.0": ("dev", "", 2),
    }
    assert edges(inventory) == {
        ("pkg:npm/debug@4.4.3", "pkg:npm/ms@2.1.3"),
        ("pkg:npm/is-odd@3.0.1", "pkg:npm/is-number@6.0.0"),
    }


@pytest.mark.parametrize("folder", ["yarn1", "berry"])
def test_yarn_lock_with_package_json_beside_it(folder: str) -> None:
    # yarn 4 `yarn info --all --recursive --json` in berry/: 19 entries (16 packages and 3 workspaces)
    # with 22 dependencies, 10 of them the workspaces' own: 12 edges between packages. yarn lists
    # react-dom's peer react as a peer requirement, not a dependency (pnpm and npm record it: 13 edges).
    # `yarn list` (yarn 1) in yarn1/ shows the same 16 name@version packages.
    inventory = read_file(JS / folder / "yarn.lock")
    assert (inventory.format, inventory.name) == ("yarn-lock", "js-estate")
    assert table(inventory) == WORKSPACE_TREE
    assert edges(inventory) == WORKSPACE_EDGES - {("pkg:npm/react-dom@18.3.1", "pkg:npm/react@18.3.1")}
    assert inventory.skips == ()


def test_yarn_lock_without_package_json_takes_unreached_as_direct(tmp_path: Path) -> None:
    lock = tmp_path / "yarn.lock"
    lock.write_text((JS / "yarn1" / "yarn.lock").read_text())
    inventory = read_file(lock)
    assert len(inventory.components) == 16
    assert {f"{r.purl}@{r.version}" for r in inventory.roots} == {
        "pkg:npm/chalk@4.1.2",
        "pkg:npm/debug@4.4.3",
        "pkg:npm/is-number@7.0.0",
        "pkg:npm/is-odd@3.0.1",
        "pkg:npm/react-dom@18.3.1",
        "pkg:npm/react@18.3.1",  # no dependency edge reaches it in yarn's view
    }


def test_a_pnpm_workspace_folder_imports_as_one_application(db_path: Path) -> None:
    from analysis.cli import main
    from collectors.store import read_connection

    # The folder holds pnpm-lock.yaml and package.json: the lockfile is preferred, named after the folder.
    assert main(["import", "--db", str(db_path), str(JS / "pnpm9")]) == 0
    with read_connection(db_path) as conn:
        rows = conn.execute(
            "SELECT a.name, a.format, count(*) FILTER (WHERE p.is_direct), count(*) FILTER (WHERE NOT p.is_direct), "
            "count(*) FILTER (WHERE p.depth IS NULL), max(p.depth), count(*) FILTER (WHERE p.scope = 'dev') "
            "FROM applications a JOIN app_packages p ON p.app = a.name GROUP BY ALL"
        ).fetchall()
    assert rows == [("pnpm9", "pnpm-lock", 7, 9, 0, 4, 1)]


# real-size/: one package.json (react, react-dom, express, @babel/core, the alias
# string-width-cjs -> string-width; dev vite and eslint; optional fsevents) locked by each tool.
# `pnpm list --json --depth Infinity` (after `pnpm install --frozen-lockfile`): 258 packages,
# 368 distinct edges, and these counts of packages at each shortest depth.
REAL_SIZE_DEPTHS = {1: 8, 2: 87, 3: 115, 4: 28, 5: 7, 6: 12, 7: 1}


@pytest.mark.parametrize(
    ("lockfile", "packages", "edge_count", "depths", "scopes"),
    [
        ("pnpm/pnpm-lock.yaml", 258, 368, REAL_SIZE_DEPTHS, {"runtime": 118, "dev": 139, "optional": 1}),
        # the same package.json locked by pnpm 8 (lockfile v6)
        ("pnpm8/pnpm-lock.yaml", 258, 368, REAL_SIZE_DEPTHS, {"runtime": 118, "dev": 139, "optional": 1}),
        ("npm/package-lock.json", 258, 368, REAL_SIZE_DEPTHS, {"runtime": 118, "dev": 139, "optional": 1}),
        # yarn 1 records no peer dependencies as edges: 5 fewer (`yarn list` shows the same 258 packages)
        ("yarn1/yarn.lock", 258, 363, REAL_SIZE_DEPTHS, {"runtime": 118, "dev": 139, "optional": 1}),
        # yarn 4 adds node-gyp (and its 19 dependencies) under fsevents, which has an install script.
        # `yarn info --all --recursive --json`: 280 entries = the workspace, these 278 packages and
        # fsevents' builtin patch counted again; 386 dependencies of packages = these 385 edges and the
        # patched fsevents -> node-gyp again.
        (
            "berry/yarn.lock",
            278,
            385,
            {**REAL_SIZE_DEPTHS, 2: 88, 3: 125, 4: 37},
            {"runtime": 118, "dev": 139, "optional": 21},
        ),
    ],
)
def test_real_size_lockfiles_match_their_tools(
    lockfile: str, packages: int, edge_count: int, depths: dict[int, int], scopes: dict[str, int]
) -> None:
    inventory = read_file(JS / "real-size" / lockfile)
    rows = table(inventory).values()
    assert (inventory.name, len(inventory.components), len(inventory.edges)) == (
        "big-app",
        packages,
        edge_count,
    )
    assert Counter(depth for _, _, depth in rows) == depths
    assert Counter(scope for scope, _, _ in rows) == scopes
    names = {c.package.purl for c in inventory.components}
    assert (
        "pkg:npm/string-width" in names and "pkg:npm/string-width-cjs" not in names
    )  # the alias's real name
    assert inventory.skips == ()
