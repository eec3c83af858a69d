"""pnpm-lock.yaml, lockfile v6 to v9 (https://github.com/pnpm/spec/blob/master/lockfile/9.0.md and 6.0.md).

``importers`` are the workspace's projects (``.`` is the root; a single-project v6 file puts the root's
maps at the top level instead): each one's ``dependencies`` are direct runtime dependencies,
``optionalDependencies`` direct optional ones and ``devDependencies`` direct dev ones. Workspace members
(``link:`` versions) are the application's own code: not components; their own dependencies are read
from their importer. The graph is in ``snapshots`` (v9) or ``packages`` (v6), keyed ``name@version``
with resolved peers in parentheses (``react-dom@18.3.1(react@18.3.1)``); peer variants of one package
version are one component. Scopes follow from the importers' maps through the graph; a package pnpm
marks ``optional: true`` is never more than optional. Lockfiles before v6 (pnpm 7) are refused.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory import jsonstream, yamlfile
from collectors.inventory.graph import propagate_scopes
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope, strongest
from collectors.purls import PurlError, package_id

_IMPORTER_MAPS: tuple[tuple[str, Scope], ...] = (
    ("dependencies", "runtime"),
    ("optionalDependencies", "optional"),
    ("devDependencies", "dev"),
)
_GRAPH_MAPS = ("dependencies", "optionalDependencies")


def _split(key: str) -> tuple[str, str]:
    """``@scope/name@1.0.0(peer@2)`` -> (``@scope/name``, ``1.0.0``); peers are dropped."""
    base = key.lstrip("/").split("(", 1)[0]
    name, _, version = base.rpartition("@")
    if not name:  # "name" alone, no version
        return base, ""
    return name, version


def _version_major(doc: dict[str, Any], source: str) -> int:
    raw = str(doc.get("lockfileVersion", ""))
    try:
        major = int(float(raw))
    except ValueError as exc:
        raise InputError(
            source, f"pnpm lockfileVersion {raw!r} is not a number", where="lockfileVersion"
        ) from exc
    if major < 6 or major > 9:
        raise InputError(
            source,
            f"pnpm lockfileVersion {raw} is not supported (v6 to v9 are); regenerate it with pnpm 8 or newer",
            where="lockfileVersion",
        )
    return major


def _mapping(raw: Any, source: str, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(source, "YAML of the wrong shape: expected a mapping", where=where)
    return raw


def _snapshot_key(name: str, version: str, v6: bool) -> str:
    """The graph key a dependency ``name: version`` points to (an alias's version is ``real@1.0``)."""
    if version.startswith(("/", "@")) or (
        "@" in version.split("(", 1)[0] and not version.startswith("link:")
    ):
        key = version.lstrip("/")  # an alias or a v6 absolute path
    else:
        key = f"{name}@{version}"
    return f"/{key}" if v6 else key


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = yamlfile.load_mapping(path)
    v6 = _version_major(doc, source) < 9
    graph = _mapping(doc.get("packages") if v6 else doc.get("snapshots"), source, "packages")
    builder = InventoryBuilder(source, "pnpm-lock")
    builder.name = _project_name(path)

    keys: dict[str, ComponentKey] = {}
    forced_optional: set[ComponentKey] = set()
    for snap, entry in graph.items():
        entry = _mapping(entry, source, f"snapshots.{snap}")
        name, version = _split(str(snap))
        try:
            package = package_id("npm", name)
        except PurlError as exc:
            builder.skip(f"snapshots.{snap}", str(exc))
            continue
        key = keys[str(snap)] = builder.add(Component(package, version))
        if entry.get("optional") is True:
            forced_optional.add(key)

    for snap, entry in graph.items():
        parent = keys.get(str(snap))
        if parent is None:
            continue
        for dep_map in _GRAPH_MAPS:
            for name, version in _mapping(entry.get(dep_map), source, f"{snap}.{dep_map}").items():
                child = keys.get(_snapshot_key(str(name), str(version), v6))
                if child is None:
                    if not str(version).startswith("link:"):
                        builder.skip(f"snapshots.{snap}.{dep_map}.{name}", "not in the lockfile; left out")
                    continue
                builder.edge(parent, child)

    importers = _mapping(doc.get("importers"), source, "importers") or {".": doc}
    roots: dict[ComponentKey, Scope] = {}
    for importer, project in importers.items():
        project = _mapping(project, source, f"importers.{importer}")
        for dep_map, scope in _IMPORTER_MAPS:
            for name, spec in _mapping(
                project.get(dep_map), source, f"importers.{importer}.{dep_map}"
            ).items():
                where = f"importers.{importer}.{dep_map}.{name}"
                if isinstance(spec, dict):  # v6+: {specifier, version}
                    specifier, version = spec.get("specifier"), str(spec.get("version", ""))
                else:  # v6 single-project maps name -> version, with specifiers elsewhere
                    specifier, version = None, str(spec)
                if version.startswith("link:"):
                    _check_link(builder, importers, str(importer), version, where)
                    continue
                child = keys.get(_snapshot_key(str(name), version, v6))
                if child is None:
                    builder.skip(where, "not in the lockfile; left out")
                    continue
                builder.root(child)
                if isinstance(specifier, str):
                    builder.set_specifier(child, specifier)
                roots[child] = strongest(roots.get(child, scope), scope)

    scopes = propagate_scopes(roots, builder.edges)
    for key in forced_optional:
        if scopes.get(key) == "runtime":
            scopes[key] = "optional"
    builder.set_scopes(scopes)
    _leave_out_unreached(builder, scopes)
    return builder.build()


def _check_link(
    builder: InventoryBuilder, importers: dict[str, Any], importer: str, version: str, where: str
) -> None:
    """A ``link:`` to a workspace project is the application's own code; a link elsewhere is noted."""
    folder = version.removeprefix("link:")
    if posixpath.normpath(posixpath.join(importer, folder)) not in importers:
        builder.skip(
            where, f"links to {folder}, a folder outside the lockfile; its dependencies are not read"
        )


def _leave_out_unreached(builder: InventoryBuilder, scopes: dict[ComponentKey, Scope]) -> None:
    """A package no project reaches is not installed by this application: a documented skip, not runtime."""
    for key in [k for k in builder.components if k not in scopes]:
        builder.skip(f"{key.purl}@{key.version}", "no project of the workspace depends on it; left out")
        builder.remove(key)


def _project_name(path: Path) -> str | None:
    """The root project's name from the package.json beside the lockfile (the lockfile has none)."""
    manifest = path.with_name("package.json")
    if not manifest.is_file():
        return None
    try:
        name = jsonstream.load_object(manifest).get("name")
    except InputError:
        return None
    return name if isinstance(name, str) else None
