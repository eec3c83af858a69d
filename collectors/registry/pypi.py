"""PyPI: the JSON API (https://docs.pypi.org/api/json/), ``/pypi/NAME/json`` and ``/pypi/NAME/VERSION/json``."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from collectors.base import (
    Collected,
    Dependency,
    Document,
    FundingLink,
    Maintainer,
    Outcome,
    PackageMetadata,
    PackageRef,
    Release,
)
from collectors.errors import InputError, SocleError, TerminalError
from collectors.funding_urls import is_funding_domain, platform_for
from collectors.http import Fetcher
from collectors.registry.fetch import Fetched, failed, fetch_document, require_identity
from collectors.registry.parsing import (
    MAX_TEXT,
    load_json,
    obj,
    parse_time,
    purl_for,
    release_stats,
    string_list,
    text,
)
from collectors.registry.repository_urls import repository_from_links

BASE_URL = "https://pypi.org/pypi"
#: At most this many versions in use get their own ``requires_dist`` fetched.
MAX_VERSIONS_IN_USE = 5

# PEP 753 well-known labels: normalised alias -> canonical label
# (https://packaging.python.org/en/latest/specifications/well-known-project-urls/).
_WELL_KNOWN = {
    "homepage": "homepage",
    "source": "source",
    "repository": "source",
    "sourcecode": "source",
    "github": "source",
    "download": "download",
    "changelog": "changelog",
    "changes": "changelog",
    "whatsnew": "changelog",
    "history": "changelog",
    "releasenotes": "releasenotes",
    "documentation": "documentation",
    "docs": "documentation",
    "issues": "issues",
    "bugs": "issues",
    "issue": "issues",
    "tracker": "issues",
    "issuetracker": "issues",
    "bugtracker": "issues",
    "funding": "funding",
    "sponsor": "funding",
    "donate": "funding",
    "donation": "funding",
}
_PUNCTUATION_AND_SPACE = re.compile(r"[\s!-/:-@\[-`{-~]+")
# pypi.org shows the funding icon for labels starting with these (warehouse/utils/project_urls).
_FUNDING_PREFIXES = ("funding", "donate", "donation", "sponsor")


def normalise_label(label: str) -> str:
    """PEP 753: remove ASCII punctuation and whitespace, lower-case, then map aliases to the well-known label."""
    bare = _PUNCTUATION_AND_SPACE.sub("", label).lower()
    return _WELL_KNOWN.get(bare, bare)


def funding_from_project_urls(project_urls: dict[str, str]) -> tuple[FundingLink, ...]:
    links: list[FundingLink] = []
    for label, url in project_urls.items():
        if not url.startswith(("https://", "http://")):
            continue
        funding_label = normalise_label(label) == "funding" or label.strip().lower().startswith(
            _FUNDING_PREFIXES
        )
        if funding_label or is_funding_domain(url):
            links.append(FundingLink(url=url, platform=platform_for(url), label=label))
    return tuple(links)


def _licence(info: dict[str, Any], classifiers: tuple[str, ...], source: str) -> str | None:
    expression = text(info, "license_expression", source)
    if expression:
        return expression
    legacy = text(info, "license", source, limit=MAX_TEXT)
    # Some projects paste their whole licence text into ``license``: keep a short value only.
    if legacy and len(legacy) <= 100 and "\n" not in legacy.strip():
        return legacy.strip()
    for classifier in classifiers:
        if classifier.startswith("License :: "):
            return classifier.rsplit(" :: ", 1)[-1]
    return None


def _releases(doc: dict[str, Any], source: str) -> tuple[Release, ...]:
    out: list[Release] = []
    for version, files in obj(doc, "releases", source).items():
        if not isinstance(files, list):
            raise InputError(source, "expected a list of files", where=f"releases.{version}")
        times = [parse_time(f.get("upload_time_iso_8601")) for f in files if isinstance(f, dict)]
        known = [t for t in times if t is not None]
        yanked = bool(files) and all(isinstance(f, dict) and f.get("yanked") is True for f in files)
        out.append(Release(version=version, released_at=min(known) if known else None, yanked=yanked))
    return tuple(out)


def _requirements(version: str, requires_dist: tuple[str, ...]) -> tuple[Dependency, ...]:
    deps: list[Dependency] = []
    for line in requires_dist:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        marker = str(req.marker) if req.marker else None
        kind = "optional" if marker and "extra" in marker else "runtime"
        deps.append(Dependency(version, req.name, str(req.specifier) or None, kind, marker))
    return tuple(deps)


class PypiCollector:
    ecosystem = "pypi"

    def __init__(self, base_url: str = BASE_URL) -> None:
        self.base_url = base_url.rstrip("/")

    def purl_for(self, name: str) -> str:
        return purl_for("pypi", name)

    def _url(self, name: str, version: str | None = None) -> str:
        parts = [quote(name, safe="")] + ([quote(version, safe="")] if version else [])
        return f"{self.base_url}/{'/'.join(parts)}/json"

    async def collect(self, fetcher: Fetcher, ref: PackageRef, *, now: datetime) -> Outcome:
        fetched = await fetch_document(fetcher, self._url(ref.name), ref, "PyPI")
        if not isinstance(fetched, Fetched):
            return fetched
        try:
            collected = self._parse(ref, fetched.doc, now)
            documents = [Document(fetched.url, fetched.body)]
            latest = collected.metadata.latest_version
            deps = list(collected.dependencies)
            warnings: list[str] = []
            for version in [v for v in ref.versions if v and v != latest][:MAX_VERSIONS_IN_USE]:
                try:
                    url, body, version_deps = await self._version_answer(fetcher, ref, version)
                except TerminalError as exc:
                    warnings.append(f"requires_dist of {version} unavailable: {exc}")
                    continue
                deps.extend(version_deps)
                # Kept: its ``vulnerabilities`` are those of this version in use (the project answer's are
                # the newest release's).
                documents.append(Document(url, body))
        except SocleError as exc:
            return failed(ref, exc)
        return replace(
            collected,
            dependencies=tuple(deps),
            documents=tuple(documents),
            warnings=tuple(warnings),
            signature=fetched.signature,
        )

    async def dependencies_of(
        self, fetcher: Fetcher, ref: PackageRef, version: str
    ) -> tuple[Dependency, ...]:
        return (await self._version_answer(fetcher, ref, version))[2]

    async def _version_answer(
        self, fetcher: Fetcher, ref: PackageRef, version: str
    ) -> tuple[str, bytes, tuple[Dependency, ...]]:
        """``/pypi/NAME/VERSION/json``: its URL, body and the version's requirements."""
        url = self._url(ref.name, version)
        answer = await fetcher.get(url)
        if answer.status != 200:
            raise TerminalError(f"{url}: HTTP {answer.status}")
        info = obj(load_json(answer.body, ref.purl), "info", ref.purl)
        return url, answer.body, _requirements(version, string_list(info, "requires_dist", ref.purl))

    def best_version(self, versions: list[str], specifier: str | None) -> str | None:
        try:
            spec = SpecifierSet(specifier or "")
        except InvalidSpecifier:
            return None
        parsed: list[Version] = []
        for raw in versions:
            try:
                parsed.append(Version(raw))
            except InvalidVersion:
                continue
        candidates = list(spec.filter(parsed))
        return str(max(candidates)) if candidates else None

    def _parse(self, ref: PackageRef, doc: dict[str, Any], now: datetime) -> Collected:
        source = ref.purl
        info = obj(doc, "info", source)
        latest = text(info, "version", source)
        require_identity(ref, answered_name=info.get("name"), latest=latest, same_name=canonicalize_name)
        classifiers = string_list(info, "classifiers", source)
        raw_urls = obj(info, "project_urls", source)
        project_urls: dict[str, str] = {}
        for label in raw_urls:
            url = text(raw_urls, label, source)
            if url and len(label) <= 200:
                project_urls[label] = url
        homepage = text(info, "home_page", source)
        links = list(project_urls.items()) + ([("Homepage", homepage)] if homepage else [])
        keywords_raw = info.get("keywords")
        if isinstance(keywords_raw, str):
            if len(keywords_raw) > MAX_TEXT:
                raise InputError(source, "field exceeds the size limit", where="info.keywords")
            keywords = tuple(k.strip() for k in re.split(r"[,\s]+", keywords_raw) if k.strip())
        else:
            keywords = string_list(info, "keywords", source)
        releases = _releases(doc, source)
        first, last, last_12m = release_stats(releases, now)
        ownership = obj(doc, "ownership", source)
        roles = ownership.get("roles") or []
        if not isinstance(roles, list):
            raise InputError(source, "expected a list", where="ownership.roles")
        maintainers = tuple(
            Maintainer(login=text(r, "user", source), email=None, role=text(r, "role", source))
            for r in roles
            if isinstance(r, dict) and text(r, "user", source)
        )
        normalised_urls: dict[str, str] = {}
        for label, url in project_urls.items():
            normalised_urls.setdefault(normalise_label(label), url)
        metadata = PackageMetadata(
            purl=ref.purl,
            ecosystem="pypi",
            latest_version=latest,
            summary=text(info, "summary", source),
            description=text(info, "description", source, limit=MAX_TEXT),
            homepage=homepage or project_urls.get("Homepage") or normalised_urls.get("homepage"),
            repository_url=repository_from_links(links),
            license=_licence(info, classifiers, source),
            deprecated=None,
            first_release_at=first,
            last_release_at=last,
            releases_last_12m=last_12m,
            keywords=keywords,
            classifiers=classifiers,
            project_urls=tuple(normalised_urls.items()),
            requires_python=text(info, "requires_python", source),
            ownership_org=text(ownership, "organization", source),
        )
        dependencies = _requirements(latest or "", string_list(info, "requires_dist", source))
        return Collected(
            metadata=metadata,
            releases=releases,
            maintainers=maintainers,
            dependencies=dependencies,
            funding=funding_from_project_urls(project_urls),
        )


