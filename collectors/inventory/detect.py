"""Which format a file is in, read from its content (the file name only breaks ties), and which files of
a directory to import.

Detection is a table: :data:`FORMATS` lists every supported format with the rule that recognises it
from a :class:`Sniff` of the file (its first bytes, its top-level JSON keys, its TOML document, its
first lines). The first rule that matches wins. A file no rule matches is refused with one line saying
what socle takes it to be and listing the supported formats: never another parser's error.

Directory rule: an SBOM (CycloneDX JSON or XML, SPDX JSON or tag-value) in the directory wins alone.
Otherwise the best Python file (uv.lock, pylock.toml, poetry.lock, Pipfile.lock, conda-lock.yml,
requirements.txt, environment.yml, pyproject.toml), the best JavaScript file (pnpm-lock.yaml, yarn.lock,
npm-shrinkwrap.json, package-lock.json, package.json) and one file of each other ecosystem (Cargo.lock;
go.mod, else go.sum; composer.lock; packages.lock.json; Gemfile.lock; gradle.lockfile) are read and merged
into one application named after the directory.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.jsonstream import top_level_keys
from collectors.inventory.textfile import bom_encoding, check_regular, read_text

_SNIFF_BYTES = 64 * 1024


class Sniff:
    """What detection may look at, each part read once and only when a rule asks for it."""

    def __init__(self, path: Path, head: bytes) -> None:
        self.path = path
        self.head = head
        self.stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def is_json(self) -> bool:
        return self.stripped.startswith(b"{") or (
            self.stripped.startswith(b"[") and self.path.suffix == ".json"
        )

    @cached_property
    def json_keys(self) -> frozenset[str]:
        """Top-level keys of a JSON object, read until a decisive one (a huge SBOM is not read whole)."""
        if not self.is_json:
            return frozenset()
        return frozenset(top_level_keys(self.path, JSON_DECISIVE_KEYS))

    @cached_property
    def head_text(self) -> str:
        return self.head.decode("utf-8", errors="replace")

    @cached_property
    def first_lines(self) -> list[str]:
        """The first non-blank lines of the head, for line-oriented formats (YAML, yarn.lock v1)."""
        return [line for line in self.head_text.splitlines()[:200] if line.strip()][:40]

    @cached_property
    def toml(self) -> dict[str, Any] | None:
        """The TOML document, or None when the file is not TOML (it may be some other format)."""
        if self.is_json:
            return None
        try:
            return tomllib.loads(read_text(self.path))  # a byte-order mark and UTF-16 read as pip reads them
        except (tomllib.TOMLDecodeError, InputError):
            return None
        except RecursionError as exc:
            raise InputError(str(self.path), "TOML nested too deeply") from exc

    def toml_error(self) -> str | None:
        try:
            tomllib.loads(read_text(self.path))
        except tomllib.TOMLDecodeError as exc:
            return str(exc)
        except InputError as exc:
            return exc.reason
        except RecursionError:
            return "TOML nested too deeply"
        return None

    @cached_property
    def yaml_top_keys(self) -> frozenset[str]:
        """The keys of lines that start a top-level YAML mapping entry (column 0) in the head."""
        found = re.findall(r"(?m)^['\"]?([A-Za-z_][\w.-]*)['\"]?[ \t]*:(?:[ \t]|$)", self.head_text)
        return frozenset(found)

    def yaml_key(self, key: str) -> bool:
        """Whether ``key:`` starts a top-level line of the head (after any comment header)."""
        return key in self.yaml_top_keys


@dataclass(frozen=True)
class Format:
    """One supported input format: the parser's key, what users call it, and the rule that finds it."""

    key: str
    label: str
    matches: Callable[[Sniff], bool]


