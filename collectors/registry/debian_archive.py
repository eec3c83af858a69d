"""Which of Debian's archive indices socle reads, and how they merge into one index per release.

A release (``bookworm``) is read from its suites: the release itself and ``bookworm-updates`` on the main
archive, ``bookworm-security`` on the security archive (``deb.debian.org/debian-security``, whose pool
paths are relative to it); each in the components and architectures configured
(https://wiki.debian.org/DebianRepository/Format). The newest version of a package across the suites wins,
by dpkg's version order (:func:`version_key`), so a security update replaces the point release's version.

Configuration, each a comma-separated list in the environment:

- ``$SOCLE_DEBIAN_RELEASES`` (default ``bookworm``): the releases read for a ``pkg:deb/debian/...`` without
  a ``distro`` qualifier; a purl's ``distro=debian-12`` reads that release (``bookworm``) instead;
- ``$SOCLE_DEBIAN_SUITES`` (default ``release,updates,security``);
- ``$SOCLE_DEBIAN_COMPONENTS`` (default ``main,contrib,non-free,non-free-firmware``);
- ``$SOCLE_DEBIAN_ARCHITECTURES`` (default ``amd64``): packages of architecture ``all`` are listed in each
  architecture's ``Packages`` too (``No-Support-for-Architecture-all: Packages`` in the Release file), so
  ``all`` is needed only to see them without any architecture; ``arm64`` adds the arm64 builds;
- ``$SOCLE_DEBIAN_SECURITY_URL`` (default: the archive URL with ``-security`` appended, or
  ``/debian-security`` on its host when the archive is at the host's root).

An index that answers 404 is skipped and named in the record's warnings, except the release's ``main``
component: without it the release is not there at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from collectors.registry.deb822 import decompress_xz, paragraphs

DEFAULT_RELEASES = ("bookworm",)
DEFAULT_SUITES = ("release", "updates", "security")
DEFAULT_COMPONENTS = ("main", "contrib", "non-free", "non-free-firmware")
DEFAULT_ARCHITECTURES = ("amd64",)
SUITES = frozenset(DEFAULT_SUITES)
#: Debian's release numbers and code names (https://www.debian.org/releases/), for ``distro=debian-12``.
CODENAMES = {
    "9": "stretch",
    "10": "buster",
    "11": "bullseye",
    "12": "bookworm",
    "13": "trixie",
    "14": "forky",
    "15": "duke",
}
SOURCE_FIELDS = (
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
BINARY_FIELDS = ("Package", "Source", "Version", "Description", "Depends", "Pre-Depends")
_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]*$")


def _listed(variable: str, default: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(n.strip() for n in os.environ.get(variable, "").split(",") if n.strip())
    return names or default


def security_beside(base_url: str) -> str:
    """The security archive beside an archive: ``https://deb.debian.org/debian`` ->
    ``https://deb.debian.org/debian-security``; an archive at a host's root -> ``/debian-security`` there."""
    _scheme, sep, rest = base_url.partition("://")
    return base_url + "-security" if sep and "/" in rest else base_url + "/debian-security"


@dataclass(frozen=True)
class ArchiveLayout:
    """Where the indices are and which of them are read."""

    base_url: str
    security_url: str
    releases: tuple[str, ...] = DEFAULT_RELEASES
    suites: tuple[str, ...] = DEFAULT_SUITES
    components: tuple[str, ...] = DEFAULT_COMPONENTS
    architectures: tuple[str, ...] = DEFAULT_ARCHITECTURES

    @classmethod
    def from_environment(cls, base_url: str, releases: tuple[str, ...] | None = None) -> ArchiveLayout:
        base = base_url.rstrip("/")
        return cls(
            base_url=base,
            security_url=os.environ.get("SOCLE_DEBIAN_SECURITY_URL", "").rstrip("/") or security_beside(base),
            releases=releases or _listed("SOCLE_DEBIAN_RELEASES", DEFAULT_RELEASES),
            suites=tuple(s for s in _listed("SOCLE_DEBIAN_SUITES", DEFAULT_SUITES) if s in SUITES),
            components=_listed("SOCLE_DEBIAN_COMPONENTS", DEFAULT_COMPONENTS),
            architectures=_listed("SOCLE_DEBIAN_ARCHITECTURES", DEFAULT_ARCHITECTURES),
        )

    def releases_for(self, distro: str | None) -> tuple[str, ...]:
        """``debian-12`` -> (``bookworm``,); a code name as itself; no or an unknown distro: the configured."""
        if distro:
            number = distro.removeprefix("debian-")
            name = CODENAMES.get(number, number if number in CODENAMES.values() else "")
            if name:
                return (name,)
        return self.releases

    def indices(self, release: str) -> Iterator[IndexFile]:
        """Every index of ``release``: for each suite and component, Sources then the Packages files."""
        for suite in self.suites:
            archive = self.security_url if suite == "security" else self.base_url
            dist = release if suite == "release" else f"{release}-{suite}"
            for component in self.components:
                required = suite == "release" and component == "main"
                prefix = f"{archive}/dists/{dist}/{component}"
                yield IndexFile(f"{prefix}/source/Sources.xz", archive, "sources", required)
                for architecture in self.architectures:
                    yield IndexFile(
                        f"{prefix}/binary-{architecture}/Packages.xz", archive, "binaries", required
                    )


