"""Small helpers for the inventory tests: fixture paths and readable views of an inventory."""

from __future__ import annotations

from pathlib import Path

from collectors.inventory.graph import depths
from collectors.inventory.model import Inventory

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent.parent / "data" / "examples"


def table(inventory: Inventory) -> dict[str, tuple[str, str, int | None]]:
    """purl@version -> (scope, specifier or '', depth), for exact comparisons."""
    depth = depths(inventory.roots, inventory.edges)
    return {
        f"{c.package.purl}@{c.version}": (c.scope, c.specifier or "", depth.get(c.key))
        for c in inventory.components
    }


def edges(inventory: Inventory) -> set[tuple[str, str]]:
    return {
        (f"{e.parent.purl}@{e.parent.version}", f"{e.child.purl}@{e.child.version}") for e in inventory.edges
    }
