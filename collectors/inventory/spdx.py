"""SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/), streamed with ijson.

Read: ``packages`` with their ``purl`` external reference (category PACKAGE-MANAGER) and ``versionInfo``;
``relationships`` DEPENDS_ON, DEPENDENCY_OF and their DEV_/OPTIONAL_ variants. The packages the document
DESCRIBES are the application itself; what they depend on is direct. Documented skips: a package without a
purl or with one that does not parse, a relationship naming an unknown SPDXID.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.graph import propagate_scopes
from collectors.inventory.jsonstream import stream_items
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope, strongest
from collectors.purls import PurlError, parse_purl

#: relationship type -> (does the element depend on the related element?, scope of the dependency)
_RELATIONSHIPS: dict[str, tuple[bool, Scope]] = {
    "DEPENDS_ON": (True, "runtime"),
    "DEPENDENCY_OF": (False, "runtime"),
    "DEV_DEPENDENCY_OF": (False, "dev"),
    "OPTIONAL_DEPENDENCY_OF": (False, "optional"),
    "BUILD_DEPENDENCY_OF": (False, "dev"),
    "TEST_DEPENDENCY_OF": (False, "dev"),
    "RUNTIME_DEPENDENCY_OF": (False, "runtime"),
}


def _purl_of(raw: dict[str, Any]) -> str | None:
    for ref in raw.get("externalRefs") or []:
        if isinstance(ref, dict) and ref.get("referenceType") == "purl":
            locator = ref.get("referenceLocator")
            return locator if isinstance(locator, str) else None
    return None


def parse(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "spdx")
    header: dict[str, Any] = {}
    described: set[str] = set()
    keys: dict[str, ComponentKey] = {}
    packages: list[tuple[str, dict[str, Any]]] = []
    relationships: list[tuple[str, Any]] = []
    wanted = ("spdxVersion", "name", "documentDescribes.item", "packages.item", "relationships.item")
    for prefix, value in stream_items(path, wanted, arrays=("packages", "relationships")):
        if prefix in ("spdxVersion", "name"):
            header[prefix] = value
        elif prefix == "documentDescribes.item" and isinstance(value, str):
            described.add(value)
        elif prefix == "packages.item":
            where = f"packages[{len(packages)}]"
            if not isinstance(value, dict) or not isinstance(value.get("SPDXID"), str):
                raise InputError(
                    source, "JSON of the wrong shape: a package needs a string SPDXID", where=where
                )
            packages.append((where, value))
        elif prefix == "relationships.item":
            relationships.append((f"relationships[{len(relationships)}]", value))
    if not str(header.get("spdxVersion", "")).startswith("SPDX-2."):
        raise InputError(source, f"SPDX version {header.get('spdxVersion')!r} is not supported (2.x JSON)")

    for _, rel in relationships:
        if (
            isinstance(rel, dict)
            and rel.get("relationshipType") == "DESCRIBES"
            and rel.get("spdxElementId") == "SPDXRef-DOCUMENT"
        ):
            described.add(str(rel.get("relatedSpdxElement")))
    for where, raw in packages:
        spdx_id = raw["SPDXID"]
        if spdx_id in described:
            builder.name = builder.name or (raw.get("name") if isinstance(raw.get("name"), str) else None)
            continue
        purl = _purl_of(raw)
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
    builder.name = builder.name or (header.get("name") if isinstance(header.get("name"), str) else None)

    root_scopes: dict[ComponentKey, Scope] = {}
    for where, rel in relationships:
        if not isinstance(rel, dict):
            raise InputError(source, "JSON of the wrong shape: a relationship must be an object", where=where)
        kind = rel.get("relationshipType")
        if kind not in _RELATIONSHIPS:
            continue
        forward, scope = _RELATIONSHIPS[kind]
        element, related = rel.get("spdxElementId"), rel.get("relatedSpdxElement")
        parent_id, child_id = (element, related) if forward else (related, element)
        if child_id in described:
            continue
        child = keys.get(str(child_id))
        if child is None:
            builder.skip(where, f"{kind} names unknown or skipped SPDXID {child_id!r}; left out")
            continue
        if parent_id in described:
            builder.root(child)
            root_scopes[child] = strongest(scope, root_scopes.get(child, scope))
        elif (parent := keys.get(str(parent_id))) is not None:
            builder.edge(parent, child)
        else:
            builder.skip(where, f"{kind} names unknown or skipped SPDXID {parent_id!r}; left out")
    if root_scopes and any(s != "runtime" for s in root_scopes.values()):
        builder.set_scopes(propagate_scopes(root_scopes, builder.edges))
    return builder.build()
