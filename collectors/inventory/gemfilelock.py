"""Gemfile.lock, as Bundler writes it (https://bundler.io/guides/rationale.html#checking-your-code-into-version-control;
the Gemfile: https://bundler.io/man/gemfile.5.html).

Sections at the left margin: ``GEM``, ``GIT`` and ``PATH`` list ``specs:`` — a gem ``name (version)``
indented four spaces (the version may end with a platform, ``1.16.0-x86_64-linux``), its own requirements
indented six; ``DEPENDENCIES`` lists what the Gemfile asks for (direct). ``PATH`` gems are local code (the
application's own gems). Gemfile groups (development, test) are in the Gemfile, which is Ruby code socle
does not run: every gem is taken as runtime, and a skip says so.
"""

from __future__ import annotations

import re
from pathlib import Path

from collectors.errors import InputError
from collectors.inventory.model import Component, ComponentKey, Inventory, InventoryBuilder
from collectors.purls import package_id

_SPEC = re.compile(r"^    (?P<name>[^\s(]+) \((?P<version>[^)]+)\)$")
_REQUIREMENT = re.compile(r"^      (?P<name>[^\s(]+)(?: \((?P<constraint>[^)]+)\))?$")
_DEPENDENCY = re.compile(r"^  (?P<name>[^\s(!]+)!?(?: \((?P<constraint>[^)]+)\))?!?$")
_SOURCES = ("GEM", "GIT", "PATH", "PLUGIN SOURCE")


def _version(raw: str) -> str:
    """``1.16.0-x86_64-linux`` -> ``1.16.0``: a gem version has no '-', a platform follows one."""
    return raw.partition("-")[0]


def parse(path: Path) -> Inventory:
    source = str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(source, "binary file, not a Gemfile.lock") from exc
    builder = InventoryBuilder(source, "gemfile-lock")
    section = ""
    local: set[str] = set()
    keys: dict[str, ComponentKey] = {}
    requirements: list[tuple[int, str, str]] = []  # (line, gem, required gem)
    direct: list[tuple[int, str, str | None]] = []
    current: str | None = None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if not line.startswith(" "):
            section = line.strip()
            current = None
            continue
        if section in _SOURCES:
            if (spec := _SPEC.match(line)) is not None:
                current = spec["name"]
                if section == "PATH":
                    local.add(current)
                else:
                    keys.setdefault(
                        current, builder.add(Component(package_id("gem", current), _version(spec["version"])))
                    )
            elif (req := _REQUIREMENT.match(line)) is not None and current is not None:
                requirements.append((n, current, req["name"]))
        elif section == "DEPENDENCIES":
            dep = _DEPENDENCY.match(line)
            if dep is None:
                raise InputError(source, "not a 'name (constraint)' dependency line", where=f"line {n}")
            direct.append((n, dep["name"], dep["constraint"]))
    if not keys and not local and not direct:
        raise InputError(source, "no GEM specs or DEPENDENCIES: not a Gemfile.lock")
    for n, parent, child in requirements:
        child_key = keys.get(child)
        if child_key is None:
            if child not in local and child != "bundler":
                builder.skip(
                    f"line {n}", f"{child} is required by {parent} but not in the lockfile; left out"
                )
            continue
        if parent in local:
            builder.root(child_key)  # a local gem's requirements are the application's
        else:
            builder.edge(keys[parent], child_key)
    for n, name, constraint in direct:
        if name in keys:
            builder.root(keys[name])
            if constraint:
                builder.set_specifier(keys[name], constraint)
        elif name not in local and name != "bundler":
            builder.skip(f"line {n}", f"{name} is a dependency but not in the specs; left out")
    builder.skip("", "Gemfile groups are not in the lockfile: every gem taken as runtime")
    return builder.build()
