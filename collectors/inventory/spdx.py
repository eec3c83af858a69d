"""SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/), streamed with ijson; the tag-value form and
SPDX 3.0 read into the same shapes and linked here.

Read: ``packages`` with their ``purl`` external reference (category PACKAGE-MANAGER) and ``versionInfo``;
``relationships`` DEPENDS_ON, DEPENDENCY_OF and their DEV_/OPTIONAL_/BUILD_/TEST_/RUNTIME_ variants,
PREREQUISITE_FOR and HAS_PREREQUISITE (npm writes its peer dependencies so), and CONTAINS from a package
the document describes (a container image contains its operating-system packages: they ship with it;
those no other package depends on are direct, the others sit at their depth in the packages' graph).
An OPTIONAL_ relationship makes what it reaches optional unless a runtime path reaches it too; DEV_,
BUILD_ and TEST_ ones make it dev.

The packages the document DESCRIBES are the application itself; what they depend on is direct. When
the document describes every package it lists (some tools list the whole inventory as described), the
described packages are the inventory, not the application. Documented skips: a package without a purl or
with one that does not parse, a relationship naming an unknown SPDXID.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.graph import depths
from collectors.inventory.jsonstream import stream_items
from collectors.inventory.model import (
    SCOPE_RANK,
    Component,
    ComponentKey,
    Inventory,
    InventoryBuilder,
    Scope,
    strongest,
)
from collectors.purls import PurlError, parse_purl

#: relationship type -> (does the element depend on the related element?, scope of the dependency)
RELATIONSHIPS: dict[str, tuple[bool, Scope]] = {
    "DEPENDS_ON": (True, "runtime"),
    "DEPENDENCY_OF": (False, "runtime"),
    "DEV_DEPENDENCY_OF": (False, "dev"),
    "OPTIONAL_DEPENDENCY_OF": (False, "optional"),
    "BUILD_DEPENDENCY_OF": (False, "dev"),
    "TEST_DEPENDENCY_OF": (False, "dev"),
    "RUNTIME_DEPENDENCY_OF": (False, "runtime"),
    "PREREQUISITE_FOR": (False, "runtime"),
    "HAS_PREREQUISITE": (True, "runtime"),
}
#: Read only from a described package (an image CONTAINS its packages); between packages it names files.
_CONTAINS = "CONTAINS"
SCOPE_RUNTIME: Scope = "runtime"


@dataclass
class SpdxDocument:
    """What the readers of the three SPDX forms hand to :func:`assemble`, in SPDX 2.3 JSON shapes."""

    version: str = ""
    name: str | None = None
    described: set[str] = field(default_factory=set)
    packages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (where, package)
    relationships: list[tuple[str, Any]] = field(default_factory=list)  # (where, relationship)


def purl_of(raw: dict[str, Any]) -> str | None:
    for ref in raw.get("externalRefs") or []:
        if isinstance(ref, dict) and ref.get("referenceType") == "purl":
            locator = ref.get("referenceLocator")
            return locator if isinstance(locator, str) else None
    return None


def _weaker(a: Scope, b: Scope) -> Scope:
    return a if SCOPE_RANK[a] >= SCOPE_RANK[b] else b


def _propagate(
    roots: dict[ComponentKey, Scope], edges: dict[tuple[ComponentKey, ComponentKey], Scope]
) -> dict[ComponentKey, Scope]:
    """Each reachable component's strongest scope over all paths, a path being as weak as its weakest
    step (a runtime dependency of an optional one is optional)."""
    adjacency: dict[ComponentKey, list[tuple[ComponentKey, Scope]]] = {}
    for (parent, child), scope in edges.items():
        adjacency.setdefault(parent, []).append((child, scope))
    best = dict(roots)
    work = deque(roots)
    while work:
        node = work.popleft()
        for child, scope in adjacency.get(node, ()):
            reached = _weaker(best[node], scope)
            if child not in best or SCOPE_RANK[reached] < SCOPE_RANK[best[child]]:
                best[child] = reached
                work.append(child)
    return best


def _read_json(path: Path) -> SpdxDocument:
    source = str(path)
    doc = SpdxDocument()
    wanted = ("spdxVersion", "name", "documentDescribes.item", "packages.item", "relationships.item")
    for prefix, value in stream_items(path, wanted, arrays=("packages", "relationships")):
        if prefix == "spdxVersion":
            doc.version = str(value)
        elif prefix == "name":
            doc.name = value if isinstance(value, str) else None
        elif prefix == "documentDescribes.item" and isinstance(value, str):
            doc.described.add(value)
        elif prefix == "packages.item":
            where = f"packages[{len(doc.packages)}]"
            if not isinstance(value, dict) or not isinstance(value.get("SPDXID"), str):
                raise InputError(
                    source, "JSON of the wrong shape: a package needs a string SPDXID", where=where
                )
            doc.packages.append((where, value))
        elif prefix == "relationships.item":
            doc.relationships.append((f"relationships[{len(doc.relationships)}]", value))
    return doc


def parse(path: Path) -> Inventory:
    doc = _read_json(path)
    if not doc.version.startswith("SPDX-2."):
        raise InputError(str(path), f"SPDX version {doc.version or None!r} is not supported (2.x JSON)")
    return assemble(InventoryBuilder(str(path), "spdx"), doc)


def assemble(builder: InventoryBuilder, doc: SpdxDocument) -> Inventory:
    """Components, edges and direct dependencies from an SPDX document in 2.3 JSON shapes."""
    source = builder.source
    described = set(doc.described)
    for _, rel in doc.relationships:
        if (
            isinstance(rel, dict)
            and rel.get("relationshipType") == "DESCRIBES"
            and rel.get("spdxElementId") == "SPDXRef-DOCUMENT"
        ):
            described.add(str(rel.get("relatedSpdxElement")))
    package_ids = {raw["SPDXID"] for _, raw in doc.packages}
    if package_ids and package_ids <= described and len(package_ids) > 1:
        # Everything is "described": the tool listed the inventory, not the application. The application
        # is then the package named as the document, if there is one.
        builder.skip("documentDescribes", "the document describes every package: read them as the inventory")
        described = {raw["SPDXID"] for _, raw in doc.packages if doc.name and raw.get("name") == doc.name}
    # An image's operating system (trivy writes it as a package of purpose OPERATING-SYSTEM, without a
    # purl) is not a package: what it contains is what the image ships, read as direct dependencies.
    platform = {
        raw["SPDXID"] for _, raw in doc.packages if raw.get("primaryPackagePurpose") == "OPERATING-SYSTEM"
    }
    keys: dict[str, ComponentKey] = {}
    for where, raw in doc.packages:
        spdx_id = raw["SPDXID"]
        if spdx_id in platform:
            continue
        if spdx_id in described:
            builder.name = builder.name or (raw.get("name") if isinstance(raw.get("name"), str) else None)
            continue
        purl = purl_of(raw)
        if purl is None:
            builder.skip(where, f"package {raw.get('name', spdx_id)!r} has no purl external reference")
            continue
        try:
            parsed = parse_purl(purl)
        except PurlError as exc:
            builder.skip(f"{where}.externalRefs", str(exc))
            continue
        version = raw.get("versionInfo")
        version = version if isinstance(version, str) and version else parsed.version or ""
        keys[spdx_id] = builder.add(Component(package=parsed.package, version=version))
    builder.name = builder.name or doc.name

    root_scopes: dict[ComponentKey, Scope] = {}
    edge_scopes: dict[tuple[ComponentKey, ComponentKey], Scope] = {}
    contained: list[ComponentKey] = []
    for where, rel in doc.relationships:
        if not isinstance(rel, dict):
            raise InputError(source, "JSON of the wrong shape: a relationship must be an object", where=where)
        kind = rel.get("relationshipType")
        element, related = rel.get("spdxElementId"), rel.get("relatedSpdxElement")
        if kind == _CONTAINS and (element in described or element in platform):
            forward, scope = True, SCOPE_RUNTIME
        elif kind in RELATIONSHIPS:
            forward, scope = RELATIONSHIPS[kind]
        else:
            continue
        parent_id, child_id = (element, related) if forward else (related, element)
        if child_id in described or child_id in platform:
            continue
        child = keys.get(str(child_id))
        if child is None:
            if kind != _CONTAINS:
                builder.skip(where, f"{kind} names unknown or skipped SPDXID {child_id!r}; left out")
            continue
        if kind == _CONTAINS:
            contained.append(child)  # shipped; direct only if no other package depends on it (below)
        elif parent_id in described or parent_id in platform:
            builder.root(child)
            root_scopes[child] = strongest(scope, root_scopes.get(child, scope))
        elif (parent := keys.get(str(parent_id))) is not None:
            builder.edge(parent, child)
            pair = (parent, child)
            edge_scopes[pair] = strongest(scope, edge_scopes.get(pair, scope))
        else:
            builder.skip(where, f"{kind} names unknown or skipped SPDXID {parent_id!r}; left out")
    depended_on = {child for _, child in edge_scopes}
    for key in contained:
        if key not in depended_on and key not in root_scopes:
            builder.root(key)
            root_scopes[key] = SCOPE_RUNTIME
    if contained:  # a dependency cycle no direct package reaches (libc6 <-> libgcc-s1 alone) is shipped too
        reached = depths(builder.roots, builder.edges)
        for key in contained:
            if key not in reached:
                builder.root(key)
                root_scopes[key] = SCOPE_RUNTIME
                reached = depths(builder.roots, builder.edges)
    if not root_scopes:
        children = {child for _, child in edge_scopes}
        root_scopes = {k: "runtime" for k in builder.components if k not in children}
    if any(s != "runtime" for s in (*root_scopes.values(), *edge_scopes.values())):
        builder.set_scopes(_propagate(root_scopes, edge_scopes))
    return builder.build()
