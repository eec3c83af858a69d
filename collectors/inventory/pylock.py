"""pylock.toml, PEP 751 (https://packaging.python.org/en/latest/specifications/pylock-toml/).

Each ``[[packages]]`` entry with a ``version`` is a component; its ``marker`` is kept. A package from a
local ``directory`` is the application's own code (``pip lock .`` records the project that way) and
is not a component. The format records edges only where a tool fills the optional ``dependencies``
array; then they are read (matched by name, and version when given). pip and uv write none, so the
direct dependencies (and their scope) come from the pyproject.toml beside the file (PEP 621 and
dependency groups);
without one a skip says direct dependencies are not known, and depth below them is unknown.
Scope: a marker naming only ``dependency_groups`` outside ``default-groups`` is dev, one naming only
``extras`` is optional, anything else runtime.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory import pyproject, tomlfile
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope, strongest
from collectors.purls import PurlError, package_id

_GROUP = re.compile(r"""['"]([^'"]+)['"]\s+in\s+dependency_groups""")
_EXTRA = re.compile(r"""['"]([^'"]+)['"]\s+in\s+extras""")


def _scope(marker: str | None, default_groups: set[str]) -> Scope:
    if not marker:
        return "runtime"
    groups = set(_GROUP.findall(marker))
    if groups and not groups & default_groups and not _EXTRA.search(marker):
        return "dev"
    if _EXTRA.search(marker) and not groups:
        return "optional"
    return "runtime"


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = tomlfile.load(path)
    if str(doc.get("lock-version", "")).split(".")[0] != "1":
        raise InputError(source, f"pylock lock-version {doc.get('lock-version')!r} is not supported (1.x is)")
    builder = InventoryBuilder(source, "pylock")
    default_groups = {str(g) for g in tomlfile.array(doc, "default-groups", source, "default-groups")}
    entries = tomlfile.array(doc, "packages", source, "packages")
    keys: dict[int, ComponentKey] = {}
    by_name: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        where = f"packages[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InputError(source, "wrong shape: a package needs a name", where=where)
        if "directory" in entry:
            continue  # a local folder: the project itself or a sibling, the application's own code
        if not isinstance(entry.get("version"), str):
            builder.skip(where, f"{entry['name']} has no version (a VCS or archive install); left out")
            continue
        try:
            package = package_id("pypi", entry["name"])
        except PurlError as exc:
            builder.skip(where, str(exc))
            continue
        marker = entry.get("marker") if isinstance(entry.get("marker"), str) else None
        component = Component(package, entry["version"], _scope(marker, default_groups), marker=marker)
        keys[i] = builder.add(component)
        by_name.setdefault(package.name, []).append(i)

    for i, entry in enumerate(entries):
        if i not in keys:
            continue
        for dep in tomlfile.array(entry, "dependencies", source, f"packages[{i}]"):
            child = _match(dep, entries, by_name)
            if child is None or child not in keys:
                builder.skip(f"packages[{i}].dependencies", f"{dep!r} matches no package; edge left out")
                continue
            builder.edge(keys[i], keys[child])

    manifest = path.with_name("pyproject.toml")
    if manifest.is_file():
        builder.name = pyproject.parse(manifest).name
        declared: dict[str, Scope] = {}
        for name, _, scope in pyproject.declared_with_extras(manifest):
            purl = package_id("pypi", name).purl
            declared[purl] = strongest(declared.get(purl, scope), scope)
        scopes: dict[ComponentKey, Scope] = {}
        for key in keys.values():
            if key.purl in declared:
                builder.root(key)
                scopes[key] = declared[key.purl]
        builder.set_scopes(scopes)
        return builder.build(roots_if_none=False)
    if not builder.edges:
        builder.skip(
            source, "no dependency graph and no pyproject.toml beside it: direct dependencies not known"
        )
        return builder.build(roots_if_none=False)
    return builder.build()


def _match(dep: Any, entries: list[Any], by_name: dict[str, list[int]]) -> int | None:
    if not isinstance(dep, dict) or not isinstance(dep.get("name"), str):
        return None
    candidates = by_name.get(package_id("pypi", dep["name"]).name, [])
    if "version" in dep:
        candidates = [c for c in candidates if entries[c].get("version") == dep["version"]]
    return candidates[0] if candidates else None
