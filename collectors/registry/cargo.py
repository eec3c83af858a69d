"""crates.io: the sparse index (https://doc.rust-lang.org/cargo/reference/registry-index.html) for the
versions, yanks, dependencies and features of every version, and the crate archive of the version in use
for its ``Cargo.toml`` (repository, licence, authors, homepage, description, keywords) and
``.github/FUNDING.yml`` when the crate ships one.

The archive's download URL comes from the index's ``config.json`` (``dl``), so a mirror (Artifactory,
a private registry) is used end to end by pointing ``$SOCLE_CRATES_INDEX_URL`` at it. The same file names
the registry's web API (``api``); its owners endpoint (``GET {api}/api/v1/crates/NAME/owners``,
https://doc.rust-lang.org/cargo/reference/registry-web-api.html#owners-list) says who can publish the
crate: users (role ``owner``) and GitHub teams (role ``owner-team``, their organisation kept), stored with
the Cargo.toml authors in the maintainers table. The API does not answer from every network: once it has
failed in a run it is not asked again, and each crate's owners are recorded as "not collected" with why.
Archives are read in memory with bounds: at most 20 MB, 20,000 members, a Cargo.toml of at most 1 MB.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import tarfile
import tomllib
from datetime import datetime
from typing import Any
from urllib.parse import quote

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
from collectors.git.funding import parse_funding_yml
from collectors.http import Fetcher
from collectors.purls import purl_for as canonical_purl
from collectors.registry.fetch import Fetched, failed, fetch_document, require_identity
from collectors.registry.parsing import parse_time, release_stats
from collectors.registry.repository_urls import repository_from_links

BASE_URL = "https://index.crates.io"
MAX_ARCHIVE_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_MANIFEST_BYTES = 1024 * 1024
_AUTHOR = re.compile(r"^\s*(?P<name>[^<]*?)\s*(?:<(?P<email>[^>]+)>)?\s*$")


def index_path(name: str) -> str:
    """The sparse index file of a crate: 1/a, 2/ab, 3/a/abc, ab/cd/abcd... (lower-cased)."""
    lowered = name.lower()
    if len(lowered) <= 2:
        return f"{len(lowered)}/{lowered}"
    if len(lowered) == 3:
        return f"3/{lowered[0]}/{lowered}"
    return f"{lowered[:2]}/{lowered[2:4]}/{lowered}"


def parse_index(body: bytes, source: str) -> list[dict[str, Any]]:
    """One JSON object per line, one line per published version."""
    entries: list[dict[str, Any]] = []
    for number, line in enumerate(body.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise InputError(source, f"malformed index line ({exc})", where=f"line {number}") from exc
        if not isinstance(entry, dict) or not isinstance(entry.get("vers"), str):
            raise InputError(source, "index line without a version", where=f"line {number}")
        entries.append(entry)
        if len(entries) > 20_000:
            raise InputError(source, "more than 20,000 versions")
    return entries


def _dependencies(version: str, entry: dict[str, Any]) -> tuple[Dependency, ...]:
    out: list[Dependency] = []
    for dep in entry.get("deps") or []:
        if not isinstance(dep, dict) or not isinstance(dep.get("name"), str):
            continue
        # A renamed dependency: "name" is the local name, "package" the crate's.
        crate = dep.get("package") if isinstance(dep.get("package"), str) else dep["name"]
        kind = {"dev": "dev", "build": "runtime"}.get(str(dep.get("kind") or "normal"), "runtime")
        if dep.get("optional") is True and kind == "runtime":
            kind = "optional"
        marker_parts = [
            p for p in (str(dep.get("kind") or ""), dep.get("target") or "") if p and p != "normal"
        ]
        req = dep.get("req") if isinstance(dep.get("req"), str) else None
        out.append(Dependency(version, str(crate)[:200], req, kind, "; ".join(marker_parts) or None))
    return tuple(out)


def cargo_range(requirement: str | None) -> str:
    """A Cargo requirement as a node-semver range: a bare ``1.2`` means ``^1.2`` in Cargo
    (https://doc.rust-lang.org/cargo/reference/specifying-dependencies.html), comparators join with commas."""
    if not requirement or requirement.strip() == "*":
        return "*"
    parts = []
    for comparator in requirement.split(","):
        comparator = comparator.strip()
        if comparator and comparator[0].isdigit():
            comparator = "^" + comparator
        parts.append(
            comparator.replace("= ", "=").replace("=", "", 1) if comparator.startswith("=") else comparator
        )
    return " ".join(parts)


def read_archive(body: bytes, name: str, version: str, source: str) -> tuple[dict[str, Any], bytes | None]:
    """(Cargo.toml as a table, FUNDING.yml bytes or None) from a ``.crate`` (a gzipped tar)."""
    if len(body) > MAX_ARCHIVE_BYTES:
        raise InputError(
            source, f"crate archive of {len(body)} bytes exceeds the {MAX_ARCHIVE_BYTES}-byte limit"
        )
    root = f"{name}-{version}/"
    manifest: bytes | None = None
    funding: bytes | None = None
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
            for count, member in enumerate(archive):
                if count > MAX_MEMBERS:
                    raise InputError(source, f"crate archive has more than {MAX_MEMBERS} members")
                if not member.isfile() or member.size > MAX_MANIFEST_BYTES:
                    continue
                if member.name == root + "Cargo.toml" or member.name == root + ".github/FUNDING.yml":
                    handle = archive.extractfile(member)
                    data = handle.read(MAX_MANIFEST_BYTES) if handle else b""
                    if member.name.endswith("Cargo.toml"):
                        manifest = data
                    else:
                        funding = data
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise InputError(source, f"unreadable crate archive ({exc})") from exc
    if manifest is None:
        raise InputError(source, f"no {root}Cargo.toml in the crate archive")
    try:
        return tomllib.loads(manifest.decode("utf-8")), funding
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(source, f"unreadable Cargo.toml ({exc})") from exc


def _table(table: dict[str, Any], key: str) -> dict[str, Any]:
    value = table.get(key)
    return value if isinstance(value, dict) else {}


def _list(table: dict[str, Any], key: str) -> list[Any]:
    # ``authors.workspace = true`` (a table) and other non-lists count as absent.
    value = table.get(key)
    return value if isinstance(value, list) else []


def _short(table: dict[str, Any], key: str) -> str | None:
    value = table.get(key)
    return value.strip()[:2000] or None if isinstance(value, str) else None


def parse_owners(body: bytes, source: str) -> tuple[Maintainer, ...]:
    """``{"users": [{"login", "kind": "user"|"team", "name", "url"}...]}``: users as ``owner``, teams
    (login ``github:ORG:TEAM``) as ``owner-team`` with the GitHub organisation as their organisation."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InputError(source, f"unreadable owners answer ({exc})") from exc
    users = doc.get("users") if isinstance(doc, dict) else None
    if not isinstance(users, list):
        raise InputError(source, "the owners answer has no users list")
    owners: list[Maintainer] = []
    for user in users[:200]:
        login = user.get("login") if isinstance(user, dict) else None
        if not isinstance(login, str) or not login.strip():
            continue
        login = login.strip()[:200]
        if user.get("kind") == "team":
            _host, _, rest = login.partition(":")
            organisation = rest.partition(":")[0] or None
            owners.append(Maintainer(login=login, email=None, role="owner-team", organisation=organisation))
        else:
            owners.append(Maintainer(login=login, email=None, role="owner"))
    return tuple(owners)


class CargoCollector:
    ecosystem = "cargo"

    def __init__(self, base_url: str = BASE_URL) -> None:
        self.base_url = base_url.rstrip("/")
        self._config: asyncio.Task[tuple[str, str | None]] | None = None
        #: Why the web API gave no owners in this run (None: it answers, or was not asked yet).
        self._api_refused: str | None = None
        self._api_probe: asyncio.Lock | None = None
        self._api_answered = False

    def purl_for(self, name: str) -> str:
        return canonical_purl("cargo", name)

    async def _read_config(self, fetcher: Fetcher) -> tuple[str, str | None]:
        """(``dl``, ``api`` or None) from the index's ``config.json``."""
        answer = await fetcher.get(f"{self.base_url}/config.json")
        if answer.status != 200:
            raise TerminalError(f"{self.base_url}/config.json: HTTP {answer.status}")
        try:
            config = json.loads(answer.body)
            dl, api = config.get("dl"), config.get("api")
        except (ValueError, AttributeError) as exc:
            raise InputError(f"{self.base_url}/config.json", "unreadable index configuration") from exc
        if not isinstance(dl, str) or not dl.startswith(("https://", "http://")):
            raise InputError(f"{self.base_url}/config.json", "no download URL (dl)")
        usable_api = isinstance(api, str) and api.startswith(("https://", "http://"))
        return dl, api.rstrip("/") if usable_api else None

    async def _registry_config(self, fetcher: Fetcher) -> tuple[str, str | None]:
        if self._config is None:
            self._config = asyncio.ensure_future(self._read_config(fetcher))
        return await asyncio.shield(self._config)

    async def archive_url(self, fetcher: Fetcher, name: str, version: str) -> str:
        dl, _api = await self._registry_config(fetcher)
        crate, vers = quote(name, safe=""), quote(version, safe="")
        if not any(
            marker in dl
            for marker in ("{crate}", "{version}", "{prefix}", "{lowerprefix}", "{sha256-checksum}")
        ):
            return f"{dl.rstrip('/')}/{crate}/{vers}/download"
        prefix = index_path(name).rsplit("/", 1)[0]
        return (
            dl.replace("{crate}", crate)
            .replace("{version}", vers)
            .replace("{lowerprefix}", prefix.lower())
            .replace("{prefix}", prefix)
        )

    async def owners(self, fetcher: Fetcher, name: str) -> tuple[Maintainer, ...]:
        """Who can publish the crate, from the registry's web API. Raises SocleError when not collected."""
        _dl, api = await self._registry_config(fetcher)
        if api is None:
            raise TerminalError(f"{self.base_url}/config.json names no web API")
        if self._api_probe is None:
            self._api_probe = asyncio.Lock()
        # The first call probes the API; the others wait for it, so an unreachable API costs one
        # request (with its retries) per run instead of one per crate.
        if not self._api_answered:
            async with self._api_probe:
                return await self._owners_once(fetcher, api, name)
        return await self._owners_once(fetcher, api, name)

    async def _owners_once(self, fetcher: Fetcher, api: str, name: str) -> tuple[Maintainer, ...]:
        if self._api_refused is not None:
            raise TerminalError(self._api_refused)
        url = f"{api}/api/v1/crates/{quote(name, safe='')}/owners"
        try:
            answer = await fetcher.get(url)
        except SocleError as exc:
            self._api_refused = f"the registry's web API did not answer in this run ({exc})"
            raise TerminalError(self._api_refused) from exc
        self._api_answered = True
        if answer.status != 200:
            raise TerminalError(f"{url}: HTTP {answer.status}")
        return parse_owners(answer.body, url)

    async def collect(self, fetcher: Fetcher, ref: PackageRef, *, now: datetime) -> Outcome:
        url = f"{self.base_url}/{index_path(ref.name)}"
        fetched = await fetch_document(fetcher, url, ref, "crates.io", parse_json=False)
        if not isinstance(fetched, Fetched):
            return fetched
        try:
            entries = {e["vers"]: e for e in parse_index(fetched.body, url)}
            published = [v for v, e in entries.items() if e.get("yanked") is not True]
            latest = self.best_version(published, None) or (list(entries)[-1] if entries else None)
            in_use = [v for v in ref.versions if v in entries][:5] or ([latest] if latest else [])
            if not in_use:
                return failed(ref, InputError(url, "the index lists no version"))
            version = in_use[0]
            # crates.io names are case-insensitive and treat - and _ alike (its index is keyed that way).
            require_identity(
                ref,
                answered_name=entries[latest].get("name") if latest in entries else None,
                latest=latest,
                same_name=lambda name: name.lower().replace("_", "-"),
            )
            name = str(entries[version].get("name") or ref.name)
            archive = await self.archive_url(fetcher, name, version)
            answer = await fetcher.get(archive, accept="application/octet-stream")
            if answer.status != 200:
                raise TerminalError(f"{archive}: HTTP {answer.status}")
            cargo_toml, funding_yml = read_archive(answer.body, name, version, archive)
            funding = (
                tuple(parse_funding_yml(funding_yml, f"{archive}:.github/FUNDING.yml")) if funding_yml else ()
            )
        except SocleError as exc:
            return failed(ref, exc)
        warnings: list[str] = []
        try:
            owners = await self.owners(fetcher, name)
        except SocleError as exc:
            owners = ()
            warnings.append(f"owners not collected: {exc}")
        package = _table(cargo_toml, "package")
        releases = tuple(
            Release(v, parse_time(e.get("pubtime")), yanked=e.get("yanked") is True)
            for v, e in entries.items()
        )
        first, last, last_12m = release_stats(releases, now)
        if releases and releases[0].released_at is None:
            first = None  # the index records publication times only for recent versions
        homepage, repository = _short(package, "homepage"), _short(package, "repository")
        links = [(label, url) for label, url in (("repository", repository), ("homepage", homepage)) if url]
        authors, keywords = _list(package, "authors"), _list(package, "keywords")
        metadata = PackageMetadata(
            purl=ref.purl,
            ecosystem="cargo",
            latest_version=latest,
            summary=_short(package, "description"),
            description=_short(package, "description"),
            homepage=homepage,
            repository_url=repository_from_links(links),
            license=_short(package, "license"),
            first_release_at=first,
            last_release_at=last,
            releases_last_12m=last_12m,
            keywords=tuple(str(k)[:100] for k in keywords[:50]),
            project_urls=tuple(links)
            + ((("documentation", d),) if (d := _short(package, "documentation")) else ()),
        )
        maintainers = []
        for author in authors[:100]:
            match = _AUTHOR.match(str(author)[:500])
            if match and match.group("name"):
                maintainers.append(
                    Maintainer(login=match.group("name"), email=match.group("email"), role="author")
                )
        return Collected(
            metadata=metadata,
            releases=releases,
            maintainers=(*owners, *maintainers),
            dependencies=tuple(d for v in in_use for d in _dependencies(v, entries[v])),
            funding=tuple(FundingLink(f.url, platform_for(f.url), f.label) for f in funding),
            documents=(Document(fetched.url, fetched.body),),
            warnings=tuple(warnings),
            signature=fetched.signature,
        )

    async def dependencies_of(
        self, fetcher: Fetcher, ref: PackageRef, version: str
    ) -> tuple[Dependency, ...]:
        url = f"{self.base_url}/{index_path(ref.name)}"
        answer = await fetcher.get(url, accept="*/*")
        if answer.status != 200:
            raise TerminalError(f"{url}: HTTP {answer.status}")
        entries = {e["vers"]: e for e in parse_index(answer.body, url)}
        if version not in entries:
            raise TerminalError(f"{url}: no version {version}")
        return _dependencies(version, entries[version])

    def best_version(self, versions: list[str], specifier: str | None) -> str | None:
        try:
            best = nodesemver.max_satisfying(versions, cargo_range(specifier), loose=False)
        except (ValueError, TypeError):
            return None
        return str(best) if best else None
