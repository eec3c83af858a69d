"""composer.lock (https://getcomposer.org/doc/01-basic-usage.md#commit-your-composer-lock-file-to-version-control),
with the composer.json beside it when there is one.

Read: ``packages`` (runtime) and ``packages-dev`` (dev: Composer installs them only for development), each
``name``, ``version`` and ``require``. Platform requirements (``php``, ``ext-*``, ``lib-*``,
``composer-*-api``) are the runtime, not packages. Direct dependencies are composer.json's ``require`` and
``require-dev``; without it, the packages nothing requires.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.jsonstream import load_object
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope
from collectors.purls import package_id

_SECTIONS: dict[str, Scope] = {"packages": "runtime", "packages-dev": "dev"}


def is_platform(name: str) -> bool:
    """A platform requirement (https://getcomposer.org/doc/01-basic-usage.md#platform-packages)."""
    lowered = name.lower()
    return "/" not in lowered and (
        lowered in ("php", "php-64bit", "php-ipv6", "php-zts", "php-debug", "hhvm", "composer")
        or lowered.startswith(("ext-", "lib-", "composer-"))
    )


def _requires(raw: Any, source: str, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(source, "JSON of the wrong shape: require must be an object", where=where)
    return {str(k).lower(): str(v) for k, v in raw.items() if not is_platform(str(k))}


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = load_object(path)
    builder = InventoryBuilder(source, "composer-lock")
    keys: dict[str, ComponentKey] = {}
    requires: list[tuple[str, str, dict[str, str]]] = []
    for section, scope in _SECTIONS.items():
        entries = doc.get(section) or []
        if not isinstance(entries, list):
            raise InputError(source, f"JSON of the wrong shape: {section} must be a list", where=section)
        for i, entry in enumerate(entries):
            where = f"{section}[{i}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise InputError(source, "JSON of the wrong shape: a package needs a name", where=where)
            name = entry["name"].lower()
            keys[name] = builder.add(
                Component(package_id("composer", name), str(entry.get("version", "")), scope)
            )
            requires.append((where, name, _requires(entry.get("require"), source, f"{where}.require")))
    for where, name, required in requires:
        for child in required:
            if child in keys:
                builder.edge(keys[name], keys[child])
            else:
                builder.skip(f"{where}.require", f"{child} is required but not in the lockfile; left out")
    manifest = path.with_name("composer.json")
    if manifest.is_file():
        app = load_object(manifest)
        builder.name = app.get("name") if isinstance(app.get("name"), str) else None
        for section in ("require", "require-dev"):
            for child, constraint in _requires(app.get(section), str(manifest), section).items():
                if child in keys:
                    builder.root(keys[child])
                    builder.set_specifier(keys[child], constraint)
    return builder.build()
