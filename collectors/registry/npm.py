"""npm: the registry's packument ``/NAME`` (https://github.com/npm/registry/blob/main/docs/responses/package-metadata.md).

The full packument holds every version's manifest and publish time, so one request per package is enough;
``/NAME/VERSION`` is used only for a version the packument does not list.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import nodesemver

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
from collectors.funding_urls import platform_for
from collectors.http import Fetcher
from collectors.registry.fetch import Fetched, failed, fetch_document, require_identity
from collectors.registry.parsing import (
    MAX_SHORT,
    MAX_TEXT,
    load_json,
    obj,
    parse_time,
    purl_for,
    release_stats,
    string_list,
    text,
)
from collectors.registry.repository_urls import normalise_repository_url, safe_directory

BASE_URL = "https://registry.npmjs.org"
_DEPENDENCY_KINDS = (
    ("dependencies", "runtime"),
    ("optionalDependencies", "optional"),
    ("peerDependencies", "peer"),
)


def _valid_funding_url(url: object) -> bool:
    # npm's own rule (npm/cli lib/utils/funding.js isValidFunding): http(s) with a host.
    if not isinstance(url, str) or len(url) > MAX_SHORT:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def funding_links(value: object) -> tuple[tuple[FundingLink, ...], str | None]:
    """npm ``funding``: a URL, ``{type, url}``, or an array of both. Invalid as a whole if any URL is."""
    if value is None:
        return (), None
    items = value if isinstance(value, list) else [value]
    links: list[FundingLink] = []
    for item in items:
        url: object
        label: str | None
        if isinstance(item, str):
            url, label = item, None
        elif isinstance(item, dict):
            url = item.get("url")
            kind = item.get("type")
            label = kind if isinstance(kind, str) and len(kind) <= 200 else None
        else:
            return (), f"funding entry of type {type(item).__name__} is not valid"
        if not _valid_funding_url(url):
            return (), f"funding URL {str(url)[:200]!r} is not a valid http(s) URL"
        assert isinstance(url, str)
        links.append(FundingLink(url=url, platform=platform_for(url), label=label))
    return tuple(links), None


def repository(value: object, source: str) -> tuple[str | None, str | None]:
    """(normalised https URL, monorepo directory) from ``repository`` (a string or ``{type, url, directory}``)."""
    if isinstance(value, str):
        return normalise_repository_url(value), None
    if isinstance(value, dict):
        directory = safe_directory(text(value, "directory", source))
        return normalise_repository_url(value.get("url")), directory
    return None, None


def _licence(manifest: dict[str, Any], source: str) -> str | None:
    value = manifest.get("license")
    if isinstance(value, str):
        return value[:200] or None
    if isinstance(value, dict):
        return text(value, "type", source)
    legacy = manifest.get("licenses")
    if isinstance(legacy, list):
        names = [str(v["type"]) for v in legacy if isinstance(v, dict) and isinstance(v.get("type"), str)]
        return " OR ".join(names) or None
    return None


def _dependencies(version: str, manifest: dict[str, Any], source: str) -> tuple[Dependency, ...]:
    deps: list[Dependency] = []
    for key, kind in _DEPENDENCY_KINDS:
        table = obj(manifest, key, source)
        for name, spec in table.items():
            if isinstance(spec, str) and len(name) <= 214:
                deps.append(Dependency(version, name, spec[:1000], kind))
    return tuple(deps)


class NpmCollector:
    ecosystem = "npm"

    def __init__(self, base_url: str = BASE_URL) -> None:
        self.base_url = base_url.rstrip("/")

    def purl_for(self, name: str) -> str:
        return purl_for("npm", name)

    def _url(self, name: str, version: str | None = None) -> str:
        path = quote(name, safe="@")  # @scope%2fname, as the registry expects
        return f"{self.base_url}/{path}" + (f"/{quote(version, safe='')}" if version else "")

    async def collect(self, fetcher: Fetcher, ref: PackageRef, *, now: datetime) -> Outcome:
        fetched = await fetch_document(fetcher, self._url(ref.name), ref, "npm")
        if not isinstance(fetched, Fetched):
            return fetched
        try:
            collected = self._parse(ref, fetched.doc, now)
        except SocleError as exc:
            return failed(ref, exc)
        return replace(
            collected, documents=(Document(fetched.url, fetched.body),), signature=fetched.signature
        )

    async def dependencies_of(
        self, fetcher: Fetcher, ref: PackageRef, version: str
    ) -> tuple[Dependency, ...]:
        url = self._url(ref.name, version)
        answer = await fetcher.get(url)
        if answer.status != 200:
            raise TerminalError(f"{url}: HTTP {answer.status}")
        return _dependencies(version, load_json(answer.body, ref.purl), ref.purl)

    def best_version(self, versions: list[str], specifier: str | None) -> str | None:
        spec = (specifier or "*").strip() or "*"
        if spec == "latest":
            spec = "*"
        try:
            best = nodesemver.max_satisfying(versions, spec, loose=True)
        except (ValueError, TypeError):
            return None
        return str(best) if best else None

    def _parse(self, ref: PackageRef, doc: dict[str, Any], now: datetime) -> Collected:
        source = ref.purl
        if "error" in doc and "versions" not in doc:
            raise InputError(source, f"registry error: {str(doc.get('error'))[:200]}")
        versions = obj(doc, "versions", source)
        times = obj(doc, "time", source)
        latest = text(obj(doc, "dist-tags", source), "latest", source)
        require_identity(ref, answered_name=doc.get("name"), latest=latest if latest in versions else None)
        in_use = [v for v in ref.versions if v in versions] or ([latest] if latest in versions else [])
        manifest_version = in_use[0] if in_use else None
        manifest = obj(versions, manifest_version, source) if manifest_version else {}
        latest_manifest = obj(versions, latest, source) if latest in versions else manifest
        releases = tuple(
            Release(version=v, released_at=parse_time(times.get(v)))
            for v in versions
            if isinstance(v, str) and len(v) <= 256
        )
        first, last, last_12m = release_stats(releases, now)
        repo_url, directory = repository(latest_manifest.get("repository", doc.get("repository")), source)
        funding, funding_problem = funding_links(manifest.get("funding", latest_manifest.get("funding")))
        maintainers_raw = doc.get("maintainers") or []
        if not isinstance(maintainers_raw, list):
            raise InputError(source, "expected a list", where="maintainers")
        maintainers = tuple(
            Maintainer(login=text(m, "name", source), email=text(m, "email", source), role="maintainer")
            for m in maintainers_raw
            if isinstance(m, dict)
        )
        deprecated = manifest.get("deprecated") if manifest else latest_manifest.get("deprecated")
        dependencies: list[Dependency] = []
        for version in in_use:
            dependencies.extend(_dependencies(version, obj(versions, version, source), source))
        summary = text(latest_manifest, "description", source) or text(doc, "description", source)
        metadata = PackageMetadata(
            purl=ref.purl,
            ecosystem="npm",
            latest_version=latest,
            summary=summary,
            description=text(doc, "readme", source, limit=MAX_TEXT) or summary,
            homepage=text(latest_manifest, "homepage", source),
            repository_url=repo_url,
            repository_directory=directory,
            license=_licence(latest_manifest, source),
            deprecated=deprecated[:2000] if isinstance(deprecated, str) and deprecated else None,
            first_release_at=first,
            last_release_at=last,
            releases_last_12m=last_12m,
            keywords=string_list(latest_manifest, "keywords", source),
            project_urls=(("homepage", h),) if (h := text(latest_manifest, "homepage", source)) else (),
        )
        return Collected(
            metadata=metadata,
            releases=releases,
            maintainers=maintainers,
            dependencies=tuple(dependencies),
            funding=funding,
            warnings=(funding_problem,) if funding_problem else (),
        )
