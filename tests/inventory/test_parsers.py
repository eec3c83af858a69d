"""Each format's parser on a literal fixture: exact components, scopes, depths and edges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collectors.inventory.detect import detect_format
from collectors.inventory.model import FundingLink
from collectors.inventory.read import read_file
from tests.inventory.helpers import FIXTURES, edges, table


@pytest.mark.parametrize("spec", ["1.4", "1.5", "1.6"])
def test_cyclonedx_diamond_cycle_nested(tmp_path: Path, spec: str) -> None:
    doc = json.loads((FIXTURES / "diamond-cycle.cdx.json").read_text())
    doc["specVersion"] = spec
    path = tmp_path / "sbom.json"
    path.write_text(json.dumps(doc))
    inventory = read_file(path)
    assert (inventory.format, inventory.name) == ("cyclonedx", "diamond-app")
    assert table(inventory) == {
        "pkg:pypi/a-lib@1.0": ("runtime", "", 1),
        "pkg:pypi/b@2.0": ("runtime", "", 1),
        "pkg:pypi/pytest@8.0": ("dev", "", 1),  # scope "excluded"
        "pkg:npm/%40babel/core@7.0.0": ("runtime", "", 2),  # diamond: a -> core, b -> core
        "pkg:pypi/nested@0.1": ("runtime", "", 2),  # nested under b in the components tree
        "pkg:pypi/d@4.0": ("optional", "", 3),  # core -> d -> core: a cycle
        "pkg:pypi/orphan@1": ("runtime", "", None),  # nothing reaches it
    }
    assert edges(inventory) == {
        ("pkg:pypi/a-lib@1.0", "pkg:npm/%40babel/core@7.0.0"),
        ("pkg:pypi/b@2.0", "pkg:npm/%40babel/core@7.0.0"),
        ("pkg:pypi/b@2.0", "pkg:pypi/nested@0.1"),
        ("pkg:npm/%40babel/core@7.0.0", "pkg:pypi/d@4.0"),
        ("pkg:pypi/d@4.0", "pkg:npm/%40babel/core@7.0.0"),
    }
    assert inventory.skips == ()


def test_spdx_relationships_both_directions() -> None:
    inventory = read_file(FIXTURES / "small.spdx.json")
    assert (inventory.format, inventory.name) == ("spdx", "spdx-app")
    assert table(inventory) == {
        "pkg:pypi/requests@2.32.3": ("runtime", "", 1),
        "pkg:pypi/pytest@8.3.3": ("dev", "", 1),
        "pkg:pypi/urllib3@2.2.3": ("runtime", "", 2),  # DEPENDENCY_OF points backwards
        "pkg:pypi/idna@3.10": ("runtime", "", 2),
    }
    assert [s.where for s in inventory.skips] == ["packages[5]", "relationships[5]"]


def test_requirements_pins_ranges_markers_includes_hashes() -> None:
    inventory = read_file(FIXTURES / "reqs" / "requirements.txt")
    assert inventory.format == "requirements"
    assert table(inventory) == {
        "pkg:pypi/django@5.1.3": ("runtime", "==5.1.3", 1),  # hashes on continuation lines
        "pkg:pypi/requests@": ("runtime", "<3,>=2.31", 1),  # a range keeps its specifier, no version
        "pkg:pypi/pywin32@308": ("runtime", "==308", 1),
        "pkg:pypi/zope-interface@7.1.1": ("runtime", "===7.1.1", 1),  # from -r base.txt
        "pkg:pypi/python-dateutil@": ("runtime", "==2.9.*", 1),  # a wildcard is not a pin
    }
    markers = {c.package.name: c.marker for c in inventory.components}
    assert markers["pywin32"] == 'sys_platform == "win32"'
    assert [s.reason.split()[0] for s in inventory.skips] == ["editable", "constraints"]


def test_uv_lock_graph_extras_and_groups() -> None:
    inventory = read_file(FIXTURES / "uv.lock")
    assert (inventory.format, inventory.name) == ("uv-lock", "demo-api")
    assert table(inventory) == {
        "pkg:pypi/uvicorn@0.32.0": ("runtime", ">=0.30", 1),
        "pkg:pypi/httpx@0.28.1": ("runtime", ">=0.27", 1),
        "pkg:pypi/psycopg@3.2.3": ("optional", "", 1),
        "pkg:pypi/pytest@8.3.3": ("dev", "", 1),
        "pkg:pypi/h11@0.14.0": ("runtime", "", 2),
        "pkg:pypi/idna@3.10": ("runtime", "", 2),  # reached by httpx (runtime) and pytest (dev)
        "pkg:pypi/httptools@0.6.4": ("runtime", "", 2),  # through uvicorn[standard]
        "pkg:pypi/pyyaml@6.0.2": ("runtime", "", 2),
        "pkg:pypi/iniconfig@2.0.0": ("dev", "", 2),
    }
    assert len(inventory.edges) == 7


def test_poetry_lock_with_its_pyproject() -> None:
    inventory = read_file(FIXTURES / "poetry" / "poetry.lock")
    assert (inventory.format, inventory.name) == ("poetry-lock", "poetry-app")
    assert table(inventory) == {
        "pkg:pypi/requests@2.32.3": ("runtime", "", 1),
        "pkg:pypi/pytest@8.3.3": ("dev", "", 1),
        "pkg:pypi/certifi@2024.8.30": ("runtime", "", 2),
        "pkg:pypi/urllib3@2.2.3": ("runtime", "", 2),
        "pkg:pypi/pysocks@1.7.1": ("runtime", "", 2),  # requests[socks] asked for by the project
        "pkg:pypi/iniconfig@2.0.0": ("dev", "", 2),
    }


def test_poetry_lock_alone_takes_unreferenced_packages_as_direct(tmp_path: Path) -> None:
    lock = tmp_path / "poetry.lock"
    lock.write_text((FIXTURES / "poetry" / "poetry.lock").read_text())
    inventory = read_file(lock)
    assert sorted(c.package.name for c in inventory.components if c.key in inventory.roots) == [
        "pysocks",
        "pytest",
        "requests",
    ]


def test_package_lock_nested_paths_flags_and_funding() -> None:
    inventory = read_file(FIXTURES / "package-lock.json")
    assert (inventory.format, inventory.name) == ("npm-lock", "web-app")
    assert table(inventory) == {
        "pkg:npm/react@18.3.1": ("runtime", "^18.3.1", 1),
        "pkg:npm/%40babel/runtime@7.26.0": ("runtime", "^7.26.0", 1),
        "pkg:npm/fsevents@2.3.3": ("optional", "^2.3.3", 1),
        "pkg:npm/vite@5.4.11": ("dev", "^5.4.0", 1),
        "pkg:npm/loose-envify@1.4.0": ("runtime", "", 2),
        "pkg:npm/regenerator-runtime@0.14.1": ("runtime", "", 2),
        "pkg:npm/js-tokens@4.0.0": ("runtime", "", 3),
        "pkg:npm/js-tokens@9.0.1": ("dev", "", 2),  # vite's own nested copy
        "pkg:npm/rollup@4.27.4": ("dev", "", 2),
    }
    assert ("pkg:npm/vite@5.4.11", "pkg:npm/js-tokens@9.0.1") in edges(inventory)
    funding = {c.package.purl: c.funding for c in inventory.components if c.funding}
    assert funding == {
        "pkg:npm/react": (FundingLink("https://react.dev/community/donate"),),
        "pkg:npm/%40babel/runtime": (
            FundingLink("https://opencollective.com/babel", "opencollective"),
            FundingLink("https://github.com/sponsors/babel"),
        ),
        "pkg:npm/vite": (FundingLink("https://github.com/sponsors/vitejs", "github"),),
    }
    assert [s.where for s in inventory.skips] == ["packages.node_modules/rollup.dependencies.missing-thing"]


def test_manifests_give_direct_dependencies_only() -> None:
    pyproject = read_file(FIXTURES / "pyproject-pep621.toml")
    assert table(pyproject) == {
        "pkg:pypi/flask@": ("runtime", ">=3", 1),
        "pkg:pypi/sqlalchemy@": ("runtime", "~=2.0", 1),
        "pkg:pypi/tomli@": ("runtime", "", 1),
        "pkg:pypi/psycopg@": ("optional", ">=3", 1),
        "pkg:pypi/pytest@": ("dev", ">=8", 1),
        "pkg:pypi/ruff@": ("dev", "", 1),
    }
    package_json = read_file(FIXTURES / "package.json")
    assert table(package_json) == {
        "pkg:npm/react@": ("runtime", "^18.3.1", 1),
        "pkg:npm/%40babel/runtime@": ("runtime", "^7.26.0", 1),
        "pkg:npm/vite@": ("dev", "^5.4.0", 1),
        "pkg:npm/fsevents@": ("optional", "^2.3.3", 1),
    }


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("anything.txt", '{"bomFormat": "CycloneDX", "specVersion": "1.5"}', "cyclonedx"),
        ("x", '{"spdxVersion": "SPDX-2.3"}', "spdx"),
        ("deps.json", '{"name": "a", "lockfileVersion": 3, "packages": {}}', "npm-lock"),
        ("deps.json", '{"name": "a", "dependencies": {}}', "package-json"),
        (
            "locked",
            'version = 1\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "x" }\n',
            "uv-lock",
        ),
        ("locked", '[[package]]\nname = "a"\nversion = "1"\n[metadata]\ncontent-hash = "0"\n', "poetry-lock"),
        ("project.cfg", '[project]\nname = "a"\n', "pyproject"),
        ("deps.lock", "requests==2.0\n", None),
        ("reqs.in", "requests==2.0\nflask\n", "requirements"),
    ],
)
def test_format_is_detected_from_content(
    tmp_path: Path, name: str, content: str, expected: str | None
) -> None:
    path = tmp_path / name
    path.write_text(content)
    if expected is None:  # a .lock file is never read as pip requirements: refused, naming what it looks like
        with pytest.raises(Exception, match="a text file of no known kind; that format is not supported"):
            detect_format(path)
    else:
        assert detect_format(path) == expected
