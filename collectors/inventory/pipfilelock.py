"""Pipfile.lock (https://pipenv.pypa.io/en/latest/pipfile.html#pipfile-lock), with the Pipfile beside it.

A Pipfile.lock is flat: ``default`` (runtime) and ``develop`` (dev) map each package to its pinned
``version`` (``==1.2``) and ``markers``; a package in both is runtime. It records no edges, so the
graph below the direct dependencies is not known: those packages have no depth. Which packages are
direct is in the Pipfile beside it (``[packages]`` and ``[dev-packages]``); without one, that is not
known either and a skip says so. Packages installed from a path or VCS have no version to pin them by
and are documented skips.
"""

from __future__ import annotations

from pathlib import Path

from collectors.errors import InputError
from collectors.inventory import jsonstream, tomlfile
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder, Scope
from collectors.purls import PurlError, package_id

_SECTIONS: tuple[tuple[str, str, Scope], ...] = (
    ("default", "packages", "runtime"),
    ("develop", "dev-packages", "dev"),
)


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = jsonstream.load_object(path)
    builder = InventoryBuilder(source, "pipfile-lock")
    keys: dict[str, ComponentKey] = {}
    for section, _, scope in _SECTIONS:
        packages = doc.get(section, {})
        if not isinstance(packages, dict):
            raise InputError(source, f"JSON of the wrong shape: {section} must be an object", where=section)
        for name, entry in packages.items():
            where = f"{section}.{name}"
            if not isinstance(entry, dict):
                raise InputError(source, "JSON of the wrong shape: a package must be an object", where=where)
            version = entry.get("version")
            if not isinstance(version, str) or not version.startswith("=="):
                builder.skip(where, "installed from a path or VCS, no pinned version; left out")
                continue
            try:
                package = package_id("pypi", name)
            except PurlError as exc:
                builder.skip(where, str(exc))
                continue
            marker = entry.get("markers") if isinstance(entry.get("markers"), str) else None
            keys[package.purl] = builder.add(Component(package, version[2:], scope, marker=marker))
    pipfile = path.with_name("Pipfile")
    if not pipfile.is_file():
        builder.skip(source, "no Pipfile beside the lockfile: which packages are direct is not known")
        return builder.build(roots_if_none=False)
    manifest = tomlfile.load(pipfile)
    for _, table, _ in _SECTIONS:
        for name, spec in tomlfile.table(manifest, table, str(pipfile), table).items():
            try:
                key = keys.get(package_id("pypi", name).purl)
            except PurlError:
                key = None
            if key is None:
                builder.skip(f"Pipfile:{table}.{name}", "declared but not in the lockfile")
                continue
            builder.root(key)
            specifier = (
                spec if isinstance(spec, str) else spec.get("version") if isinstance(spec, dict) else None
            )
            if isinstance(specifier, str) and specifier != "*":
                builder.set_specifier(key, specifier)
    return builder.build(roots_if_none=False)
