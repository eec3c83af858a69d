"""crates.io owners (who can publish a crate) from the registry's web API.

The owners answer below is written by hand from the documented shape
(https://doc.rust-lang.org/cargo/reference/registry-web-api.html#owners-list): the crates.io web API does
not answer from the machine these fixtures were made on (the sparse index and the archives do).
"""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
from datetime import datetime

import httpx

from collectors.base import Collected, PackageRef
from collectors.http import HttpSettings, open_fetcher
from collectors.registry.cargo import CargoCollector, parse_owners

NOW = datetime(2026, 12, 2, 12, 0)
API = "https://api.crates.test"
OWNERS = {
    "users": [
        {
            "id": 3618,
            "login": "dtolnay",
            "kind": "user",
            "url": "https://github.com/dtolnay",
            "name": "David Tolnay",
            "avatar": "https://avatars.githubusercontent.com/u/1940490?v=4",
        },
        {
            "id": 51,
            "login": "github:serde-rs:publish",
            "kind": "team",
            "url": "https://github.com/serde-rs",
            "name": "publish",
            "avatar": None,
        },
    ]
}


def _crate(name: str, version: str) -> bytes:
    manifest = f'[package]\nname = "{name}"\nversion = "{version}"\nauthors = ["A. Author <a@example.org>"]\n'
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        data = manifest.encode()
        member = tarfile.TarInfo(f"{name}-{version}/Cargo.toml")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return out.getvalue()


def _registry(*, api: str | None, owners: httpx.Response | None, seen: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        path = request.url.path
        if path == "/config.json":
            config = {"dl": "https://static.crates.test/crates"} | ({"api": api} if api else {})
            return httpx.Response(200, json=config)
        if request.url.host == "api.crates.test":
            if owners is None:
                raise httpx.ConnectError("connection refused", request=request)
            return owners
        if path.endswith("/download"):
            name, version = path.split("/")[-3:-1]
            return httpx.Response(200, content=_crate(name, version))
        name = path.rsplit("/", 1)[-1]
        line = {"name": name, "vers": "1.0.0", "deps": [], "features": {}, "yanked": False}
        return httpx.Response(200, content=json.dumps(line).encode())

    return httpx.MockTransport(handler)


def _collect(transport: httpx.MockTransport, names: list[str]) -> list[Collected]:
    collector = CargoCollector(base_url="https://index.crates.test")

    async def main() -> list[Collected]:
        async with open_fetcher(HttpSettings(attempts=2), transport=transport) as fetcher:
            refs = [PackageRef(f"pkg:cargo/{n}", "cargo", n, ("1.0.0",)) for n in names]
            outcomes = await asyncio.gather(*(collector.collect(fetcher, r, now=NOW) for r in refs))
        assert all(isinstance(o, Collected) for o in outcomes), outcomes
        return [o for o in outcomes if isinstance(o, Collected)]

    return asyncio.run(main())


def test_owners_are_stored_as_maintainers_with_their_role() -> None:
    seen: list[str] = []
    transport = _registry(api=API, owners=httpx.Response(200, json=OWNERS), seen=seen)
    [serde] = _collect(transport, ["serde"])
    assert [(m.login, m.role, m.organisation) for m in serde.maintainers] == [
        ("dtolnay", "owner", None),
        ("github:serde-rs:publish", "owner-team", "serde-rs"),
        ("A. Author", "author", None),
    ]
    assert f"{API}/api/v1/crates/serde/owners" in seen
    assert serde.warnings == ()


def test_an_unreachable_web_api_is_asked_once_and_recorded_as_not_collected() -> None:
    seen: list[str] = []
    outcomes = _collect(_registry(api=API, owners=None, seen=seen), ["serde", "itoa", "ryu"])
    # Still collected from the index and the archive; the owners say why they are missing.
    for outcome in outcomes:
        assert [m.role for m in outcome.maintainers] == ["author"]
        [warning] = outcome.warnings
        assert warning.startswith("owners not collected: the registry's web API did not answer")
    # One crate's call (with its retries) probed the API; the other two crates did not ask again.
    assert len({u for u in seen if "api.crates.test" in u}) == 1


def test_a_registry_without_a_web_api_and_an_unknown_crate() -> None:
    [no_api] = _collect(_registry(api=None, owners=None, seen=[]), ["serde"])
    assert no_api.warnings == (
        "owners not collected: https://index.crates.test/config.json names no web API",
    )
    missing = httpx.Response(404, json={"errors": [{"detail": "crate `serde` does not exist"}]})
    [unknown] = _collect(_registry(api=API, owners=missing, seen=[]), ["serde"])
    assert unknown.warnings == (f"owners not collected: {API}/api/v1/crates/serde/owners: HTTP 404",)


def test_parse_owners_skips_entries_without_a_login() -> None:
    body = json.dumps(
        {"users": [{"kind": "user"}, {"login": " ", "kind": "user"}, {"login": "a", "kind": "user"}]}
    )
    assert [m.login for m in parse_owners(body.encode(), "test")] == ["a"]
