"""poetry.lock (https://python-poetry.org/docs/basic-usage/#installing-with-poetrylock): the full graph.

A poetry.lock does not say which packages the project asked for; that is in the ``pyproject.toml`` beside
it (``[tool.poetry.dependencies]``, ``[tool.poetry.group.<name>.dependencies]``, or PEP 621
``[project]``). With it, those are the roots (groups other than ``main`` are dev); without it, the
packages nothing depends on are taken as direct. Older lockfiles' ``category = "dev"`` marks dev packages.
Optional dependencies of a package are edges only when a dependent asks for the extra that needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from collectors.errors import InputError
from collectors.inventory import pyproject, tomlfile
from collectors.inventory.graph import propagate_scopes
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope
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


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = tomlfile.load(path)
    builder = InventoryBuilder(source, "poetry-lock")
    entries = tomlfile.array(doc, "package", source, "package")
    keys: dict[str, ComponentKey] = {}
    dev_marked: dict[ComponentKey, Scope] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InputError(source, "wrong shape: a package needs a name", where=f"package[{i}]")
        package = package_id("pypi", entry["name"])
        key = builder.add(Component(package, str(entry.get("version", ""))))
        keys[package.purl] = key
        if entry.get("category") == "dev":
            dev_marked[key] = "dev"

    manifest = path.with_name("pyproject.toml")
    wanted = {
        (package_id("pypi", name).purl, extra)
        for name, extra in (pyproject.declared_extras(manifest) if manifest.is_file() else ())
    } | {
        (package_id("pypi", name).purl, extra)
        for entry in entries
        for name, _, _, extras in _deps(entry)
        for extra in extras
    }
    for entry in entries:
        parent = keys[package_id("pypi", entry["name"]).purl]
        for name, spec, optional, _ in _deps(entry):
            child = keys.get(package_id("pypi", name).purl)
            if child is not None and not optional:
                builder.edge(parent, child, spec)
        for purl, extra in wanted:
            if purl == parent.purl:
                for name in _extra_names(entry, extra):
                    if (child := keys.get(package_id("pypi", name).purl)) is not None:
                        builder.edge(parent, child)

    if manifest.is_file():
        declared = pyproject.parse(manifest)
        builder.name = declared.name
        roots: dict[ComponentKey, Scope] = {}
        for c in declared.components:
            found = keys.get(c.package.purl)
            if found is None:
                builder.skip(str(manifest), f"{c.package.name} is declared but not in the lockfile")
                continue
            builder.root(found)
            roots[found] = c.scope
        builder.set_scopes(propagate_scopes(roots, builder.edges))
    elif dev_marked:
        builder.set_scopes(dev_marked)
    return builder.build()
