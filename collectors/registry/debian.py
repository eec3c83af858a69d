"""Debian: the archive's ``Sources`` and ``Packages`` indices of the releases in use
(https://wiki.debian.org/DebianRepository/Format), read once per refresh and streamed, then each package
looked up in them; the upstream repository from the source package's ``debian/upstream/metadata``
(https://wiki.debian.org/UpstreamMetadata), read from its ``.debian.tar.xz`` in the pool.

A ``pkg:deb/debian/<binary>`` from a container SBOM maps to its source package through ``Packages``
(``Source:``, else the binary's own name): maintainers, uploaders, homepage, Vcs-* and Standards-Version
are the source package's. Vcs-Git is Debian's packaging repository: it is kept as a project URL, never as
the repository mined for the upstream's people. Packages of other distributions (``pkg:deb/ubuntu/...``)
are skipped with that reason.

Which indices are read (releases, suites, components, architectures) is :mod:`debian_archive`'s: by default
the release a purl's ``distro`` qualifier names (``debian-12``: bookworm), else ``$SOCLE_DEBIAN_RELEASES``,
with its updates and security suites, all four components, amd64.

The binary package's ``Pre-Depends`` and ``Depends`` (first alternative of each group) are its
dependencies for transitive completion; their purls keep the ``distro`` of the package that needs them.
The dates of the source versions come from ``debian/changelog`` in the same ``.debian.tar.xz`` (each
entry's trailer line, https://www.debian.org/doc/debian-policy/ch-source.html#debian-changelog): the
upload date of the archive's version and of any older version in use that the changelog lists.
"""

from __future__ import annotations

import asyncio
import email.utils
import io
import lzma
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import unquote

import yaml

from collectors.base import (
    Collected,
    Dependency,
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
from collectors.errors import InputError, SocleError, TerminalError, TransientError
from collectors.http import Fetcher
from collectors.purls import purl_for as canonical_purl
from collectors.registry.deb822 import people
from collectors.registry.debian_archive import (
    ArchiveLayout,
    BinaryPackage,
    IndexFile,
    ReleaseIndex,
    SourcePackage,
    relations,
)
from collectors.registry.fetch import failed, require_identity
from collectors.registry.repository_urls import normalise_repository_url, repository_from_links

BASE_URL = "https://deb.debian.org/debian"
MAX_DEBIAN_TAR = 20 * 1024 * 1024
#: Changelog entries read for their dates (the newest first): enough for the versions a release carries.
MAX_CHANGELOG_ENTRIES = 500
_CHANGELOG_HEAD = re.compile(r"^[a-z0-9][a-z0-9+.-]* \(([^()\s]+)\)")
_CHANGELOG_TRAILER = re.compile(r"^ -- .*<[^>]*>  (.+)$")


class _IndexMissing(TerminalError):
    """The mirror has no index for a release (404): its packages are skipped, not failed."""


def _pieces(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), 1024 * 1024):
        yield body[start : start + 1024 * 1024]


def parse_release(release: str, answers: list[tuple[IndexFile, bytes | None]]) -> ReleaseIndex:
    """A release's index from the answers of its index files (None: the file answered 404)."""
    index = ReleaseIndex(release)
    for file, body in answers:
        if body is None:
            index.skipped.append(file.url)
        elif file.kind == "sources":
            index.add_sources(_pieces(body), file.archive, file.url)
        else:
            index.add_binaries(_pieces(body), file.url)
    return index


def changelog_dates(text: str) -> dict[str, datetime]:
    """version -> upload date of each entry of a debian/changelog, newest first, at most
    ``MAX_CHANGELOG_ENTRIES``; an entry whose date does not parse is left out."""
    dates: dict[str, datetime] = {}
    version: str | None = None
    for line in text.splitlines():
        head = _CHANGELOG_HEAD.match(line)
        if head:
            version = head.group(1)
            continue
        trailer = _CHANGELOG_TRAILER.match(line)
        if trailer and version is not None:
            try:
                when = email.utils.parsedate_to_datetime(trailer.group(1).strip())
            except (TypeError, ValueError, IndexError):
                when = None
            if when is not None:
                dates.setdefault(version, when if when.tzinfo else when.replace(tzinfo=UTC))
            version = None
            if len(dates) >= MAX_CHANGELOG_ENTRIES:
                break
    return dates


