"""pyproject.toml: direct dependencies only (no versions, the specifiers as declared).

Read: PEP 621 ``[project] dependencies`` (runtime) and ``optional-dependencies`` (optional), PEP 735
``[dependency-groups]`` (dev), and Poetry's ``[tool.poetry.dependencies]`` (runtime; ``optional = true``
is optional) and ``[tool.poetry.group.<name>.dependencies]`` / ``dev-dependencies`` (dev).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from collectors.errors import InputError
from collectors.inventory import tomlfile
from collectors.inventory.model import Component, Inventory, InventoryBuilder, Scope
from collectors.purls import package_id


def _pep508(builder: InventoryBuilder, items: Any, scope: Scope, where: str) -> None:
    if not isinstance(items, list):
        raise InputError(builder.source, "wrong shape: dependencies must be an array of strings", where=where)
    for i, text in enumerate(items):
        if isinstance(text, dict):  # a PEP 735 {include-group = "..."}: its packages are listed there
            continue
        try:
            req = Requirement(str(text))
        except InvalidRequirement as exc:
            reason = str(exc).splitlines()[0]
            raise InputError(builder.source, f"invalid requirement: {reason}", where=f"{where}[{i}]") from exc
        component = Component(
            package_id("pypi", req.name),
            "",
            scope,
            specifier=str(req.specifier) or None,
            marker=str(req.marker) if req.marker else None,
        )
        builder.root(builder.add(component))


def _poetry(builder: InventoryBuilder, deps: Any, scope: Scope, where: str) -> None:
    if not isinstance(deps, dict):
        raise InputError(builder.source, "wrong shape: poetry dependencies must be a table", where=where)
    for name, spec in deps.items():
        if name.lower() == "python":
            continue
        version = spec if isinstance(spec, str) else spec.get("version") if isinstance(spec, dict) else None
        optional = isinstance(spec, dict) and bool(spec.get("optional"))
        component = Component(
            package_id("pypi", name), "", "optional" if optional else scope, specifier=version or None
        )
        builder.root(builder.add(component))


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = tomlfile.load(path)
    builder = InventoryBuilder(source, "pyproject")
    project = tomlfile.table(doc, "project", source, "project")
    if isinstance(project.get("name"), str):
        builder.name = project["name"]
    _pep508(builder, project.get("dependencies", []), "runtime", "project.dependencies")
    for extra, items in tomlfile.table(project, "optional-dependencies", source, "project").items():
        _pep508(builder, items, "optional", f"project.optional-dependencies.{extra}")
    for group, items in tomlfile.table(doc, "dependency-groups", source, "dependency-groups").items():
        _pep508(builder, items, "dev", f"dependency-groups.{group}")
    poetry = tomlfile.table(tomlfile.table(doc, "tool", source, "tool"), "poetry", source, "tool.poetry")
    if poetry:
        builder.name = builder.name or (poetry.get("name") if isinstance(poetry.get("name"), str) else None)
        _poetry(builder, poetry.get("dependencies", {}), "runtime", "tool.poetry.dependencies")
        _poetry(builder, poetry.get("dev-dependencies", {}), "dev", "tool.poetry.dev-dependencies")
        for group, body in tomlfile.table(poetry, "group", source, "tool.poetry.group").items():
            scope: Scope = "runtime" if group == "main" else "dev"
            deps = body.get("dependencies", {}) if isinstance(body, dict) else None
            _poetry(builder, deps, scope, f"tool.poetry.group.{group}.dependencies")
    return builder.build()


def declared_extras(path: Path) -> set[tuple[str, str]]:
    """(normalised name, extra) pairs the project asks for, e.g. ``requests[socks]``."""
    return {(name, extra) for name, extras, _ in declared_with_extras(path) for extra in extras}


def declared_with_extras(path: Path) -> list[tuple[str, tuple[str, ...], Scope]]:
    """(normalised name, extras asked for, scope) of every dependency the project declares: PEP 621
    dependencies, optional dependencies and dependency groups, and Poetry's main and group tables."""
    doc = tomlfile.load(path)
    source = str(path)
    found: list[tuple[str, tuple[str, ...], Scope]] = []

    def pep508(items: Any, scope: Scope) -> None:
        for text in items if isinstance(items, list) else ():
            try:
                req = Requirement(str(text))
            except InvalidRequirement:
                continue
            found.append((package_id("pypi", req.name).name, tuple(sorted(req.extras)), scope))

    def poetry_table(deps: Any, scope: Scope) -> None:
        for name, spec in deps.items() if isinstance(deps, dict) else ():
            if name.lower() == "python":
                continue
            items = spec if isinstance(spec, list) else [spec]
            for item in items:
                extras = tuple(str(e) for e in item.get("extras", [])) if isinstance(item, dict) else ()
                optional = isinstance(item, dict) and bool(item.get("optional"))
                found.append((package_id("pypi", name).name, extras, "optional" if optional else scope))

    project = tomlfile.table(doc, "project", source, "project")
    pep508(project.get("dependencies", []), "runtime")
    for items in tomlfile.table(project, "optional-dependencies", source, "project").values():
        pep508(items, "optional")
    for items in tomlfile.table(doc, "dependency-groups", source, "dependency-groups").values():
        pep508(items, "dev")
    poetry = tomlfile.table(tomlfile.table(doc, "tool", source, "tool"), "poetry", source, "tool.poetry")
    poetry_table(poetry.get("dependencies", {}), "runtime")
    poetry_table(poetry.get("dev-dependencies", {}), "dev")
    for group, body in tomlfile.table(poetry, "group", source, "tool.poetry.group").items():
        if isinstance(body, dict):
            poetry_table(body.get("dependencies", {}), "runtime" if group == "main" else "dev")
    return found
