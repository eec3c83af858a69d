"""The catalogue's entities, as frozen dataclasses (see the README, "Standards and implementation diversity").

A **standard** is a published text with an openness grade; an **interface** is what can be substituted
(a protocol, a format, a language, an API); an **implementation** is a package (purl) or a system component
that implements an interface, with its **lineage** (shared-codebase family) and its **steward** (who is in
control). Every entry keeps the file it came from and whether that file was shipped or an overlay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

Origin = Literal["catalogue", "overlay"]

#: The allowed values of the enumerated fields, shared by validation and the documentation test.
ACCESS = ("free", "paywalled")
STEWARD_KINDS = ("company", "foundation", "community", "individual", "public-body")
INTERFACE_KINDS = ("protocol", "format", "language", "api", "service")
SCOPES = ("ecosystem", "global")
STANDARD_PREFIXES = ("ietf", "iso", "ecma", "w3c", "whatwg", "pep", "spec", "ieee", "oasis", "itu", "ansi")

#: How high up the steward hierarchy independent control is counted (see ``Catalogue.controller``):
#: ``ultimate`` (the default) groups stewards by the organisation at the top of their parent chain (CNCF,
#: OpenJS and OpenInfra count as the Linux Foundation); ``parent`` goes one level up; ``steward`` counts
#: stewards as named.
CONTROL_LEVELS = ("ultimate", "parent", "steward")
DEFAULT_CONTROL_LEVEL = "ultimate"

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
    #: the id of the standard's newer edition, when the catalogue knows one (TOML 1.0 -> TOML 1.1)
    superseded_by: str | None = None
    #: the date these facts were last checked against their source
    checked: date | None = None
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
    #: the steward that controls this one (CNCF -> Linux Foundation; a subsidiary -> its group), with the
    #: date it joined and the source saying so
    parent: str | None = None
    parent_since: date | int | None = None  # a date, or only the year where the day is not published
    parent_source: str | None = None
    checked: date | None = None
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
    checked: date | None = None
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
    #: why the implementation does or does not conform (required reading when ``conformance`` is false:
    #: "decodes without verifying signatures" is not an exit from a validating library)
    conformance_note: str | None = None
    #: the steward that sells the commercial licence or holds the copyright, when not the steward itself
    licensor: str | None = None
    licensor_source: str | None = None
    #: subjects this implementation depends on: it is not independent of them
    depends_on: tuple[str, ...] = ()
    #: subjects whose API this implementation offers (a compat layer): moving from them is a drop-in
    drop_in_for: tuple[str, ...] = ()
    drop_in_evidence: str | None = None
    checked: date | None = None
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

    def control_chain(self, steward_id: str) -> tuple[str, ...]:
        """The steward, its parent, the parent's parent... up to the ultimate parent (cycles are rejected
        by validation; a guard stops here too)."""
        chain = [steward_id]
        while True:
            steward = self.stewards.get(chain[-1])
            if steward is None or steward.parent is None or steward.parent in chain:
                return tuple(chain)
            chain.append(steward.parent)

    def controller(self, steward_id: str, level: str = DEFAULT_CONTROL_LEVEL) -> str:
        """Who controls ``steward_id`` at ``level`` (one of ``CONTROL_LEVELS``)."""
        if level not in CONTROL_LEVELS:
            raise ValueError(f"control level must be one of {', '.join(CONTROL_LEVELS)}; got {level!r}")
        chain = self.control_chain(steward_id)
        if level == "steward":
            return chain[0]
        if level == "parent":
            return chain[min(1, len(chain) - 1)]
        return chain[-1]

    def implementations_of(self, interface_id: str) -> list[Implementation]:
        return list(self._by_interface.get(interface_id, ()))

    def subject_of(self, purl: str) -> str:
        """The catalogue subject of a stored purl. An operating-system package is stored with its release
        (``pkg:deb/debian/libssl3?distro=debian-12``) and listed once for all releases, without it."""
        if purl in self._by_subject or "?distro=" not in purl:
            return purl
        return purl.partition("?")[0]

    def interfaces_of(self, subject: str) -> list[Implementation]:
        """The catalogue entries of one package or component (one per interface it implements)."""
        return list(self._by_subject.get(self.subject_of(subject), ()))
