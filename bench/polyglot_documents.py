"""Generated Go module proxy, crates.io (sparse index, ``.crate`` archives, owners) and Debian archive
answers, for the loopback fake registry: ``PolyglotAnswers`` is a ``FakeRegistry.fallback``.

Paths, under the fake registry's base URL (point the collectors at them with ``SOCLE_GOPROXY_URL=BASE/go``,
``SOCLE_CRATES_INDEX_URL=BASE/crates``, ``SOCLE_DEBIAN_URL=BASE/debian``):

- ``/go/MODULE/@v/list``, ``.info``, ``.mod``, ``.zip`` for any module path (a zip with a LICENSE holding
  the Apache licence notice, and the go.mod);
- ``/crates/config.json`` (``dl`` and ``api`` on the fake), ``/crates/<index path>`` for any crate name,
  ``/crates/dl/NAME/VERSION/download`` (a gzipped tar with ``NAME-VERSION/Cargo.toml``) and
  ``/crates/api/v1/crates/NAME/owners``;
- ``/debian/dists/bookworm/main/source/Sources.xz`` and ``.../binary-amd64/Packages.xz`` listing the
  ``debian_packages`` given (each its own source package, depending on the next one), and each source
  package's ``.debian.tar.xz`` (upstream metadata, a DEP-5 copyright, a changelog).

Every package's newest version is ``version``: a new ``PolyglotAnswers`` with another version makes a
registry whose answers all changed (the fault matrix checks that the other packages were updated).
"""

from __future__ import annotations

import io
import json
import lzma
import tarfile
import zipfile
from collections.abc import Sequence
from functools import cached_property
from urllib.parse import unquote

from bench.fake_registry import Route

APACHE_NOTICE = (
    'Licensed under the Apache License, Version 2.0 (the "License");\n'
    "you may not use this file except in compliance with the License.\n"
)


def _index_path(name: str) -> str:
    lowered = name.lower()
    if len(lowered) <= 2:
        return f"{len(lowered)}/{lowered}"
    if len(lowered) == 3:
        return f"3/{lowered[0]}/{lowered}"
    return f"{lowered[:2]}/{lowered[2:4]}/{lowered}"


#: xz's fastest preset for the answers built here: 3 MiB to compress instead of the default's 94 MiB. The
#: fault matrices run the fake registry in the client's process under one address-space limit, where the
#: default's allocation could fail in the fake (an answer it never sent) rather than in the client.
XZ_PRESET = 0


def _tar(files: dict[str, bytes], mode: str) -> bytes:
    out = io.BytesIO()
    options = {"preset": XZ_PRESET} if mode.endswith(":xz") else {}
    with tarfile.open(fileobj=out, mode=mode, **options) as archive:  # type: ignore[call-overload]
        for name, data in files.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return out.getvalue()


