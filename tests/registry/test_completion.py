"""Transitive completion of applications that list only direct dependencies."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx
import pytest

from analysis.pipeline import RefreshOptions, run_refresh
from collectors.completion import marker_holds, target_environment
from collectors.registry.npm import NpmCollector
from collectors.registry.pypi import PypiCollector
from collectors.store import read_connection
from tests.registry.conftest import doc, make_store

NOW = datetime(2026, 11, 22, 12, 0)


def pypi_doc(name: str, versions: list[str], requires: list[str]) -> bytes:
    releases = {
        v: [{"upload_time_iso_8601": f"2025-0{i + 1}-01T00:00:00Z", "yanked": False}]
        for i, v in enumerate(versions)
    }
    stable = [v for v in versions if "rc" not in v]
    return doc(
        {"info": {"name": name, "version": stable[-1], "requires_dist": requires}, "releases": releases}
    )


def npm_doc(name: str, versions: dict[str, dict[str, object]]) -> bytes:
    latest = list(versions)[-1]
    return doc(
        {
            "name": name,
            "dist-tags": {"latest": latest},
            "versions": {v: {"name": name, "version": v, **m} for v, m in versions.items()},
            "time": {v: "2025-01-01T00:00:00Z" for v in versions},
        }
    )


REGISTRY = {
    "/pypi/alpha/json": pypi_doc(
        "alpha",
        ["1.0"],
        [
            "beta>=2",
            "gamma; python_version < '3.0'",
            "delta; extra == 'fast'",
            "epsilon>=1; python_version >= '3.8'",
        ],
    ),
    "/pypi/beta/json": pypi_doc("beta", ["1.0", "2.0", "2.5", "3.0rc1"], ["alpha"]),
    "/pypi/gamma/json": pypi_doc("gamma", ["0.1"], []),
    "/pypi/epsilon/json": pypi_doc("epsilon", ["1.0", "1.1"], []),
    "/x": npm_doc("x", {"1.0.0": {"dependencies": {"y": "^1.2.0"}, "peerDependencies": {"z": "~2.0.0"}}}),
    "/y": npm_doc("y", {"1.1.0": {}, "1.2.3": {}, "1.9.0": {"dependencies": {"x": "*"}}, "2.0.0": {}}),
    "/z": npm_doc("z", {"2.0.1": {}, "2.1.0": {}}),
    "/y/1.9.0": doc({"name": "y", "version": "1.9.0", "dependencies": {"x": "*"}}),
}


def transport(seen: list[str] | None = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request.url.path)
        body = REGISTRY.get(request.url.path)
        return httpx.Response(200, content=body) if body else httpx.Response(404)

    return httpx.MockTransport(handler)


def complete(db: Path, target_python: str | None) -> list[tuple[object, ...]]:
    make_store(db, {"svc": [("pypi", "alpha", "1.0", True)], "web": [("npm", "x", "1.0.0", True)]})
    run_refresh(
        RefreshOptions(
            db_path=db, now=NOW, http_transport=transport(), http_cache=False, target_python=target_python
        )
    )
    with read_connection(db) as conn:
        return conn.execute(
            "SELECT app, purl, version, depth, inferred FROM app_packages WHERE NOT is_direct ORDER BY app, purl"
        ).fetchall()


def test_pypi_and_npm_completion_with_markers_and_newest_satisfying(db_path: Path) -> None:
    assert complete(db_path, "3.11") == [
        ("svc", "pkg:pypi/beta", "2.5", 2, True),
        ("svc", "pkg:pypi/epsilon", "1.1", 2, True),
        ("web", "pkg:npm/y", "1.9.0", 2, True),
        ("web", "pkg:npm/z", "2.0.1", 2, True),
    ]
    with read_connection(db_path) as conn:
        edges = conn.execute(
            "SELECT app, parent_purl, child_purl, child_version, kind FROM app_edges ORDER BY ALL"
        ).fetchall()
        metadata = {r[0] for r in conn.execute("SELECT purl FROM package_metadata").fetchall()}
        packages = {r[0] for r in conn.execute("SELECT purl FROM packages").fetchall()}
    assert (
        "svc",
        "pkg:pypi/beta",
        "pkg:pypi/alpha",
        "1.0",
        "inferred",
    ) in edges  # a cycle is an edge, not a loop
    assert ("web", "pkg:npm/x", "pkg:npm/z", "2.0.1", "inferred") in edges
    assert {"pkg:pypi/beta", "pkg:pypi/epsilon", "pkg:npm/y", "pkg:npm/z"} <= metadata & packages


def test_target_python_changes_which_markers_hold(db_path: Path) -> None:
    purls = [row[1] for row in complete(db_path, "2.7") if row[0] == "svc"]
    assert purls == ["pkg:pypi/beta", "pkg:pypi/gamma"]


def test_second_completion_replaces_inferred_rows(db_path: Path) -> None:
    first = complete(db_path, "3.11")
    run_refresh(
        RefreshOptions(
            db_path=db_path, now=NOW, http_transport=transport(), http_cache=False, target_python="3.11"
        )
    )
    with read_connection(db_path) as conn:
        again = conn.execute(
            "SELECT app, purl, version, depth, inferred FROM app_packages WHERE NOT is_direct ORDER BY app, purl"
        ).fetchall()
    assert again == first


@pytest.mark.parametrize(
    ("marker", "python", "holds"),
    [
        (None, "3.11", True),
        ("python_version < '3.0'", "3.11", False),
        ("python_version < '3.0'", "2.7", True),
        ("extra == 'socks'", "3.11", False),
        ("python_version >= '3.8' and extra == 'x'", "3.11", False),
        ("not a marker (", "3.11", False),
    ],
)
def test_marker_holds(marker: str | None, python: str, holds: bool) -> None:
    assert marker_holds(marker, target_environment(python)) is holds


@pytest.mark.parametrize(
    ("versions", "spec", "best"),
    [
        (["1.0", "2.0", "2.5", "3.0rc1"], ">=2", "2.5"),
        (["1.0", "2.0"], "<1", None),
        (["1.0", "not-a-version", "1.1"], None, "1.1"),
        (["1.0"], "~=~bad", None),
    ],
)
def test_pypi_best_version(versions: list[str], spec: str | None, best: str | None) -> None:
    assert PypiCollector().best_version(versions, spec) == best


@pytest.mark.parametrize(
    ("versions", "spec", "best"),
    [
        (["1.1.0", "1.2.3", "1.9.0", "2.0.0"], "^1.2.0", "1.9.0"),
        (["2.0.1", "2.1.0"], "~2.0.0", "2.0.1"),
        (["1.0.0", "2.0.0-beta.1"], "*", "1.0.0"),
        (["1.0.0", "3.1.0"], "1.x || >=3", "3.1.0"),
        (["1.0.0"], "latest", "1.0.0"),
        (["1.0.0"], "git+https://example.org/x.git", None),
    ],
)
def test_npm_best_version(versions: list[str], spec: str, best: str | None) -> None:
    assert NpmCollector().best_version(versions, spec) == best
