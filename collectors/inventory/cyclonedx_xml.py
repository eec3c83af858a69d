"""CycloneDX XML 1.4 to 1.7 (https://cyclonedx.org/docs/1.6/xml/), streamed.

The same reading as the JSON form (:mod:`collectors.inventory.cyclonedx`): ``metadata/component`` is the
application, ``components/component`` (nested ``components`` too) are its packages, and
``dependencies/dependency`` the graph. Elements are read as they end and cleared at once, so a document
of 10,000 components never sits whole in memory.

Safety: defusedxml refuses a document type declaration (the only place entities can be declared), so no
entity is expanded and nothing external is fetched; an undeclared entity is a parse error. Nesting deeper
than :data:`MAX_DEPTH` elements is refused.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import iterparse

from collectors.errors import InputError
from collectors.inventory.cyclonedx import (
    SUPPORTED_SPECS,
    DependencyEntry,
    Found,
    assemble,
    component_from,
)
from collectors.inventory.model import Inventory, InventoryBuilder

NAMESPACE_PREFIX = "http://cyclonedx.org/schema/bom/"
#: Components nest inside components; nothing in a real SBOM goes past a few dozen levels.
MAX_DEPTH = 64
_FIELDS = ("name", "group", "version", "scope", "purl")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _text(element: Element, namespace: str, field: str) -> str | None:
    child = element.find(f"{{{namespace}}}{field}")
    if child is None or child.text is None:
        return None
    value = child.text.strip()
    return value or None


def _fields(element: Element) -> dict[str, str | None]:
    """The component's own text fields (name, group, version, scope, purl), read in one pass."""
    values: dict[str, str | None] = dict.fromkeys(_FIELDS)
    for child in element:
        field = _local(child.tag)
        if field in values and child.text is not None:
            values[field] = child.text.strip() or None
    return values


def _is_component_path(path: list[str]) -> bool:
    """bom/components/component, and components nested inside components (not tools, pedigree, ...)."""
    if len(path) < 3 or path[:2] != ["bom", "components"]:
        return False
    return all(tag == ("components" if i % 2 == 0 else "component") for i, tag in enumerate(path[1:]))


def parse(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "cyclonedx")
    found: list[Found] = []
    dependencies: list[DependencyEntry] = []
    root_ref: str | None = None
    namespace = ""
    tags: list[str] = []
    n_components = 0
    local_names: dict[str, str] = {}
    try:
        for event, element in iterparse(str(path), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                tag = local_names.get(element.tag) or local_names.setdefault(element.tag, _local(element.tag))
                if not tags:
                    namespace = element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""
                    if tag != "bom" or not namespace.startswith(NAMESPACE_PREFIX):
                        raise InputError(
                            source,
                            "XML but not a CycloneDX document (want a <bom> in the CycloneDX namespace)",
                        )
                    spec = namespace.removeprefix(NAMESPACE_PREFIX)
                    if spec not in SUPPORTED_SPECS:
                        raise InputError(source, f"CycloneDX specVersion {spec!r} is not supported")
                tags.append(tag)
                if len(tags) > MAX_DEPTH:
                    raise InputError(source, f"XML nested deeper than {MAX_DEPTH} elements")
                continue
            if tags == ["bom", "metadata", "component"]:
                root_ref = element.get("bom-ref") or _text(element, namespace, "purl")
                builder.name = _text(element, namespace, "name")
                element.clear()
            elif tags[-1] == "component" and _is_component_path(tags):
                where = f"components/component[{n_components}]"  # in document order, nested ones too
                n_components += 1
                values = _fields(element)
                found.append(
                    component_from(
                        purl=values["purl"],
                        name=values["name"],
                        group=values["group"],
                        version=values["version"],
                        scope=values["scope"],
                        ref=element.get("bom-ref"),
                        where=where,
                        builder=builder,
                        kind=element.get("type"),
                    )
                )
                element.clear()  # nested components ended (and were read) before it
            elif tags == ["bom", "dependencies", "dependency"]:
                where = f"dependencies/dependency[{len(dependencies)}]"
                ref = element.get("ref")
                if not ref:
                    raise InputError(source, "a dependency needs a ref attribute", where=where)
                children = [c.get("ref") or "" for c in element if _local(c.tag) == "dependency"]
                dependencies.append(DependencyEntry(ref, tuple(children), where))
                element.clear()
            elif tags == ["bom", "components"]:
                element.clear()
            tags.pop()
    except DTDForbidden as exc:
        raise InputError(
            source, "XML with a document type declaration is refused (its entities could expand)"
        ) from exc
    except (ParseError, DefusedXmlException) as exc:
        raise InputError(source, f"invalid or unsafe XML ({exc})") from exc
    return assemble(builder, found, dependencies, root_ref)
