"""Reading Maven POMs and ``maven-metadata.xml`` safely (https://maven.apache.org/pom.html,
https://maven.apache.org/ref/3.9.6/maven-repository-metadata/repository-metadata.html).

defusedxml refuses DTDs, entity declarations and external references (no billion laughs, no XXE); the size
of a document is bounded before parsing and the tree is walked without recursion. Namespaces are dropped:
POMs are written with and without ``xmlns="http://maven.apache.org/POM/4.0.0"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from collectors.errors import InputError

#: The largest POMs on Maven Central are a few hundred kB (BOMs listing thousands of artifacts).
MAX_POM_BYTES = 4 * 1024 * 1024
#: Deeper trees are refused: a POM is about six levels deep.
MAX_DEPTH = 32
_PROPERTY = re.compile(r"\$\{([^}]{1,200})\}")


@dataclass(frozen=True)
class Person:
    id: str | None
    name: str | None
    email: str | None
    organisation: str | None
    role: str  # developer | contributor


@dataclass(frozen=True)
class PomDependency:
    group_id: str
    artifact_id: str
    version: str | None
    scope: str | None  # compile | runtime | provided | test | system | import; None: not stated
    optional: bool
    type: str = "jar"


@dataclass(frozen=True)
class Pom:
    """One POM's own fields (not yet merged with its parents): None or empty means "not stated here"."""

    group_id: str | None
    artifact_id: str | None
    version: str | None
    parent: tuple[str, str, str] | None
    name: str | None = None
    description: str | None = None
    url: str | None = None
    licenses: tuple[str, ...] = ()
    scm_url: str | None = None
    scm_connection: str | None = None
    organisation: str | None = None
    organisation_url: str | None = None
    issue_url: str | None = None
    people: tuple[Person, ...] = ()
    relocation: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    dependencies: tuple[PomDependency, ...] = ()
    managed: tuple[PomDependency, ...] = ()
    #: Whether a child inheriting this POM's ``<scm>`` URL/connection gets its artifactId appended, as Maven
    #: does unless ``child.scm.url.inherit.append.path="false"`` (Maven 3.6.1+; None: not stated here).
    scm_url_append: bool | None = None
    scm_connection_append: bool | None = None


def _strip_namespaces(root: Element) -> None:
    stack = [(root, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
        stack.extend((child, depth + 1) for child in element)


def parse_xml(body: bytes, source: str) -> Element:
    if len(body) > MAX_POM_BYTES:
        raise InputError(source, f"XML document of {len(body)} bytes exceeds the {MAX_POM_BYTES}-byte limit")
    if body[:200].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        raise InputError(source, "the repository answered HTML, not XML")
    try:
        root: Element = fromstring(body, forbid_dtd=True)
        _strip_namespaces(root)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise InputError(source, f"unreadable XML ({exc})") from exc
    return root


def _text(element: Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value[:2000] or None


def _dependency(element: Element) -> PomDependency | None:
    group, artifact = _text(element, "groupId"), _text(element, "artifactId")
    if not group or not artifact:
        return None
    return PomDependency(
        group_id=group,
        artifact_id=artifact,
        version=_text(element, "version"),
        scope=(_text(element, "scope") or "").lower() or None,
        optional=(_text(element, "optional") or "").lower() == "true",
        type=_text(element, "type") or "jar",
    )


def parse_pom(body: bytes, source: str) -> Pom:
    root = parse_xml(body, source)
    if root.tag != "project":
        raise InputError(source, f"not a POM (root element <{root.tag}>)")
    parent_el = root.find("parent")
    parent = None
    if parent_el is not None:
        coords = (_text(parent_el, "groupId"), _text(parent_el, "artifactId"), _text(parent_el, "version"))
        if all(coords):
            parent = (str(coords[0]), str(coords[1]), str(coords[2]))
    people: list[Person] = []
    for role, path in (("developer", "developers/developer"), ("contributor", "contributors/contributor")):
        for person in root.findall(path)[:500]:
            people.append(
                Person(
                    id=_text(person, "id"),
                    name=_text(person, "name"),
                    email=_text(person, "email"),
                    organisation=_text(person, "organization"),
                    role=role,
                )
            )
    relocation_el = root.find("distributionManagement/relocation")
    relocation = None
    if relocation_el is not None:
        target = ":".join(
            part
            for part in (
                _text(relocation_el, "groupId"),
                _text(relocation_el, "artifactId"),
                _text(relocation_el, "version"),
            )
            if part
        )
        message = _text(relocation_el, "message")
        relocation = f"relocated to {target or 'another artifact'}" + (f": {message}" if message else "")
    scm_el = root.find("scm")
    properties_el = root.find("properties")
    properties = {
        child.tag: (child.text or "").strip()
        for child in (properties_el if properties_el is not None else [])
        if isinstance(child.tag, str)
    }
    return Pom(
        group_id=_text(root, "groupId"),
        artifact_id=_text(root, "artifactId"),
        version=_text(root, "version"),
        parent=parent,
        name=_text(root, "name"),
        description=_text(root, "description"),
        url=_text(root, "url"),
        licenses=tuple(n for lic in root.findall("licenses/license") if (n := _text(lic, "name"))),
        scm_url=_text(root, "scm/url"),
        scm_connection=_text(root, "scm/connection") or _text(root, "scm/developerConnection"),
        organisation=_text(root, "organization/name"),
        organisation_url=_text(root, "organization/url"),
        issue_url=_text(root, "issueManagement/url"),
        people=tuple(people),
        relocation=relocation,
        properties=properties,
        dependencies=tuple(d for el in root.findall("dependencies/dependency") if (d := _dependency(el))),
        managed=tuple(
            d for el in root.findall("dependencyManagement/dependencies/dependency") if (d := _dependency(el))
        ),
        scm_url_append=_flag(scm_el, "child.scm.url.inherit.append.path"),
        scm_connection_append=_flag(scm_el, "child.scm.connection.inherit.append.path"),
    )


def _flag(element: Element | None, attribute: str) -> bool | None:
    value = None if element is None else element.get(attribute)
    return None if value is None else value.strip().lower() != "false"


@dataclass(frozen=True)
class MavenMetadata:
    versions: tuple[str, ...]
    latest: str | None
    release: str | None
    last_updated: datetime | None
    group_id: str | None = None  # which artifact the answer says it describes
    artifact_id: str | None = None


def parse_metadata(body: bytes, source: str) -> MavenMetadata:
    root = parse_xml(body, source)
    if root.tag != "metadata":
        raise InputError(source, f"not maven-metadata.xml (root element <{root.tag}>)")
    versions = tuple(v.text.strip() for v in root.findall("versioning/versions/version") if v.text)
    stamp = _text(root, "versioning/lastUpdated")
    last_updated = None
    if stamp and len(stamp) == 14 and stamp.isdigit():
        last_updated = datetime.strptime(stamp, "%Y%m%d%H%M%S")  # UTC, as Maven writes it
    return MavenMetadata(
        versions=versions[:10_000],
        latest=_text(root, "versioning/latest"),
        release=_text(root, "versioning/release"),
        last_updated=last_updated,
        group_id=_text(root, "groupId"),
        artifact_id=_text(root, "artifactId"),
    )


def interpolate(value: str | None, properties: dict[str, str]) -> str | None:
    """``${name}`` replaced from ``properties`` (a few passes: properties may refer to properties)."""
    if value is None or "${" not in value:
        return value
    for _ in range(5):
        replaced = _PROPERTY.sub(lambda m: properties.get(m.group(1), m.group(0)), value)
        if replaced == value:
            break
        value = replaced
    return value
