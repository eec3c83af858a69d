"""SPDX 3.0 JSON-LD (https://spdx.github.io/spdx-spec/v3.0.1/serializations/), streamed with ijson.

The ``@graph`` holds every element. Read: ``software_Package`` (``software_packageUrl``, or an
``externalIdentifier`` of type ``packageUrl``; ``software_packageVersion``), ``Relationship`` and
``LifecycleScopedRelationship`` (``from``, ``to`` and ``relationshipType``), and the ``rootElement`` of the
``software_Sbom`` (else of the ``SpdxDocument``): the application. Relationship types map onto SPDX 2.3's
(https://spdx.github.io/spdx-spec/v3.0.1/model/Core/Vocabularies/RelationshipType/): ``dependsOn`` and
``hasProvidedDependency`` are runtime dependencies, dev when their lifecycle ``scope`` is development,
build or test; ``hasOptionalDependency`` is optional; ``hasPrerequisite`` a prerequisite; ``contains`` from
the application is what it ships. Then the SPDX 2.3 linking applies (:func:`collectors.inventory.spdx.assemble`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.jsonstream import stream_items
from collectors.inventory.model import Inventory, InventoryBuilder
from collectors.inventory.spdx import SpdxDocument, assemble

_PACKAGE_TYPES = ("software_Package", "Package")
_RELATIONSHIP_TYPES = ("Relationship", "LifecycleScopedRelationship")
_DEV_LIFECYCLES = ("development", "build", "test")
#: SPDX 3 type -> (SPDX 2.3 type, written from the related element to the element?)
_MAPPED: dict[str, tuple[str, bool]] = {
    "dependsOn": ("DEPENDS_ON", False),
    "hasProvidedDependency": ("DEPENDS_ON", False),
    "hasOptionalDependency": ("OPTIONAL_DEPENDENCY_OF", True),
    "hasPrerequisite": ("HAS_PREREQUISITE", False),
    "contains": ("CONTAINS", False),
}


def _purl(raw: dict[str, Any]) -> str | None:
    purl = raw.get("software_packageUrl")
    if isinstance(purl, str):
        return purl
    for ident in raw.get("externalIdentifier") or []:
        if isinstance(ident, dict) and ident.get("externalIdentifierType") == "packageUrl":
            value = ident.get("identifier")
            return value if isinstance(value, str) else None
    return None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = SpdxDocument()
    sbom_roots: list[str] = []
    document_roots: list[str] = []
    context = ""
    n_elements = 0
    for prefix, value in stream_items(path, ("@context", "@graph.item"), arrays=("@graph",)):
        if prefix == "@context":
            context = " ".join(_strings(value))
            continue
        where = f"@graph[{n_elements}]"
        n_elements += 1
        if not isinstance(value, dict):
            raise InputError(
                source, "JSON of the wrong shape: a graph element must be an object", where=where
            )
        kind = value.get("type")
        if kind in _PACKAGE_TYPES:
            spdx_id = value.get("spdxId")
            if not isinstance(spdx_id, str):
                raise InputError(source, "JSON of the wrong shape: a package needs a spdxId", where=where)
            purl = _purl(value)
            package: dict[str, Any] = {
                "SPDXID": spdx_id,
                "name": value.get("name"),
                "versionInfo": value.get("software_packageVersion"),
                "externalRefs": [{"referenceType": "purl", "referenceLocator": purl}] if purl else [],
            }
            doc.packages.append((where, package))
        elif kind in _RELATIONSHIP_TYPES and value.get("relationshipType") in _MAPPED:
            mapped, reverse = _MAPPED[value["relationshipType"]]
            if mapped == "DEPENDS_ON" and value.get("scope") in _DEV_LIFECYCLES:
                mapped, reverse = "DEV_DEPENDENCY_OF", True
            origin = value.get("from")
            if not isinstance(origin, str):
                raise InputError(source, "JSON of the wrong shape: a relationship needs 'from'", where=where)
            for target in _strings(value.get("to")):
                element, related = (target, origin) if reverse else (origin, target)
                doc.relationships.append(
                    (
                        where,
                        {"spdxElementId": element, "relationshipType": mapped, "relatedSpdxElement": related},
                    )
                )
        elif kind == "software_Sbom":
            sbom_roots += _strings(value.get("rootElement"))
        elif kind == "SpdxDocument":
            document_roots += _strings(value.get("rootElement"))
            doc.name = value.get("name") if isinstance(value.get("name"), str) else None
    if "spdx.org/rdf/3." not in context:
        raise InputError(
            source, "JSON-LD but not SPDX 3 (the @context is not spdx.org/rdf/3.x)", where="@context"
        )
    doc.version = "SPDX-3"
    doc.described = set(sbom_roots or document_roots)
    return assemble(InventoryBuilder(source, "spdx"), doc)
