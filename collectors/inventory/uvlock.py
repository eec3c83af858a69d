"""uv.lock (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile): the full resolved graph.

The application is the project and its workspace members (https://docs.astral.sh/uv/concepts/projects/
workspaces/): the package whose source is ``{ virtual = "." }`` or ``{ editable = "." }`` and the names
``[manifest] members`` lists. They are its own code, not components. Each one's ``dependencies`` are
direct runtime dependencies, its ``optional-dependencies`` direct optional ones and its
``dev-dependencies`` (dependency groups) direct dev ones; a virtual workspace root keeps its groups in
``[manifest.dependency-groups]`` (direct dev).

Extras (``{ name = "httpx", extra = ["http2"] }``) add the edges of that package's optional
dependencies, and their scope is the scope of whoever asked for the extra: scopes are walked over
(package, extra) pairs (see :func:`graph.propagate_variant_scopes`), so ``httpx[http2]`` asked for by a
dev group makes ``h2`` dev even when ``httpx`` itself is runtime. A package no project reaches (a stale
entry, another member's leftover) is a documented skip, never defaulted to runtime. Edges carry every
platform's markers: the graph is uv's universal resolution, not one machine's install.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory import tomlfile
from collectors.inventory.graph import Variant, propagate_variant_scopes
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


def _extras(dep: dict[str, Any]) -> list[str]:
    """The extras a dependency asks for (``extra`` in packages, ``extras`` in the manifest)."""
    raw = dep.get("extra", dep.get("extras", []))
    if not isinstance(raw, list):
        raise TypeError(f"extras of {dep['name']!r} must be an array")
    return [str(e) for e in raw]


class _Lock:
    """The lockfile's packages by index, which of them are the application, and name resolution."""

    def __init__(self, doc: dict[str, Any], builder: InventoryBuilder) -> None:
        self.builder = builder
        source = builder.source
        self.entries = tomlfile.array(doc, "package", source, "package")
        manifest = tomlfile.table(doc, "manifest", source, "manifest")
        members = {
            package_id("pypi", str(m)).name for m in tomlfile.array(manifest, "members", source, "manifest")
        }
        self.by_name: dict[str, list[int]] = {}
        self.projects: list[int] = []
        for i, entry in enumerate(self.entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise InputError(source, "wrong shape: a package needs a name", where=f"package[{i}]")
            name = package_id("pypi", entry["name"]).name
            self.by_name.setdefault(name, []).append(i)
            if entry.get("source") in _PROJECT_SOURCES or (
                name in members
                and isinstance(entry.get("source"), dict)
                and {"editable", "virtual"} & set(entry["source"])
            ):
                self.projects.append(i)
        self.keys: dict[int, ComponentKey] = {}
        for i, entry in enumerate(self.entries):
            if i not in self.projects:
                self.keys[i] = builder.add(
                    Component(package_id("pypi", entry["name"]), str(entry.get("version", "")))
                )

    def resolve(self, dep: dict[str, Any], where: str) -> int | None:
        candidates = self.by_name.get(package_id("pypi", dep["name"]).name, [])
        if "version" in dep:
            candidates = [c for c in candidates if str(self.entries[c].get("version")) == str(dep["version"])]
        if not candidates:
            self.builder.skip(where, f"dependency {dep['name']!r} is not in the lockfile; left out")
            return None
        return candidates[0]

    def variants(self, deps: list[dict[str, Any]], where: str) -> list[tuple[int, Variant]]:
        """The (index, node) pairs of ``deps``: a dependency with extras is one node per extra."""
        out: list[tuple[int, Variant]] = []
        for dep in deps:
            child = self.resolve(dep, where)
            if child is None or child in self.projects:
                continue  # unknown (skipped), or a workspace member: own code, read as a project
            key = self.keys[child]
            extras: list[str | None] = [*_extras(dep)] or [None]
            out.extend((child, (key, extra)) for extra in extras)
        return out


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = tomlfile.load(path)
    builder = InventoryBuilder(source, "uv-lock")
    lock = _Lock(doc, builder)
    index_of = {key: i for i, key in lock.keys.items()}

    roots: dict[Variant, Scope] = {}

    def add_roots(deps: Any, where: str, scope: Scope) -> None:
        for child, node in lock.variants(_dep_list(deps, source, where), where):
            builder.root(lock.keys[child])
            roots[node] = strongest(roots.get(node, scope), scope)

    for i in lock.projects:
        entry, where = lock.entries[i], f"package[{i}]"
        if lock.entries[i].get("source") in _PROJECT_SOURCES:
            builder.name = builder.name or entry["name"]
        add_roots(entry.get("dependencies"), where, "runtime")
        for extra, deps in tomlfile.table(entry, "optional-dependencies", source, where).items():
            add_roots(deps, f"{where}.optional-dependencies.{extra}", "optional")
        for group, deps in tomlfile.table(entry, "dev-dependencies", source, where).items():
            add_roots(deps, f"{where}.dev-dependencies.{group}", "dev")
    manifest = tomlfile.table(doc, "manifest", source, "manifest")
    for group, deps in tomlfile.table(manifest, "dependency-groups", source, "manifest").items():
        add_roots(deps, f"manifest.dependency-groups.{group}", "dev")

    def children(node: Variant) -> list[Variant]:
        key, extra = node
        i = index_of[key]
        entry, where = lock.entries[i], f"package[{i}]"
        if extra is None:
            found = lock.variants(_dep_list(entry.get("dependencies"), source, where), where)
            return [n for _, n in found]
        optional = tomlfile.table(entry, "optional-dependencies", source, where)
        if extra not in optional:
            builder.skip(where, f"extra {extra!r} of {entry['name']} is not in the lockfile; ignored")
        found = lock.variants(
            _dep_list(optional.get(extra), source, f"{where}.optional-dependencies.{extra}"), where
        )
        return [(key, None), *(n for _, n in found)]

    if not lock.projects and not roots:
        # No project in the file: every package's plain dependencies, and what nothing depends on is direct.
        for key in list(lock.keys.values()):
            for child, _ in children((key, None)):
                builder.edge(key, child)
        return builder.build()

    scopes, reached = propagate_variant_scopes(roots, children)
    for parent, child in reached:
        builder.edge(parent, child)
    builder.set_scopes(scopes)
    for key in [k for k in builder.components if k not in scopes]:
        builder.skip(f"{key.purl}@{key.version}", "no project of the workspace depends on it; left out")
        builder.remove(key)
    for i in lock.projects:
        _add_specifiers(builder, lock.entries[i])
    _add_specifiers(builder, {"metadata": {"requires-dev": manifest.get("dependency-groups", {})}})
    return builder.build()


def _add_specifiers(builder: InventoryBuilder, project: dict[str, Any]) -> None:
    """A project's own declared specifiers (``[package.metadata] requires-dist``) on its direct deps."""
    metadata = project.get("metadata")
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
        if key.purl in specs and key in builder.components:
            builder.set_specifier(key, specs[key.purl])
