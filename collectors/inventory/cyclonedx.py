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
class _Found:
    ref: str
    component: Component
    where: str


def _component(raw: Any, where: str, source: str, builder: InventoryBuilder) -> _Found | None:
    if not isinstance(raw, dict):
        raise InputError(source, "JSON of the wrong shape: a component must be an object", where=where)
    purl = raw.get("purl")
    label = raw.get("name") or raw.get("bom-ref") or "?"
    if purl is None:
        builder.skip(where, f"component {label!r} has no purl, so it cannot be identified")
        return None
    if not isinstance(purl, str):
        raise InputError(source, "JSON of the wrong shape: purl must be a string", where=f"{where}.purl")
    try:
        parsed = parse_purl(purl)
    except PurlError as exc:
        builder.skip(f"{where}.purl", str(exc))
        return None
    version = raw.get("version")
    version = (
        str(version) if isinstance(version, str | int | float) and version != "" else parsed.version or ""
    )
    scope = _SCOPES.get(raw.get("scope"), "runtime")
    ref = raw.get("bom-ref")
    return _Found(
        ref=ref if isinstance(ref, str) and ref else purl,
        component=Component(package=parsed.package, version=version, scope=scope),
        where=where,
    )


def _walk(raw: Any, where: str, source: str, builder: InventoryBuilder, out: list[_Found]) -> None:
    found = _component(raw, where, source, builder)
    if found is not None:
        out.append(found)
    nested = raw.get("components") if isinstance(raw, dict) else None
    if isinstance(nested, list):
        for j, child in enumerate(nested):
            _walk(child, f"{where}.components[{j}]", source, builder, out)


def parse(path: Path) -> Inventory:
    source = str(path)
    builder = InventoryBuilder(source, "cyclonedx")
    header: dict[str, Any] = {}
    root_ref: str | None = None
    found: list[_Found] = []
    dependencies: list[tuple[int, Any]] = []
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
            dependencies.append((len(dependencies), value))
    if header.get("bomFormat") != "CycloneDX":
        raise InputError(source, "not a CycloneDX document (bomFormat is not 'CycloneDX')", where="bomFormat")
    if str(header.get("specVersion")) not in SUPPORTED_SPECS:
        raise InputError(
            source,
            f"CycloneDX specVersion {header.get('specVersion')!r} is not supported",
            where="specVersion",
        )

    keys: dict[str, ComponentKey] = {}
    first_seen: dict[str, str] = {}
    for item in found:
        if item.ref == root_ref:
            continue  # the application itself, listed among its components by some tools
        if item.ref in keys:
            builder.skip(
                item.where,
                f"duplicate bom-ref {item.ref!r} (first at {first_seen[item.ref]}); kept the first",
            )
            continue
        if builder.has(item.component.key):
            builder.skip(
                item.where, f"duplicate component {item.component.key.purl}@{item.component.version}; merged"
            )
        keys[item.ref] = builder.add(item.component)
        first_seen[item.ref] = item.where

    for i, entry in dependencies:
        where = f"dependencies[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("ref"), str):
            raise InputError(
                source, "JSON of the wrong shape: a dependency needs a string 'ref'", where=where
            )
        ref = entry["ref"]
        depends_on = entry.get("dependsOn") or []
        if not isinstance(depends_on, list):
            raise InputError(
                source, "JSON of the wrong shape: dependsOn must be a list", where=f"{where}.dependsOn"
            )
        parent = keys.get(ref)
        if parent is None and ref != root_ref:
            builder.skip(f"{where}.ref", f"unknown bom-ref {ref!r}; its dependencies are left out")
            continue
        for j, child_ref in enumerate(depends_on):
            child = keys.get(child_ref) if isinstance(child_ref, str) else None
            if child is None:
                if child_ref != root_ref:
                    builder.skip(f"{where}.dependsOn[{j}]", f"unknown bom-ref {child_ref!r}; edge left out")
                continue
            if parent is None:
                builder.root(child)
            else:
                builder.edge(parent, child)
    return builder.build()
