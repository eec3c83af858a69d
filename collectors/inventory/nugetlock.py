"""NuGet packages.lock.json (https://learn.microsoft.com/en-us/nuget/consume-packages/package-references-in-project-files#locking-dependencies).

``dependencies`` maps each target framework (``net8.0``, ``net8.0/linux-x64``) to the packages restored
for it: ``type`` Direct (the project asked for it), Transitive or CentralTransitive, ``resolved`` version and
the ``dependencies`` it asks for (name -> minimum version). ``Project`` entries are other projects of the
same solution: the application's own code, whose packages their own lockfiles list. Frameworks are
merged. NuGet has no development scope in the lockfile: every package is runtime.
"""

from __future__ import annotations

from pathlib import Path

from collectors.errors import InputError
from collectors.inventory.jsonstream import load_object
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder
from collectors.purls import package_id


def parse(path: Path) -> Inventory:
    source = str(path)
    doc = load_object(path)
    builder = InventoryBuilder(source, "nuget-lock")
    frameworks = doc.get("dependencies")
    if not isinstance(frameworks, dict):
        raise InputError(
            source, "JSON of the wrong shape: dependencies must be an object", where="dependencies"
        )
    for framework, packages in frameworks.items():
        where = f"dependencies.{framework}"
        if not isinstance(packages, dict):
            raise InputError(source, "JSON of the wrong shape: a framework must map packages", where=where)
        keys: dict[str, ComponentKey] = {}
        for name, entry in packages.items():
            if not isinstance(entry, dict):
                raise InputError(
                    source, "JSON of the wrong shape: a package must be an object", where=f"{where}.{name}"
                )
            if entry.get("type") == "Project":
                continue
            key = builder.add(Component(package_id("nuget", name), str(entry.get("resolved", ""))))
            keys[name.lower()] = key
            if entry.get("type") == "Direct":
                builder.root(key)
                if isinstance(entry.get("requested"), str):
                    builder.set_specifier(key, entry["requested"])
        for name, entry in packages.items():
            parent = keys.get(name.lower())
            children = entry.get("dependencies") or {}
            if parent is None or not isinstance(children, dict):
                continue
            for child in children:
                if (child_key := keys.get(str(child).lower())) is not None:
                    builder.edge(parent, child_key)
                else:
                    builder.skip(
                        f"{where}.{name}", f"{child} is a dependency but not in the lockfile; left out"
                    )
    return builder.build()