# ------------------------------------------------------------------------------------ PEP 792 project status

#: The Simple API's JSON form (PEP 691); PEP 792 adds ``project-status`` from API version 1.4.
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
PROJECT_STATUSES = ("active", "archived", "quarantined", "deprecated")
_STATUS_SINCE = (1, 4)


def simple_url(base_url: str, name: str) -> str:
    """``https://pypi.org/simple/NAME/`` from the JSON API's base (``https://pypi.org/pypi``)."""
    root = base_url.rstrip("/").removesuffix("/pypi")
    return f"{root}/simple/{quote(str(canonicalize_name(name)), safe='')}/"


@dataclass(frozen=True)
class ProjectStatus:
    """A PEP 792 status as the index gave it, or why it is not known (``status`` None)."""

    status: str | None
    reason: str | None  # the index's reason for the status, or why it was not collected


def project_status(document: dict[str, Any], source: str) -> ProjectStatus:
    """PEP 792 (https://packaging.python.org/en/latest/specifications/project-status-markers/): a project
    without a marker is ``active``, but only an index speaking API 1.4 or later says so by omission."""
    meta = obj(document, "meta", source)
    api = text(meta, "api-version", source) or ""
    marker = document.get("project-status")
    if isinstance(marker, dict):
        status = marker.get("status")
        if status not in PROJECT_STATUSES:
            return ProjectStatus(None, f"unknown project status {str(status)[:40]!r}")
        return ProjectStatus(str(status), text(marker, "reason", source))
    try:
        version = tuple(int(part) for part in api.split(".")[:2])
    except ValueError:
        version = ()
    if version >= _STATUS_SINCE:
        return ProjectStatus("active", None)
    return ProjectStatus(
        None, f"the index's Simple API (version {api or 'unknown'}) predates project status markers (1.4)"
    )


async def fetch_project_status(fetcher: Fetcher, base_url: str, name: str) -> ProjectStatus:
    url = simple_url(base_url, name)
    try:
        answer = await fetcher.get(url, accept=SIMPLE_JSON)
        if answer.status != 200:
            return ProjectStatus(None, f"{url} answered HTTP {answer.status}")
        return project_status(load_json(answer.body, url), url)
    except SocleError as exc:
        return ProjectStatus(None, str(exc))
