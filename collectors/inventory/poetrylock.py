"""poetry.lock (https://python-poetry.org/docs/basic-usage/#installing-with-poetrylock): the full graph.

A poetry.lock does not say which packages the project asked for; that is in the ``pyproject.toml`` beside
it (``[tool.poetry.dependencies]``, ``[tool.poetry.group.<name>.dependencies]``, or PEP 621
``[project]``). With it, those are the roots (groups other than ``main`` are dev); without it, the
packages nothing depends on are taken as direct. Older lockfiles' ``category = "dev"`` marks dev packages.
Optional dependencies of a package are edges only when a dependent (or the project, in any group) asks
for the extra that needs them. Scopes: Poetry 2 lockfiles say it per package (``groups``, ``optional``)
and that is used as is; for older ones they are walked from the declared roots over (package, extra)
pairs, so an extra asked for by a dev group stays dev. A package nothing declared reaches is a
documented skip, never defaulted to runtime.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from collectors.errors import InputError
from collectors.inventory import pyproject, tomlfile
from collectors.inventory.graph import Variant, propagate_variant_scopes
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope, strongest
from collectors.purls import package_id


def _deps(entry: dict[str, Any]) -> list[tuple[str, str | None, bool, list[str]]]:
    """(name, specifier, optional, extras asked for) of one package's ``[package.dependencies]``."""
    out: list[tuple[str, str | None, bool, list[str]]] = []
    deps = entry.get("dependencies", {})
    for name, spec in deps.items() if isinstance(deps, dict) else ():
        for item in spec if isinstance(spec, list) else [spec]:
            if isinstance(item, str):
                out.append((name, item, False, []))
            elif isinstance(item, dict):
                extras = [str(e) for e in item.get("extras", [])]
                out.append((name, item.get("version"), bool(item.get("optional")), extras))
    return out


def _extra_names(entry: dict[str, Any], extra: str) -> list[str]:
    names = []
    for text in entry.get("extras", {}).get(extra, []):
        try:
            names.append(Requirement(str(text).replace(" (", "(")).name)
        except InvalidRequirement:
            names.append(str(text).split()[0])
    return names


def _or_plain(extras: Sequence[str]) -> list[str | None]:
    """The nodes of a dependency: one per extra asked for, or the plain package."""
    return [*extras] if extras else [None]


def _group_scope(entry: dict[str, Any]) -> Scope | None:
    """Poetry 2's own scope of a package: ``groups`` (``main`` is runtime) and ``optional`` (an extra)."""
    groups = entry.get("groups")
    if not isinstance(groups, list) or not groups:
        return None
    if entry.get("optional") is True:
        return "optional"
    return "runtime" if "main" in groups else "dev"


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = tomlfile.load(path)
    builder = InventoryBuilder(source, "poetry-lock")
    entries = tomlfile.array(doc, "package", source, "package")
    keys: dict[str, ComponentKey] = {}
    by_key: dict[ComponentKey, dict[str, Any]] = {}
    dev_marked: dict[ComponentKey, Scope] = {}
    group_scopes: dict[ComponentKey, Scope] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InputError(source, "wrong shape: a package needs a name", where=f"package[{i}]")
        package = package_id("pypi", entry["name"])
        key = builder.add(Component(package, str(entry.get("version", ""))))
        keys[package.purl] = key
        by_key[key] = entry
        if entry.get("category") == "dev":
            dev_marked[key] = "dev"
        if (scope := _group_scope(entry)) is not None:
            group_scopes[key] = scope

    manifest = path.with_name("pyproject.toml")
    declared = pyproject.declared_with_extras(manifest) if manifest.is_file() else []
    wanted = {(package_id("pypi", name).purl, extra) for name, extras, _ in declared for extra in extras} | {
        (package_id("pypi", name).purl, extra)
        for entry in entries
        for name, _, _, extras in _deps(entry)
        for extra in extras
    }

    def children(node: Variant) -> list[Variant]:
        key, extra = node
        entry = by_key[key]
        if extra is not None:
            named = (keys.get(package_id("pypi", n).purl) for n in _extra_names(entry, extra))
            return [(key, None), *((k, None) for k in named if k is not None)]
        out: list[Variant] = []
        for name, _, optional, extras in _deps(entry):
            child = keys.get(package_id("pypi", name).purl)
            if child is not None and not optional:
                out.extend((child, e) for e in _or_plain(extras))
        return out

    for key, entry in by_key.items():
        for name, spec, optional, _ in _deps(entry):
            child = keys.get(package_id("pypi", name).purl)
            if child is not None and not optional:
                builder.edge(key, child, spec)
        for purl, extra in wanted:
            if purl == key.purl:
                for child, _ in children((key, extra))[1:]:
                    builder.edge(key, child)

    if manifest.is_file():
        builder.name = pyproject.parse(manifest).name
        roots: dict[Variant, Scope] = {}
        for name, extras, scope in declared:
            found = keys.get(package_id("pypi", name).purl)
            if found is None:
                builder.skip(str(manifest), f"{name} is declared but not in the lockfile")
                continue
            builder.root(found)
            for asked in _or_plain(extras):
                roots[(found, asked)] = strongest(roots.get((found, asked), scope), scope)
        scopes = group_scopes or propagate_variant_scopes(roots, children)[0]
        builder.set_scopes(scopes)
        for key in [k for k in builder.components if k not in scopes]:
            builder.skip(
                f"{key.purl}@{key.version}", "nothing the pyproject.toml declares reaches it; left out"
            )
            builder.remove(key)
    elif group_scopes or dev_marked:
        builder.set_scopes(group_scopes or dev_marked)
    return builder.build()
