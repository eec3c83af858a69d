"""Maven Central (or a Nexus/Artifactory mirror): ``maven-metadata.xml`` for the versions, then the POM of
the version in use and its parent chain (https://maven.apache.org/pom.html#inheritance).

Fields a POM does not state are inherited from the nearest parent that does (licences, scm, developers,
organisation, issue management); properties are merged child-over-parent and ``${...}`` interpolated;
dependency versions missing from ``<dependencies>`` come from the chain's ``<dependencyManagement>``, then
from the BOMs it imports (``<type>pom</type><scope>import</scope>``, see :meth:`MavenCollector.managed`).
Parent POMs and BOMs are shared by many artifacts (a project's parent, Apache's, Sonatype's oss-parent):
each is fetched once per refresh and reused. The effective-POM rules themselves (scm of child modules,
release timestamps, management order) are pure functions in ``maven_effective.py``.

Release dates: the newest release's is ``<lastUpdated>`` of the metadata; each version in use is dated by
its POM's ``Last-Modified`` when the repository answers one (Maven Central answers none from here), else
by its project's ``project.build.outputTimestamp``; other versions' dates are not known.
"""

from __future__ import annotations

import asyncio
import email.utils
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from collectors.base import (
    Collected,
    Dependency,
    Document,
    Maintainer,
    Outcome,
    PackageMetadata,
    PackageRef,
    Release,
)
from collectors.errors import InputError, SocleError, TerminalError
from collectors.http import Fetcher
from collectors.purls import purl_for as canonical_purl
from collectors.registry.fetch import Fetched, failed, fetch_document, require_identity
from collectors.registry.maven_effective import Effective, ManagedRule, declared_management, effective_pom
from collectors.registry.maven_versions import best_maven_version
from collectors.registry.parsing import release_stats
from collectors.registry.pom import MavenMetadata, Pom, interpolate, parse_metadata, parse_pom
from collectors.registry.repository_urls import repository_from_links

BASE_URL = "https://repo.maven.apache.org/maven2"
#: Parent chains are a handful deep; a longer one is a loop or hostile.
MAX_PARENTS = 10
#: BOMs importing BOMs: Spring Boot's imports go two deep; deeper is a loop or hostile.
MAX_BOM_DEPTH = 5
#: BOM imports followed per POM (Spring Boot's dependencies BOM imports about 40).
MAX_BOMS = 100


def split_name(name: str) -> tuple[str, str]:
    """``group/artifact`` (the purl's namespace/name) -> (groupId, artifactId)."""
    group, sep, artifact = name.partition("/")
    if not sep or not group or not artifact:
        group, sep, artifact = name.partition(":")
    if not sep or not group or not artifact or "/" in artifact:
        raise InputError(name, "a Maven package name is groupId/artifactId")
    return group, artifact


def _kind(scope: str, optional: bool) -> str:
    # Maven scopes (https://maven.apache.org/guides/introduction/introduction-to-dependency-mechanism.html):
    # compile and runtime are transitive; provided and test are not; optional ones are not either.
    if scope == "test":
        return "dev"
    if optional:
        return "optional"
    if scope == "provided":
        return "peer"
    return "runtime"


