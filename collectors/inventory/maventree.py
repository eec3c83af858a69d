"""``mvn dependency:tree`` output, as text and as JSON
(https://maven.apache.org/plugins/maven-dependency-plugin/tree-mojo.html; JSON with ``-DoutputType=json``
from plugin 3.7.0).

The tree is Maven's resolved graph: one version per artifact, each artifact under the first path that
reached it (nearest wins). Text lines are ``groupId:artifactId:type[:classifier]:version:scope`` under
``+- `` / ``\\- `` branches, three characters an indentation level; the console form (``[INFO] `` before each
line) reads the same, and several modules of a reactor build give several trees: each module is the
application's own code, so one module under another is left out (its dependencies are in its own
tree). With ``-Dverbose``, ``(... - omitted for duplicate)`` entries are kept as edges to the artifact
already listed; other omitted entries (conflicts, cycles) were not built and are left out.

Scopes (https://maven.apache.org/guides/introduction/introduction-to-dependency-mechanism.html):
compile, runtime, provided and system are runtime (provided ones are still needed at run time, from the
container); test is dev; an ``optional`` dependency is optional.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.jsonstream import load_object
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope
from collectors.purls import package_id

_SCOPES: dict[str, Scope] = {
    "compile": "runtime",
    "runtime": "runtime",
    "provided": "runtime",
    "system": "runtime",
    "test": "dev",
    "import": "runtime",
}
_CONSOLE_PREFIX = re.compile(r"^\[(?:INFO|WARNING)\] ?")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BRANCH = re.compile(r"^((?:[| ]  )*)(?:\+- |\\- )(.*)$")
_COORDINATES = re.compile(r"^[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+(?::[^:\s]+){1,3}")
MAX_DEPTH = 200


def _scope(raw: str, optional: bool) -> Scope:
    scope = _SCOPES.get(raw, "runtime")
    return "optional" if optional and scope == "runtime" else scope


def _artifact(text: str, source: str, where: str, *, root: bool) -> tuple[Component, bool]:
    """A component from ``g:a:type[:classifier]:version[:scope]`` (the root line has no scope)."""
    optional = text.endswith(" (optional)")
    parts = text.removesuffix(" (optional)").split(" ")[0].split(":")
    expected = (4, 5) if root else (5, 6)
    if len(parts) not in expected:
        raise InputError(
            source, f"not a Maven artifact 'group:artifact:type:version:scope': {text!r}", where=where
        )
    version = parts[-1] if root else parts[-2]
    scope = "" if root else parts[-1]
    component = Component(package_id("maven", parts[1], parts[0]), version, _scope(scope, optional))
    return component, optional


def _module_ids(lines: list[str]) -> set[tuple[str, str]]:
    """(groupId, artifactId) of each module whose tree the output holds: the line above a first branch."""
    modules = set()
    for above, line in pairwise(lines):
        if _BRANCH.match(line) and not _BRANCH.match(above) and _COORDINATES.match(above):
            group, artifact = above.split(":")[:2]
            modules.add((group, artifact))
    return modules


#: On the stack of open branches: a branch that is not read, nor is anything below it.
_LEFT_OUT = "left out"


def parse_text(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "maven-tree")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source, "binary file, not `mvn dependency:tree` output") from exc
    lines = [_CONSOLE_PREFIX.sub("", _ANSI.sub("", raw)).rstrip() for raw in text.splitlines()]
    modules = _module_ids(lines)
    stack: list[ComponentKey | str | None] = []  # stack[0] is None: the module itself
    trees = 0
    pending_root: str | None = None
    for n, line in enumerate(lines, start=1):
        where = f"line {n}"
        branch = _BRANCH.match(line)
        if branch is None:
            pending_root = line if _COORDINATES.match(line) is not None else None
            continue
        if pending_root is not None:  # the line above the first branch names the module
            module, _ = _artifact(pending_root, source, f"line {n - 1}", root=True)
            builder.name = builder.name or module.package.name
            trees += 1
            stack = [None]
            pending_root = None
        if not stack:
            raise InputError(source, "a dependency line before any module line", where=where)
        level = len(branch[1]) // 3 + 1
        if level > MAX_DEPTH or level > len(stack):
            raise InputError(source, f"tree indentation jumps to level {level}", where=where)
        entry = branch[2]
        del stack[level:]
        parent = stack[level - 1]
        if entry.startswith("("):
            inner = entry.strip("()")
            if " - omitted for duplicate" not in inner:
                stack.append(_LEFT_OUT)
                continue
            entry = inner.split(" - ")[0]
        if parent == _LEFT_OUT or tuple(entry.split(":")[:2]) in modules:
            # Another module of the same build is the application's own code: its dependencies are
            # read from its own tree.
            stack.append(_LEFT_OUT)
            continue
        component, _ = _artifact(entry, source, where, root=False)
        key = builder.add(component)
        if parent is None:
            builder.root(key)
        elif isinstance(parent, ComponentKey):
            builder.edge(parent, key)
        stack.append(key)
    if trees == 0 and not builder.components:
        raise InputError(source, "no dependency tree found (want `mvn dependency:tree` output)")
    return builder.build(roots_if_none=False)


def _walk_json(
    node: Any, parent: ComponentKey | None, builder: InventoryBuilder, source: str, where: str, depth: int
) -> None:
    children = node.get("children") or []
    if not isinstance(children, list):
        raise InputError(source, "JSON of the wrong shape: children must be a list", where=where)
    if depth > MAX_DEPTH:
        raise InputError(source, f"tree deeper than {MAX_DEPTH} levels", where=where)
    for i, child in enumerate(children):
        at = f"{where}.children[{i}]"
        if not isinstance(child, dict) or not all(
            isinstance(child.get(k), str) for k in ("groupId", "artifactId", "version")
        ):
            raise InputError(
                source, "JSON of the wrong shape: a dependency needs groupId, artifactId, version", where=at
            )
        optional = str(child.get("optional")) == "true"
        component = Component(
            package_id("maven", child["artifactId"], child["groupId"]),
            child["version"],
            _scope(str(child.get("scope") or ""), optional),
        )
        key = builder.add(component)
        if parent is None:
            builder.root(key)
        else:
            builder.edge(parent, key)
        _walk_json(child, key, builder, source, at, depth + 1)


def parse_json(path: Path) -> Inventory:
    source = str(path)
    doc = load_object(path)
    builder = InventoryBuilder(source, "maven-tree")
    name = doc.get("artifactId")
    builder.name = name if isinstance(name, str) else None
    _walk_json(doc, None, builder, source, "$", 0)
    return builder.build(roots_if_none=False)
