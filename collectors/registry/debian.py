"""Debian: the archive's ``Sources`` and ``Packages`` indices of the releases in use
(https://wiki.debian.org/DebianRepository/Format), read once per refresh and streamed, then each package
looked up in them; the upstream repository from the source package's ``debian/upstream/metadata``
(https://wiki.debian.org/UpstreamMetadata), read from its ``.debian.tar.xz`` in the pool.

A ``pkg:deb/debian/<binary>`` from a container SBOM maps to its source package through ``Packages``
(``Source:``, else the binary's own name): maintainers, uploaders, homepage, Vcs-* and Standards-Version
are the source package's. Vcs-Git is Debian's packaging repository: it is kept as a project URL, never as
the repository mined for the upstream's people. Packages of other distributions (``pkg:deb/ubuntu/...``)
are skipped with that reason.

Releases come from ``$SOCLE_DEBIAN_RELEASES`` (default ``bookworm``), the component is ``main`` and the
architecture ``amd64``; the purl's ``distro`` qualifier is not kept by the inventory, so it cannot choose.
"""

from __future__ import annotations

import asyncio
import io
import lzma
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

import yaml

from collectors.base import (
    Collected,
    Document,
    Maintainer,
    Outcome,
    PackageMetadata,
    PackageRef,
    Release,
    Skipped,
    Unchanged,
    answer_signature,
)
from collectors.errors import InputError, SocleError, TerminalError
from collectors.http import Fetcher
from collectors.purls import purl_for as canonical_purl
from collectors.registry.deb822 import decompress_xz, paragraphs, people
from collectors.registry.fetch import failed, require_identity
from collectors.registry.repository_urls import normalise_repository_url, repository_from_links

BASE_URL = "https://deb.debian.org/debian"
DEFAULT_RELEASES = ("bookworm",)
MAX_DEBIAN_TAR = 20 * 1024 * 1024
_SOURCE_FIELDS = (
    "Package",
    "Version",
    "Maintainer",
    "Uploaders",
    "Homepage",
    "Vcs-Git",
    "Vcs-Browser",
    "Standards-Version",
    "Directory",
    "Format",
)
_BINARY_FIELDS = ("Package", "Source", "Version", "Description")


class _IndexMissing(TerminalError):
    """The mirror has no index for a release (404): its packages are skipped, not failed."""


@dataclass(frozen=True)
class SourcePackage:
    name: str
    version: str
    fields: dict[str, str]


@dataclass
class ReleaseIndex:
    """One release's source packages and the binary -> source mapping (with the binary's summary)."""

    release: str
    sources: dict[str, SourcePackage] = field(default_factory=dict)
    binaries: dict[str, tuple[str, str]] = field(default_factory=dict)  # binary -> (source, summary)


def _pieces(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), 1024 * 1024):
        yield body[start : start + 1024 * 1024]


def parse_indices(release: str, sources_xz: bytes, packages_xz: bytes, source: str) -> ReleaseIndex:
    """Stream both indices into a :class:`ReleaseIndex` (only the fields socle uses are kept)."""
    index = ReleaseIndex(release)
    for para in paragraphs(decompress_xz(_pieces(sources_xz), source), _SOURCE_FIELDS, source):
        name, version = para.get("Package"), para.get("Version")
        if name and version:
            index.sources[name] = SourcePackage(name, version, para)
    for para in paragraphs(decompress_xz(_pieces(packages_xz), source), _BINARY_FIELDS, source):
        binary = para.get("Package")
        if not binary:
            continue
        # "Source: name (version)" when the source version differs; absent when it is the binary's name.
        src = (para.get("Source") or binary).split(" ", 1)[0]
        index.binaries[binary] = (src, para.get("Description", "").split("\n", 1)[0][:300])
    return index


def releases_in_use() -> tuple[str, ...]:
    configured = os.environ.get("SOCLE_DEBIAN_RELEASES", "")
    names = tuple(r.strip() for r in configured.split(",") if r.strip())
    return names or DEFAULT_RELEASES


