"""Go module paths and ``go.mod`` files: the proxy's case-encoding, major-version suffixes, the repository
behind a path (with the reviewed vanity table in ``data/registries/go_vanity.toml``) and a bounded reader
of ``go.mod`` (https://go.dev/ref/mod#go-mod-file) for requires, the deprecation comment and retractions.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from collectors.errors import InputError
from collectors.paths import PROJECT_ROOT

VANITY_FILE = PROJECT_ROOT / "data" / "registries" / "go_vanity.toml"
#: go.mod files are small; the largest (Kubernetes') are tens of kB.
MAX_GO_MOD_BYTES = 1024 * 1024
_MAJOR_SUFFIX = re.compile(r"/v[2-9]\d*$|/v1\d+$")
_GOPKG_SUFFIX = re.compile(r"\.v\d+$")
# Hosts whose module paths are host/owner/repo[/subdirectory] (https://go.dev/ref/mod#vcs-find).
_FORGES = ("github.com/", "gitlab.com/", "bitbucket.org/", "codeberg.org/", "git.sr.ht/")


def escape_path(module: str) -> str:
    """The proxy's case-encoding: each upper-case letter becomes ``!`` and its lower case
    (https://go.dev/ref/mod#goproxy-protocol)."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), module)


def strip_major(module: str) -> str:
    """``example.com/mod/v3`` -> ``example.com/mod``; ``gopkg.in/yaml.v3`` -> ``gopkg.in/yaml``."""
    if module.startswith("gopkg.in/"):
        return _GOPKG_SUFFIX.sub("", module)
    return _MAJOR_SUFFIX.sub("", module)


@dataclass(frozen=True)
class VanityRule:
    prefix: str
    repository: str
    two_elements: str | None
    source: str


@functools.cache
def vanity_rules(path: Path = VANITY_FILE) -> tuple[VanityRule, ...]:
    with path.open("rb") as handle:
        doc = tomllib.load(handle)
    rules = [
        VanityRule(r["prefix"], r["repository"], r.get("two_elements"), r["source"])
        for r in doc.get("vanity", [])
    ]
    return tuple(sorted(rules, key=lambda r: -len(r.prefix)))


def repository_for_module(module: str, rules: tuple[VanityRule, ...] | None = None) -> str | None:
    """The https URL of the repository holding ``module``, or None when the path does not say it."""
    path = strip_major(module)
    for forge in _FORGES:
        if path.startswith(forge):
            parts = path.split("/")
            if len(parts) >= 3 and parts[1] and parts[2]:
                return f"https://{parts[0]}/{parts[1]}/{parts[2]}"
            return None
    for rule in rules if rules is not None else vanity_rules():
        if not path.startswith(rule.prefix):
            continue
        rest = [p for p in path[len(rule.prefix) :].split("/") if p]
        template = rule.repository
        if rule.two_elements and len(rest) >= 2:
            template = rule.two_elements
        if ("{1}" in template and not rest) or ("{2}" in template and len(rest) < 2):
            return None
        return template.replace("{1}", rest[0] if rest else "").replace(
            "{2}", rest[1] if len(rest) > 1 else ""
        )
    return None


@dataclass(frozen=True)
class GoMod:
    module: str | None
    requires: tuple[tuple[str, str, bool], ...]  # (module, version, indirect)
    deprecated: str | None
    retracted: tuple[tuple[str, str], ...]  # closed intervals [low, high]; low == high for one version


def _strip_comment(line: str) -> tuple[str, str]:
    code, _, comment = line.partition("//")
    return code.strip(), comment.strip()


def _unquote(token: str) -> str:
    return token[1:-1] if len(token) >= 2 and token[0] == token[-1] and token[0] in '"`' else token


def parse_go_mod(body: bytes, source: str) -> GoMod:
    if len(body) > MAX_GO_MOD_BYTES:
        raise InputError(source, f"go.mod of {len(body)} bytes exceeds the {MAX_GO_MOD_BYTES}-byte limit")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source, "go.mod is not UTF-8") from exc
    module: str | None = None
    deprecated: str | None = None
    requires: list[tuple[str, str, bool]] = []
    retracted: list[tuple[str, str]] = []
    comments: list[str] = []  # the comment block right above the current line
    block: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            comments = []
            continue
        if line.startswith("//"):
            comments.append(line[2:].strip())
            continue
        code, trailing = _strip_comment(line)
        above, comments = comments, []
        if block is not None:
            if code == ")":
                block = None
                continue
            verb, args = block, code
        else:
            verb, _, args = code.partition(" ")
            args = args.strip()
            if args == "(":
                block = verb
                continue
        if verb == "module":
            module = _unquote(args)
            # "Deprecated:" at the start of a paragraph in the comment above module or after it on its line.
            for candidate in [trailing, *above]:
                if candidate.startswith("Deprecated:"):
                    deprecated = candidate.removeprefix("Deprecated:").strip()[:2000] or "deprecated"
        elif verb == "require":
            parts = args.split()
            if len(parts) >= 2:
                requires.append((_unquote(parts[0]), parts[1], "indirect" in trailing))
        elif verb == "retract":
            interval = re.fullmatch(r"\[\s*(\S+?)\s*,\s*(\S+?)\s*\]", args)
            if interval:
                retracted.append((interval.group(1), interval.group(2)))
            elif args:
                retracted.append((args.split()[0], args.split()[0]))
        if len(requires) > 10_000:
            raise InputError(source, "go.mod lists more than 10,000 requirements")
    return GoMod(module, tuple(requires), deprecated, tuple(retracted))
