"""Depth and scope walks on literal graphs."""

from __future__ import annotations

from collectors.inventory.graph import depths, propagate_scopes
from collectors.inventory.model import ComponentKey, Edge
from collectors.purls import CanonicalPurl


def _k(name: str) -> ComponentKey:
    return ComponentKey(CanonicalPurl(f"pkg:pypi/{name}"), "1")


def _edges(*pairs: str) -> list[Edge]:
    return [Edge(_k(p.split(">")[0]), _k(p.split(">")[1])) for p in pairs]


def test_depth_is_the_shortest_path_through_diamonds_and_cycles() -> None:
    graph = _edges("a>b", "a>c", "b>d", "c>d", "d>e", "e>d", "e>f", "c>f", "x>a")
    found = depths([_k("a"), _k("f")], graph)
    assert {k.purl.split("/")[-1]: d for k, d in found.items()} == {
        "a": 1,
        "f": 1,
        "b": 2,
        "c": 2,
        "d": 3,
        "e": 4,
    }
    assert _k("x") not in found  # depends on the application's packages, but nothing reaches it


def test_scope_is_the_strongest_root_that_reaches_a_package() -> None:
    graph = _edges("api>shared", "tool>shared", "tool>only-dev", "extra>opt-only", "opt-only>shared")
    scopes = propagate_scopes({_k("api"): "runtime", _k("tool"): "dev", _k("extra"): "optional"}, graph)
    assert {k.purl.split("/")[-1]: s for k, s in scopes.items()} == {
        "api": "runtime",
        "shared": "runtime",
        "extra": "optional",
        "opt-only": "optional",
        "tool": "dev",
        "only-dev": "dev",
    }
