"""Go modules through the module proxy protocol (https://go.dev/ref/mod#goproxy-protocol), default
https://proxy.golang.org: ``$module/@v/list`` (versions), ``$version.info`` (release time), ``@latest``
(when no tagged version exists) and ``$version.mod`` (requires, ``// Deprecated:``, ``retract``).

The deprecation and the retractions are read from the newest version's go.mod, as the go command does;
the requires from the go.mod of each version in use. Release times are fetched for the versions in use and
the newest dozen: older ones are "not known", so the cadence of a module is judged on recent releases.
The proxy says nothing about people or funding: those come from the repository (git step).
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime
from urllib.parse import quote

from collectors.base import (
    Collected,
    Dependency,
    Document,
    Outcome,
    PackageMetadata,
    PackageRef,
    Release,
)
from collectors.errors import InputError, SocleError, TerminalError
from collectors.http import Fetcher
from collectors.purls import purl_for as canonical_purl
from collectors.registry.fetch import Fetched, failed, fetch_document, require_identity
from collectors.registry.gomod import GoMod, escape_path, parse_go_mod, repository_for_module
from collectors.registry.parsing import parse_time, release_stats

BASE_URL = "https://proxy.golang.org"
#: Release times fetched per module besides the versions in use (one small request each).
DATED_RELEASES = 12
_SEMVER = re.compile(r"v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?")


def semver_key(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """Semantic version order (https://semver.org/#spec-item-11); unreadable versions sort first."""
    match = _SEMVER.fullmatch(version)
    if not match:
        return (-1, 0, 0, 0, ())
    major, minor, patch, pre = match.groups()
    pre_key = tuple((0, int(p)) if p.isdigit() else (1, p) for p in (pre or "").split(".") if p)
    return (int(major), int(minor), int(patch), 0 if pre else 1, pre_key)


def is_release(version: str) -> bool:
    match = _SEMVER.fullmatch(version)
    return bool(match) and not match.group(4)  # type: ignore[union-attr]


def _retracted(version: str, intervals: tuple[tuple[str, str], ...]) -> bool:
    key = semver_key(version)
    return any(semver_key(low) <= key <= semver_key(high) for low, high in intervals)


def split_module(name: str) -> tuple[str | None, str]:
    """``github.com/spf13/cobra`` -> (``github.com/spf13``, ``cobra``): the purl's namespace and name."""
    namespace, _, last = name.rpartition("/")
    return namespace or None, last


class GoCollector:
    ecosystem = "golang"

    def __init__(self, base_url: str = BASE_URL) -> None:
        self.base_url = base_url.rstrip("/")

    def purl_for(self, name: str) -> str:
        namespace, last = split_module(name)
        return canonical_purl("golang", last, namespace)

    def _url(self, module: str, tail: str) -> str:
        return f"{self.base_url}/{quote(escape_path(module), safe='/!~.-_')}/{tail}"

    async def _get(self, fetcher: Fetcher, url: str) -> bytes:
        answer = await fetcher.get(url, accept="*/*")
        if answer.status != 200:
            raise TerminalError(f"{url}: HTTP {answer.status}")
        return answer.body

    async def _info_time(self, fetcher: Fetcher, module: str, version: str) -> datetime | None:
        url = self._url(module, f"@v/{quote(escape_path(version), safe='')}.info")
        try:
            doc = json.loads(await self._get(fetcher, url))
        except (TerminalError, ValueError):
            return None  # the date of that release is not known
        return parse_time(doc.get("Time")) if isinstance(doc, dict) else None

    async def _mod(self, fetcher: Fetcher, module: str, version: str) -> tuple[GoMod, Document]:
        url = self._url(module, f"@v/{quote(escape_path(version), safe='')}.mod")
        body = await self._get(fetcher, url)
        return parse_go_mod(body, url), Document(url, body)

    async def collect(self, fetcher: Fetcher, ref: PackageRef, *, now: datetime) -> Outcome:
        module = ref.name
        fetched = await fetch_document(
            fetcher, self._url(module, "@v/list"), ref, "the Go module proxy", parse_json=False
        )
        if not isinstance(fetched, Fetched):
            return fetched
        try:
            listed = [v for v in fetched.body.decode("utf-8", "replace").split() if _SEMVER.fullmatch(v)][
                :20_000
            ]
            ordered = sorted(listed, key=semver_key)
            releases_only = [v for v in ordered if is_release(v)]
            latest: object = (releases_only or ordered)[-1] if ordered else None
            if latest is None:
                answer = await fetcher.get(self._url(module, "@latest"))
                doc = json.loads(answer.body) if answer.status == 200 else {}
                latest = doc.get("Version") if isinstance(doc, dict) else None
            if not isinstance(latest, str):
                return failed(ref, InputError(ref.purl, "the proxy lists no version"))
            in_use = [v if v.startswith("v") else f"v{v}" for v in ref.versions if v][:5]
            latest_mod, latest_doc = await self._mod(fetcher, module, latest)
            require_identity(ref, answered_name=latest_mod.module, latest=latest)
            documents = [Document(fetched.url, fetched.body), latest_doc]
            deps: list[Dependency] = []
            for version in in_use or [latest]:
                if version == latest:
                    deps.extend(self._requires(version, latest_mod))
                else:
                    deps.extend(await self.dependencies_of(fetcher, ref, version))
            dated = list(dict.fromkeys([*in_use, *ordered[-DATED_RELEASES:]]))
            times = await asyncio.gather(*(self._info_time(fetcher, module, v) for v in dated))
        except (SocleError, ValueError) as exc:
            error = exc if isinstance(exc, SocleError) else InputError(ref.purl, f"unreadable answer ({exc})")
            return failed(ref, error)
        when = dict(zip(dated, times, strict=True))
        releases = tuple(Release(v, when.get(v), yanked=_retracted(v, latest_mod.retracted)) for v in ordered)
        first, last, last_12m = release_stats(releases, now)
        if ordered and when.get(ordered[0]) is None:
            first = None  # the oldest version's date was not fetched: not known rather than wrong
        repository = repository_for_module(module)
        metadata = PackageMetadata(
            purl=ref.purl,
            ecosystem="golang",
            latest_version=latest,
            homepage=f"https://pkg.go.dev/{module}",
            repository_url=repository,
            deprecated=latest_mod.deprecated,
            first_release_at=first,
            last_release_at=last,
            releases_last_12m=last_12m,
            project_urls=(("source", repository),) if repository else (),
        )
        return Collected(
            metadata=metadata,
            releases=releases,
            dependencies=tuple(deps),
            documents=tuple(documents),
            warnings=() if repository else (f"no repository known for module path {module}",),
            signature=fetched.signature,
        )

    @staticmethod
    def _requires(version: str, mod: GoMod) -> tuple[Dependency, ...]:
        # Since Go 1.17 a go.mod lists every module the build needs (indirect ones marked): the graph is
        # complete from it (https://go.dev/ref/mod#graph-pruning). A require is a minimum version (MVS).
        return tuple(
            Dependency(version, path, req, "runtime", "indirect" if indirect else None)
            for path, req, indirect in mod.requires
        )

    async def dependencies_of(
        self, fetcher: Fetcher, ref: PackageRef, version: str
    ) -> tuple[Dependency, ...]:
        mod, _ = await self._mod(fetcher, ref.name, version)
        return self._requires(version, mod)

    def best_version(self, versions: list[str], specifier: str | None) -> str | None:
        # Minimal version selection: a requirement names the version to use (pseudo-versions are not listed).
        if specifier and _SEMVER.fullmatch(specifier):
            return specifier
        ordered = sorted((v for v in versions if _SEMVER.fullmatch(v)), key=semver_key)
        stable = [v for v in ordered if is_release(v)] or ordered
        return stable[-1] if stable else None