def distro_of(purl: str) -> str | None:
    """The ``distro`` qualifier of a stored purl (``pkg:deb/debian/libc6?distro=debian-12``), if any."""
    _, _, query = purl.partition("?")
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == "distro" and value:
            return unquote(value)
    return None


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


@dataclass(frozen=True)
class UpstreamFacts:
    fields: dict[str, str] = field(default_factory=dict)
    dates: dict[str, datetime] = field(default_factory=dict)  # version -> upload date (debian/changelog)


def upstream_facts(debian_tar: bytes, source: str) -> UpstreamFacts:
    """From a debian.tar.xz: ``debian/upstream/metadata`` fields (Repository, Repository-Browse,
    Bug-Database), ``License``, the upstream licence from a machine-readable ``debian/copyright``, and the
    upload dates of ``debian/changelog``."""
    if len(debian_tar) > MAX_DEBIAN_TAR:
        raise InputError(
            source, f"archive of {len(debian_tar)} bytes exceeds the {MAX_DEBIAN_TAR}-byte limit"
        )
    facts: dict[str, str] = {}
    dates: dict[str, datetime] = {}
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
                elif name == "debian/changelog":
                    handle = archive.extractfile(member)
                    dates = changelog_dates(handle.read().decode("utf-8", "replace")) if handle else {}
    except (tarfile.TarError, OSError, EOFError, lzma.LZMAError, yaml.YAMLError) as exc:
        raise InputError(source, f"unreadable debian.tar.xz ({exc})") from exc
    return UpstreamFacts(facts, dates)


