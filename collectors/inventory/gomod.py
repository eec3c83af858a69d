"""Go modules: ``go mod graph`` output (the exact graph), go.mod (direct and ``// indirect`` requirements)
and go.sum (the modules checked, without a graph).

- ``go mod graph`` (https://go.dev/ref/mod#go-mod-graph): one ``module@version requirement@version`` a
  line, the main module without a version. With the go.mod beside it, the main module's requirements it
  marks ``// indirect`` are not direct (they are reached through the others). Go builds with one version of each module, the highest any
  path requires (minimal version selection, https://go.dev/ref/mod#minimal-version-selection): the graph
  is read with those versions only. The ``go`` and ``toolchain`` pseudo-modules are not packages.
- go.mod (https://go.dev/ref/mod#go-mod-file): ``require`` lines or blocks; those marked ``// indirect``
  are transitive (since Go 1.17 go.mod lists them all) but go.mod does not say through what, so their
  depth is not known. ``replace`` swaps a module for another (a local directory is the application's own
  code and is left out).
- go.sum (https://go.dev/ref/mod#go-sum-files): the modules whose content was checked (lines without the
  ``/go.mod`` suffix); it says nothing of who requires whom, so no module has a known depth.

Go has no dev scope at the module level: every module is runtime.
"""

from __future__ import annotations

import re
from pathlib import Path

from collectors.errors import InputError
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder
from collectors.purls import package_id

_PSEUDO_MODULES = ("go", "toolchain")
_VERSION = re.compile(r"v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?")

MAX_LINE = 4096


def version_order(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """A sort key for Go module versions (semantic versioning, https://semver.org/#spec-item-11)."""
    match = _VERSION.fullmatch(version)
    if match is None:
        return (-1, 0, 0, 0, ())
    major, minor, patch, pre = match.groups()
    if pre is None:
        return (int(major), int(minor), int(patch), 1, ())
    parts = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split("."))
    return (int(major), int(minor), int(patch), 0, parts)


def _lines(path: Path) -> list[tuple[int, str]]:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source, "binary file, not a Go module file") from exc
    lines = []
    for n, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE:
            raise InputError(source, f"line longer than {MAX_LINE} characters", where=f"line {n}")
        lines.append((n, line))
    return lines


def _component(module: str, version: str) -> Component:
    return Component(package_id("golang", module), version)


def parse_graph(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "go-mod-graph")
    pairs: list[tuple[str, str, str, str]] = []
    main: str | None = None
    for n, line in _lines(path):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2 or "@" not in fields[1]:
            raise InputError(
                source, "not `go mod graph` output (want 'module@version require@version')", where=f"line {n}"
            )
        parent, _, parent_version = fields[0].partition("@")
        child, _, child_version = fields[1].partition("@")
        main = main or (parent if not parent_version else None)
        if parent in _PSEUDO_MODULES or child in _PSEUDO_MODULES:
            continue
        pairs.append((parent, parent_version, child, child_version))
    if main is None:
        raise InputError(source, "`go mod graph` output without the main module (its lines have no version)")
    builder.name = main
    selected: dict[str, str] = {}
    for parent, parent_version, child, child_version in pairs:
        for module, version in ((parent, parent_version), (child, child_version)):
            if module != main and version_order(version) > version_order(selected.get(module, "")):
                selected[module] = version
    keys = {m: builder.add(_component(m, v)) for m, v in selected.items()}
    indirect = _indirect_requirements(path.with_name("go.mod"))
    for parent, parent_version, child, _ in pairs:
        if child == main:
            continue
        if parent == main:
            if child not in indirect:
                builder.root(keys[child])
        elif selected[parent] == parent_version:  # edges of versions MVS did not pick are not built
            builder.edge(keys[parent], keys[child])
    return builder.build(roots_if_none=False)


def _indirect_requirements(go_mod: Path) -> set[str]:
    """The modules the go.mod beside a graph marks ``// indirect`` (the graph lists them under the main
    module too, since Go 1.17 records every module the build needs)."""
    if not go_mod.is_file():
        return set()
    return {
        args[0].strip('"')
        for _, verb, args, indirect in _directives(go_mod)
        if verb == "require" and indirect and args
    }


def _directives(path: Path) -> list[tuple[int, str, list[str], bool]]:
    """(line, verb, arguments, marked indirect) for each directive, blocks unfolded."""
    found = []
    block: str | None = None
    for n, raw in _lines(path):
        code, _, comment = raw.partition("//")
        indirect = comment.strip().startswith("indirect")
        fields = code.split()
        if not fields:
            continue
        if block is not None:
            if fields == [")"]:
                block = None
            else:
                found.append((n, block, fields, indirect))
        elif len(fields) == 2 and fields[1] == "(":
            block = fields[0]
        else:
            found.append((n, fields[0], fields[1:], indirect))
    return found


def parse_go_mod(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "go-mod")
    replaced: dict[tuple[str, str | None], tuple[str, str] | None] = {}
    requires: list[tuple[int, str, str, bool]] = []
    for n, verb, args, indirect in _directives(path):
        where = f"line {n}"
        if verb == "module" and args:
            builder.name = args[0].strip('"')
        elif verb == "require":
            if len(args) != 2:
                raise InputError(source, "a require needs a module path and a version", where=where)
            requires.append((n, args[0].strip('"'), args[1], indirect))
        elif verb == "replace":
            if "=>" not in args:
                raise InputError(source, "a replace needs '=>'", where=where)
            arrow = args.index("=>")
            old, new = args[:arrow], args[arrow + 1 :]
            if not old or not new:
                raise InputError(source, "a replace needs a module on each side of '=>'", where=where)
            target = (new[0], new[1]) if len(new) == 2 else None  # one field: a local directory
            replaced[(old[0], old[1] if len(old) == 2 else None)] = target
    if builder.name is None:
        raise InputError(source, "not a go.mod: no module directive")
    for n, module, version, indirect in requires:
        key_exact, key_any = (module, version), (module, None)
        if key_exact in replaced or key_any in replaced:
            target = replaced.get(key_exact, replaced.get(key_any))
            if target is None:
                builder.skip(
                    f"line {n}", f"{module} is replaced by a local directory: the application's own code"
                )
                continue
            module, version = target
        key: ComponentKey = builder.add(_component(module, version))
        if not indirect:
            builder.root(key)
    return builder.build(roots_if_none=False)


def parse_go_sum(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "go-sum")
    for n, line in _lines(path):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 3 or not fields[2].startswith("h1:"):
            raise InputError(source, "not a go.sum line ('module version h1:hash')", where=f"line {n}")
        module, version, _ = fields
        if not version.endswith("/go.mod"):
            builder.add(_component(module, version))
    builder.skip("", "go.sum has no dependency graph: which modules are direct, and depths, are not known")
    return builder.build(roots_if_none=False)