def _dep5_licence(text: str) -> str | None:
    """The ``License`` of the ``Files: *`` paragraph of a machine-readable debian/copyright (DEP-5,
    https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/), i.e. the upstream work's licence."""
    for paragraph in text.split("\n\n"):
        fields = {}
        for line in paragraph.splitlines():
            if line[:1] not in (" ", "\t") and ":" in line:
                key, _, value = line.partition(":")
                fields[key.strip().lower()] = value.strip()
        if fields.get("files") == "*" and fields.get("license"):
            return fields["license"][:200]
    return None


def upstream_facts(debian_tar: bytes, source: str) -> dict[str, str]:
    """From a debian.tar.xz: ``debian/upstream/metadata`` fields (Repository, Repository-Browse,
    Bug-Database) and ``License``, the upstream licence from a machine-readable ``debian/copyright``."""
    if len(debian_tar) > MAX_DEBIAN_TAR:
        raise InputError(
            source, f"archive of {len(debian_tar)} bytes exceeds the {MAX_DEBIAN_TAR}-byte limit"
        )
    facts: dict[str, str] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(debian_tar), mode="r:xz") as archive:
            for count, member in enumerate(archive):
                if count > 20_000:
                    break
                name = member.name.removeprefix("./")
                if not member.isfile() or member.size > 1_000_000:
                    continue
                if name == "debian/upstream/metadata":
                    handle = archive.extractfile(member)
                    doc = yaml.safe_load(handle.read()) if handle else None
                    if isinstance(doc, dict):
                        facts.update(
                            {
                                str(k): v.strip()
                                for k, v in doc.items()
                                if isinstance(v, str) and len(v) < 2000
                            }
                        )
                elif name == "debian/copyright":
                    handle = archive.extractfile(member)
                    licence = _dep5_licence(handle.read().decode("utf-8", "replace")) if handle else None
                    if licence:
                        facts["License"] = licence
    except (tarfile.TarError, OSError, EOFError, lzma.LZMAError, yaml.YAMLError) as exc:
        raise InputError(source, f"unreadable debian.tar.xz ({exc})") from exc
    return facts


