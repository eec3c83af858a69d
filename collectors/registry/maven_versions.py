"""Maven version order and ranges, after Maven's ComparableVersion
(https://maven.apache.org/pom.html#version-order-specification) and version ranges
(https://maven.apache.org/pom.html#dependency-version-requirement-specification).

Close enough for choosing a version during transitive completion: numbers compare as numbers, the known
qualifiers in their documented order (alpha < beta < milestone < rc < snapshot < release < sp), unknown
qualifiers after releases, alphabetically.
"""

from __future__ import annotations

import re

_QUALIFIERS = {
    "alpha": 0,
    "a": 0,
    "beta": 1,
    "b": 1,
    "milestone": 2,
    "m": 2,
    "rc": 3,
    "cr": 3,
    "snapshot": 4,
    "": 5,
    "ga": 5,
    "final": 5,
    "release": 5,
    "sp": 6,
}
_TOKEN = re.compile(r"\d+|[a-zA-Z]+")

VersionKey = tuple[tuple[int, int, str], ...]
_RELEASE = (1, 5, "")
_LENGTH = 24


def version_key(version: str) -> VersionKey:
    tokens: list[tuple[int, int, str]] = []
    for token in _TOKEN.findall(version.lower())[:_LENGTH]:
        if token.isdigit():
            tokens.append((2, int(token[:18]), ""))
        else:
            rank = _QUALIFIERS.get(token)
            tokens.append((1, rank, "") if rank is not None else (1, 7, token))
    # Zeros before a qualifier or at the end, and release markers, change nothing: 1.0 == 1 == 1.0.0-ga and
    # 1.0-alpha == 1-alpha. Missing items compare as a release: 1-alpha < 1 < 1-sp < 1.0.1.
    normalised: list[tuple[int, int, str]] = []
    for token in [*tokens, _RELEASE]:
        if token[0] == 1:
            while normalised and normalised[-1] == (2, 0, ""):
                normalised.pop()
        if token != _RELEASE:
            normalised.append(token)
    return tuple(normalised + [_RELEASE] * (_LENGTH - len(normalised)))


def is_stable(version: str) -> bool:
    lowered = version.lower()
    return not re.search(
        r"(snapshot|alpha|beta|\brc|-rc|\.rc|milestone|-m\d|\.m\d|-b\d|-a\d|\bcr\d)", lowered
    )


def _in_range(version: str, spec: str) -> bool:
    """``[1.0,2.0)``, ``(,1.0]``, ``[1.5,)``, ``[1.2]`` and unions ``[1,2),[3,4)``."""
    key = version_key(version)
    for low_bracket, low, high, high_bracket in re.findall(
        r"([\[(])\s*([^,\[\]()]*)\s*,?\s*([^,\[\]()]*)\s*([\])])", spec
    ):
        if "," not in spec and low and not high:
            if key == version_key(low):
                return True
            continue
        ok = True
        if low:
            ok &= key >= version_key(low) if low_bracket == "[" else key > version_key(low)
        if high:
            ok &= key <= version_key(high) if high_bracket == "]" else key < version_key(high)
        if ok:
            return True
    return False


def best_maven_version(versions: list[str], specifier: str | None) -> str | None:
    """A soft requirement (``1.2``) is that version when published, else the newest stable; a range filters."""
    candidates = [v for v in versions if v and len(v) <= 200]
    spec = (specifier or "").strip()
    if spec and spec[0] in "[(":
        candidates = [v for v in candidates if _in_range(v, spec)]
    elif spec and "${" not in spec and spec in candidates:
        return spec
    stable = [v for v in candidates if is_stable(v)] or candidates
    return max(stable, key=version_key) if stable else None
