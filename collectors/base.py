"""What every registry collector is and returns.

One collector per ecosystem implements :class:`Collector`; :data:`COLLECTORS` is the explicit registry the
refresh picks from, so supporting crates.io or Maven Central later means one new module and one line here.
A collector turns registry answers into frozen dataclasses and never touches the store: a package that does
not exist is a :class:`Skipped` (with the reason), a hostile or unreachable answer a :class:`Failed`.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from collectors.http import Fetcher


@dataclass(frozen=True)
class PackageRef:
    """A package to collect: its purl, registry name, and the versions the organisation uses."""

    purl: str
    ecosystem: str
    name: str  # the registry's name: "requests", "@babel/core"
    versions: tuple[str, ...] = ()
    #: Signature of the answer behind the last good record; an identical answer needs no new parse or write.
    previous_signature: str | None = None


def answer_signature(body: bytes, versions: tuple[str, ...]) -> str:
    """What a collection depends on: the registry's answer and the versions in use."""
    digest = hashlib.sha256(body)
    digest.update("\0".join(sorted(versions)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Release:
    version: str
    released_at: datetime | None
    yanked: bool = False


@dataclass(frozen=True)
class Maintainer:
    login: str | None
    email: str | None
    role: str | None
    #: The organisation the registry names for this person (Maven ``<organization>``); None: not stated.
    organisation: str | None = None


@dataclass(frozen=True)
class Dependency:
    """One declared dependency of one version: ``name`` as the registry spells it."""

    version: str
    name: str
    specifier: str | None
    kind: str  # runtime | optional | peer | dev
    marker: str | None = None


@dataclass(frozen=True)
class FundingLink:
    url: str
    platform: str
    label: str | None


@dataclass(frozen=True)
class Document:
    """A raw registry answer, kept (compressed) so analyses can be recomputed without the network."""

    url: str
    body: bytes


@dataclass(frozen=True)
class PackageMetadata:
    purl: str
    ecosystem: str
    latest_version: str | None
    summary: str | None = None
    description: str | None = None
    homepage: str | None = None
    repository_url: str | None = None
    repository_directory: str | None = None
    license: str | None = None
    deprecated: str | None = None
    first_release_at: datetime | None = None
    last_release_at: datetime | None = None
    #: None: the registry does not date enough releases to count them (Debian, most Maven versions).
    releases_last_12m: int | None = 0
    keywords: tuple[str, ...] = ()
    classifiers: tuple[str, ...] = ()
    project_urls: tuple[tuple[str, str], ...] = ()  # (normalised label, url)
    requires_python: str | None = None
    ownership_org: str | None = None


@dataclass(frozen=True)
class Collected:
    """Everything one package's answers said."""

    metadata: PackageMetadata
    releases: tuple[Release, ...] = ()
    maintainers: tuple[Maintainer, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    funding: tuple[FundingLink, ...] = ()
    documents: tuple[Document, ...] = ()
    warnings: tuple[str, ...] = ()
    signature: str | None = None

    @property
    def purl(self) -> str:
        return self.metadata.purl


@dataclass(frozen=True)
class Skipped:
    purl: str
    reason: str


@dataclass(frozen=True)
class Failed:
    purl: str
    reason: str
    transient: bool = field(default=True)


@dataclass(frozen=True)
class Unchanged:
    """The registry answered exactly what the stored record was built from (often a 304 from the cache)."""

    purl: str


Outcome = Collected | Unchanged | Skipped | Failed


class Collector(Protocol):
    """One ecosystem's registry."""

    ecosystem: str

    async def collect(self, fetcher: Fetcher, ref: PackageRef, *, now: datetime) -> Outcome:
        """Metadata, releases, maintainers, funding and the dependencies of ``ref.versions`` (else latest)."""
        ...

    async def dependencies_of(
        self, fetcher: Fetcher, ref: PackageRef, version: str
    ) -> tuple[Dependency, ...]:
        """The declared dependencies of one version (transitive completion). Raises SocleError."""
        ...

    def best_version(self, versions: list[str], specifier: str | None) -> str | None:
        """The newest of ``versions`` that satisfies ``specifier`` (None: the newest stable)."""
        ...

    def purl_for(self, name: str) -> str:
        """The normalised, versionless purl of a registry name."""
        ...


#: ecosystem (purl type) -> "module:Class". Imported on use: no work at import time.
COLLECTORS: dict[str, str] = {
    "pypi": "collectors.registry.pypi:PypiCollector",
    "npm": "collectors.registry.npm:NpmCollector",
    "maven": "collectors.registry.maven:MavenCollector",
    "golang": "collectors.registry.golang:GoCollector",
    "cargo": "collectors.registry.cargo:CargoCollector",
    "deb": "collectors.registry.debian:DebianCollector",
}


def collector_for(ecosystem: str) -> Collector:
    try:
        module_name, class_name = COLLECTORS[ecosystem].split(":")
    except KeyError:
        raise KeyError(f"no registry collector for ecosystem {ecosystem!r}") from None
    cls = getattr(importlib.import_module(module_name), class_name)
    collector: Collector = cls()
    return collector
