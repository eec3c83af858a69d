"""Go module licences (from the module zip's top-level licence files) and vanity paths (go-get protocol).

The module zips under tests/fixtures/registry/golang/ are the proxy's answers trimmed to their licence
files and go.mod (``python -m tests.registry.record_polyglot --go-zips``); pkg.go.dev shows the same
licences for these versions.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import datetime

import httpx
import pytest

from collectors.base import Collected, PackageRef
from collectors.http import HttpSettings, open_fetcher
from collectors.registry.golang import GoCollector, go_import_repository, licence_files
from collectors.registry.licence_files import identify, is_licence_file, licence_of
from tests.registry.conftest import FIXTURES, path_transport

NOW = datetime(2026, 12, 2, 12, 0)


def _collect(
    collector: GoCollector, module: str, version: str, transport: httpx.AsyncBaseTransport
) -> Collected:
    async def main() -> Collected:
        async with open_fetcher(HttpSettings(attempts=1), transport=transport) as fetcher:
            ref = PackageRef(collector.purl_for(module), "golang", module, (version,))
            outcome = await collector.collect(fetcher, ref, now=NOW)
        assert isinstance(outcome, Collected), outcome
        return outcome

    return asyncio.run(main())


@pytest.mark.parametrize(
    ("module", "version", "licence"),
    [
        ("golang.org/x/text", "v0.14.0", "BSD-3-Clause"),
        ("github.com/spf13/cobra", "v1.8.0", "Apache-2.0"),
        ("github.com/BurntSushi/toml", "v1.3.2", "MIT"),
        ("github.com/golang/protobuf", "v1.5.4", "BSD-3-Clause"),
    ],
)
def test_the_licence_of_the_version_in_use_comes_from_its_module_zip(
    module: str, version: str, licence: str
) -> None:
    outcome = _collect(GoCollector(), module, version, path_transport("golang"))
    assert outcome.metadata.license == licence
    assert not [w for w in outcome.warnings if w.startswith("licence")]


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def _recorded_licence(path: str, name: str) -> str:
    with zipfile.ZipFile(FIXTURES / "golang" / path) as archive:
        return archive.read(name).decode()


def test_licence_files_at_the_top_only_and_several_licences_listed() -> None:
    mit = _recorded_licence(
        "github.com/!burnt!sushi/toml/@v/v1.3.2.zip", "github.com/BurntSushi/toml@v1.3.2/COPYING"
    )
    apache = _recorded_licence(
        "github.com/spf13/cobra/@v/v1.8.0.zip", "github.com/spf13/cobra@v1.8.0/LICENSE.txt"
    )
    body = _zip(
        {
            "example.org/m@v1.0.0/LICENSE-MIT": mit,
            "example.org/m@v1.0.0/LICENSE-APACHE": apache,
            "example.org/m@v1.0.0/vendor/LICENSE": "GNU GENERAL PUBLIC LICENSE Version 3, 29 June 2007",
            "example.org/m@v1.0.0/license.go": "package m",
        }
    )
    files = licence_files(body, "example.org/m@v1.0.0/", "test")
    assert [name for name, _ in files] == ["LICENSE-APACHE", "LICENSE-MIT"]
    assert licence_of(files) == ("Apache-2.0, MIT", None)
    # One file not recognised makes the whole answer "not known", never a partial one.
    assert licence_of([*files, ("COPYING", "All rights reserved.")]) == (
        None,
        "COPYING: licence text not recognised",
    )
    assert licence_of([]) == (None, "no LICENSE or COPYING file at the top of the module")


def test_names_and_titles_of_licences_that_others_mention() -> None:
    assert [
        n
        for n in ("LICENSE", "LICENCE.md", "COPYING", "UNLICENSE", "license.go", "LICENSES")
        if is_licence_file(n)
    ] == [
        "LICENSE",
        "LICENCE.md",
        "COPYING",
        "UNLICENSE",
    ]
    # Mentions (a notice naming the GPL as a secondary licence) are not the licence itself.
    assert identify(
        'Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file except in compliance'
    ) == ("Apache-2.0",)
    assert identify("see the GNU General Public License, version 2 or later") == ()
    assert identify("GNU LESSER GENERAL PUBLIC LICENSE\n Version 2.1, February 1999") == ("LGPL-2.1",)


def test_a_module_zip_over_the_limit_is_not_downloaded_and_the_licence_is_not_known() -> None:
    listed = b"v1.0.0\n"

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/@v/list"):
            return httpx.Response(200, content=listed)
        if path.endswith(".mod"):
            return httpx.Response(200, content=b"module github.com/big/module\n")
        if path.endswith(".info"):
            return httpx.Response(200, json={"Version": "v1.0.0", "Time": "2026-01-01T00:00:00Z"})
        if path.endswith(".zip"):
            return httpx.Response(200, headers={"Content-Length": str(38_853_521)}, content=b"")
        return httpx.Response(404)

    outcome = _collect(GoCollector(), "github.com/big/module", "v1.0.0", httpx.MockTransport(handler))
    assert outcome.metadata.license is None
    assert "licence not known: module archive larger than 20 MB, not downloaded" in outcome.warnings


def test_go_get_meta_tags_give_the_repository_of_a_vanity_path() -> None:
    page = """<!DOCTYPE html><html><head>
      <meta name="go-import" content="go.example.org/tool mod https://proxy.example.org">
      <meta name="go-import" content="go.example.org/tool git https://codeberg.org/example/tool">
      <meta name="go-source" content="go.example.org/tool _ _ _">
    </head><body>go get go.example.org/tool</body></html>"""
    assert go_import_repository(page, "go.example.org/tool/v2") == "https://codeberg.org/example/tool"
    assert go_import_repository(page, "go.example.org/toolbox") is None


def _vanity_registry(pages: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.url.host == "go.example.org":
            pages.append(str(request.url))
            if path == "/unreachable":
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(
                200,
                text='<meta name="go-import" content="go.example.org/tool git https://codeberg.org/example/tool">',
            )
        if path.endswith("/@v/list"):
            return httpx.Response(200, content=b"v1.0.0\n")
        if path.endswith(".mod"):
            # The go.mod names the module asked for, as the proxy's answers do.
            module = path.split("/@v/", 1)[0].lstrip("/")
            return httpx.Response(200, content=f"module {module}\n".encode())
        return httpx.Response(404)

    return httpx.MockTransport(handler)


def test_a_vanity_path_outside_the_table_is_looked_up_on_a_public_host_only() -> None:
    public = GoCollector(resolver=lambda host: ["151.101.0.1"])
    pages: list[str] = []
    found = _collect(public, "go.example.org/tool", "v1.0.0", _vanity_registry(pages))
    assert found.metadata.repository_url == "https://codeberg.org/example/tool"
    assert pages == ["https://go.example.org/tool?go-get=1"]
    # A host resolving to a private address (an SBOM naming an internal service) is never asked.
    private = GoCollector(resolver=lambda host: ["10.0.0.5"])
    pages.clear()
    refused = _collect(private, "go.example.org/tool", "v1.0.0", _vanity_registry(pages))
    assert refused.metadata.repository_url is None and pages == []
    [warning] = [w for w in refused.warnings if w.startswith("no repository")]
    assert "resolves to a non-public address (10.0.0.5)" in warning


def test_an_unreachable_go_get_host_is_asked_once_per_run() -> None:
    collector = GoCollector(resolver=lambda host: ["151.101.0.1"])
    pages: list[str] = []
    transport = _vanity_registry(pages)
    for module in ("go.example.org/unreachable", "go.example.org/unreachable/sub"):
        outcome = _collect(collector, module, "v1.0.0", transport)
        assert outcome.metadata.repository_url is None
        assert any("the go-get page did not answer" in w for w in outcome.warnings)
    # The first module's page was asked (with its retries); the second module on that host was not.
    assert set(pages) == {"https://go.example.org/unreachable?go-get=1"}
