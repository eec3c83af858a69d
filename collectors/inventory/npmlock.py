"""package-lock.json v2 and v3 and npm-shrinkwrap.json (same format,
https://docs.npmjs.com/cli/configuring-npm/package-lock-json and .../npm-shrinkwrap-json).

Read from ``packages``: each install path (``node_modules/a/node_modules/b``), its version, its ``dev``,
``optional`` and ``devOptional`` flags, its dependency maps and its ``funding`` field (string, object or
array: funding links with source ``lockfile``). A dependency is resolved the way Node does: the nearest
``node_modules`` folder up the tree. The root entry ``""`` is the application; what it names is direct.
Workspaces (https://docs.npmjs.com/cli/using-npm/workspaces): a member is a folder entry
(``packages/web``) that ``node_modules/@x/web`` links to. Members are the application's own code, not
components: what each member names (its dev dependencies too) is direct, resolved from its folder.
Documented skips: a link to a folder the lockfile does not describe, a non-optional dependency that is
not installed. v1 lockfiles (npm 6) have no ``packages`` map and are refused with a hint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory import jsonstream
from collectors.inventory.model import (
    Component,
    ComponentKey,
    FundingLink,
    Inventory,
    InventoryBuilder,
    Scope,
)
from collectors.purls import PurlError, package_id

_DEP_MAPS = ("dependencies", "optionalDependencies", "peerDependencies", "devDependencies")
_MARKER = "node_modules/"


def _name_of(install_path: str, entry: dict[str, Any]) -> str:
    # An aliased install (``"x": "npm:real@1"``) records the real name in ``name``.
    name = entry.get("name")
    if isinstance(name, str) and name:
        return name
    return install_path.rsplit(_MARKER, 1)[-1]


def _scope(entry: dict[str, Any]) -> Scope:
    if entry.get("dev") or entry.get("devOptional"):
        return "dev"
    if entry.get("optional"):
        return "optional"
    return "runtime"


def funding_links(raw: Any) -> tuple[FundingLink, ...]:
    """npm's ``funding``: a URL, ``{type, url}``, or an array of either."""
    items = raw if isinstance(raw, list) else [raw]
    links: list[FundingLink] = []
    for item in items:
        if isinstance(item, str) and item.startswith(("https://", "http://")):
            links.append(FundingLink(item))
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            label = item.get("type") if isinstance(item.get("type"), str) else None
            links.append(FundingLink(item["url"], label))
    return tuple(dict.fromkeys(links))


def _resolve(packages: dict[str, Any], parent_path: str, name: str) -> str | None:
    """The install path Node would load ``name`` from, seen from the package at ``parent_path``."""
    base = parent_path
    while True:
        candidate = f"{base}/{_MARKER}{name}" if base else f"{_MARKER}{name}"
        if candidate in packages:
            return candidate
        if not base:
            return None
        cut = base.rfind(_MARKER)
        base = base[: cut - 1] if cut > 0 else ""


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = jsonstream.load_object(path)
    version = doc.get("lockfileVersion")
    if version == 1 or "packages" not in doc:
        raise InputError(source, "package-lock.json v1 is not supported; regenerate it with npm 7 or newer")
    packages = doc["packages"]
    if not isinstance(packages, dict) or not all(isinstance(v, dict) for v in packages.values()):
        raise InputError(
            source, "JSON of the wrong shape: packages must map paths to objects", where="packages"
        )
    builder = InventoryBuilder(source, "npm-lock")
    root = packages.get("", {})
    name = root.get("name") or doc.get("name")
    builder.name = name if isinstance(name, str) else None

    # Workspace members: the folders that links point to (and the root); they are the application.
    members = {""} | {
        str(entry["resolved"])
        for entry in packages.values()
        if entry.get("link") and isinstance(entry.get("resolved"), str) and entry["resolved"] in packages
    }
    keys: dict[str, ComponentKey] = {}
    for install_path, entry in packages.items():
        if install_path in members or _MARKER not in install_path:
            continue  # the root or a workspace folder
        if entry.get("link"):
            if entry.get("resolved") not in members:
                builder.skip(
                    f"packages.{install_path}", "link to a folder the lockfile does not describe; left out"
                )
            continue  # a workspace member: the application's own code
        try:
            package = package_id("npm", _name_of(install_path, entry))
        except PurlError as exc:
            builder.skip(f"packages.{install_path}", str(exc))
            continue
        component = Component(
            package,
            str(entry.get("version", "")),
            _scope(entry),
            funding=funding_links(entry.get("funding")),
        )
        keys[install_path] = builder.add(component)

    for install_path, entry in packages.items():
        is_member = install_path in members
        if install_path not in keys and not is_member:
            continue
        for dep_map in _DEP_MAPS:
            if dep_map == "devDependencies" and not is_member:
                continue  # a package's own dev dependencies are never installed
            deps = entry.get(dep_map, {})
            for name, spec in deps.items() if isinstance(deps, dict) else ():
                found = _resolve(packages, install_path, name)
                if (
                    found is not None
                    and packages[found].get("link")
                    and packages[found].get("resolved") in members
                ):
                    continue  # a dependency on a workspace member: own code
                child = keys.get(found) if found is not None else None
                if child is None:
                    if dep_map == "dependencies":
                        builder.skip(
                            f"packages.{install_path or '(root)'}.{dep_map}.{name}", "not installed; left out"
                        )
                    continue
                if is_member:
                    builder.root(child)
                    if isinstance(spec, str):
                        builder.set_specifier(child, spec)
                else:
                    builder.edge(keys[install_path], child, spec if isinstance(spec, str) else None)
    return builder.build()
