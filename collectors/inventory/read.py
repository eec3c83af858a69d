"""Read any supported input into an :class:`Inventory`: detect the format, call its parser, merge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from collectors.errors import InputError
from collectors.inventory import (
    cargolock,
    composerlock,
    condaenv,
    condalock,
    cyclonedx,
    cyclonedx_xml,
    gemfilelock,
    gomod,
    gradle,
    maventree,
    npmlock,
    nugetlock,
    packagejson,
    pipfilelock,
    pnpmlock,
    poetrylock,
    pylock,
    pyproject,
    requirements,
    spdx,
    spdx3,
    spdx_tagvalue,
    uvlock,
    yarnlock,
)
from collectors.inventory.detect import detect_format, files_in_directory
from collectors.inventory.model import Inventory, InventoryBuilder, Skip
from collectors.inventory.textfile import check_regular

PARSERS: dict[str, Callable[[Path], Inventory]] = {
    "cyclonedx": cyclonedx.parse,
    "spdx": spdx.parse,
    "requirements": requirements.parse,
    "uv-lock": uvlock.parse,
    "poetry-lock": poetrylock.parse,
    "npm-lock": npmlock.parse,
    "pyproject": pyproject.parse,
    "package-json": packagejson.parse,
    "pnpm-lock": pnpmlock.parse,
    "yarn-lock": yarnlock.parse,
    "pipfile-lock": pipfilelock.parse,
    "pylock": pylock.parse,
    "conda-env": condaenv.parse,
    "conda-lock": condalock.parse,
    # Other ecosystems and SBOM forms
    "cyclonedx-xml": cyclonedx_xml.parse,
    "spdx-tag-value": spdx_tagvalue.parse,
    "spdx3": spdx3.parse,
    "cargo-lock": cargolock.parse,
    "go-mod": gomod.parse_go_mod,
    "go-sum": gomod.parse_go_sum,
    "go-mod-graph": gomod.parse_graph,
    "maven-tree": maventree.parse_text,
    "maven-tree-json": maventree.parse_json,
    "gradle-lockfile": gradle.parse_lockfile,
    "gradle-tree": gradle.parse_tree,
    "composer-lock": composerlock.parse,
    "nuget-lock": nugetlock.parse,
    "gemfile-lock": gemfilelock.parse,
}


def read_file(path: Path) -> Inventory:
    """Parse one file in the format its content shows. Raises :class:`InputError` naming the file."""
    check_regular(path)  # before any open: a FIFO would block the import while it holds the lock
    parser = PARSERS[detect_format(path)]
    try:
        return parser(path)
    except RecursionError as exc:
        raise InputError(str(path), "nested too deeply to be an inventory") from exc
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        # A shape the parser's checks did not foresee: still one line naming the file, never a traceback.
        detail = " ".join(str(exc).split())[:200]
        raise InputError(str(path), f"unexpected content ({type(exc).__name__}: {detail})") from exc


def inputs_of(path: Path) -> list[Path]:
    """The files to read for ``path``: itself, or the chosen files of a directory."""
    if path.is_dir():
        return files_in_directory(path)
    return [path]


#: File names that say nothing about the application: it is named after their folder.
_GENERIC_NAMES = (
    "uv.lock", "poetry.lock", "package-lock.json", "package.json", "pyproject.toml", "pnpm-lock.yaml",
    "yarn.lock", "npm-shrinkwrap.json", "Pipfile.lock", "environment.yml", "environment.yaml",
    "conda-lock.yml", "Cargo.lock",
    "go.mod", "go.sum", "composer.lock", "packages.lock.json", "Gemfile.lock", "gradle.lockfile",
)  # fmt: skip


def default_app_name(path: Path) -> str:
    """The application name for ``path`` when neither the user nor the file gives one."""
    if path.is_dir():
        return path.resolve().name
    stem = path.name.split(".")[0]
    if path.name in _GENERIC_NAMES or stem.startswith("requirements") or stem in ("bom", "sbom", "pylock"):
        return path.resolve().parent.name
    return stem


def merge(inventories: Sequence[Inventory], source: str) -> Inventory:
    """One application from several inputs: the union of their components, edges and direct dependencies."""
    if len(inventories) == 1:
        return inventories[0]
    builder = InventoryBuilder(source, "+".join(dict.fromkeys(i.format for i in inventories)))
    for inventory in inventories:
        builder.name = builder.name or inventory.name
        for component in inventory.components:
            builder.add(component)
        for edge in inventory.edges:
            builder.edge(edge.parent, edge.child, edge.specifier)
        for root in inventory.roots:
            builder.root(root)
        builder.skips.extend(Skip(f"{inventory.source}:{s.where}", s.reason) for s in inventory.skips)
    return builder.build()
