"""The corpus of bad inventory files: each case writes one input under a folder and says what it gets.

``fatal``: ``socle import`` exits 2 with one line naming the file (and the place in it, where it says so),
and the application's earlier data stays as it was. ``accepted``: the oddity is read as the tools read it
(pip takes a UTF-8 byte-order mark or UTF-16 text) and the import succeeds. ``isolated`` cases could hang
(a FIFO) or eat memory (deep nesting) if a reader regressed: the test runs them in a child process under
an address-space limit and a timeout. docs/reliability.md lists the cases.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Maker = Callable[[Path], Path]  # folder -> the input path to import


@dataclass(frozen=True)
class BadInput:
    name: str
    make: Maker
    #: A regular expression the one error line must match after "socle: error: PATH" (fatal cases).
    says: str = ""
    outcome: str = "fatal"  # fatal | accepted
    isolated: bool = False


def file(name: str, content: bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def text(name: str, content: str) -> Maker:
    return file(name, content.encode())


def cdx(components: object = (), **extra: object) -> bytes:
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": list(components)}  # type: ignore[call-overload]
    return json.dumps({**doc, **extra}).encode()


def fifo(folder: Path) -> Path:
    path = folder / "requirements.txt"
    os.mkfifo(path)
    return path


def symlink(name: str, target: str | None = None) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.symlink_to(target if target is not None else path)  # None: a link to itself
        return path

    return make


def include(target: str) -> Maker:
    return text("requirements.txt", f"requests==2.31\n-r {target}\n")


def nested_components(depth: int) -> bytes:
    component = '{"type": "library", "name": "a", "purl": "pkg:pypi/a@1", "components": ['
    head = '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": ['
    return (head + component * depth + "]}" * depth + "]}").encode()


def deep_arrays(prefix: str, depth: int, suffix: str) -> bytes:
    return (prefix + "[" * depth + "]" * depth + suffix).encode()


REQUESTS = '{"bom-ref": "r", "name": "requests", "purl": "pkg:pypi/requests@2.31"}'
FIXTURES = Path(__file__).parent / "fixtures"
TEN_MB_NAME = "a" * (10 * 1024 * 1024)

CORPUS: list[BadInput] = [
    # ------------------------------------------------------------------ not regular files, not text
    BadInput("fifo", fifo, "not a regular file", isolated=True),
    BadInput("symlink-to-dev-zero", symlink("bom.json", "/dev/zero"), "not a regular file", isolated=True),
    BadInput("symlink-loop", symlink("loop.json"), "cannot read"),
    BadInput(
        "include-dev-zero",
        include("/dev/zero"),
        r":2: included file /dev/zero is not a regular file",
        isolated=True,
    ),
    BadInput("include-a-directory", include("."), r":2: included file \. is not a regular file"),
    BadInput("include-missing", include("nope.txt"), r":2: included file nope.txt does not exist"),
    BadInput("only-a-bom", file("requirements.txt", b"\xef\xbb\xbf\n"), "empty file"),
    BadInput(
        "utf16-without-bom", file("requirements.txt", "requests==2.31\n".encode("utf-16-le")), "binary file"
    ),
    BadInput(
        "latin-1-requirements",
        file("requirements.txt", "requests==2.31  # caf\xe9\n".encode("latin-1")),
        "not UTF-8 text",
    ),
    BadInput("gzip-file", file("bom.json", b"\x1f\x8b\x08\x00" + bytes(200)), "binary file"),
    BadInput("utf16-json", file("bom.json", cdx().decode().encode("utf-16")), "JSON encoded as UTF-16"),
    # ------------------------------------------------------------------ JSON
    BadInput("json-trailing-garbage", file("bom.json", cdx() + b" trailing"), "invalid JSON"),
    BadInput("json-nan-version", file("bom.json", cdx(specVersion=float("nan"))), "invalid JSON"),
    BadInput(
        "cdx-components-an-object",
        file("bom.json", cdx(components=[]).replace(b'"components": []', b'"components": {}')),
        "components must be an array",
    ),
    BadInput(
        "cdx-depends-on-a-string",
        file(
            "bom.json",
            cdx(
                [{"bom-ref": "a", "name": "a", "purl": "pkg:pypi/a@1"}],
                dependencies=[{"ref": "a", "dependsOn": "b"}],
            ),
        ),
        "dependencies",
    ),
    BadInput(
        "cdx-nesting-129",
        file(
            "bom.json",
            deep_arrays('{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [], "x": ', 129, "}"),
        ),
        "nested more than 128 levels",
    ),
    BadInput(
        "cdx-nesting-100k",
        file(
            "bom.json",
            deep_arrays('{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [', 100_000, "]}"),
        ),
        "nested more than 128 levels",
        isolated=True,
    ),
    BadInput(
        "cdx-deep-before-format",
        file("bom.json", deep_arrays('{"x": ', 100_000, ', "bomFormat": "CycloneDX"}')),
        "nested more than 128 levels",
        isolated=True,
    ),
    BadInput(
        "cdx-5000-nested-components",
        file("bom.json", nested_components(5000)),
        "nested more than 128 levels",
        isolated=True,
    ),
    BadInput(
        "spdx-packages-a-string",
        file("sbom.spdx.json", json.dumps({"spdxVersion": "SPDX-2.3", "packages": "x"}).encode()),
        "packages",
    ),
    BadInput(
        "spdx-unknown-version",
        file("sbom.spdx.json", json.dumps({"spdxVersion": "SPDX-9.9", "packages": []}).encode()),
        "SPDX-9.9",
    ),
    BadInput(
        "npm-lock-packages-a-list",
        file("package-lock.json", json.dumps({"name": "a", "lockfileVersion": 3, "packages": [1]}).encode()),
        "packages",
    ),
    BadInput(
        "npm-lock-nesting-100k",
        file(
            "package-lock.json",
            deep_arrays('{"name": "a", "lockfileVersion": 3, "packages": {"": {"x": ', 100_000, "}}}"),
        ),
        "nested",
        isolated=True,
    ),
    BadInput(
        "package-json-dependencies-a-list",
        file("package.json", json.dumps({"name": "a", "dependencies": ["x"]}).encode()),
        "dependencies",
    ),
    BadInput(
        "package-json-deep",
        file("package.json", deep_arrays('{"name": "a", "dependencies": {}, "x": ', 50_000, "}")),
        "nested",
        isolated=True,
    ),
    # ------------------------------------------------------------------ TOML
    BadInput(
        "toml-duplicate-key",
        text("uv.lock", 'version = 1\nversion = 2\n[[package]]\nname = "a"\n'),
        "invalid TOML",
    ),
    BadInput(
        "toml-nesting-100k",
        file("uv.lock", deep_arrays("version = 1\nx = ", 100_000, "\n")),
        "nested too deeply",
        isolated=True,
    ),
    BadInput(
        "uv-lock-package-a-string",
        text("uv.lock", 'version = 1\npackage = "x"\n'),
        "socle takes this for a TOML document of no known kind; that format is not supported",
    ),
    BadInput(
        "poetry-lock-packages-wrong",
        text("poetry.lock", '[[package]]\nname = 5\nversion = "1"\n[metadata]\ncontent-hash = "x"\n'),
        "poetry",
    ),
    BadInput(
        "pyproject-dependencies-a-string",
        text("pyproject.toml", '[project]\nname = "a"\ndependencies = "requests"\n'),
        "dependencies",
    ),
    BadInput(
        "pyproject-bad-requirement",
        text("pyproject.toml", '[project]\nname = "a"\ndependencies = ["requests >=> 2"]\n'),
        "requirement",
    ),
    # ------------------------------------------------------------------ requirements and names
    BadInput(
        "ten-mb-package-name",
        text("requirements.txt", TEN_MB_NAME + "==1.0\n"),
        "name of 10485760 characters",
    ),
    BadInput("nul-inside-a-line", file("requirements.txt", b"requests==2.31\nfl\x00ask\n"), "binary file"),
    BadInput(
        "html-saved-as-requirements",
        text("requirements.txt", "<!DOCTYPE html>\n<html><body>login</body></html>\n"),
        ":1: pip would reject",
    ),
    BadInput(
        "setup-py-as-input",
        text("setup.py", "from setuptools import setup\nsetup(name='a')\n"),
        "socle takes this for a setup.py script",
    ),
    BadInput(
        "continuation-at-end",
        text("requirements.txt", "requests==2.31 \\\n"),
        r"requirements\.txt|pip would reject",
        outcome="accepted",
    ),
    BadInput(
        "control-character-in-name", text("requirements.txt", "requ\x1bests==2.31\n"), "pip would reject"
    ),
    # ------------------------------------------------------------------ read as the tools read them
    BadInput(
        "utf8-bom-requirements", file("requirements.txt", b"\xef\xbb\xbfrequests==2.31\n"), outcome="accepted"
    ),
    BadInput(
        "utf16-requirements",
        file("requirements.txt", "requests==2.31\n".encode("utf-16")),
        outcome="accepted",
    ),
    BadInput(
        "utf8-bom-json",
        file(
            "bom.json",
            b"\xef\xbb\xbf" + cdx([{"bom-ref": "a", "name": "requests", "purl": "pkg:pypi/requests@2.31"}]),
        ),
        outcome="accepted",
    ),
    BadInput(
        "crlf-requirements", text("requirements.txt", "requests==2.31\r\nidna==3.7\r\n"), outcome="accepted"
    ),
    BadInput(
        "nesting-under-the-bound",
        file(
            "bom.json",
            deep_arrays(
                '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [' + REQUESTS + '], "x": ',
                100,
                "}",
            ),
        ),
        outcome="accepted",
    ),
    BadInput(
        "cdx-spec-version-a-number",
        file("bom.json", cdx([json.loads(REQUESTS)], specVersion=1.5)),
        outcome="accepted",
    ),
    BadInput(
        "utf16-uv-lock",
        file("uv.lock", (FIXTURES / "uv.lock").read_text().encode("utf-16")),
        outcome="accepted",
    ),
]
