"""Go modules through the module proxy protocol (https://go.dev/ref/mod#goproxy-protocol), default
https://proxy.golang.org: ``$module/@v/list`` (versions), ``$version.info`` (release time), ``@latest``
(when no tagged version exists) and ``$version.mod`` (requires, ``// Deprecated:``, ``retract``).

The deprecation and the retractions are read from the newest version's go.mod, as the go command does;
the requires from the go.mod of each version in use. Release times are fetched for the versions in use and
the newest dozen: older ones are "not known", so the cadence of a module is judged on recent releases.
The proxy says nothing about people or funding: those come from the repository (git step).

The licence comes from the module zip of the version in use (``$version.zip``, at most ``MAX_ZIP_BYTES``):
only its top-level LICENSE / COPYING files are read and matched by :mod:`collectors.registry.licence_files`.
A module path whose repository neither the path nor ``data/registries/go_vanity.toml`` gives is looked up
with the go-get protocol (https://go.dev/ref/mod#vcs-find): ``https://PATH?go-get=1`` and its
``<meta name="go-import" content="PREFIX VCS REPO">``, once its host is known to be a public address.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from datetime import datetime
from html.parser import HTMLParser
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
from collectors.git.urls import Resolver, check_public_host
from collectors.http import AnswerTooLarge, Fetcher
from collectors.purls import purl_for as canonical_purl
from collectors.registry.fetch import Fetched, failed, fetch_document, require_identity
from collectors.registry.gomod import GoMod, escape_path, parse_go_mod, repository_for_module
from collectors.registry.licence_files import is_licence_file, licence_of
from collectors.registry.parsing import parse_time, release_stats
from collectors.registry.repository_urls import normalise_repository_url

BASE_URL = "https://proxy.golang.org"
#: Release times fetched per module besides the versions in use (one small request each).
DATED_RELEASES = 12
#: Module zips larger than this are not downloaded for their licence (the proxy allows 500 MB).
MAX_ZIP_BYTES = 20 * 1024 * 1024
#: A licence file larger than this is not a licence text.
MAX_LICENCE_BYTES = 256 * 1024
#: A go-get page is a few hundred bytes.
MAX_GO_GET_BYTES = 256 * 1024
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


def licence_files(body: bytes, prefix: str, source: str) -> list[tuple[str, str]]:
    """(name, text) of the licence files at the top of a module zip whose paths start with ``prefix``
    (``module@version/``, https://go.dev/ref/mod#zip-files)."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            found = []
            for info in archive.infolist()[:100_000]:
                name = info.filename.removeprefix(prefix)
                if name == info.filename or "/" in name or not is_licence_file(name):
                    continue
                if info.file_size > MAX_LICENCE_BYTES:
                    continue
                with archive.open(info) as handle:
                    found.append((name, handle.read(MAX_LICENCE_BYTES).decode("utf-8", "replace")))
            return sorted(found)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise InputError(source, f"unreadable module zip ({exc})") from exc


class _GoImport(HTMLParser):
    """The ``go-import`` meta tags of a go-get page (content: ``prefix vcs repo-root``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.imports: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "meta" and fields.get("name") == "go-import" and len(self.imports) < 50:
            parts = (fields.get("content") or "").split()
            if len(parts) == 3:
                self.imports.append((parts[0], parts[1], parts[2]))


def go_import_repository(page: str, module: str) -> str | None:
    """The repository root a go-get page declares for ``module`` (the go-import whose prefix is the module
    path or one of its parents; ``mod`` entries point at a proxy, not a repository)."""
    parser = _GoImport()
    parser.feed(page[:MAX_GO_GET_BYTES])
    matching = [
        (prefix, repo)
        for prefix, vcs, repo in parser.imports
        if vcs != "mod" and (module == prefix or module.startswith(prefix + "/"))
    ]
    if not matching:
        return None
    return normalise_repository_url(max(matching, key=lambda found: len(found[0]))[1])


class GoCollector:
    ecosystem = "golang"

    def __init__(self, base_url: str = BASE_URL, *, resolver: Resolver | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._resolver = resolver  # host -> addresses for the go-get host check; None: the system's
        #: Vanity hosts whose go-get page did not answer in this run, with why: asked once per host.
        self._go_get_refused: dict[str, str] = {}

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

    async def licence(self, fetcher: Fetcher, module: str, version: str) -> tuple[str | None, str | None]:
        """(licence, None) or (None, why it is not known) from the module zip of ``version``."""
        url = self._url(module, f"@v/{quote(escape_path(version), safe='')}.zip")
        try:
            answer = await fetcher.get(url, accept="application/zip", max_bytes=MAX_ZIP_BYTES)
        except AnswerTooLarge:
            return None, f"module archive larger than {MAX_ZIP_BYTES // (1024 * 1024)} MB, not downloaded"
        except SocleError as exc:
            return None, f"module archive unavailable ({exc})"
        if answer.status != 200:
            return None, f"module archive unavailable ({url}: HTTP {answer.status})"
        try:
            files = await asyncio.to_thread(licence_files, answer.body, f"{module}@{version}/", url)
        except InputError as exc:
            return None, str(exc)
        return licence_of(files)

    async def vanity_repository(self, fetcher: Fetcher, module: str) -> tuple[str | None, str | None]:
        """(repository, None) or (None, why not known) from the module path's go-get page."""
        host = module.split("/", 1)[0].lower()
        if host in self._go_get_refused:
            return None, self._go_get_refused[host]
        url = f"https://{quote(module, safe='/.-_~')}?go-get=1"
        try:
            await asyncio.to_thread(check_public_host, host, what=url, resolver=self._resolver)
            answer = await fetcher.get(url, accept="text/html", max_bytes=MAX_GO_GET_BYTES)
        except SocleError as exc:
            self._go_get_refused[host] = f"the go-get page did not answer ({exc})"
            return None, self._go_get_refused[host]
        if answer.status != 200:
            return None, f"the go-get page answered HTTP {answer.status}"
        repository = go_import_repository(answer.body.decode("utf-8", "replace"), module)
        return (repository, None) if repository else (None, f"{url} declares no go-import for {module}")

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
                return failed(ref, InputError(fetched.url, "the proxy lists no version"))
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
            licence, licence_unknown = await self.licence(fetcher, module, (in_use or [latest])[0])
        except (SocleError, ValueError) as exc:
            error = exc if isinstance(exc, SocleError) else InputError(ref.purl, f"unreadable answer ({exc})")
            return failed(ref, error)
        when = dict(zip(dated, times, strict=True))
        releases = tuple(Release(v, when.get(v), yanked=_retracted(v, latest_mod.retracted)) for v in ordered)
        first, last, last_12m = release_stats(releases, now)
        if ordered and when.get(ordered[0]) is None:
            first = None  # the oldest version's date was not fetched: not known rather than wrong
        warnings = [f"licence not known: {licence_unknown}"] if licence_unknown else []
        repository = repository_for_module(module)
        if repository is None:
            repository, why = await self.vanity_repository(fetcher, module)
            if why:
                warnings.append(f"no repository known for module path {module}: {why}")
        metadata = PackageMetadata(
            purl=ref.purl,
            ecosystem="golang",
            latest_version=latest,
            homepage=f"https://pkg.go.dev/{module}",
            repository_url=repository,
            license=licence,
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
            warnings=tuple(warnings),
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
