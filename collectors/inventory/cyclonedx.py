"""CycloneDX JSON 1.4, 1.5 and 1.6 (https://cyclonedx.org/docs/1.6/json/), streamed with ijson.

Read: ``metadata.component`` (the application itself), ``components`` (nested ``components`` too),
each one's ``purl``, ``version`` and ``scope``, and the ``dependencies`` graph. The application's direct
dependencies are what ``metadata.component`` depends on; without that entry, the components nothing
depends on. Documented skips: a component without a purl or with one that does not parse, a duplicate
bom-ref, a dependency naming an unknown bom-ref.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.jsonstream import stream_items
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope
from collectors.purls import PurlError, parse_purl

SUPPORTED_SPECS = ("1.2", "1.3", "1.4", "1.5", "1.6")
_SCOPES: dict[Any, Scope] = {
    None: "runtime",
    "required": "runtime",
    "optional": "optional",
    "excluded": "dev",
}


@dataclass(frozen=True)
class Found:
    """One component of the document: its bom-ref, and the component, or None when it has no usable purl."""

    ref: str
    component: Component | None
    where: str
    label: str


@dataclass(frozen=True)
class DependencyEntry:
    """One entry of the document's ``dependencies``: a bom-ref and the bom-refs it depends on."""

    ref: str
    depends_on: tuple[str, ...]
    where: str


def component_from(
    *, purl: str | None, version: str | None, scope: str | None, ref: str | None, label: str, where: str,
    builder: InventoryBuilder,
) -> Found:
    """The component a CycloneDX entry describes (JSON and XML alike); without a usable purl it is still a
    node of the graph (``component=None``), so what lies below it keeps its place."""
    ref = ref if ref else (purl or "")
    if purl is None:
        builder.skip(where, f"component {label!r} has no purl, so it cannot be identified; kept in the graph")
        return Found(ref, None, where, label)
    try:
        parsed = parse_purl(purl)
    except PurlError as exc:
        builder.skip(f"{where}.purl", f"{exc}; kept in the graph")
        return Found(ref, None, where, label)
    version = version if version else parsed.version or ""
    component = Component(package=parsed.package, version=version, scope=_SCOPES.get(scope, "runtime"))
    return Found(ref=ref, component=component, where=where, label=label)


def _component(raw: Any, where: str, source: str, builder: InventoryBuilder) -> Found:
    if not isinstance(raw, dict):
        raise InputError(source, "JSON of the wrong shape: a component must be an object", where=where)
    purl = raw.get("purl")
    if purl is not None and not isinstance(purl, str):
        raise InputError(source, "JSON of the wrong shape: purl must be a string", where=f"{where}.purl")
    version = raw.get("version")
    ref = raw.get("bom-ref")
    return component_from(
        purl=purl,
        version=str(version) if isinstance(version, str | int | float) and version != "" else None,
        scope=raw.get("scope") if isinstance(raw.get("scope"), str) else None,
        ref=ref if isinstance(ref, str) else None,
        label=str(raw.get("name") or raw.get("bom-ref") or "?"),
        where=where,
        builder=builder,
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
    """Link the components through the dependency graph (shared by the JSON and XML readers).

    A component without a usable purl stays a node of the graph: who depends on it depends on what it
    depends on. Most often it is the application's own code (uv's export of an editable project lists
    the project so), and its dependencies are then direct, as they are.
    """
    keys: dict[str, ComponentKey] = {}
    unnamed: set[str] = set()
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
            unnamed.add(item.ref)
            continue
        if builder.has(item.component.key):
            builder.skip(
                item.where, f"duplicate component {item.component.key.purl}@{item.component.version}; merged"
            )
        keys[item.ref] = builder.add(item.component)

    graph: dict[str, list[tuple[str, str]]] = {}
    for entry in dependencies:
        if entry.ref not in keys and entry.ref not in unnamed and entry.ref != root_ref:
            builder.skip(f"{entry.where}.ref", f"unknown bom-ref {entry.ref!r}; its dependencies are left out")
            continue
        targets = graph.setdefault(entry.ref, [])
        for j, child_ref in enumerate(entry.depends_on):
            if child_ref in keys or child_ref in unnamed:
                targets.append((child_ref, f"{entry.where}.dependsOn[{j}]"))
            elif child_ref != root_ref:
                builder.skip(f"{entry.where}.dependsOn[{j}]", f"unknown bom-ref {child_ref!r}; edge left out")

    def named_children(ref: str) -> list[ComponentKey]:
        """The identified components ``ref`` depends on, looking through unnamed ones (cycle-safe)."""
        out: list[ComponentKey] = []
        seen = {ref}
        stack = [child for child, _ in graph.get(ref, ())]
        while stack:
            child = stack.pop()
            if child in seen:
                continue
            seen.add(child)
            if child in keys:
                out.append(keys[child])
            else:
                stack.extend(grandchild for grandchild, _ in graph.get(child, ()))
        return out

    for ref in graph:
        if ref in unnamed:
            continue  # its edges are taken by those that depend on it
        parent = keys.get(ref)
        for child in named_children(ref):
            if parent is None:
                builder.root(child)
            else:
                builder.edge(parent, child)
    if (root_ref is None or root_ref not in graph) and unnamed:
        # No graph from the application: the unnamed components nothing depends on are its own code, and
        # the identified components nothing depends on (directly or through them) are direct too.
        children = {child for targets in graph.values() for child, _ in targets}
        below_unnamed = {key for ref in unnamed for key in named_children(ref)}
        has_parent = {edge.child for edge in builder.edges}
        for ref in sorted(unnamed - children):
            for child in named_children(ref):
                builder.root(child)
        if builder.roots:
            for key in keys.values():
                if key not in has_parent and key not in below_unnamed:
                    builder.root(key)
    return builder.build()