class DebianCollector:
    ecosystem = "deb"

    def __init__(self, base_url: str = BASE_URL, releases: tuple[str, ...] | None = None) -> None:
        self.layout = ArchiveLayout.from_environment(base_url, releases)
        self.base_url = self.layout.base_url
        self._indices: dict[str, asyncio.Task[ReleaseIndex]] = {}
        self._upstream: dict[str, asyncio.Task[UpstreamFacts]] = {}

    @property
    def releases(self) -> tuple[str, ...]:
        return self.layout.releases

    def purl_for(self, name: str) -> str:
        """``debian/libc6`` or, for a dependency, ``debian/libc6?distro=debian-12`` (the distro of the
        package that needs it)."""
        bare_name, _, query = name.partition("?")
        namespace, _, bare = bare_name.rpartition("/")
        distro = distro_of("?" + query) if query else None
        return canonical_purl("deb", bare, namespace or "debian", distro=distro)

    def index_urls(self, release: str) -> tuple[str, str]:
        """The release's main Sources and first architecture's Packages (the two indices every layout reads)."""
        dist = f"{self.base_url}/dists/{release}/main"
        return f"{dist}/source/Sources.xz", f"{dist}/binary-{self.layout.architectures[0]}/Packages.xz"

    async def _fetch_index(self, fetcher: Fetcher, index: IndexFile) -> bytes | None:
        answer = await fetcher.get(index.url, accept="*/*")
        if answer.status == 404:
            if index.required:
                raise _IndexMissing(f"no {index.url} on the mirror (404)")
            return None
        if answer.status != 200:
            raise TerminalError(f"{index.url}: HTTP {answer.status}")
        return answer.body

    async def _load(self, fetcher: Fetcher, release: str) -> ReleaseIndex:
        files = list(self.layout.indices(release))
        bodies = await asyncio.gather(*(self._fetch_index(fetcher, f) for f in files))
        # Parsing is CPU work: a thread keeps the other registries' requests moving meanwhile.
        return await asyncio.to_thread(parse_release, release, list(zip(files, bodies, strict=True)))

    async def index(self, fetcher: Fetcher, release: str) -> ReleaseIndex:
        if release not in self._indices:
            self._indices[release] = asyncio.ensure_future(self._load(fetcher, release))
        return await asyncio.shield(self._indices[release])

    async def _fetch_upstream(self, fetcher: Fetcher, package: SourcePackage) -> UpstreamFacts:
        directory = package.fields.get("Directory")
        if not directory or "quilt" not in package.fields.get("Format", ""):
            return UpstreamFacts()  # native packages have no separate debian/ archive
        version = package.version.split(":", 1)[-1]
        url = f"{package.archive or self.base_url}/{directory}/{package.name}_{version}.debian.tar.xz"
        answer = await fetcher.get(url, accept="*/*")
        if answer.status != 200:
            return UpstreamFacts()
        return await asyncio.to_thread(upstream_facts, answer.body, url)

    async def upstream(self, fetcher: Fetcher, package: SourcePackage) -> UpstreamFacts:
        key = f"{package.name}_{package.version}"
        if key not in self._upstream:
            self._upstream[key] = asyncio.ensure_future(self._fetch_upstream(fetcher, package))
        return await asyncio.shield(self._upstream[key])

    async def upstream_of(
        self, fetcher: Fetcher, index: ReleaseIndex, package: SourcePackage
    ) -> tuple[UpstreamFacts, str | None]:
        """The facts of the newest version whose archive the mirror serves (the newest first, then the
        versions it displaced), with the version they were read from."""
        for candidate in [package, *index.older.get(package.name, [])]:
            facts = await self.upstream(fetcher, candidate)
            if facts.fields or facts.dates:
                return facts, candidate.version
        return UpstreamFacts(), None

    async def _find(
        self, fetcher: Fetcher, binary: str, releases: tuple[str, ...]
    ) -> list[tuple[ReleaseIndex, SourcePackage, BinaryPackage | None]]:
        found = []
        for release in releases:
            index = await self.index(fetcher, release)
            built = index.binaries.get(binary)
            src_name = built.source if built else binary
            if src_name in index.sources:
                found.append((index, index.sources[src_name], built))
        return found

    def _dependencies(
        self, built: BinaryPackage | None, versions: tuple[str, ...], distro: str | None
    ) -> tuple[Dependency, ...]:
        if built is None:
            return ()
        qualifier = f"?distro={distro}" if distro else ""
        out = []
        for relation in relations(built.depends)[:500]:
            marker = f"or {' | '.join(relation.alternatives)}" if relation.alternatives else None
            for version in versions:
                out.append(
                    Dependency(
                        version, f"debian/{relation.name}{qualifier}", relation.specifier, "runtime", marker
                    )
                )
        return tuple(out)

    async def collect(self, fetcher: Fetcher, ref: PackageRef, *, now: datetime) -> Outcome:
        namespace, _, binary = ref.name.partition("?")[0].rpartition("/")
        if namespace and namespace != "debian":
            return Skipped(ref.purl, f"a {namespace} package: only Debian's archive is collected")
        distro = distro_of(ref.purl)
        releases = self.layout.releases_for(distro)
        try:
            found = await self._find(fetcher, binary, releases)
        except _IndexMissing as exc:
            return Skipped(ref.purl, str(exc))  # like a package a registry answers 404 for
        except SocleError as exc:
            return failed(ref, exc)
        if not found:
            where = f"{', '.join(releases)} ({', '.join(self.layout.components)})"
            return Skipped(ref.purl, f"not in Debian {where}")
        newest_index, package, built = found[-1]
        try:
            # As for every registry: the index paragraph must name the source package the binary maps to
            # and carry a version, or the earlier record stays (the archive reader drops such paragraphs today).
            require_identity(
                replace(ref, name=package.name),
                answered_name=package.fields.get("Package"),
                latest=package.version,
            )
        except SocleError as exc:
            return failed(ref, exc)
        paragraph = "\n".join(f"{k}: {v}" for k, v in sorted(package.fields.items())).encode()
        depends = built.depends.encode() if built else b""
        signature = answer_signature(paragraph + b"\n" + depends, ref.versions)
        if signature == ref.previous_signature:
            return Unchanged(ref.purl)
        warnings = [f"index not on the mirror (404): {url}" for url in newest_index.skipped][:10]
        try:
            upstream, read_from = await self.upstream_of(fetcher, newest_index, package)
        except TransientError as exc:
            # Retried next run: a record rewritten without the archive's facts would lose its repository.
            return failed(ref, exc)
        except SocleError as exc:
            upstream, read_from = UpstreamFacts(), ""
            warnings.append(f"debian/upstream/metadata unavailable: {exc}")
        if read_from is None and "quilt" in package.fields.get("Format", ""):
            warnings.append(
                f"no readable {package.name} source archive on the mirror: upstream metadata, licence and dates "
                "not known"
            )
        if read_from and read_from != package.version:
            warnings.append(
                f"the {package.version} source archive is not on the mirror: upstream metadata, licence and "
                f"dates read from {read_from}"
            )
        facts, fields = upstream.fields, package.fields
        homepage = fields.get("Homepage")
        upstream_repo = normalise_repository_url(facts.get("Repository")) or normalise_repository_url(
            facts.get("Repository-Browse")
        )
        vcs = [("vcs-git", fields.get("Vcs-Git")), ("vcs-browser", fields.get("Vcs-Browser"))]
        project_urls = tuple(
            (label, url)
            for label, url in [("homepage", homepage), *vcs, ("issues", facts.get("Bug-Database"))]
            if url
        )
        maintainers = [
            Maintainer(login=name, email=email, role="maintainer")
            for name, email in people(fields.get("Maintainer"))
        ] + [
            Maintainer(login=name, email=email, role="uploader")
            for name, email in people(fields.get("Uploaders"))
        ]
        # The versions the indices list, and the versions in use (an older install is dated by the changelog).
        seen = [v for index, p, _ in found for v in index.versions.get(p.name, [p.version])] + list(
            ref.versions
        )
        releases_found = tuple(Release(v, upstream.dates.get(v)) for v in dict.fromkeys(seen))
        metadata = PackageMetadata(
            purl=ref.purl,
            ecosystem="deb",
            latest_version=package.version,
            summary=(built.summary if built else "") or None,
            homepage=homepage,
            license=facts.get("License"),
            repository_url=upstream_repo
            or repository_from_links([("homepage", homepage)] if homepage else []),
            classifiers=tuple(
                f"{label} :: {value}"
                for label, value in (
                    ("Debian-Source", package.name),
                    ("Standards-Version", fields.get("Standards-Version")),
                    ("Debian-Release", newest_index.release),
                )
                if value
            ),
            project_urls=project_urls,
            # The upload date of the archive's version, from its changelog; older uploads are not counted.
            last_release_at=upstream.dates.get(package.version),
            releases_last_12m=None,
        )
        in_use = ref.versions or ((built.version,) if built else ())
        return Collected(
            metadata=metadata,
            releases=releases_found,
            maintainers=tuple(maintainers),
            dependencies=self._dependencies(built, in_use, distro),
            # One document per package (documents are keyed by URL; binaries share a source paragraph, and one
            # binary may be stored once per distro).
            documents=(
                Document(
                    f"{self.index_urls(newest_index.release)[1]}#{binary}"
                    + (f";distro={distro}" if distro else ""),
                    paragraph,
                ),
            ),
            warnings=tuple(warnings),
            signature=signature,
        )

    async def dependencies_of(
        self, fetcher: Fetcher, ref: PackageRef, version: str
    ) -> tuple[Dependency, ...]:
        """The Depends of the binary as the archive has it now: Debian indices keep one version per suite,
        so an older installed version is given its current successor's dependencies."""
        binary = ref.name.partition("?")[0].rpartition("/")[2]
        distro = distro_of(ref.purl)
        found = await self._find(fetcher, binary, self.layout.releases_for(distro))
        return self._dependencies(found[-1][2], (version,), distro) if found else ()

    def best_version(self, versions: list[str], specifier: str | None) -> str | None:
        return specifier if specifier in versions else (versions[-1] if versions else None)