class DebianCollector:
    ecosystem = "deb"

    def __init__(self, base_url: str = BASE_URL, releases: tuple[str, ...] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.releases = releases or releases_in_use()
        self._indices: dict[str, asyncio.Task[ReleaseIndex]] = {}
        self._upstream: dict[str, asyncio.Task[dict[str, str]]] = {}

    def purl_for(self, name: str) -> str:
        namespace, _, bare = name.rpartition("/")
        return canonical_purl("deb", bare, namespace or "debian")

    def index_urls(self, release: str) -> tuple[str, str]:
        dist = f"{self.base_url}/dists/{release}/main"
        return f"{dist}/source/Sources.xz", f"{dist}/binary-amd64/Packages.xz"

    async def _load(self, fetcher: Fetcher, release: str) -> ReleaseIndex:
        bodies = []
        for url in self.index_urls(release):
            answer = await fetcher.get(url, accept="*/*")
            if answer.status == 404:
                raise _IndexMissing(f"no {release} index on {self.base_url} (404)")
            if answer.status != 200:
                raise TerminalError(f"{url}: HTTP {answer.status}")
            bodies.append(answer.body)
        # Parsing is CPU work: a thread keeps the other registries' requests moving meanwhile.
        return await asyncio.to_thread(
            parse_indices, release, bodies[0], bodies[1], self.index_urls(release)[0]
        )

    async def index(self, fetcher: Fetcher, release: str) -> ReleaseIndex:
        if release not in self._indices:
            self._indices[release] = asyncio.ensure_future(self._load(fetcher, release))
        return await asyncio.shield(self._indices[release])

    async def _fetch_upstream(self, fetcher: Fetcher, package: SourcePackage) -> dict[str, str]:
        directory = package.fields.get("Directory")
        if not directory or "quilt" not in package.fields.get("Format", ""):
            return {}  # native packages have no separate debian/ archive
        version = package.version.split(":", 1)[-1]
        url = f"{self.base_url}/{directory}/{package.name}_{version}.debian.tar.xz"
        answer = await fetcher.get(url, accept="*/*")
        if answer.status != 200:
            return {}
        return await asyncio.to_thread(upstream_facts, answer.body, url)

    async def upstream(self, fetcher: Fetcher, package: SourcePackage) -> dict[str, str]:
        key = f"{package.name}_{package.version}"
        if key not in self._upstream:
            self._upstream[key] = asyncio.ensure_future(self._fetch_upstream(fetcher, package))
        return await asyncio.shield(self._upstream[key])

    async def collect(self, fetcher: Fetcher, ref: PackageRef, *, now: datetime) -> Outcome:
        namespace, _, binary = ref.name.rpartition("/")
        if namespace and namespace != "debian":
            return Skipped(ref.purl, f"a {namespace} package: only Debian's archive is collected")
        found: list[tuple[str, SourcePackage, str]] = []
        try:
            for release in self.releases:
                index = await self.index(fetcher, release)
                src_name, summary = index.binaries.get(binary, (binary, ""))
                if src_name in index.sources:
                    found.append((release, index.sources[src_name], summary))
        except _IndexMissing as exc:
            return Skipped(ref.purl, str(exc))  # like a package a registry answers 404 for
        except SocleError as exc:
            return failed(ref, exc)
        if not found:
            return Skipped(ref.purl, f"not in Debian {', '.join(self.releases)} main")
        newest_release, package, summary = found[-1]
        try:
            # As for every registry: the index paragraph must name the source package the binary maps to
            # and carry a version, or the earlier record stays (parse_indices drops such paragraphs today).
            require_identity(
                replace(ref, name=package.name),
                answered_name=package.fields.get("Package"),
                latest=package.version,
            )
        except SocleError as exc:
            return failed(ref, exc)
        paragraph = "\n".join(f"{k}: {v}" for k, v in sorted(package.fields.items())).encode()
        signature = answer_signature(paragraph, ref.versions)
        if signature == ref.previous_signature:
            return Unchanged(ref.purl)
        warnings: list[str] = []
        try:
            upstream = await self.upstream(fetcher, package)
        except SocleError as exc:
            upstream = {}
            warnings.append(f"debian/upstream/metadata unavailable: {exc}")
        fields = package.fields
        homepage = fields.get("Homepage")
        upstream_repo = normalise_repository_url(upstream.get("Repository")) or normalise_repository_url(
            upstream.get("Repository-Browse")
        )
        vcs = [("vcs-git", fields.get("Vcs-Git")), ("vcs-browser", fields.get("Vcs-Browser"))]
        project_urls = tuple(
            (label, url)
            for label, url in [("homepage", homepage), *vcs, ("issues", upstream.get("Bug-Database"))]
            if url
        )
        maintainers = [
            Maintainer(login=name, email=email, role="maintainer")
            for name, email in people(fields.get("Maintainer"))
        ] + [
            Maintainer(login=name, email=email, role="uploader")
            for name, email in people(fields.get("Uploaders"))
        ]
        metadata = PackageMetadata(
            purl=ref.purl,
            ecosystem="deb",
            latest_version=package.version,
            summary=summary or None,
            homepage=homepage,
            license=upstream.get("License"),
            repository_url=upstream_repo
            or repository_from_links([("homepage", homepage)] if homepage else []),
            classifiers=tuple(
                f"{label} :: {value}"
                for label, value in (
                    ("Debian-Source", package.name),
                    ("Standards-Version", fields.get("Standards-Version")),
                    ("Debian-Release", newest_release),
                )
                if value
            ),
            project_urls=project_urls,
            releases_last_12m=None,  # the indices date no upload: not known
        )
        return Collected(
            metadata=metadata,
            releases=tuple(Release(v, None) for v in dict.fromkeys(p.version for _, p, _ in found)),
            maintainers=tuple(maintainers),
            # One document per binary package (documents are keyed by URL; binaries share a source paragraph).
            documents=(Document(f"{self.index_urls(newest_release)[1]}#{binary}", paragraph),),
            warnings=tuple(warnings),
            signature=signature,
        )

    async def dependencies_of(self, fetcher: Fetcher, ref: PackageRef, version: str) -> tuple[()]:
        # Container SBOMs list every installed package: Debian packages are not completed transitively.
        return ()

    def best_version(self, versions: list[str], specifier: str | None) -> str | None:
        return specifier if specifier in versions else (versions[-1] if versions else None)
