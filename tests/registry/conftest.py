"""Fixtures of the registry tests: recorded answers behind an ``httpx.MockTransport``, and test stores."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
import stamina

from collectors.registry.parsing import purl_for
from collectors.store import insert_columns, write_session

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "registry"


@pytest.fixture(autouse=True)
def _no_backoff_sleep() -> None:
    # Retries still happen (and are counted); only stamina's waiting is skipped.
    stamina.set_testing(True, attempts=4)
    yield
    stamina.set_testing(False)


def recorded(path: str) -> bytes | None:
    """The recorded answer for a registry path, or None (a 404)."""
    path = unquote(path)
    if path.startswith("/pypi/"):
        parts = path.strip("/").split("/")  # pypi NAME [VERSION] json
        name = parts[1] if len(parts) == 3 else f"{parts[1]}@{parts[2]}"
        file = FIXTURES / "pypi" / f"{name}.json"
    else:
        file = FIXTURES / "npm" / (path.lstrip("/").replace("/", "__") + ".json")
    return file.read_bytes() if file.is_file() else None


def recorded_transport(
    overrides: dict[str, httpx.Response] | None = None, seen: list[str] | None = None
) -> httpx.MockTransport:
    overrides = overrides or {}

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode()
        if seen is not None:
            seen.append(path)
        if path in overrides:
            return overrides[path]
        body = recorded(path)
        if body is None:
            return httpx.Response(404, json={"message": "Not Found"})
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


def make_store(db_path: Path, apps: dict[str, list[tuple[str, str, str, bool]]]) -> None:
    """An inventory: app -> [(ecosystem, name, version, is_direct)]."""
    packages: dict[str, tuple[str, str | None, str]] = {}
    rows: list[tuple[str, str, str, bool]] = []
    for app, deps in apps.items():
        for ecosystem, name, version, direct in deps:
            purl = purl_for(ecosystem, name)
            namespace, _, bare = name.partition("/") if name.startswith("@") else (None, "", name)
            packages[purl] = (ecosystem, namespace, bare if ecosystem == "npm" else name.lower())
            rows.append((app, purl, version, direct))
    with write_session(db_path, "import") as session:
        conn = session.conn
        insert_columns(
            conn,
            "applications",
            {
                "name": list(apps),
                "source": ["test"] * len(apps),
                "format": ["cyclonedx"] * len(apps),
                "content_hash": ["h"] * len(apps),
                "run_id": [session.run_id] * len(apps),
            },
        )
        insert_columns(
            conn,
            "packages",
            {
                "purl": list(packages),
                "ecosystem": [p[0] for p in packages.values()],
                "namespace": [p[1] for p in packages.values()],
                "name": [p[2] for p in packages.values()],
                "run_id": [session.run_id] * len(packages),
            },
        )
        insert_columns(
            conn,
            "app_packages",
            {
                "app": [r[0] for r in rows],
                "purl": [r[1] for r in rows],
                "version": [r[2] for r in rows],
                "specifier": [None] * len(rows),
                "is_direct": [r[3] for r in rows],
                "depth": [1 if r[3] else 2 for r in rows],
                "scope": ["runtime"] * len(rows),
                "inferred": [False] * len(rows),
                "run_id": [session.run_id] * len(rows),
            },
        )


@pytest.fixture
def store_factory(db_path: Path) -> Callable[[dict[str, list[tuple[str, str, str, bool]]]], Path]:
    def build(apps: dict[str, list[tuple[str, str, str, bool]]]) -> Path:
        make_store(db_path, apps)
        return db_path

    return build


def doc(obj: object) -> bytes:
    return json.dumps(obj).encode()


def pypi_answer_for(name: str) -> bytes:
    """The recorded attrs answer, renamed: a well-formed PyPI document for any package name."""
    doc = json.loads((FIXTURES / "pypi" / "attrs.json").read_bytes())
    doc["info"]["name"] = name
    return json.dumps(doc).encode()


#: The path prefix of each registry's default base URL (the fixtures are stored without it).
_PREFIXES = {"maven": "/maven2", "deb": "/debian"}


def path_transport(ecosystem: str, *, seen: list[str] | None = None) -> httpx.MockTransport:
    """Serves the answers ``record_polyglot`` stored under ``fixtures/registry/<ecosystem>/<url path>``."""
    root = FIXTURES / ecosystem

    def handler(request: httpx.Request) -> httpx.Response:
        path = unquote(request.url.raw_path.decode())
        if ecosystem == "deb" and path.startswith("/debian-security/"):
            path = "/security/" + path.removeprefix("/debian-security/")  # Debian's security archive
        else:
            path = path.removeprefix(_PREFIXES.get(ecosystem, "\0"))
        if seen is not None:
            seen.append(path)
        file = (root / path.lstrip("/")).resolve()
        if not file.is_file() or root.resolve() not in file.parents:
            return httpx.Response(404, text="not found")
        return httpx.Response(200, content=file.read_bytes())

    return httpx.MockTransport(handler)
