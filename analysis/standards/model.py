"""The catalogue's entities, as frozen dataclasses (see the README, "Standards and implementation diversity").

A **standard** is a published text with an openness grade; an **interface** is what can be substituted
(a protocol, a format, a language, an API); an **implementation** is a package (purl) or a system component
that implements an interface, with its **lineage** (shared-codebase family) and its **steward** (who is in
control). Every entry keeps the file it came from and whether that file was shipped or an overlay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Origin = Literal["catalogue", "overlay"]

#: The allowed values of the enumerated fields, shared by validation and the documentation test.
ACCESS = ("free", "paywalled")
STEWARD_KINDS = ("company", "foundation", "community", "individual", "public-body")
INTERFACE_KINDS = ("protocol", "format", "language", "api", "service")
SCOPES = ("ecosystem", "global")
STANDARD_PREFIXES = ("ietf", "iso", "ecma", "w3c", "whatwg", "pep", "spec", "ieee", "oasis", "itu", "ansi")

#: Interfaces every application of an ecosystem depends on: its language runtime.
RUNTIME_INTERFACES = {
    "pypi": "python-language",
    "npm": "ecmascript",
    "maven": "java-language",
    "golang": "go-language",
    "cargo": "rust-language",
}


@dataclass(frozen=True)
class Standard:
    id: str
    body: str
    number: str
    title: str
    url: str
    status: str
    openness: int
    access: str
    source: str
    conformance_suite: str | None = None
    year: int | None = None
    origin: Origin = "catalogue"
    file: str = ""


@dataclass(frozen=True)
class Steward:
    id: str
    name: str
    kind: str
    url: str
    source: str
    country: str | None = None
    origin: Origin = "catalogue"
    file: str = ""


@dataclass(frozen=True)
class Interface:
    id: str
    title: str
    kind: str
    scope: str
    source: str
    standards: tuple[str, ...] = ()
    domain: str = ""
    origin: Origin = "catalogue"
    file: str = ""


@dataclass(frozen=True)
class Implementation:
    """``subject`` is the purl (``pkg:pypi/pyjwt``) or the component (``system:gcc``)."""

    interface: str
    subject: str
    name: str
    lineage: str
    steward: str
    conformance: str
    evidence: str
    ecosystem: str
    is_component: bool = False
    origin: Origin = "catalogue"
    file: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.interface, self.subject)


@dataclass(frozen=True)
class Catalogue:
    standards: dict[str, Standard] = field(default_factory=dict)
    stewards: dict[str, Steward] = field(default_factory=dict)
    interfaces: dict[str, Interface] = field(default_factory=dict)
    implementations: dict[tuple[str, str], Implementation] = field(default_factory=dict)

    @cached_property
    def _by_interface(self) -> dict[str, list[Implementation]]:
        index: dict[str, list[Implementation]] = {}
        for impl in self.implementations.values():
            index.setdefault(impl.interface, []).append(impl)
        return index

    @cached_property
    def _by_subject(self) -> dict[str, list[Implementation]]:
        index: dict[str, list[Implementation]] = {}
        for impl in self.implementations.values():
            index.setdefault(impl.subject, []).append(impl)
        return index

    def implementations_of(self, interface_id: str) -> list[Implementation]:
        return list(self._by_interface.get(interface_id, ()))

    def interfaces_of(self, subject: str) -> list[Implementation]:
        """The catalogue entries of one package or component (one per interface it implements)."""
        return list(self._by_subject.get(subject, ()))
