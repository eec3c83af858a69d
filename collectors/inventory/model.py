"""The inventory of one application, as every parser returns it: frozen data, no I/O.

A component is one package at one version (a package installed at two versions is two components);
``roots`` are the application's direct dependencies; ``edges`` go from a component to one it depends on.
``skips`` are the documented things a parser left out (a component without a purl, an edge to an unknown
reference), each recorded on the import run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from collectors.purls import CanonicalPurl, PackageId

Scope = Literal["runtime", "optional", "dev"]

#: When a component is reached in several ways, the strongest scope wins: runtime, then optional, then dev.
SCOPE_RANK: dict[Scope, int] = {"runtime": 0, "optional": 1, "dev": 2}


def strongest(a: Scope, b: Scope) -> Scope:
    return a if SCOPE_RANK[a] <= SCOPE_RANK[b] else b


class ComponentKey(NamedTuple):
    """One package at one version ('' when only a specifier is known).

    A named tuple rather than a dataclass: keys are hashed and compared hundreds of thousands of times
    in graph walks, and tuples do that in C.
    """

    purl: CanonicalPurl
    version: str


@dataclass(frozen=True)
class FundingLink:
    """A funding channel a lockfile gives for a package (npm's ``funding`` field)."""

    url: str
    label: str | None = None


@dataclass(frozen=True)
class Component:
    package: PackageId
    version: str
    scope: Scope = "runtime"
    specifier: str | None = None  # as declared by the application, for direct dependencies
    marker: str | None = None  # PEP 508 environment marker, where the input gave one
    funding: tuple[FundingLink, ...] = ()

    @property
    def key(self) -> ComponentKey:
        return ComponentKey(self.package.purl, self.version)


class Edge(NamedTuple):
    """A dependency between two components of the application (a tuple: there are tens of thousands)."""

    parent: ComponentKey
    child: ComponentKey
    specifier: str | None = None


@dataclass(frozen=True)
class Skip:
    """Something a parser documented and left out: where in the file, and why."""

    where: str
    reason: str


@dataclass(frozen=True)
class Inventory:
    source: str  # the file it was read from
    format: (
        str  # cyclonedx | spdx | requirements | uv-lock | poetry-lock | npm-lock | pyproject | package-json
    )
    name: str | None  # the application's name as the file declares it, if it does
    components: tuple[Component, ...]
    edges: tuple[Edge, ...]
    roots: tuple[ComponentKey, ...]
    skips: tuple[Skip, ...] = ()

    def content_hash(self) -> str:
        """A digest of what would be stored: same digest, nothing to write. Independent of input order."""
        lines = [
            "\t".join(
                (
                    "c",
                    c.package.purl,
                    c.version,
                    c.scope,
                    c.specifier or "",
                    c.marker or "",
                    *tuple(f"{f.url} {f.label or ''}" for f in c.funding),
                )
            )
            for c in self.components
        ]
        lines += [
            f"e\t{e.parent.purl}\t{e.parent.version}\t{e.child.purl}\t{e.child.version}\t{e.specifier or ''}"
            for e in self.edges
        ]
        lines += [f"r\t{r.purl}\t{r.version}" for r in self.roots]
        lines.sort()
        digest = hashlib.sha256(self.format.encode())
        digest.update("\n".join(lines).encode())
        return digest.hexdigest()


class InventoryBuilder:
    """Collects components, edges and skips while a parser reads, merging duplicates as it goes."""

    def __init__(self, source: str, format: str) -> None:
        self.source = source
        self.format = format
        self.name: str | None = None
        self._components: dict[ComponentKey, Component] = {}
        self._edges: dict[tuple[ComponentKey, ComponentKey], Edge] = {}
        self._roots: dict[ComponentKey, None] = {}
        self.skips: list[Skip] = []

    def skip(self, where: str, reason: str) -> None:
        self.skips.append(Skip(where, reason))

    def has(self, key: ComponentKey) -> bool:
        return key in self._components

    def add(self, component: Component) -> ComponentKey:
        """Add a component; one already there keeps its data, takes the stronger scope and any new funding."""
        key = component.key
        known = self._components.get(key)
        if known is None:
            self._components[key] = component
        else:
            funding = known.funding + tuple(f for f in component.funding if f not in known.funding)
            self._components[key] = Component(
                package=known.package,
                version=known.version,
                scope=strongest(known.scope, component.scope),
                specifier=known.specifier or component.specifier,
                marker=known.marker or component.marker,
                funding=funding,
            )
        return key

    def edge(self, parent: ComponentKey, child: ComponentKey, specifier: str | None = None) -> None:
        if parent != child:
            self._edges.setdefault((parent, child), Edge(parent, child, specifier))

    def root(self, key: ComponentKey) -> None:
        self._roots[key] = None

    def remove(self, key: ComponentKey) -> None:
        """Take a component out again (with its edges, at build) once a parser knows it does not belong."""
        self._components.pop(key, None)
        self._roots.pop(key, None)

    def set_specifier(self, key: ComponentKey, specifier: str) -> None:
        """The range the application declared for a direct dependency, where the input gives it."""
        c = self._components[key]
        if c.specifier is None:
            self._components[key] = Component(c.package, c.version, c.scope, specifier, c.marker, c.funding)

    def set_scopes(self, scopes: dict[ComponentKey, Scope]) -> None:
        for key, scope in scopes.items():
            c = self._components[key]
            self._components[key] = Component(c.package, c.version, scope, c.specifier, c.marker, c.funding)

    @property
    def components(self) -> dict[ComponentKey, Component]:
        return self._components

    @property
    def edges(self) -> Iterable[Edge]:
        return self._edges.values()

    @property
    def roots(self) -> list[ComponentKey]:
        return list(self._roots)

    def build(self, *, roots_if_none: bool = True) -> Inventory:
        """Freeze. Without declared roots, the components nothing depends on are taken as direct."""
        roots = [r for r in self._roots if r in self._components]
        if not roots and roots_if_none:
            children = {child for _, child in self._edges}
            roots = [k for k in self._components if k not in children]
        return Inventory(
            source=self.source,
            format=self.format,
            name=self.name,
            components=tuple(self._components.values()),
            edges=tuple(
                e
                for e in self._edges.values()
                if e.parent in self._components and e.child in self._components
            ),
            roots=tuple(roots),
            skips=_capped(self.skips),
        )


#: A file with thousands of bad references records the first ones and a count, not thousands of events.
MAX_SKIPS = 100


def _capped(skips: list[Skip]) -> tuple[Skip, ...]:
    if len(skips) <= MAX_SKIPS:
        return tuple(skips)
    more = len(skips) - MAX_SKIPS
    return (*skips[:MAX_SKIPS], Skip("", f"{more} more skips of the same kinds not listed"))
