"""Which format a file is in, read from its content (the file name only breaks ties), and which file of a
directory to import.

Content rules: an empty file and a binary file are errors. A JSON object is CycloneDX if it has
``bomFormat``, SPDX if it has ``spdxVersion``, SPDX 3 if it has ``@context``, a package-lock if it has
``lockfileVersion``, a composer.lock if it has ``content-hash``, ``mvn dependency:tree`` JSON if it has
``groupId``, a NuGet packages.lock.json if its keys are ``version`` and ``dependencies``, else a
package.json if it has ``name`` or dependency maps. XML is CycloneDX if its namespace says so (a pom.xml
is refused with what to give instead). Line formats are told by a signature (``_TEXT_SIGNATURES``):
SPDX tag-value, go.mod, go.sum, ``go mod graph``, Gemfile.lock, gradle.lockfile, ``gradle dependencies``
and ``mvn dependency:tree`` output. A TOML document is a poetry.lock if it has ``[metadata]
content-hash``, a uv.lock if a package has a ``source`` table, else a Cargo.lock when it has packages; a
pyproject.toml if it has ``[project]``, ``[tool]`` or ``[build-system]``. Any other text is read as a
pip requirements file.

Directory rule: an SBOM (CycloneDX or SPDX JSON) in the directory wins alone. Otherwise the best Python
file (uv.lock, then poetry.lock, then requirements.txt, then pyproject.toml) and the best npm file
(package-lock.json, then package.json) are read and merged into one application named after the directory,
with one file of each other ecosystem (Cargo.lock; go.mod, else go.sum; composer.lock; packages.lock.json;
Gemfile.lock; gradle.lockfile). CycloneDX XML (``*.cdx.xml``, ``bom.xml``) and SPDX tag-value (``*.spdx``)
count as SBOMs.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from collectors.errors import InputError
from collectors.inventory.jsonstream import top_level_keys

_SNIFF_BYTES = 64 * 1024
_JSON_DECISIVE = {
    "bomFormat": "cyclonedx",
    "spdxVersion": "spdx",
    "lockfileVersion": "npm-lock",
    "@context": "spdx3",  # SPDX 3.0 JSON-LD; the parser checks the context is SPDX's
    "content-hash": "composer-lock",
    "groupId": "maven-tree-json",  # `mvn dependency:tree -DoutputType=json`
}
_PACKAGE_JSON_KEYS = {"name", "dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}
_TOML_SUFFIXES = (".toml", ".lock")

_PYTHON_PREFERENCE = ("uv.lock", "poetry.lock", "requirements.txt", "pyproject.toml")
_NPM_PREFERENCE = ("package-lock.json", "package.json")
#: One file each for the other ecosystems (a lockfile over its manifest); the manifests beside them are
#: read by their parsers (Cargo.toml, composer.json).
_OTHER_PREFERENCES = (
    ("Cargo.lock",),
    ("go.mod", "go.sum"),
    ("composer.lock",),
    ("packages.lock.json",),
    ("Gemfile.lock",),
    ("gradle.lockfile",),
)
_SBOM_GLOBS = (
    "*.cdx.json",
    "bom.json",
    "*.bom.json",
    "sbom.json",
    "*.spdx.json",
    "*sbom*.json",
    "*.cdx.xml",
    "bom.xml",
    "*.spdx",
)


def _head(path: Path) -> bytes:
    source = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except IsADirectoryError as exc:
        raise InputError(source, "is a directory") from exc
    except OSError as exc:
        raise InputError(source, f"cannot read ({exc.strerror})") from exc
    if not head.strip():
        raise InputError(source, "empty file")
    if b"\x00" in head:
        raise InputError(source, "binary file, not an SBOM or lockfile")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sniffed block
            raise InputError(source, "binary file, not an SBOM or lockfile") from exc
    return head


def _json_format(path: Path) -> str:
    keys = top_level_keys(path, _JSON_DECISIVE)
    for key in keys:
        if key in _JSON_DECISIVE:
            return _JSON_DECISIVE[key]
    if set(keys) == {"version", "dependencies"} or path.name == "packages.lock.json":
        return "nuget-lock"
    if _PACKAGE_JSON_KEYS & set(keys):
        return "package-json"
    raise InputError(
        str(path), "JSON of the wrong shape: not a CycloneDX, SPDX, package-lock or package.json"
    )


def _toml_format(path: Path, text: str) -> str | None:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if path.suffix in _TOML_SUFFIXES:
            raise InputError(str(path), f"invalid TOML: {exc}") from exc
        return None
    packages = doc.get("package")
    if isinstance(packages, list) and packages and all(isinstance(p, dict) for p in packages):
        metadata = doc.get("metadata")
        if isinstance(metadata, dict) and ("content-hash" in metadata or "lock-version" in metadata):
            return "poetry-lock"
        if any(isinstance(p.get("source"), dict) for p in packages) or "requires-python" in doc:
            return "uv-lock"  # uv gives every package a source table; Cargo a string, or none when local
        return "cargo-lock"
    if {"project", "tool", "build-system", "dependency-groups"} & set(doc):
        return "pyproject"
    if path.suffix in _TOML_SUFFIXES:
        raise InputError(str(path), "TOML of the wrong shape: not a uv.lock, poetry.lock or pyproject.toml")
    return None


#: Line-based formats of other ecosystems, told apart by a pattern in their first 64 KiB (in this order).
_TEXT_SIGNATURES: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("spdx-tag-value", re.compile(rb"^SPDXVersion:\s*SPDX-", re.MULTILINE)),
    ("go-mod", re.compile(rb"\A(?:\s*//[^\n]*\n)*\s*module\s+\S+\s*$", re.MULTILINE)),
    ("go-sum", re.compile(rb"\A\S+ v\S+ h1:\S+=\s*$", re.MULTILINE)),
    ("go-mod-graph", re.compile(rb"\A\S+ \S+@v?\S+\s*$", re.MULTILINE)),
    ("gemfile-lock", re.compile(rb"^(?:GEM|GIT|PATH)\n  remote: .*\n(?:  .*\n)*  specs:$", re.MULTILINE)),
    (
        "gradle-lockfile",
        re.compile(rb"^# This is a Gradle generated file for dependency locking\.", re.MULTILINE),
    ),
    ("gradle-tree", re.compile(rb"^(?:[| ]    )*[+\\]--- \S+", re.MULTILINE)),
    (
        "maven-tree",
        re.compile(rb"^(?:\[INFO\] )?(?:[| ]  )*[+\\]- \(?[\w.-]+:[\w.-]+:\S+", re.MULTILINE),
    ),
)
#: Names that settle a tie when the content matched no signature (a go.mod without its module line).
_NAMED_FORMATS = {
    "go.mod": "go-mod",
    "go.sum": "go-sum",
    "Gemfile.lock": "gemfile-lock",
    "gradle.lockfile": "gradle-lockfile",
}


def _other_ecosystem_format(path: Path, head: bytes) -> str | None:
    """JVM, Go, Ruby, SPDX tag-value and CycloneDX XML inputs, from their content."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        if b"cyclonedx.org/schema/bom/" in head:
            return "cyclonedx-xml"
        if b"maven.apache.org/POM/" in head:
            raise InputError(
                str(path),
                "a Maven pom.xml lists what was asked for, not what Maven resolved: import "
                "`mvn dependency:tree` output or the CycloneDX Maven plugin's bom.json or bom.xml",
            )
        raise InputError(str(path), "XML that is not a CycloneDX SBOM (no CycloneDX namespace)")
    for name, pattern in _TEXT_SIGNATURES:
        if pattern.search(head) is not None:
            return name
    return _NAMED_FORMATS.get(path.name)


