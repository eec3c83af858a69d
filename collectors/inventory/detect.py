"""Which format a file is in, read from its content (the file name only breaks ties), and which file of a
directory to import.

Content rules: an empty file and a binary file are errors. A JSON object is CycloneDX if it has
``bomFormat``, SPDX if it has ``spdxVersion``, a package-lock if it has ``lockfileVersion``, else a
package.json if it has ``name`` or dependency maps. A TOML document is a uv.lock if its packages carry a
``source``, a poetry.lock if it has ``[metadata] content-hash``, a pyproject.toml if it has ``[project]``,
``[tool]`` or ``[build-system]``. Any other text is read as a pip requirements file.

Directory rule: an SBOM (CycloneDX or SPDX JSON) in the directory wins alone. Otherwise the best Python
file (uv.lock, then poetry.lock, then requirements.txt, then pyproject.toml) and the best npm file
(package-lock.json, then package.json) are read and merged into one application named after the directory.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from collectors.errors import InputError
from collectors.inventory.jsonstream import top_level_keys
from collectors.inventory.textfile import bom_encoding, check_regular, read_text

_SNIFF_BYTES = 64 * 1024
_JSON_DECISIVE = {"bomFormat": "cyclonedx", "spdxVersion": "spdx", "lockfileVersion": "npm-lock"}
_PACKAGE_JSON_KEYS = {"name", "dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}
_TOML_SUFFIXES = (".toml", ".lock")

_PYTHON_PREFERENCE = ("uv.lock", "poetry.lock", "requirements.txt", "pyproject.toml")
_NPM_PREFERENCE = ("package-lock.json", "package.json")
_SBOM_GLOBS = ("*.cdx.json", "bom.json", "*.bom.json", "sbom.json", "*.spdx.json", "*sbom*.json")


def _head(path: Path) -> tuple[bytes, str | None]:
    """The first bytes as UTF-8 (for sniffing), and the wide encoding (UTF-16/32) a byte-order mark named."""
    source = str(path)
    check_regular(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InputError(source, f"cannot read ({exc.strerror})") from exc
    bom = bom_encoding(head)
    if bom is not None and bom[0] != "utf-8":
        # UTF-16 or UTF-32 text has NUL bytes but is not binary: sniff its UTF-8 form.
        encoding, skip = bom
        sniffed = head[skip:].decode(encoding, errors="ignore").encode("utf-8")
        if not sniffed.strip():
            raise InputError(source, "empty file")
        return sniffed, encoding
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        raise InputError(source, "empty file")
    if b"\x00" in head:
        raise InputError(source, "binary file, not an SBOM or lockfile")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sniffed block
            raise InputError(source, "binary file, not an SBOM or lockfile") from exc
    return head, None


def _json_format(path: Path) -> str:
    keys = top_level_keys(path, _JSON_DECISIVE)
    for key in keys:
        if key in _JSON_DECISIVE:
            return _JSON_DECISIVE[key]
    if _PACKAGE_JSON_KEYS & set(keys):
        return "package-json"
    raise InputError(
        str(path), "JSON of the wrong shape: not a CycloneDX, SPDX, package-lock or package.json"
    )


def _toml_format(path: Path, text: str) -> str | None:
    try:
        doc = tomllib.loads(text)
    except RecursionError as exc:
        raise InputError(str(path), "TOML nested too deeply") from exc
    except tomllib.TOMLDecodeError as exc:
        if path.suffix in _TOML_SUFFIXES:
            raise InputError(str(path), f"invalid TOML: {exc}") from exc
        return None
    packages = doc.get("package")
    if isinstance(packages, list) and packages and all(isinstance(p, dict) for p in packages):
        metadata = doc.get("metadata")
        if isinstance(metadata, dict) and ("content-hash" in metadata or "lock-version" in metadata):
            return "poetry-lock"
        return "uv-lock"
    if {"project", "tool", "build-system", "dependency-groups"} & set(doc):
        return "pyproject"
    if path.suffix in _TOML_SUFFIXES:
        raise InputError(str(path), "TOML of the wrong shape: not a uv.lock, poetry.lock or pyproject.toml")
    return None


def detect_format(path: Path) -> str:
    """The format of ``path`` read from its content; raises :class:`InputError` for unusable files."""
    head, wide = _head(path)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") or (stripped.startswith(b"[") and path.suffix == ".json"):
        if wide:
            raise InputError(str(path), f"JSON encoded as {wide.upper()}; save it as UTF-8 (RFC 8259)")
        return _json_format(path)
    if path.suffix in _TOML_SUFFIXES or stripped.startswith(b"[") or b" = " in head:
        found = _toml_format(path, read_text(path))
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
    for preference in (_PYTHON_PREFERENCE, _NPM_PREFERENCE):
        for name in preference:
            if (directory / name).is_file():
                chosen.append(directory / name)
                break
    if not chosen:
        raise InputError(str(directory), "no SBOM, lockfile or manifest found in this directory")
    return chosen