class PolyglotAnswers:
    def __init__(self, base_url: str, *, version: str = "1.0.0", debian_packages: Sequence[str] = ()) -> None:
        self.base_url = base_url.rstrip("/")
        self.version = version
        self.debian_packages = tuple(debian_packages)

    def __call__(self, path: str) -> Route | None:
        path = unquote(path.split("?", 1)[0])
        if path.startswith("/go/"):
            return self._go(path.removeprefix("/go/"))
        if path.startswith("/crates/"):
            return self._crates(path.removeprefix("/crates/"))
        if path.startswith("/debian/"):
            return self._debian(path.removeprefix("/debian/"))
        return None

    # --------------------------------------------------------------------------------------------- Go

    def _go(self, rest: str) -> Route | None:
        module, _, tail = rest.partition("/@v/")
        v = f"v{self.version}"
        if not module or not tail:
            return None
        if tail == "list":
            return Route(f"v1.0.0\n{v}\n".encode())
        stem, _, kind = tail.rpartition(".")
        go_mod = f"module {module}\n\ngo 1.21\n".encode()
        if kind == "info":
            return Route(json.dumps({"Version": stem, "Time": "2026-01-15T10:00:00Z"}).encode())
        if kind == "mod":
            return Route(go_mod)
        if kind == "zip":
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as archive:
                archive.writestr(f"{module}@{stem}/LICENSE", APACHE_NOTICE)
                archive.writestr(f"{module}@{stem}/go.mod", go_mod)
            return Route(out.getvalue(), headers={"Content-Type": "application/zip"})
        return None

    # ----------------------------------------------------------------------------------------- crates

    def _crates(self, rest: str) -> Route | None:
        if rest == "config.json":
            config = {"dl": f"{self.base_url}/crates/dl", "api": f"{self.base_url}/crates"}
            return Route(json.dumps(config).encode())
        if rest.startswith("api/v1/crates/") and rest.endswith("/owners"):
            owners = {"users": [{"id": 1, "login": "bench", "kind": "user", "name": "Bench", "url": ""}]}
            return Route(json.dumps(owners).encode())
        if rest.startswith("dl/") and rest.endswith("/download"):
            name, version = rest.split("/")[1:3]
            manifest = (
                f'[package]\nname = "{name}"\nversion = "{version}"\nlicense = "MIT OR Apache-2.0"\n'
                f'repository = "https://github.com/bench/{name}"\ndescription = "The {name} crate"\n'
            )
            return Route(_tar({f"{name}-{version}/Cargo.toml": manifest.encode()}, "w:gz"))
        name = rest.rsplit("/", 1)[-1]
        if not name or rest != _index_path(name):
            return None
        lines = [
            {"name": name, "vers": v, "deps": [], "features": {}, "cksum": "0" * 64, "yanked": False}
            for v in dict.fromkeys(("1.0.0", self.version))
        ]
        return Route(b"\n".join(json.dumps(line).encode() for line in lines) + b"\n")

    # ----------------------------------------------------------------------------------------- Debian

    @property
    def debian_version(self) -> str:
        return f"{self.version}-1"

    @cached_property
    def _sources_xz(self) -> bytes:
        paragraphs = [
            f"Package: {name}\nBinary: {name}\nVersion: {self.debian_version}\n"
            f"Maintainer: Bench Maintainer <bench@example.org>\nUploaders: Bench Uploader <up@example.org>\n"
            f"Standards-Version: 4.6.2\nFormat: 3.0 (quilt)\nDirectory: pool/main/{name[0]}/{name}\n"
            f"Homepage: https://github.com/bench/{name}\nVcs-Git: https://salsa.debian.org/debian/{name}.git\n"
            for name in self.debian_packages
        ]
        return lzma.compress("\n".join(paragraphs).encode(), format=lzma.FORMAT_XZ, preset=XZ_PRESET)

    @cached_property
    def _packages_xz(self) -> bytes:
        names = self.debian_packages
        paragraphs = []
        for i, name in enumerate(names):
            depends = f"Depends: {names[i + 1]} (>= 1.0)\n" if i + 1 < len(names) else ""
            paragraphs.append(
                f"Package: {name}\nVersion: {self.debian_version}\nArchitecture: amd64\n{depends}"
                f"Description: {name} {self.version}, a generated package\n"
            )
        return lzma.compress("\n".join(paragraphs).encode(), format=lzma.FORMAT_XZ, preset=XZ_PRESET)

    def _debian(self, rest: str) -> Route | None:
        if rest == "dists/bookworm/main/source/Sources.xz":
            return Route(self._sources_xz)
        if rest == "dists/bookworm/main/binary-amd64/Packages.xz":
            return Route(self._packages_xz)
        if rest.startswith("pool/main/") and rest.endswith(".debian.tar.xz"):
            name = rest.rsplit("/", 1)[-1].split("_", 1)[0]
            changelog = (
                f"{name} ({self.debian_version}) bookworm; urgency=medium\n\n  * Generated.\n\n"
                f" -- Bench Uploader <up@example.org>  Thu, 15 Jan 2026 10:00:00 +0000\n"
            )
            files = {
                "debian/upstream/metadata": f"Repository: https://github.com/bench/{name}.git\n".encode(),
                "debian/copyright": b"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                b"\nFiles: *\nCopyright: Bench\nLicense: MIT\n",
                "debian/changelog": changelog.encode(),
            }
            return Route(_tar(files, "w:xz"))
        return None
