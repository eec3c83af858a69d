"""package.json: direct dependencies only (no versions, the ranges as declared).

``dependencies`` and ``peerDependencies`` are runtime, ``optionalDependencies`` optional,
``devDependencies`` dev. Its ``funding`` field belongs to the application itself and is not read.
"""

from __future__ import annotations

from pathlib import Path

from collectors.errors import InputError
from collectors.inventory import jsonstream
from collectors.inventory.model import Component, Inventory, InventoryBuilder, Scope
from collectors.purls import PurlError, package_id

SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("dependencies", "runtime"),
    ("peerDependencies", "runtime"),
    ("optionalDependencies", "optional"),
    ("devDependencies", "dev"),
)


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = jsonstream.load_object(path)
    builder = InventoryBuilder(source, "package-json")
    builder.name = doc.get("name") if isinstance(doc.get("name"), str) else None
    for section, scope in SECTIONS:
        deps = doc.get(section, {})
        if not isinstance(deps, dict):
            raise InputError(source, f"JSON of the wrong shape: {section} must be an object", where=section)
        for name, spec in deps.items():
            try:
                package = package_id("npm", name)
            except PurlError as exc:
                builder.skip(f"{section}.{name}", str(exc))
                continue
            specifier = spec if isinstance(spec, str) else None
            builder.root(builder.add(Component(package, "", scope, specifier=specifier)))
    return builder.build()
