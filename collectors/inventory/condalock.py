"""conda-lock's unified lockfile, ``conda-lock.yml`` version 1 (https://conda.github.io/conda-lock/output/).

``package`` lists every locked package once per platform: ``name``, ``version``, ``manager`` (``conda``
gives a ``pkg:conda`` component, ``pip`` a ``pkg:pypi`` one), ``platform``, ``dependencies`` (name ->
spec, resolved among the same platform's packages of the same manager), ``category`` (``main`` is
runtime, any other category dev) and ``optional``. A package locked for several platforms is one
component per version; edges are the union over platforms. The lockfile does not say which packages
were asked for: the environment.yml beside it (conda-lock's usual source) gives the direct ones;
without it, the packages nothing depends on are taken as direct. Scopes are the lockfile's categories.
"""

from __future__ import annotations

from pathlib import Path

from collectors.errors import InputError
from collectors.inventory import condaenv, yamlfile
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope
from collectors.purls import PurlError, package_id

_MANAGERS = {"conda": "conda", "pip": "pypi"}


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = yamlfile.load_mapping(path)
    if str(doc.get("version")) != "1":  # scalars stay strings (see yamlfile)
        raise InputError(
            source, f"conda-lock version {doc.get('version')} is not supported (1 is)", where="version"
        )
    packages = doc.get("package")
    if not isinstance(packages, list) or not all(isinstance(p, dict) for p in packages):
        raise InputError(
            source, "YAML of the wrong shape: package must be a list of mappings", where="package"
        )
    builder = InventoryBuilder(source, "conda-lock")
    keys: dict[tuple[str, str, str], ComponentKey] = {}  # (manager, platform, name) -> key
    category: dict[ComponentKey, Scope] = {}
    for i, entry in enumerate(packages):
        where = f"package[{i}]"
        manager = str(entry.get("manager", ""))
        if manager not in _MANAGERS or not isinstance(entry.get("name"), str):
            builder.skip(where, f"manager {manager!r} or name not understood; left out")
            continue
        name = entry["name"].lower() if manager == "conda" else entry["name"]
        try:
            package = package_id(_MANAGERS[manager], name)
        except PurlError as exc:
            builder.skip(where, str(exc))
            continue
        key = builder.add(Component(package, str(entry.get("version", ""))))
        keys[(manager, str(entry.get("platform", "")), package.name)] = key
        scope: Scope = "runtime" if entry.get("category", "main") == "main" else "dev"
        category[key] = "runtime" if category.get(key) == "runtime" else scope
    for i, entry in enumerate(packages):
        manager, platform = str(entry.get("manager", "")), str(entry.get("platform", ""))
        if manager not in _MANAGERS or not isinstance(entry.get("name"), str):
            continue
        parent = keys[
            (
                manager,
                platform,
                package_id(
                    _MANAGERS[manager], entry["name"].lower() if manager == "conda" else entry["name"]
                ).name,
            )
        ]
        deps = entry.get("dependencies") or {}
        for dep in deps if isinstance(deps, dict) else ():
            dep_name = str(dep).lower() if manager == "conda" else str(dep)
            child = keys.get((manager, platform, package_id(_MANAGERS[manager], dep_name).name))
            if child is None:
                if manager == "conda" and dep_name.startswith("__"):
                    continue  # a virtual package (__glibc, __unix): the machine, not a dependency
                builder.skip(
                    f"package[{i}].dependencies.{dep}", "not in the lockfile for this platform; left out"
                )
                continue
            builder.edge(parent, child)
    environment = _environment(path)
    if environment is not None:
        builder.name = environment.name
        by_purl = {key.purl: key for key in builder.components}
        for declared in environment.components:
            found = by_purl.get(declared.package.purl)
            if found is None:
                builder.skip(f"environment.yml:{declared.package.name}", "declared but not in the lockfile")
                continue
            builder.root(found)
            if declared.specifier:
                builder.set_specifier(found, declared.specifier)
    builder.set_scopes(category)
    return builder.build()


def _environment(path: Path) -> Inventory | None:
    for name in ("environment.yml", "environment.yaml"):
        candidate = path.with_name(name)
        if candidate.is_file():
            return condaenv.parse(candidate)
    return None
