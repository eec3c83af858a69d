"""Gradle: gradle.lockfile and ``gradle dependencies`` output.

- gradle.lockfile (https://docs.gradle.org/current/userguide/dependency_locking.html): one
  ``group:name:version=configuration,...`` a line, ``empty=...`` for configurations without dependencies.
  A flat list: which dependencies are direct, and depths, are not known.
- ``gradle dependencies`` (https://docs.gradle.org/current/userguide/viewing_debugging_dependencies.html):
  one tree per configuration, headed ``name - description``, branches ``+--- `` / ``\\--- `` indented five
  characters a level. ``a:b:1.0 -> 2.0`` was resolved to 2.0; ``(*)`` marks a subtree already shown (the
  edge stays); ``(c)`` is a constraint and ``(n)`` a configuration that is not resolved: neither is a
  dependency. ``project :core`` is a module of the same build: the application's own code, so what it
  depends on is direct.

Scopes by configuration: test ones (``testRuntimeClasspath``, ...) and annotation processors are dev,
the others runtime; a dependency in several configurations keeps the strongest.
"""

from __future__ import annotations

import re
from pathlib import Path

from collectors.errors import InputError
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope
from collectors.purls import package_id

_LOCK_LINE = re.compile(
    r"^(?P<group>[^:\s]+):(?P<name>[^:\s]+):(?P<version>[^=\s]+)=(?P<configurations>\S*)$"
)
_CONFIGURATION = re.compile(r"^(?P<name>[A-Za-z][\w]*)(?: - .*)?$")
_BRANCH = re.compile(r"^(?P<indent>(?:[| ]    )*)(?:\+--- |\\--- )(?P<entry>.*)$")
MAX_DEPTH = 200


def _scope(configuration: str) -> Scope:
    lowered = configuration.lower()
    return (
        "dev"
        if lowered.startswith("test") or "test" in lowered or "annotationprocessor" in lowered
        else "runtime"
    )


def _read(path: Path, what: str) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"binary file, not {what}") from exc


def parse_lockfile(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "gradle-lockfile")
    for n, line in enumerate(_read(path, "a gradle.lockfile"), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("empty="):
            continue
        match = _LOCK_LINE.match(line.strip())
        if match is None:
            raise InputError(source, "not a 'group:name:version=configurations' line", where=f"line {n}")
        configurations = [c for c in match["configurations"].split(",") if c]
        scopes = {_scope(c) for c in configurations} or {"runtime"}
        scope: Scope = "runtime" if "runtime" in scopes else "dev"
        builder.add(Component(package_id("maven", match["name"], match["group"]), match["version"], scope))
    builder.skip(
        "",
        "gradle.lockfile has no dependency graph: which dependencies are direct, and depths, are not known",
    )
    return builder.build(roots_if_none=False)


def _coordinates(entry: str, source: str, where: str) -> tuple[str, str, str] | None:
    """(group, name, version) of a tree entry; None for a project, a constraint or an unresolved entry."""
    text = entry.strip()
    if text.endswith(("(c)", "(n)")) or text.startswith("project "):
        return None
    text = text.removesuffix("(*)").strip()
    requested, arrow, selected = text.partition(" -> ")
    parts = requested.split(":")
    if len(parts) < 2:
        raise InputError(source, f"not a 'group:name:version' entry: {entry!r}", where=where)
    version = selected.split()[0] if arrow else (parts[2] if len(parts) > 2 else "")
    return parts[0], parts[1], version


def parse_tree(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "gradle-tree")
    configuration: str | None = None
    stack: list[ComponentKey | None] = []
    trees = 0
    for n, line in enumerate(_read(path, "`gradle dependencies` output"), start=1):
        where = f"line {n}"
        branch = _BRANCH.match(line)
        if branch is None:
            header = _CONFIGURATION.match(line.strip())
            if header is not None and not line.startswith(" "):
                configuration, stack = header["name"], []
            continue
        if configuration is None:
            raise InputError(source, "a dependency line before any configuration line", where=where)
        level = len(branch["indent"]) // 5 + 1
        if level > MAX_DEPTH or level > len(stack) + 1:
            raise InputError(source, f"tree indentation jumps to level {level}", where=where)
        if level == 1 and not stack:
            trees += 1
        del stack[level - 1 :]
        found = _coordinates(branch["entry"], source, where)
        if found is None:
            # A project of the build is the application's own code: its dependencies sit at its level.
            stack.append(stack[-1] if stack and branch["entry"].strip().startswith("project ") else None)
            continue
        group, name, version = found
        key = builder.add(Component(package_id("maven", name, group), version, _scope(configuration)))
        parent = stack[-1] if stack else None
        if parent is None:
            builder.root(key)
        else:
            builder.edge(parent, key)
        stack.append(key)
    if trees == 0:
        raise InputError(source, "no dependency tree found (want `gradle dependencies` output)")
    return builder.build(roots_if_none=False)