def detect_format(path: Path) -> str:
    """The format of ``path`` read from its content; raises :class:`InputError` for unusable files."""
    head = _head(path)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") or (stripped.startswith(b"[") and path.suffix == ".json"):
        return _json_format(path)
    if (other := _other_ecosystem_format(path, head)) is not None:
        return other
    if path.suffix in _TOML_SUFFIXES or stripped.startswith(b"[") or b" = " in head:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(str(path), "binary file, not an SBOM or lockfile") from exc
        found = _toml_format(path, text)
        if found is not None:
            return found
        if stripped.startswith(b"["):
            return _json_format(path)  # a JSON array: refused with a clear message
    return "requirements"


def files_in_directory(directory: Path) -> list[Path]:
    """The inventory files of a directory, by the directory rule of this module's docstring."""
    for pattern in _SBOM_GLOBS:
        for candidate in sorted(directory.glob(pattern)):
            if candidate.is_file():
                return [candidate]
    chosen: list[Path] = []
    for preference in (_PYTHON_PREFERENCE, _NPM_PREFERENCE, *_OTHER_PREFERENCES):
        for name in preference:
            if (directory / name).is_file():
                chosen.append(directory / name)
                break
    if not chosen:
        raise InputError(str(directory), "no SBOM, lockfile or manifest found in this directory")
    return chosen
