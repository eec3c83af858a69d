"""Cargo.lock (https://doc.rust-lang.org/cargo/guide/cargo-toml-vs-cargo-lock.html), with the Cargo.toml
beside it when there is one.

Read: every ``[[package]]`` (``name``, ``version``, ``source``) and its ``dependencies``, each written
``name``, ``name version`` or ``name version (source)`` when the short form would be ambiguous. A package
without a ``source`` is local code (the crate itself, or a workspace member): it is the application, not a
third-party package, and what it depends on is direct. The lockfile does not say which direct dependencies
are normal, dev or build ones: the Cargo.toml beside it, and those of the workspace members it lists, do (``[dependencies]`` -> runtime, or optional
with ``optional = true``; ``[dev-dependencies]`` and ``[build-dependencies]`` -> dev, since neither ships
in the binary; the ``[target.'cfg(..)'.*]`` tables alike). Without it, direct dependencies are taken as
runtime, and a skip says so. Transitive scopes follow from the direct dependencies that reach them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory import tomlfile
from collectors.inventory.graph import propagate_scopes
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope, strongest
from collectors.purls import package_id

_KIND_SCOPES: dict[str, Scope] = {
    "dependencies": "runtime",
    "dev-dependencies": "dev",
    "build-dependencies": "dev",
}


def _manifest_scopes(manifest: dict[str, Any]) -> dict[str, Scope]:
    """Crate name -> scope of the direct dependencies a Cargo.toml declares (renames use ``package``)."""
    tables: list[tuple[Scope, Any]] = [(scope, manifest.get(kind)) for kind, scope in _KIND_SCOPES.items()]
    targets = manifest.get("target")
    if isinstance(targets, dict):
        for target in targets.values():
            if isinstance(target, dict):
                tables += [(scope, target.get(kind)) for kind, scope in _KIND_SCOPES.items()]
    scopes: dict[str, Scope] = {}
    for scope, table in tables:
        if not isinstance(table, dict):
            continue
        for key, spec in table.items():
            name = spec.get("package", key) if isinstance(spec, dict) else key
            optional = isinstance(spec, dict) and spec.get("optional") is True
            found: Scope = "optional" if optional and scope == "runtime" else scope
            scopes[str(name)] = strongest(found, scopes.get(str(name), found))
    return scopes


def _crate_name(manifest: dict[str, Any]) -> str | None:
    package = manifest.get("package")
    name = package.get("name") if isinstance(package, dict) else None
    return name if isinstance(name, str) else None


#: A workspace lists its members as paths or globs; more than this many is not a plausible workspace.
MAX_MEMBERS = 500


def _manifests(root: Path) -> dict[str, dict[str, Scope]]:
    """Crate name -> its declared direct dependencies' scopes, for the Cargo.toml beside the lockfile and
    the workspace members it lists (https://doc.rust-lang.org/cargo/reference/workspaces.html); the
    root package first."""
    if not root.is_file():
        return {}
    manifest = tomlfile.load(root)
    found: dict[str, dict[str, Scope]] = {}
    if (name := _crate_name(manifest)) is not None:
        found[name] = _manifest_scopes(manifest)
    workspace = manifest.get("workspace")
    members = workspace.get("members") if isinstance(workspace, dict) else None
    for pattern in members if isinstance(members, list) else []:
        if not isinstance(pattern, str) or pattern.startswith(("/", "..")):
            continue  # only members inside the workspace's folder are read
        for member in sorted(root.parent.glob(pattern))[:MAX_MEMBERS]:
            member_manifest = member / "Cargo.toml"
            if member_manifest.is_file():
                doc = tomlfile.load(member_manifest)
                if (member_name := _crate_name(doc)) is not None:
                    found.setdefault(member_name, _manifest_scopes(doc))
    return found


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = tomlfile.load(path)
    builder = InventoryBuilder(source, "cargo-lock")
    entries = tomlfile.array(doc, "package", source, "package")
    by_name: dict[str, list[int]] = {}
    local: list[int] = []
    keys: dict[int, ComponentKey] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InputError(source, "wrong shape: a package needs a name", where=f"package[{i}]")
        by_name.setdefault(entry["name"], []).append(i)
        if entry.get("source") is None:
            local.append(i)
        else:
            keys[i] = builder.add(
                Component(package_id("cargo", entry["name"]), str(entry.get("version", "")))
            )

    def resolve(spec: Any, where: str) -> int | None:
        if not isinstance(spec, str) or not spec.strip():
            raise InputError(source, "wrong shape: a dependency must be a string", where=where)
        name, _, rest = spec.partition(" ")
        version, _, dep_source = rest.partition(" ")
        candidates = by_name.get(name, [])
        if version:
            candidates = [c for c in candidates if str(entries[c].get("version")) == version]
        if dep_source:
            wanted = dep_source.strip("()")
            candidates = [c for c in candidates if entries[c].get("source") == wanted]
        if len(candidates) != 1:
            builder.skip(
                where, f"dependency {spec!r} names {len(candidates)} packages of the lockfile; left out"
            )
            return None
        return candidates[0]

    manifests = _manifests(path.with_name("Cargo.toml"))
    crate = next(iter(manifests), None)
    if local and not manifests:
        builder.skip("", "no Cargo.toml beside the lockfile: direct dependencies taken as runtime")
    unread = sorted({str(entries[i]["name"]) for i in local} - set(manifests)) if manifests else []
    if unread:
        builder.skip(
            "", f"no Cargo.toml read for {', '.join(unread)}: its direct dependencies taken as runtime"
        )
    root_scopes: dict[ComponentKey, Scope] = {}
    for i, entry in enumerate(entries):
        deps = entry.get("dependencies") or []
        if not isinstance(deps, list):
            raise InputError(source, "wrong shape: dependencies must be an array", where=f"package[{i}]")
        for j, spec in enumerate(deps):
            child = resolve(spec, f"package[{i}].dependencies[{j}]")
            if child is None or child in local:
                continue  # a workspace member depending on another: both are the application's own code
            if i in keys:
                builder.edge(keys[i], keys[child])
                continue
            scope = manifests.get(entry["name"], {}).get(str(entries[child]["name"]), "runtime")
            key = keys[child]
            builder.root(key)
            root_scopes[key] = strongest(scope, root_scopes.get(key, scope))
    names = [str(entries[i]["name"]) for i in local]
    builder.name = crate or (names[0] if names else None)
    builder.set_scopes(propagate_scopes(root_scopes, builder.edges))
    return builder.build(roots_if_none=not local)