#: JSON keys that settle a JSON file's format as soon as they are read.
JSON_DECISIVE_KEYS = frozenset(
    {"bomFormat", "spdxVersion", "lockfileVersion", "_meta", "@context", "content-hash", "groupId"}
)
_PACKAGE_JSON_KEYS = {"name", "dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}


def _toml_packages(doc: dict[str, Any] | None, key: str) -> list[dict[str, Any]]:
    packages = doc.get(key) if doc else None
    if isinstance(packages, list) and packages and all(isinstance(p, dict) for p in packages):
        return packages
    return []


def _is_uv_lock(s: Sniff) -> bool:
    if s.toml is None:
        return False
    packages = _toml_packages(s.toml, "package")
    # uv writes ``source`` as a table; Cargo.lock writes it as a string and has no ``version`` table.
    if packages and any(isinstance(p.get("source"), dict) for p in packages):
        return True
    return isinstance(s.toml.get("manifest"), dict) and "requires-python" in s.toml


def _is_poetry_lock(s: Sniff) -> bool:
    metadata = s.toml.get("metadata") if s.toml else None
    return (
        bool(_toml_packages(s.toml, "package"))
        and isinstance(metadata, dict)
        and ("content-hash" in metadata or "lock-version" in metadata)
    )


def _is_cargo_lock(s: Sniff) -> bool:
    # After poetry.lock and uv.lock: Cargo writes ``source`` as a string (or nothing for local crates).
    return bool(_toml_packages(s.toml, "package")) and not _is_poetry_lock(s) and not _is_uv_lock(s)


def _is_pylock(s: Sniff) -> bool:
    return s.toml is not None and "lock-version" in s.toml and "packages" in s.toml


def _is_pyproject(s: Sniff) -> bool:
    return s.toml is not None and bool({"project", "tool", "build-system", "dependency-groups"} & set(s.toml))


def _is_pnpm_lock(s: Sniff) -> bool:
    return not s.is_json and s.yaml_key("lockfileVersion")


def _is_yarn_v1(s: Sniff) -> bool:
    return any(line.startswith("# yarn lockfile v1") for line in s.first_lines[:5])


def _is_yarn_berry(s: Sniff) -> bool:
    return not s.is_json and s.yaml_key("__metadata")


def _is_conda_lock(s: Sniff) -> bool:
    return not s.is_json and s.yaml_key("package") and "manager:" in s.head_text and s.yaml_key("metadata")


def _is_conda_env(s: Sniff) -> bool:
    return not s.is_json and s.yaml_key("dependencies") and (s.yaml_key("channels") or s.yaml_key("name"))


#: Line-based formats of other ecosystems, told apart by a pattern in their first 64 KiB; the name settles a
#: tie when the content matched no signature (a go.mod without its module line).
_TEXT_SIGNATURES: tuple[tuple[str, str, re.Pattern[bytes], str | None], ...] = (
    ("spdx-tag-value", "SPDX 2.3 tag-value SBOM", re.compile(rb"^SPDXVersion:\s*SPDX-", re.MULTILINE), None),
    ("go-mod", "go.mod", re.compile(rb"\A(?:\s*//[^\n]*\n)*\s*module\s+\S+\s*$", re.MULTILINE), "go.mod"),
    ("go-sum", "go.sum", re.compile(rb"\A\S+ v\S+ h1:\S+=\s*$", re.MULTILINE), "go.sum"),
    ("go-mod-graph", "go mod graph output", re.compile(rb"\A\S+ \S+@v?\S+\s*$", re.MULTILINE), None),
    (
        "gemfile-lock",
        "Gemfile.lock",
        re.compile(rb"^(?:GEM|GIT|PATH)\n  remote: .*\n(?:  .*\n)*  specs:$", re.MULTILINE),
        "Gemfile.lock",
    ),
    (
        "gradle-lockfile",
        "gradle.lockfile",
        re.compile(rb"^# This is a Gradle generated file for dependency locking\.", re.MULTILINE),
        "gradle.lockfile",
    ),
    (
        "gradle-tree",
        "gradle dependencies output",
        re.compile(rb"^(?:[| ]    )*[+\\]--- \S+", re.MULTILINE),
        None,
    ),
    (
        "maven-tree",
        "mvn dependency:tree output",
        re.compile(rb"^(?:\[INFO\] )?(?:[| ]  )*[+\\]- \(?[\w.-]+:[\w.-]+:\S+", re.MULTILINE),
        None,
    ),
)


def _text_rule(pattern: re.Pattern[bytes], name: str | None) -> Callable[[Sniff], bool]:
    def matches(s: Sniff) -> bool:
        if s.is_json or s.stripped.startswith(b"<"):
            return False
        return pattern.search(s.head) is not None or (name is not None and s.name == name)

    return matches


def _is_cyclonedx_xml(s: Sniff) -> bool:
    return s.stripped.startswith(b"<") and b"cyclonedx.org/schema/bom/" in s.head


def _is_nuget_lock(s: Sniff) -> bool:
    return s.is_json and (s.json_keys == {"version", "dependencies"} or s.name == "packages.lock.json")


_REQUIREMENT_LINE = re.compile(
    r"^\s*(#.*|-[-\w].*|[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*([<>=!~;@(].*|\\)?|\S+\.(whl|zip|tar\.gz)|"
    r"\S+://\S+|\s+#.*|\s*)$"
)


def _is_requirements(s: Sniff) -> bool:
    """pip's format has no signature: a requirements-like name, or every first line shaped like one."""
    if s.is_json or s.path.suffix == ".lock":  # a lockfile has its own format, never pip's
        return False
    name = s.name.lower()
    if name.startswith("requirements") or name.endswith((".txt", ".in")):
        return True
    lines = s.head_text.splitlines()[:200]
    return bool(lines) and all(_REQUIREMENT_LINE.match(line) for line in lines)


#: Every supported format, in the order the rules are tried (more specific rules first).
FORMATS: list[Format] = [
    Format("cyclonedx", "CycloneDX JSON SBOM", lambda s: "bomFormat" in s.json_keys),
    Format("spdx", "SPDX 2.x JSON SBOM", lambda s: "spdxVersion" in s.json_keys),
    Format("npm-lock", "package-lock.json / npm-shrinkwrap.json", lambda s: "lockfileVersion" in s.json_keys),
    Format("spdx3", "SPDX 3.0 JSON-LD SBOM", lambda s: "@context" in s.json_keys),
    Format("pipfile-lock", "Pipfile.lock", lambda s: "_meta" in s.json_keys),
    Format("composer-lock", "composer.lock", lambda s: "content-hash" in s.json_keys),
    Format("maven-tree-json", "mvn dependency:tree JSON output", lambda s: "groupId" in s.json_keys),
    Format("nuget-lock", "NuGet packages.lock.json", _is_nuget_lock),
    Format("package-json", "package.json", lambda s: bool(_PACKAGE_JSON_KEYS & s.json_keys)),
    Format("cyclonedx-xml", "CycloneDX XML SBOM (1.4 to 1.7)", _is_cyclonedx_xml),
    *(Format(key, label, _text_rule(pattern, name)) for key, label, pattern, name in _TEXT_SIGNATURES),
    Format("pnpm-lock", "pnpm-lock.yaml (v6 to v9)", _is_pnpm_lock),
    Format("yarn-lock", "yarn.lock (v1 and Berry)", lambda s: _is_yarn_v1(s) or _is_yarn_berry(s)),
    Format("conda-lock", "conda-lock.yml", _is_conda_lock),
    Format("conda-env", "conda environment.yml", _is_conda_env),
    Format("pylock", "pylock.toml (PEP 751)", _is_pylock),
    Format("poetry-lock", "poetry.lock", _is_poetry_lock),
    Format("uv-lock", "uv.lock", _is_uv_lock),
    Format("cargo-lock", "Cargo.lock", _is_cargo_lock),
    Format("pyproject", "pyproject.toml", _is_pyproject),
    Format("requirements", "pip requirements file", _is_requirements),
]

#: File names socle recognises without supporting: the refusal names what the file is.
KNOWN_UNSUPPORTED: dict[str, str] = {
    "bun.lock": "a Bun lockfile",
    "deno.lock": "a Deno lockfile",
    "Podfile.lock": "a CocoaPods Podfile.lock",
    "pubspec.lock": "a Dart pubspec.lock",
    "mix.lock": "an Elixir mix.lock",
    "Package.resolved": "a Swift Package.resolved",
    "flake.lock": "a Nix flake.lock",
    "Pipfile": "a Pipfile (read its Pipfile.lock instead)",
    "setup.py": "a setup.py script (socle never runs code; give a lockfile)",
}


def _kind_of(s: Sniff) -> str:
    """What the file looks like, for the refusal line: its name if known, else its syntax."""
    if s.name in KNOWN_UNSUPPORTED:
        return KNOWN_UNSUPPORTED[s.name]
    if s.is_json:
        if s.stripped.startswith(b"["):
            return "a JSON array (not a document socle reads)"
        return "a JSON document of no known kind"
    if s.stripped.startswith(b"<"):
        if b"maven.apache.org/POM/" in s.head:
            return (
                "a Maven pom.xml, which lists what was asked for, not what Maven resolved (import "
                "`mvn dependency:tree` output or the CycloneDX Maven plugin's bom.json or bom.xml)"
            )
        return "an XML document of no known kind (XML that is not a CycloneDX SBOM: no CycloneDX namespace)"
    if s.toml is not None:
        return "a TOML document of no known kind"
    if s.first_lines and re.match(r"^[\w\"'./@-]+\s*:", s.first_lines[0]):
        return "a YAML document of no known kind"
    return "a text file of no known kind"


def supported_list() -> str:
    return ", ".join(f.label for f in FORMATS)


def unsupported(s: Sniff) -> InputError:
    return InputError(
        str(s.path),
        f"socle takes this for {_kind_of(s)}; that format is not supported (supported: {supported_list()})",
    )


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


#: Names that promise TOML: a syntax error there is the file's own error, not a format question.
_TOML_NAMES = ("uv.lock", "poetry.lock", "pyproject.toml")


def detect_format(path: Path) -> str:
    """The format key of ``path`` read from its content; raises :class:`InputError` for unusable files."""
    head, wide = _head(path)
    sniff = Sniff(path, head)
    if wide and sniff.is_json:
        raise InputError(str(path), f"JSON encoded as {wide.upper()}; save it as UTF-8 (RFC 8259)")
    for candidate in FORMATS:
        if candidate.matches(sniff):
            return candidate.key
    promises_toml = path.name in _TOML_NAMES or path.suffix == ".toml" or sniff.stripped.startswith(b"[[")
    if not sniff.is_json and sniff.toml is None and promises_toml and (error := sniff.toml_error()):
        raise InputError(str(path), f"invalid TOML: {error}")
    raise unsupported(sniff)


_PYTHON_PREFERENCE = (
    "uv.lock", "pylock.toml", "poetry.lock", "Pipfile.lock", "conda-lock.yml", "requirements.txt",
    "environment.yml", "environment.yaml", "pyproject.toml",
)  # fmt: skip
_JS_PREFERENCE = ("pnpm-lock.yaml", "yarn.lock", "npm-shrinkwrap.json", "package-lock.json", "package.json")
#: One preference list per ecosystem family; other parsers add theirs here.
#: One file each for the other ecosystems (a lockfile over its manifest); the manifests beside them are read by
#: their parsers (Cargo.toml, composer.json).
_OTHER_PREFERENCES = (
    ("Cargo.lock",),
    ("go.mod", "go.sum"),
    ("composer.lock",),
    ("packages.lock.json",),
    ("Gemfile.lock",),
    ("gradle.lockfile",),
)
DIRECTORY_PREFERENCES: list[tuple[str, ...]] = [_PYTHON_PREFERENCE, _JS_PREFERENCE, *_OTHER_PREFERENCES]
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


def files_in_directory(directory: Path) -> list[Path]:
    """The inventory files of a directory, by the directory rule of this module's docstring."""
    for pattern in _SBOM_GLOBS:
        for candidate in sorted(directory.glob(pattern)):
            if candidate.is_file():
                return [candidate]
    chosen: list[Path] = []
    for preference in DIRECTORY_PREFERENCES:
        for name in preference:
            if (directory / name).is_file():
                chosen.append(directory / name)
                break
    if not chosen:
        raise InputError(str(directory), "no SBOM, lockfile or manifest found in this directory")
    return chosen
