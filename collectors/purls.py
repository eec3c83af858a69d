"""Normalised, versionless package URLs: the one identity of a package across socle.

A purl names a package without its version: ``pkg:pypi/python-dateutil``, ``pkg:npm/%40babel/core``.
Canonical strings come from packageurl-python (https://github.com/package-url/purl-spec); PyPI names are
first normalised as PEP 503 says (https://peps.python.org/pep-0503/#normalized-names), and an npm scope
becomes the purl namespace (``@babel``, percent-encoded in the canonical string).

Each other type follows its entry in the purl types list
(https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst):

- maven: namespace = groupId, name = artifactId, both case-sensitive (``group:artifact`` is split);
- golang: a module path splits at its last ``/`` (``github.com/spf13/cobra`` -> namespace
  ``github.com/spf13``, name ``cobra``; ``.../go-md2man/v2`` -> name ``v2``); case is kept, Go module
  paths are case-sensitive;
- cargo and gem: the name as published, case kept;
- composer: ``vendor/name``, lowercased; nuget: the id, lowercased (NuGet ids are case-insensitive);
- deb, apk: vendor namespace (``debian``, ``ubuntu``, ``alpine``) and name lowercased; rpm: vendor
  lowercased, name kept. These three keep one qualifier, ``distro``: an operating-system package is a
  package of its distribution (Debian 12's openssl is maintained apart from Ubuntu's). Point releases
  fold into their release (``debian-12.5`` -> ``debian-12``, ``alpine-3.20.3`` -> ``alpine-3.20``), and a
  bare version takes the vendor's name (``distro=3.20.3`` of ``pkg:apk/alpine/...`` -> ``alpine-3.20``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NewType
from urllib.parse import quote, unquote

from packageurl import PackageURL, normalize
from packaging.utils import canonicalize_name

#: A purl string known to be versionless and normalised; build it with :func:`purl_for` or :func:`parse_purl`.
CanonicalPurl = NewType("CanonicalPurl", str)


#: Longest package name (or namespace) accepted; npm's own limit is 214 characters.
MAX_NAME_LENGTH = 512


class PurlError(ValueError):
    """A purl or package name that cannot be turned into a canonical purl."""


@dataclass(frozen=True)
class PackageId:
    """A package without its version: its canonical purl and the parts it was built from."""

    purl: CanonicalPurl
    ecosystem: str
    namespace: str | None
    name: str


@dataclass(frozen=True)
class ParsedPurl:
    """A purl string as found in an SBOM: the package it names and the version it carried, if any."""

    package: PackageId
    version: str | None


def _split_npm(name: str, namespace: str | None) -> tuple[str | None, str]:
    if namespace is None and name.startswith("@") and "/" in name:
        scope, _, rest = name.partition("/")
        return scope, rest
    return namespace, name


#: Purl types whose packages belong to an operating-system distribution (the ``distro`` qualifier is kept).
OS_TYPES = frozenset({"deb", "rpm", "apk"})
_LOWERCASE_NAME = frozenset({"composer", "nuget", "deb", "apk"})
_LOWERCASE_NAMESPACE = frozenset({"composer", "deb", "apk", "rpm"})
#: ``debian-12.5`` -> ``debian-12``; ``alpine-3.20.3`` -> ``alpine-3.20`` (releases, not point releases).
_POINT_RELEASE = {
    "debian": re.compile(r"(debian-\d+)\.[\d.]+"),
    "alpine": re.compile(r"(alpine-\d+\.\d+)\.[\d.]+"),
}


def normalise_distro(distro: str) -> str:
    """A ``distro`` qualifier as socle keys it: lower case, a point release folded into its release."""
    distro = distro.strip().lower()
    for family, pattern in _POINT_RELEASE.items():
        if distro.startswith(family) and (match := pattern.fullmatch(distro)) is not None:
            return match[1]
    return distro


def _split_path(name: str, namespace: str | None, separator: str) -> tuple[str | None, str]:
    """``a/b/c`` -> (``a/b``, ``c``) when no namespace was given: a module path or ``vendor/name``."""
    if namespace is None and separator in name:
        head, _, tail = name.rpartition(separator)
        return head or None, tail
    return namespace, name


def package_id(
    ecosystem: str, name: str, namespace: str | None = None, *, distro: str | None = None
) -> PackageId:
    """The package ``name`` of ``ecosystem`` (a purl type: pypi, npm, maven, ...) with a canonical purl.

    npm names may carry their scope (``@babel/core``), maven names their group (``group:artifact``), golang
    and composer names their path (``github.com/spf13/cobra``, ``monolog/monolog``); PyPI names are
    normalised per PEP 503; the other rules are in this module's docstring. ``distro`` is kept for deb,
    rpm and apk only.
    """
    ecosystem = ecosystem.strip().lower()
    name = name.strip()
    namespace = namespace.strip() if namespace else None
    if not ecosystem or not name:
        raise PurlError(f"empty package type or name ({ecosystem[:50]!r}, {name[:50]!r})")
    for part in (ecosystem, name, namespace or ""):
        if len(part) > MAX_NAME_LENGTH:
            raise PurlError(f"a package name of {len(part)} characters (the limit is {MAX_NAME_LENGTH})")
        if any(ord(c) < 32 or ord(c) == 127 for c in part):
            # Control characters break spreadsheets and terminals downstream; no registry allows them.
            raise PurlError(f"control character in package name {part[:100]!r}")
    if ecosystem == "pypi":
        name, namespace = canonicalize_name(name), None
    elif ecosystem == "npm":
        namespace, name = _split_npm(name, namespace)
        if namespace is not None and not namespace.startswith("@"):
            namespace = "@" + namespace
    elif ecosystem == "maven":
        namespace, name = _split_path(name, namespace, ":")
    elif ecosystem in ("golang", "composer"):
        namespace, name = _split_path(name, namespace, "/")
    if ecosystem in _LOWERCASE_NAME:
        name = name.lower()
    if ecosystem in _LOWERCASE_NAMESPACE and namespace:
        namespace = namespace.lower()
    try:
        # packageurl's own normalisation, once (building a PackageURL and printing it normalises twice;
        # an SBOM of 10,000 components pays for every call).
        kind, encoded_ns, encoded_name, *_ = normalize(
            ecosystem, namespace, name, None, None, None, encode=True
        )
    except ValueError as exc:
        raise PurlError(f"cannot build a purl for {ecosystem}/{name[:100]}: {exc}") from exc
    if not kind or not encoded_name:
        raise PurlError(f"empty package type or name ({ecosystem!r}, {name!r})")
    prefix = f"pkg:{kind}/{encoded_ns}/" if encoded_ns else f"pkg:{kind}/"
    qualifier = ""
    if distro and kind in OS_TYPES:
        if distro.strip()[:1].isdigit() and namespace:
            distro = f"{namespace}-{distro.strip()}"  # trivy writes Alpine's as a bare "3.20.3"
        qualifier = "?distro=" + quote(normalise_distro(distro), safe="")
    return PackageId(
        purl=CanonicalPurl(prefix + str(encoded_name) + qualifier),
        ecosystem=str(kind),
        namespace=unquote(str(encoded_ns)) if encoded_ns else None,
        name=unquote(str(encoded_name)),
    )


def purl_for(
    ecosystem: str, name: str, namespace: str | None = None, *, distro: str | None = None
) -> CanonicalPurl:
    """Shorthand for ``package_id(...).purl``."""
    return package_id(ecosystem, name, namespace, distro=distro).purl


#: The common shape ``pkg:type/[namespace/]name[@version]`` with characters that never need decoding
#: (an npm scope's ``%40`` aside). Such purls skip the general parser, which costs most of an import of
#: a large SBOM; the result is the same (tests compare both paths).
_SIMPLE_PURL = re.compile(
    r"pkg:(?P<type>[a-z][a-z0-9.+-]*)/(?:(?P<namespace>(?:%40)?[A-Za-z0-9._~-]+)/)?"
    r"(?P<name>[A-Za-z0-9._~-]+)(?:@(?P<version>[A-Za-z0-9._+!~-]+))?"
)


def parse_purl(text: str) -> ParsedPurl:
    """Parse any purl string; drop its version, qualifiers (``distro`` of an OS package aside) and subpath;
    normalise its name."""
    simple = _SIMPLE_PURL.fullmatch(text)
    if simple is not None:
        namespace = simple["namespace"]
        package = package_id(simple["type"], simple["name"], unquote(namespace) if namespace else None)
        return ParsedPurl(package=package, version=simple["version"])
    return _parse_general(text)


def _parse_general(text: str) -> ParsedPurl:
    try:
        parsed = PackageURL.from_string(text.strip())
    except ValueError as exc:
        raise PurlError(f"not a valid purl {text[:200]!r}: {exc}") from exc
    qualifiers = parsed.qualifiers if isinstance(parsed.qualifiers, dict) else {}
    package = package_id(parsed.type, parsed.name, parsed.namespace, distro=qualifiers.get("distro"))
    return ParsedPurl(package=package, version=parsed.version or None)


def canonical_purl(text: str) -> CanonicalPurl:
    """The versionless canonical form of any purl string (``pkg:PyPI/Foo_Bar@1.0`` -> ``pkg:pypi/foo-bar``)."""
    return parse_purl(text).package.purl
