"""CycloneDX JSON 1.4 to 1.7 (https://cyclonedx.org/docs/1.6/json/), streamed with ijson.

Read: ``metadata.component`` (the application itself), ``components`` (nested ``components`` too),
each one's ``purl``, ``version`` and ``scope``, and the ``dependencies`` graph. The application's direct
dependencies are what ``metadata.component`` depends on; without that entry, the components nothing
depends on. A component without a purl (or with one that does not parse) stays in the graph as
``pkg:generic/<name>``, with a skip saying so. Documented skips: a duplicate bom-ref, a dependency naming an
unknown bom-ref.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.graph import depths
from collectors.inventory.jsonstream import stream_items
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope
from collectors.purls import PurlError, package_id, parse_purl

SUPPORTED_SPECS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")  # 1.7: what syft 1.57 writes
#: Component types that are not packages (https://cyclonedx.org/docs/1.6/json/#components_items_type):
#: an image's operating system, and the files syft lists when asked to catalogue them.
_NOT_PACKAGES = ("operating-system", "file")
_SCOPES: dict[Any, Scope] = {
    None: "runtime",
    "required": "runtime",
    "optional": "optional",
    "excluded": "dev",
}


@dataclass(frozen=True)
class Found:
    """One component of the document and its bom-ref; ``component`` is None for an operating system,
    which the graph is read through (its packages are what the image depends on)."""

    ref: str
    component: Component | None
    where: str


@dataclass(frozen=True)
class DependencyEntry:
    """One entry of the document's ``dependencies``: a bom-ref and the bom-refs it depends on."""

    ref: str
    depends_on: tuple[str, ...]
    where: str


def component_from(
    *,
    purl: str | None,
    name: str | None,
    group: str | None,
    version: str | None,
    scope: str | None,
    ref: str | None,
    where: str,
    builder: InventoryBuilder,
    kind: str | None = None,
) -> Found:
    """The component a CycloneDX entry describes (JSON and XML alike).

    Without a usable purl it stays a node of the graph as ``pkg:generic/<name>``: it is most often the
    application's own code (uv's export lists a local editable package so), and what lies below it keeps
    its depth. An ``operating-system`` or ``file`` component (container SBOMs: syft, trivy) is not a package, nor is
    an ``application`` without a purl (trivy groups an image's language packages under one, named after
    their lockfile): the graph is read through them, so their packages are the image's direct dependencies.
    """
    if kind in _NOT_PACKAGES or (kind == "application" and purl is None):
        return Found(ref=ref or purl or where, component=None, where=where)
    parsed = None
    if purl is not None:
        try:
            parsed = parse_purl(purl)
        except PurlError as exc:
            builder.skip(f"{where}.purl", str(exc))
    if parsed is None:
        label = name or ref or purl or where
        package = package_id("generic", label, group or None)
        if purl is None:
            builder.skip(where, f"component {label!r} has no purl: kept in the graph as {package.purl}")
        version = version or ""
    else:
        package = parsed.package
        version = version or parsed.version or ""
    component = Component(package=package, version=version, scope=_SCOPES.get(scope, "runtime"))
    return Found(ref=ref or purl or package.purl, component=component, where=where)


def _component(raw: Any, where: str, source: str, builder: InventoryBuilder) -> Found:
    if not isinstance(raw, dict):
        raise InputError(source, "JSON of the wrong shape: a component must be an object", where=where)
    purl = raw.get("purl")
    if purl is not None and not isinstance(purl, str):
        raise InputError(source, "JSON of the wrong shape: purl must be a string", where=f"{where}.purl")
    version = raw.get("version")

    def text(key: str) -> str | None:
        value = raw.get(key)
        return value if isinstance(value, str) and value else None

    return component_from(
        purl=purl,
        name=text("name"),
        group=text("group"),
        version=str(version) if isinstance(version, str | int | float) and version != "" else None,
        scope=text("scope"),
        ref=text("bom-ref"),
        where=where,
        builder=builder,
        kind=text("type"),
    )


def _walk(raw: Any, where: str, source: str, builder: InventoryBuilder, out: list[Found]) -> None:
    out.append(_component(raw, where, source, builder))
    nested = raw.get("components") if isinstance(raw, dict) else None
    if isinstance(nested, list):
        for j, child in enumerate(nested):
            _walk(child, f"{where}.components[{j}]", source, builder, out)


