"""yarn.lock, v1 (yarn classic) and Berry (yarn 2 to 4), with the package.json beside it.

v1 (https://classic.yarnpkg.com/lang/en/docs/yarn-lock/) is yarn's own indented format: each entry lists
the ranges it resolves (``chalk@^4.1.2, chalk@^4.0.0:``), then ``version`` and ``dependencies``
(``name "range"``). Berry (https://yarnpkg.com/configuration/yarnrc, lockfile ``__metadata``) is YAML:
entries keyed by descriptors (``"chalk@npm:^4.1.2"``) with ``resolution``, ``version`` and
``dependencies`` (``name: "npm:range"``); workspaces are entries resolved ``name@workspace:path``.

Neither says which dependencies are dev: that is in the package.json files. The one beside the lockfile
and those of its ``workspaces`` members give the direct dependencies (``dependencies`` runtime,
``optionalDependencies`` optional, ``devDependencies`` dev). Members are the application's own code, not
components. Without a package.json, the packages nothing depends on are taken as direct, all runtime.
Peer dependencies are not edges (yarn lists them as requirements on the dependent, not as installs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory import jsonstream, yamlfile
from collectors.inventory.graph import propagate_scopes
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope, strongest
from collectors.inventory.packagejson import SECTIONS
from collectors.purls import PurlError, package_id

#: v1 has at most this many nesting levels (entry, field, map item); deeper indentation is refused.
_V1_MAX_INDENT = 6
_V1_PAIR = re.compile(r'^("(?:[^"\\]|\\.)*"|[^\s"]+)\s+("(?:[^"\\]|\\.)*"|\S+)$')


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _descriptors(header: str) -> list[str]:
    """``a@^1, "b@npm:^2"`` -> the descriptors an entry resolves."""
    return [_unquote(part) for part in header.rstrip(":").split(",") if part.strip()]


def _name_of_descriptor(descriptor: str) -> str:
    """The package a descriptor installs: ``alias@npm:real@^1`` (an alias) installs ``real``."""
    at = descriptor.find("@", 1)  # a scoped name starts with @
    if at < 0:
        return descriptor
    range_ = descriptor[at + 1 :]
    if range_.startswith("npm:") and "@" in range_[5:]:
        return _name_of_descriptor(range_[4:])
    return descriptor[:at]


def read_v1(path: Path, text: str) -> dict[str, dict[str, Any]]:
    """The entries of a v1 lockfile, keyed by their header, as ``{version, dependencies: {...}}``."""
    source = str(path)
    entries: dict[str, dict[str, Any]] = {}
    entry: dict[str, Any] | None = None
    section: dict[str, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        content = line.strip()
        if indent > _V1_MAX_INDENT:
            raise InputError(source, "yarn.lock v1 nested deeper than yarn writes it", where=str(number))
        if indent == 0:
            if not content.endswith(":"):
                raise InputError(source, "yarn.lock v1: an entry header must end with ':'", where=str(number))
            entry = entries.setdefault(content[:-1], {"dependencies": {}, "optionalDependencies": {}})
            section = None
        elif entry is None:
            raise InputError(source, "yarn.lock v1: indented line outside an entry", where=str(number))
        elif indent == 2 and content.endswith(":"):
            key = content[:-1]
            section = entry.setdefault(key, {}) if key in ("dependencies", "optionalDependencies") else None
        elif indent == 2:
            match = _V1_PAIR.match(content)
            if match is None:
                raise InputError(source, "yarn.lock v1: expected 'key value'", where=str(number))
            entry[_unquote(match[1])] = _unquote(match[2])
            section = None
        elif section is not None:
            match = _V1_PAIR.match(content)
            if match is None:
                raise InputError(source, "yarn.lock v1: expected 'name range'", where=str(number))
            section[_unquote(match[1])] = _unquote(match[2])
    return entries


def _manifests(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The package.json beside the lockfile and those of its workspace members."""
    root = path.with_name("package.json")
    if not root.is_file():
        return []
    found = [(root, jsonstream.load_object(root))]
    workspaces = found[0][1].get("workspaces")
    if isinstance(workspaces, dict):  # {"packages": [...]} form
        workspaces = workspaces.get("packages")
    for pattern in workspaces if isinstance(workspaces, list) else ():
        for member in sorted(path.parent.glob(f"{pattern}/package.json")):
            found.append((member, jsonstream.load_object(member)))
    return found


def parse(path: Path) -> Inventory:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source, "binary file, not a yarn.lock") from exc
    berry = "__metadata" in text[:4096] and not text.lstrip().startswith("# yarn lockfile v1")
    builder = InventoryBuilder(source, "yarn-lock")
    manifests = _manifests(path)
    members = {str(doc.get("name")) for _, doc in manifests if isinstance(doc.get("name"), str)}
    builder.name = str(manifests[0][1]["name"]) if manifests and manifests[0][1].get("name") else None

    by_descriptor: dict[str, ComponentKey] = {}
    graph: list[tuple[ComponentKey, dict[str, Any], str]] = []
    entries = _berry_entries(path) if berry else read_v1(path, text).items()
    for header, entry in entries:
        if not isinstance(entry, dict):
            raise InputError(source, "yarn.lock entry of the wrong shape", where=str(header))
        descriptors = _descriptors(str(header))
        resolution = str(entry.get("resolution", descriptors[0] if descriptors else ""))
        name = _name_of_descriptor(resolution)
        if "@workspace:" in resolution or name in members:
            continue  # a workspace: the application's own code
        try:
            package = package_id("npm", name)
        except PurlError as exc:
            builder.skip(str(header), str(exc))
            continue
        key = builder.add(Component(package, str(entry.get("version", ""))))
        for descriptor in descriptors:
            by_descriptor[descriptor] = key
        graph.append((key, entry, str(header)))

    def lookup(name: str, range_: str) -> ComponentKey | None:
        if berry and ":" not in range_:
            range_ = f"npm:{range_}"  # Berry's default protocol
        return by_descriptor.get(f"{name}@{range_}")

    for parent, entry, header in graph:
        for dep_map in ("dependencies", "optionalDependencies"):
            deps = entry.get(dep_map) or {}
            for name, range_ in deps.items() if isinstance(deps, dict) else ():
                child = lookup(str(name), str(range_))
                if child is None:
                    if str(name) not in members:
                        builder.skip(f"{header}.{dep_map}.{name}", "not in the lockfile; left out")
                    continue
                builder.edge(parent, child)

    roots: dict[ComponentKey, Scope] = {}
    for manifest, doc in manifests:
        for section, scope in SECTIONS:
            if section == "peerDependencies":
                continue  # provided by the dependent, not installed for this project
            deps = doc.get(section) or {}
            for name, range_ in deps.items() if isinstance(deps, dict) else ():
                if name in members:
                    continue
                child = lookup(str(name), str(range_))
                if child is None:
                    where = f"{manifest.relative_to(path.parent).as_posix()}:{section}.{name}"
                    builder.skip(where, "declared but not in the lockfile")
                    continue
                builder.root(child)
                builder.set_specifier(child, str(range_))
                roots[child] = strongest(roots.get(child, scope), scope)
    if roots:
        scopes = propagate_scopes(roots, builder.edges)
        builder.set_scopes(scopes)
        for key in [k for k in builder.components if k not in scopes]:
            builder.skip(
                f"{key.purl}@{key.version}", "no package.json of the project depends on it; left out"
            )
            builder.remove(key)
    return builder.build()


def _berry_entries(path: Path) -> list[tuple[str, Any]]:
    doc = yamlfile.load_mapping(path)
    return [(str(k), v) for k, v in doc.items() if k != "__metadata"]
