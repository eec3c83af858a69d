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
    doc = tomlfile.load(path)
    pairs: set[tuple[str, str]] = set()
    project = tomlfile.table(doc, "project", str(path), "project")
    for text in project.get("dependencies", []):
        try:
            req = Requirement(str(text))
        except InvalidRequirement:
            continue
        pairs.update((package_id("pypi", req.name).name, extra) for extra in req.extras)
    poetry = tomlfile.table(
        tomlfile.table(doc, "tool", str(path), "tool"), "poetry", str(path), "tool.poetry"
    )
    deps = poetry.get("dependencies", {})
    for name, spec in deps.items() if isinstance(deps, dict) else ():
        if isinstance(spec, dict):
            pairs.update((package_id("pypi", name).name, str(extra)) for extra in spec.get("extras", []))
    return pairs