def _dependencies(
    version: str, effective: Effective, managed: dict[tuple[str, str], ManagedRule]
) -> tuple[Dependency, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[Dependency] = []
    # Parents' <dependencies> are inherited by every child; the child's own declaration wins.
    for pom in effective.chain:
        for dep in pom.dependencies:
            group = interpolate(dep.group_id, effective.properties) or dep.group_id
            artifact = interpolate(dep.artifact_id, effective.properties) or dep.artifact_id
            key = (group, artifact)
            if key in seen or dep.scope in ("system", "import") or dep.type == "pom":
                continue
            seen.add(key)
            # dependencyManagement (the chain's own, then the BOMs it imports) supplies a missing version
            # and a missing scope.
            rule = managed.get(key)
            scope = dep.scope or (rule.scope if rule else None) or "compile"
            spec = (
                interpolate(dep.version, effective.properties)
                if dep.version
                else (rule.version if rule else None)
            )
            out.append(
                Dependency(
                    version,
                    f"{group}/{artifact}",
                    spec if spec and "${" not in spec else None,
                    _kind(scope, dep.optional),
                    marker=f"scope={scope}" + (";optional" if dep.optional else ""),
                )
            )
    return tuple(out)


def _released_at(headers: dict[str, str]) -> datetime | None:
    """``Last-Modified`` (an HTTP date, RFC 9110 5.6.7) as naive UTC; None when absent or unreadable."""
    value = headers.get("last-modified")
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


class MavenCollector:
    ecosystem = "maven"

    def __init__(self, base_url: str = BASE_URL) -> None:
        self.base_url = base_url.rstrip("/")
        # (groupId, artifactId, version) -> the POM, fetched once per collector (one refresh).
        self._poms: dict[tuple[str, str, str], asyncio.Task[tuple[Pom, bytes, datetime | None]]] = {}
        # (groupId, artifactId, version) of an imported BOM -> what it manages, resolved once per refresh.
        self._bom_rules: dict[tuple[str, str, str], dict[tuple[str, str], ManagedRule]] = {}
        self.parent_fetches = 0
        self.parent_reuses = 0
        #: Imported BOMs that could not be fetched or read: what they manage stays without a version.
        self.boms_unavailable = 0

    def purl_for(self, name: str) -> str:
        group, artifact = split_name(name)
        return canonical_purl("maven", artifact, group)

    def _dir(self, group: str, artifact: str) -> str:
        return f"{self.base_url}/{quote(group.replace('.', '/'))}/{quote(artifact, safe='')}"

    def pom_url(self, group: str, artifact: str, version: str) -> str:
        v = quote(version, safe="")
        return f"{self._dir(group, artifact)}/{v}/{quote(artifact, safe='')}-{v}.pom"

    async def _fetch_pom(
        self, fetcher: Fetcher, coords: tuple[str, str, str]
    ) -> tuple[Pom, bytes, datetime | None]:
        url = self.pom_url(*coords)
        answer = await fetcher.get(url, accept="application/xml, text/xml")
        if answer.status != 200:
            raise TerminalError(f"{url}: HTTP {answer.status}")
        return parse_pom(answer.body, url), answer.body, _released_at(answer.headers)

    async def _pom(
        self, fetcher: Fetcher, coords: tuple[str, str, str], *, parent: bool
    ) -> tuple[Pom, bytes, datetime | None]:
        task = self._poms.get(coords)
        if task is None:
            task = asyncio.ensure_future(self._fetch_pom(fetcher, coords))
            self._poms[coords] = task
            self.parent_fetches += parent
        else:
            self.parent_reuses += parent
        return await asyncio.shield(task)

    async def chain(self, fetcher: Fetcher, group: str, artifact: str, version: str) -> Effective:
        """The POM of ``group:artifact:version`` and its parents, nearest first."""
        pom, _, _ = await self._pom(fetcher, (group, artifact, version), parent=False)
        chain = [pom]
        while chain[-1].parent is not None:
            if len(chain) > MAX_PARENTS:
                raise InputError(f"{group}:{artifact}:{version}", f"parent chain longer than {MAX_PARENTS}")
            parent, _, _ = await self._pom(fetcher, chain[-1].parent, parent=True)
            chain.append(parent)
        return effective_pom(tuple(chain))

    async def managed(
        self, fetcher: Fetcher, effective: Effective, *, path: tuple[tuple[str, str, str], ...] = ()
    ) -> dict[tuple[str, str], ManagedRule]:
        """The chain's ``dependencyManagement`` with the BOMs it imports, each fetched once per refresh.

        As Maven does (https://maven.apache.org/guides/introduction/introduction-to-dependency-mechanism.html
        #bill-of-materials-bom-poms): the POM's own and inherited entries win over imported ones, and an
        earlier import over a later one; a BOM's versions are interpolated with its own properties, and
        a BOM may import BOMs in turn (followed :data:`MAX_BOM_DEPTH` deep, :data:`MAX_BOMS` per POM; an
        import of a BOM already on the path is a cycle and is left out).
        """
        rules, imports = declared_management(effective)
        if len(path) >= MAX_BOM_DEPTH:
            return rules
        wanted = [coords for coords in imports[:MAX_BOMS] if coords not in path]
        for bom_rules in await asyncio.gather(*(self._bom(fetcher, c, path) for c in wanted)):
            for key, rule in bom_rules.items():
                rules.setdefault(key, rule)
        return rules

    async def _bom(
        self, fetcher: Fetcher, coords: tuple[str, str, str], path: tuple[tuple[str, str, str], ...]
    ) -> dict[tuple[str, str], ManagedRule]:
        # Resolved BOMs are kept (their POMs and parents are fetched once through _pom); one being resolved
        # elsewhere is not awaited, so two BOMs importing each other cannot wait on each other.
        done = self._bom_rules.get(coords)
        if done is not None:
            return done
        try:
            bom = await self.chain(fetcher, *coords)
        except SocleError:
            # Not fetched (404, a broken mirror): what it manages is not known, so those dependencies keep
            # no version and completion takes the newest stable one, as without the import.
            self.boms_unavailable += coords not in self._bom_rules
            self._bom_rules[coords] = {}
            return {}
        rules = await self.managed(fetcher, bom, path=(*path, coords))
        self._bom_rules[coords] = rules
        return rules

    async def _resolved(
        self, fetcher: Fetcher, group: str, artifact: str, version: str
    ) -> tuple[Effective, tuple[Dependency, ...], datetime | None]:
        """One version's effective POM, its dependencies and its release date (None: not known)."""
        effective = await self.chain(fetcher, group, artifact, version)
        deps = _dependencies(version, effective, await self.managed(fetcher, effective))
        _, _, last_modified = await self._pom(fetcher, (group, artifact, version), parent=False)
        return effective, deps, last_modified or effective.released_at()

    async def collect(self, fetcher: Fetcher, ref: PackageRef, *, now: datetime) -> Outcome:
        try:
            group, artifact = split_name(ref.name)
        except InputError as exc:
            return failed(ref, exc)
        url = f"{self._dir(group, artifact)}/maven-metadata.xml"
        fetched = await fetch_document(fetcher, url, ref, "Maven", parse_json=False)
        if not isinstance(fetched, Fetched):
            return fetched
        try:
            meta = parse_metadata(fetched.body, url)
            latest = meta.release or meta.latest or (meta.versions[-1] if meta.versions else None)
            answered = f"{meta.group_id}/{meta.artifact_id}" if meta.group_id and meta.artifact_id else None
            require_identity(ref, answered_name=answered, latest=latest)
            in_use = [v for v in ref.versions if v in meta.versions] or [v for v in ref.versions if v]
            version = in_use[0] if in_use else latest
            if version is None:
                return failed(ref, InputError(url, "no version listed"))
            effective, own_deps, released = await self._resolved(fetcher, group, artifact, version)
            _, pom_body, _ = await self._pom(fetcher, (group, artifact, version), parent=False)
            deps = list(own_deps)
            dated = {version: released}
            for other in in_use[1:5]:
                _, other_deps, dated[other] = await self._resolved(fetcher, group, artifact, other)
                deps.extend(other_deps)
        except SocleError as exc:
            return failed(ref, exc)
        releases = self._releases(meta, dated)
        first, last, last_12m = release_stats(releases, now)
        if releases and releases[0].released_at is None:
            # The oldest version's date is not known: no first release date rather than a wrong one.
            first = None
        counted: int | None = last_12m
        if last is None or now - last < timedelta(days=365):
            # Only the newest release is dated: releases in the last 12 months are not known (0 would say a
            # false "no release in 12 months", 1 a false "only 1 release"). A newest release older than 12
            # months proves there was none since: then 0 stands.
            counted = None
        return Collected(
            metadata=self._metadata(ref, effective, latest, first, last, counted),
            releases=releases,
            maintainers=tuple(
                Maintainer(login=p.id or p.name, email=p.email, role=p.role, organisation=p.organisation)
                for p in effective.people()
            ),
            dependencies=tuple(deps),
            documents=(
                Document(fetched.url, fetched.body),
                Document(self.pom_url(group, artifact, version), pom_body),
            ),
            signature=fetched.signature,
        )

    @staticmethod
    def _releases(meta: MavenMetadata, in_use: dict[str, datetime | None]) -> tuple[Release, ...]:
        """Every listed version; dated where known: the newest by the metadata's ``<lastUpdated>``, the
        versions in use by their POM (``Last-Modified``, else ``project.build.outputTimestamp``)."""
        dates: dict[str, datetime | None] = dict.fromkeys(meta.versions)
        newest = meta.release or meta.latest
        if newest in dates and meta.last_updated:
            dates[newest] = meta.last_updated
        for version, when in in_use.items():
            if when and version in dates:
                dates[version] = when
        return tuple(Release(v, d) for v, d in dates.items())

    def _metadata(
        self,
        ref: PackageRef,
        effective: Effective,
        latest: str | None,
        first: datetime | None,
        last: datetime | None,
        last_12m: int | None,
    ) -> PackageMetadata:
        homepage = effective.first("url")
        # The module's own scm URL (with the path Maven appends for an inheriting module) is shown; the
        # repository is the project's root, so every module of one project maps to one repository.
        scm_url = effective.scm("scm_url")
        links = [
            ("source", effective.scm_root("scm_url") or ""),
            ("source", effective.scm_root("scm_connection") or ""),
            ("homepage", homepage or ""),
            ("issues", effective.first("issue_url") or ""),
        ]
        issues = effective.first("issue_url")
        project_urls = tuple(
            (label, url)
            for label, url in (("homepage", homepage), ("source", scm_url), ("issues", issues))
            if url
        )
        licences = effective.licences()
        return PackageMetadata(
            purl=ref.purl,
            ecosystem="maven",
            latest_version=latest,
            summary=effective.chain[0].name or effective.chain[0].description,
            description=effective.chain[0].description,
            homepage=homepage,
            repository_url=repository_from_links([(label, url) for label, url in links if url]),
            license=" OR ".join(licences) or None,
            deprecated=effective.chain[0].relocation,
            first_release_at=first,
            last_release_at=last,
            releases_last_12m=last_12m,
            project_urls=project_urls,
            ownership_org=effective.first("organisation"),
        )

    async def dependencies_of(
        self, fetcher: Fetcher, ref: PackageRef, version: str
    ) -> tuple[Dependency, ...]:
        group, artifact = split_name(ref.name)
        _, deps, _ = await self._resolved(fetcher, group, artifact, version)
        return deps

    def best_version(self, versions: list[str], specifier: str | None) -> str | None:
        return best_maven_version(versions, specifier)
