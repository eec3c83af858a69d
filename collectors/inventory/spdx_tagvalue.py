"""SPDX 2.3 tag-value (https://spdx.github.io/spdx-spec/v2.3/conformance/#44-standard-data-format-requirements).

One ``Tag: value`` a line; a value spanning lines sits between ``<text>`` and ``</text>``. A package starts
at ``PackageName`` and carries ``SPDXID``, ``PackageVersion`` and ``ExternalRef: PACKAGE-MANAGER purl
<purl>``; ``Relationship: <element> <TYPE> <related>`` lines form the graph. The lines are turned into the
shapes of the JSON form and linked by :func:`collectors.inventory.spdx.assemble`, so both forms read alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.model import Inventory, InventoryBuilder
from collectors.inventory.spdx import SpdxDocument, assemble

MAX_TEXT_LINES = 10_000


def _tags(path: Path) -> list[tuple[int, str, str]]:
    """(line, tag, value) for each tag, multi-line ``<text>`` values joined."""
    source = str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(source, "binary file, not SPDX tag-value") from exc
    found: list[tuple[int, str, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        tag, colon, value = line.partition(":")
        if not colon:
            raise InputError(source, "not a 'Tag: value' line", where=f"line {i}")
        value = value.strip()
        start = i
        if value.startswith("<text>") and "</text>" not in value:
            parts = [value]
            while i < len(lines) and "</text>" not in lines[i]:
                parts.append(lines[i])
                i += 1
                if i - start > MAX_TEXT_LINES:
                    raise InputError(source, "<text> value never closed", where=f"line {start}")
            if i >= len(lines):
                raise InputError(source, "<text> value never closed", where=f"line {start}")
            parts.append(lines[i])
            i += 1
            value = "\n".join(parts)
        found.append((start, tag.strip(), value))
    return found


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = SpdxDocument()
    package: dict[str, Any] | None = None
    for n, tag, value in _tags(path):
        where = f"line {n}"
        if tag == "SPDXVersion":
            doc.version = value
        elif tag == "DocumentName":
            doc.name = value
        elif tag == "PackageName":
            package = {"name": value, "externalRefs": []}
            doc.packages.append((where, package))
        elif tag == "SPDXID" and package is not None and "SPDXID" not in package:
            package["SPDXID"] = value
        elif tag == "PackageVersion" and package is not None:
            package["versionInfo"] = value
        elif tag == "ExternalRef" and package is not None:
            parts = value.split()
            if len(parts) < 3:
                raise InputError(source, "ExternalRef needs a category, a type and a locator", where=where)
            package["externalRefs"].append(
                {"referenceCategory": parts[0], "referenceType": parts[1], "referenceLocator": parts[2]}
            )
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) < 3:
                raise InputError(
                    source, "Relationship needs an element, a type and a related element", where=where
                )
            doc.relationships.append(
                (
                    where,
                    {"spdxElementId": parts[0], "relationshipType": parts[1], "relatedSpdxElement": parts[2]},
                )
            )
        elif tag in ("FileName", "SnippetSPDXID", "LicenseID"):
            package = None  # the package's section is over
    if not doc.version.startswith("SPDX-2."):
        raise InputError(source, f"SPDX version {doc.version or None!r} is not supported (2.x tag-value)")
    for where, raw in doc.packages:
        if not isinstance(raw.get("SPDXID"), str):
            raise InputError(source, f"package {raw['name']!r} has no SPDXID", where=where)
    return assemble(InventoryBuilder(source, "spdx"), doc)