@dataclass(frozen=True)
class IndexFile:
    url: str
    archive: str  # the base URL a source paragraph's Directory is relative to
    kind: str  # sources | binaries
    required: bool


@dataclass(frozen=True)
class SourcePackage:
    name: str
    version: str
    fields: dict[str, str]
    archive: str = ""


@dataclass(frozen=True, slots=True)
class BinaryPackage:
    source: str
    version: str
    summary: str
    depends: str  # Pre-Depends then Depends, as written


@dataclass
class ReleaseIndex:
    """One release's source packages (newest version across suites, with every version seen) and its
    binary packages (binary -> source, version, summary, dependencies)."""

    release: str
    sources: dict[str, SourcePackage] = field(default_factory=dict)
    binaries: dict[str, BinaryPackage] = field(default_factory=dict)
    versions: dict[str, list[str]] = field(default_factory=dict)  # source -> versions, in index order
    #: source -> the paragraphs a newer version displaced, newest first (their pool files may still be there
    #: when the newer one's are not: the security archive's pool does not answer from every network).
    older: dict[str, list[SourcePackage]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # indices that answered 404

    def add_sources(self, pieces: Iterable[bytes], archive: str, source: str) -> None:
        for para in paragraphs(decompress_xz(pieces, source), SOURCE_FIELDS, source):
            name, version = para.get("Package"), para.get("Version")
            if not name or not version:
                continue
            seen = self.versions.setdefault(name, [])
            if version not in seen:
                seen.append(version)
            candidate = SourcePackage(name, version, para, archive)
            known = self.sources.get(name)
            if known is None:
                self.sources[name] = candidate
                continue
            if version == known.version:
                continue
            if version_key(version) > version_key(known.version):
                self.sources[name], candidate = candidate, known
            older = [o for o in self.older.get(name, []) if o.version != candidate.version] + [candidate]
            self.older[name] = sorted(older, key=lambda o: version_key(o.version), reverse=True)[:3]

    def add_binaries(self, pieces: Iterable[bytes], source: str) -> None:
        for para in paragraphs(decompress_xz(pieces, source), BINARY_FIELDS, source):
            binary, version = para.get("Package"), para.get("Version", "")
            if not binary:
                continue
            known = self.binaries.get(binary)
            if known is not None and version_key(version) <= version_key(known.version):
                continue
            # "Source: name (version)" when the source version differs; absent when it is the binary's name.
            src = (para.get("Source") or binary).split(" ", 1)[0]
            depends = ", ".join(d for d in (para.get("Pre-Depends"), para.get("Depends")) if d)
            summary = para.get("Description", "").split("\n", 1)[0][:300]
            self.binaries[binary] = BinaryPackage(src, version, summary, depends)


# ----------------------------------------------------------------------------------------- version order


def _part_key(text: str) -> tuple[int, ...]:
    # dpkg's order of the non-digit parts: "~" before everything, even the end; letters before the rest.
    return (*(-1 if c == "~" else ord(c) if c.isalpha() else ord(c) + 256 for c in text), 0)


_PARTS = re.compile(r"(\D*)(\d*)")
_END = ((0,), 0)


def _string_key(text: str) -> tuple[tuple[tuple[int, ...], int], ...]:
    parts = [
        (_part_key(letters), int(digits or 0))
        for letters, digits in _PARTS.findall(text)
        if letters or digits
    ]
    while parts and parts[-1] == _END:
        parts.pop()  # "1.0" and "1.0-0": trailing empty parts compare equal to nothing
    return (*parts, _END)


def version_key(
    version: str,
) -> tuple[int, tuple[tuple[tuple[int, ...], int], ...], tuple[tuple[tuple[int, ...], int], ...]]:
    """A sort key in dpkg's version order (epoch, upstream version, Debian revision; deb-version(7),
    https://www.debian.org/doc/debian-policy/ch-controlfields.html#version)."""
    epoch, colon, rest = version.partition(":")
    if not colon or not epoch.isdigit():
        epoch, rest = "0", version
    upstream, dash, revision = rest.rpartition("-")
    if not dash:
        upstream, revision = rest, ""
    return int(epoch), _string_key(upstream), _string_key(revision)


# ---------------------------------------------------------------------------------------- dependencies


@dataclass(frozen=True)
class Relation:
    name: str
    specifier: str | None  # "(>= 2.34)" as ">= 2.34"
    alternatives: tuple[str, ...]  # the other packages of an "a | b" group, in order


def relations(depends: str) -> list[Relation]:
    """A Depends field: each group's first alternative (the one apt tries first), without architecture
    qualifiers (``python3:any``) or restrictions (``[amd64]``)."""
    out: list[Relation] = []
    for group in depends.replace("\n", " ").split(","):
        choices = []
        for choice in group.split("|"):
            text = re.sub(r"\[[^\]]*\]|<[^>]*>", "", choice).strip()
            name, _, rest = text.partition(" ")
            name = name.split(":", 1)[0].strip()
            if not _NAME.match(name):
                continue
            spec = rest.strip().removeprefix("(").removesuffix(")").strip() or None
            choices.append((name, spec))
        if choices:
            (name, spec), others = choices[0], tuple(n for n, _ in choices[1:])
            out.append(Relation(name, spec, others))
    return out
