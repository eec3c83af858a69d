"""uv.lock (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile): the full resolved graph.

The project itself is the package whose source is ``{ virtual = "." }`` or ``{ editable = "." }``: its
``dependencies`` are direct runtime dependencies, its ``optional-dependencies`` direct optional ones and
its ``dev-dependencies`` (dependency groups) direct dev ones. Extras a dependent asks for
(``{ name = "uvicorn", extra = ["standard"] }``) add the edges of that package's optional dependencies.
Scopes of transitive packages follow from the roots that reach them.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory import tomlfile
from collectors.inventory.graph import propagate_scopes
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope, strongest
from collectors.purls import package_id

_PROJECT_SOURCES = ({"virtual": "."}, {"editable": "."})


def _dep_list(raw: Any, source: str, where: str) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(
        isinstance(d, dict) and isinstance(d.get("name"), str) for d in raw
    ):
        raise InputError(
            source, "wrong shape: dependencies must be an array of tables with a name", where=where
        )
    return raw


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = tomlfile.load(path)
    builder = InventoryBuilder(source, "uv-lock")
    entries = tomlfile.array(doc, "package", source, "package")
    by_name: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    root_index: int | None = None
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InputError(source, "wrong shape: a package needs a name", where=f"package[{i}]")
        by_name.setdefault(str(package_id("pypi", entry["name"]).name), []).append((i, entry))
        if root_index is None and entry.get("source") in _PROJECT_SOURCES:
            root_index = i
    keys: dict[int, ComponentKey] = {}
    for i, entry in enumerate(entries):
        if i == root_index:
            builder.name = entry["name"]
            continue
        keys[i] = builder.add(Component(package_id("pypi", entry["name"]), str(entry.get("version", ""))))

    def resolve(dep: dict[str, Any], where: str) -> int | None:
        candidates = by_name.get(package_id("pypi", dep["name"]).name, [])
        if "version" in dep:
            candidates = [c for c in candidates if str(c[1].get("version")) == str(dep["version"])]
        if not candidates:
            builder.skip(where, f"dependency {dep['name']!r} is not in the lockfile; left out")
            return None
        return candidates[0][0]

    requested: deque[tuple[int, str]] = deque()
    done: set[tuple[int, str]] = set()

    def link(parent: int, deps: list[dict[str, Any]], where: str, scope: Scope | None) -> None:
        for dep in deps:
            child = resolve(dep, where)
            if child is None:
                continue
            if child == root_index:
                continue
            if scope is not None and parent == root_index:
                builder.root(keys[child])
                root_scopes[keys[child]] = strongest(scope, root_scopes.get(keys[child], scope))
            elif parent != root_index:
                builder.edge(keys[parent], keys[child])
            for extra in dep.get("extra", []):
                requested.append((child, str(extra)))

    root_scopes: dict[ComponentKey, Scope] = {}
    for i, entry in enumerate(entries):
        where = f"package[{i}]"
        is_root = i == root_index
        link(i, _dep_list(entry.get("dependencies"), source, where), where, "runtime" if is_root else None)
        if is_root:
            for extra, deps in tomlfile.table(entry, "optional-dependencies", source, where).items():
                link(i, _dep_list(deps, source, f"{where}.optional-dependencies.{extra}"), where, "optional")
            for group, deps in tomlfile.table(entry, "dev-dependencies", source, where).items():
                link(i, _dep_list(deps, source, f"{where}.dev-dependencies.{group}"), where, "dev")
    while requested:
        index, extra = item = requested.popleft()
        if item in done or index == root_index:
            continue
        done.add(item)
        optional = tomlfile.table(entries[index], "optional-dependencies", source, f"package[{index}]")
        where = f"package[{index}].optional-dependencies.{extra}"
        link(index, _dep_list(optional.get(extra), source, where), where, None)

    if root_index is not None:
        builder.set_scopes(propagate_scopes(root_scopes, builder.edges))
        _add_specifiers(builder, entries[root_index])
    return builder.build()


def _add_specifiers(builder: InventoryBuilder, root: dict[str, Any]) -> None:
    """The project's own declared specifiers (``[package.metadata] requires-dist``) on its direct deps."""
    metadata = root.get("metadata")
    declared = metadata.get("requires-dist", []) if isinstance(metadata, dict) else []
    groups = metadata.get("requires-dev", {}) if isinstance(metadata, dict) else {}
    if isinstance(groups, dict):
        declared = [*declared, *(d for deps in groups.values() if isinstance(deps, list) for d in deps)]
    specs = {
        package_id("pypi", d["name"]).purl: d["specifier"]
        for d in declared
        if isinstance(d, dict) and isinstance(d.get("name"), str) and isinstance(d.get("specifier"), str)
    }
    for key in builder.roots:
        if key.purl in specs:
            builder.set_specifier(key, specs[key.purl])
