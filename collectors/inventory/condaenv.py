"""conda environment.yml (https://docs.conda.io/projects/conda/en/latest/user-guide/tasks/manage-environments.html#create-env-file-manually):
direct dependencies only, as declared.

Each string of ``dependencies`` is a conda match spec (``numpy>=1.26``, ``python=3.11``,
``conda-forge::pandas=2.2.*``, ``openssl 3.0.* h123_0``): a ``pkg:conda`` component, runtime, with
its version only when the spec pins one exactly (``==1.2`` or ``=1.2=build``); the spec is kept as the
specifier. The ``pip:`` list holds PEP 508 requirements: ``pkg:pypi`` components. ``-r``/``-e`` lines
and paths are documented skips. conda itself is not needed to read the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from collectors.errors import InputError
from collectors.inventory import yamlfile
from collectors.inventory.model import Component, Inventory, InventoryBuilder
from collectors.purls import PurlError, package_id

_MATCH_SPEC = re.compile(r"^(?:(?P<channel>[^:\s]+)::)?(?P<name>[A-Za-z0-9_.\-]+)\s*(?P<rest>.*)$")


def conda_spec(text: str) -> tuple[str, str, str | None]:
    """(name, exact version or '', specifier) of a conda match spec; raises ValueError when unreadable."""
    match = _MATCH_SPEC.match(text.strip())
    if match is None:
        raise ValueError(f"not a conda match spec: {text!r}")
    name, rest = match["name"].lower(), re.sub(r"\[.*\]$", "", match["rest"].strip()).strip()
    if not rest:
        return name, "", None
    parts = rest.split()
    if len(parts) >= 2 and not rest.startswith(("=", "<", ">", "!", "~")):
        version = parts[0]  # "name version build"
        return name, version if "*" not in version else "", rest
    exact = re.fullmatch(r"==?([^=<>!~*,|\s]+)(?:=[^=\s]+)?", rest)
    pinned = exact is not None and (rest.startswith("==") or rest.count("=") == 2)
    return name, exact[1] if exact is not None and pinned else "", rest


def _pip_entries(builder: InventoryBuilder, items: Any, source: str) -> None:
    if not isinstance(items, list):
        raise InputError(source, "YAML of the wrong shape: pip must be a list", where="dependencies.pip")
    for i, text in enumerate(items):
        where = f"dependencies.pip[{i}]"
        text = str(text).strip()
        if text.startswith("-") or text.startswith((".", "/")) or "://" in text.split("@", 1)[0]:
            builder.skip(where, f"{text!r} is an option, path or URL, not a package; left out")
            continue
        try:
            req = Requirement(text)
        except InvalidRequirement as exc:
            raise InputError(source, f"not a Python requirement: {text!r}", where=where) from exc
        specs = list(req.specifier)
        pinned = len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version
        component = Component(
            package_id("pypi", req.name),
            specs[0].version if pinned else "",
            specifier=str(req.specifier) or None,
            marker=str(req.marker) if req.marker else None,
        )
        builder.root(builder.add(component))


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = yamlfile.load_mapping(path)
    builder = InventoryBuilder(source, "conda-env")
    builder.name = str(doc["name"]) if isinstance(doc.get("name"), str) else None
    dependencies = doc.get("dependencies") or []
    if not isinstance(dependencies, list):
        raise InputError(source, "YAML of the wrong shape: dependencies must be a list", where="dependencies")
    for i, item in enumerate(dependencies):
        where = f"dependencies[{i}]"
        if isinstance(item, dict) and "pip" in item:
            _pip_entries(builder, item["pip"], source)
            continue
        if not isinstance(item, str | int | float):
            raise InputError(source, "YAML of the wrong shape: a dependency must be a string", where=where)
        try:
            name, version, specifier = conda_spec(str(item))
            package = package_id("conda", name)
        except (ValueError, PurlError) as exc:
            builder.skip(where, f"{exc}; left out")
            continue
        builder.root(builder.add(Component(package, version, specifier=specifier)))
    return builder.build()