def parse(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "cyclonedx")
    header: dict[str, Any] = {}
    root_ref: str | None = None
    found: list[Found] = []
    dependencies: list[DependencyEntry] = []
    wanted = ("bomFormat", "specVersion", "metadata", "components.item", "dependencies.item")
    n_components = 0
    for prefix, value in stream_items(path, wanted, arrays=("components", "dependencies")):
        if prefix in ("bomFormat", "specVersion"):
            header[prefix] = value
        elif prefix == "metadata" and isinstance(value, dict):
            app = value.get("component")
            if isinstance(app, dict):
                root_ref = app.get("bom-ref") or app.get("purl")
                builder.name = app.get("name") if isinstance(app.get("name"), str) else None
        elif prefix == "components.item":
            _walk(value, f"components[{n_components}]", source, builder, found)
            n_components += 1
        elif prefix == "dependencies.item":
            dependencies.append(_dependency(value, f"dependencies[{len(dependencies)}]", source))
    if header.get("bomFormat") != "CycloneDX":
        raise InputError(source, "not a CycloneDX document (bomFormat is not 'CycloneDX')", where="bomFormat")
    if str(header.get("specVersion")) not in SUPPORTED_SPECS:
        raise InputError(
            source,
            f"CycloneDX specVersion {header.get('specVersion')!r} is not supported",
            where="specVersion",
        )

    return assemble(builder, found, dependencies, root_ref)


def _dependency(entry: Any, where: str, source: str) -> DependencyEntry:
    if not isinstance(entry, dict) or not isinstance(entry.get("ref"), str):
        raise InputError(source, "JSON of the wrong shape: a dependency needs a string 'ref'", where=where)
    depends_on = entry.get("dependsOn") or []
    if not isinstance(depends_on, list):
        raise InputError(
            source, "JSON of the wrong shape: dependsOn must be a list", where=f"{where}.dependsOn"
        )
    return DependencyEntry(entry["ref"], tuple(str(d) for d in depends_on), where)


def assemble(
    builder: InventoryBuilder, found: list[Found], dependencies: list[DependencyEntry], root_ref: str | None
) -> Inventory:
    """Link the components through the dependency graph (shared by the JSON and XML readers)."""
    keys: dict[str, ComponentKey] = {}
    through: set[str] = set()
    first_seen: dict[str, str] = {}
    for item in found:
        if item.ref == root_ref:
            continue  # the application itself, listed among its components by some tools
        if item.ref in first_seen:
            builder.skip(
                item.where,
                f"duplicate bom-ref {item.ref!r} (first at {first_seen[item.ref]}); kept the first",
            )
            continue
        first_seen[item.ref] = item.where
        if item.component is None:
            through.add(item.ref)
            continue
        if builder.has(item.component.key):
            builder.skip(
                item.where, f"duplicate component {item.component.key.purl}@{item.component.version}; merged"
            )
        keys[item.ref] = builder.add(item.component)

    graph: dict[str, list[tuple[str, str]]] = {}
    for entry in dependencies:
        if entry.ref not in keys and entry.ref not in through and entry.ref != root_ref:
            builder.skip(
                f"{entry.where}.ref", f"unknown bom-ref {entry.ref!r}; its dependencies are left out"
            )
            continue
        targets = graph.setdefault(entry.ref, [])
        for j, child_ref in enumerate(entry.depends_on):
            where = f"{entry.where}.dependsOn[{j}]"
            if child_ref in keys or child_ref in through:
                targets.append((child_ref, where))
            elif child_ref != root_ref:
                builder.skip(where, f"unknown bom-ref {child_ref!r}; edge left out")

    def children(ref: str) -> list[tuple[ComponentKey, bool]]:
        """The components ``ref`` depends on, read through operating-system and grouping components
        (cycle-safe), each with whether it was reached through one."""
        out: list[tuple[ComponentKey, bool]] = []
        seen = {ref}
        stack = [(child, False) for child, _ in reversed(graph.get(ref, ()))]
        while stack:
            child, via = stack.pop()
            if child in seen:
                continue
            seen.add(child)
            if child in keys:
                out.append((keys[child], via))
            else:
                stack.extend((grandchild, True) for grandchild, _ in reversed(graph.get(child, ())))
        return out

    contained: list[ComponentKey] = []
    for ref in graph:
        if ref in through:
            continue  # read through by those that depend on it
        parent = keys.get(ref)
        for child, via in children(ref):
            if parent is not None:
                builder.edge(parent, child)
            elif via:
                contained.append(child)
            else:
                builder.root(child)
    # What an image's operating system lists is what it ships; the direct ones are those no other
    # package depends on (the rest sit at their depth in the packages' own graph), as syft's graph gives.
    depended_on = {edge.child for edge in builder.edges}
    for key in contained:
        if key not in depended_on:
            builder.root(key)
    if contained:  # a dependency cycle no direct package reaches (libc6 <-> libgcc-s1 alone) is shipped too
        reached = depths(builder.roots, builder.edges)
        for key in contained:
            if key not in reached:
                builder.root(key)
                reached = depths(builder.roots, builder.edges)
    return builder.build()
