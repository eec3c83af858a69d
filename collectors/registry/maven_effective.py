"""A POM merged with its parents, as Maven's effective POM would say for the fields socle uses
(https://maven.apache.org/pom.html#inheritance, https://maven.apache.org/ref/3.9.6/maven-model-builder/).

Pure functions of parsed POMs: fetching the parents and imported BOMs is the collector's job
(collectors/registry/maven.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from collectors.registry.pom import Person, Pom, interpolate

#: An artifact's ``project.build.outputTimestamp`` earlier than this is a reproducible-build placeholder
#: (projects pin it to 1980-01-01 or to ``10``), not the date of a release.
_EARLIEST_RELEASE = datetime(2001, 1, 1)
_SCM_PREFIX = re.compile(r"^scm:[a-z0-9]+:", re.IGNORECASE)


@dataclass(frozen=True)
class ManagedRule:
    """A ``dependencyManagement`` entry, its version and scope already interpolated where it was declared."""

    version: str | None
    scope: str | None


@dataclass(frozen=True)
class Effective:
    """A POM and its parents, nearest first, with the properties merged child over parent."""

    chain: tuple[Pom, ...]
    properties: dict[str, str]

    def first(self, attribute: str) -> str | None:
        for pom in self.chain:
            value = getattr(pom, attribute)
            if value:
                return interpolate(str(value), self.properties)
        return None

    def licences(self) -> tuple[str, ...]:
        return next((pom.licenses for pom in self.chain if pom.licenses), ())

    def people(self) -> tuple[Person, ...]:
        return next((pom.people for pom in self.chain if pom.people), ())

    def group_id(self) -> str | None:
        child = self.chain[0]
        return child.group_id or (child.parent[0] if child.parent else None)

    def scm(self, attribute: str) -> str | None:
        """``scm_url`` or ``scm_connection`` as Maven gives it to this artifact: inherited from the nearest
        POM stating it, with each inheriting module's artifactId appended, unless that POM says
        ``child.scm.url.inherit.append.path="false"`` (``child.scm.connection...`` for the connection)."""
        flag = "scm_url_append" if attribute == "scm_url" else "scm_connection_append"
        for level, pom in enumerate(self.chain):
            value = getattr(pom, attribute)
            if not value:
                continue
            appended = value
            if getattr(pom, flag) is not False:
                for inheriting in reversed(self.chain[:level]):  # the nearest child of `pom` first
                    if inheriting.artifact_id:
                        appended = appended.rstrip("/") + "/" + inheriting.artifact_id
            return interpolate(appended, self.properties)
        return None

    def scm_root(self, attribute: str) -> str | None:
        """The repository of ``scm_url``/``scm_connection``: as stated by the POM at the project's root.

        A module that inherits its ``<scm>`` gets a path appended (see :meth:`scm`); one that states its
        own often states the same, by hand. Either way the repository is what the topmost POM of the same
        groupId states, when the module's URL lies under it: so every module of a project maps to one
        repository, whatever the forge's URL layout (GitLab's nested groups make a path ambiguous).
        """
        stated = [(pom, value) for pom in self.chain if (value := getattr(pom, attribute))]
        if not stated:
            return None
        nearest = _bare(interpolate(stated[0][1], self.properties) or "")
        root = nearest
        group = self.group_id()
        for pom, value in stated[1:]:
            pom_group = pom.group_id or (pom.parent[0] if pom.parent else None)
            candidate = _bare(interpolate(value, self.properties) or "")
            if pom_group == group and candidate and nearest.startswith(candidate.rstrip("/") + "/"):
                root = candidate
        return root or None

    def released_at(self) -> datetime | None:
        """``project.build.outputTimestamp`` of this artifact's release, when its own project states it.

        Maven's reproducible builds set it at ``release:prepare``
        (https://maven.apache.org/guides/mini/guide-reproducible-builds.html): the time of the release.
        It is taken from the artifact's POM, or a parent of the same groupId and version (the project's
        own parent, released with it); an organisation parent's value would be that parent's release.
        """
        child = self.chain[0]
        group, version = self.group_id(), child.version or (child.parent[2] if child.parent else None)
        for pom in self.chain:
            pom_group = pom.group_id or (pom.parent[0] if pom.parent else None)
            pom_version = pom.version or (pom.parent[2] if pom.parent else None)
            if pom is not child and (pom_group, pom_version) != (group, version):
                break
            raw = pom.properties.get("project.build.outputTimestamp")
            if raw:
                return parse_output_timestamp(interpolate(raw, self.properties) or "")
        return None


def _bare(url: str) -> str:
    """An scm URL or connection without its ``scm:git:`` prefix and trailing slash or ``.git``."""
    return _SCM_PREFIX.sub("", url.strip()).rstrip("/").removesuffix(".git")


def parse_output_timestamp(value: str) -> datetime | None:
    """ISO 8601 with an offset, or seconds since the epoch (both allowed by Maven); naive UTC, or None."""
    value = value.strip()
    if not value or "${" in value:
        return None
    try:
        if value.isdigit():
            when = datetime.fromtimestamp(int(value[:12]), UTC)
        else:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if when.tzinfo is None:
                return None  # Maven requires an offset: a bare local time is not a known instant
    except (ValueError, OverflowError, OSError):
        return None
    naive = when.astimezone(UTC).replace(tzinfo=None)
    return naive if naive >= _EARLIEST_RELEASE else None


def effective_pom(chain: tuple[Pom, ...]) -> Effective:
    properties: dict[str, str] = {}
    for pom in reversed(chain):  # the root parent first, so children override
        properties.update(pom.properties)
    child = chain[0]
    version = child.version or (child.parent[2] if child.parent else None)
    group = child.group_id or (child.parent[0] if child.parent else None)
    for prefix in ("project.", "pom.", ""):
        if version:
            properties[f"{prefix}version"] = version
        if group:
            properties[f"{prefix}groupId"] = group
        if child.artifact_id:
            properties[f"{prefix}artifactId"] = child.artifact_id
    if child.parent:
        properties["project.parent.version"] = child.parent[2]
        properties["project.parent.groupId"] = child.parent[0]
    return Effective(chain, properties)


def declared_management(
    effective: Effective,
) -> tuple[dict[tuple[str, str], ManagedRule], list[tuple[str, str, str]]]:
    """The chain's own ``dependencyManagement`` (nearest declaration wins) and the BOMs it imports
    (``<type>pom</type><scope>import</scope>``), in declaration order, nearest POM first."""
    rules: dict[tuple[str, str], ManagedRule] = {}
    imports: list[tuple[str, str, str]] = []
    props = effective.properties
    for pom in effective.chain:
        for dep in pom.managed:
            group = interpolate(dep.group_id, props) or dep.group_id
            artifact = interpolate(dep.artifact_id, props) or dep.artifact_id
            if dep.scope == "import":
                version = interpolate(dep.version, props)
                if dep.type == "pom" and version and "${" not in version:
                    coords = (group, artifact, version)
                    if coords not in imports:
                        imports.append(coords)
                continue
            rules.setdefault((group, artifact), ManagedRule(interpolate(dep.version, props), dep.scope))
    return rules, imports
