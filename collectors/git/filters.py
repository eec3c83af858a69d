"""The file filter of the truck factor: vendored, documentation, example, build, generated, minified, lock and
data files do not count (Avelino et al. used GitHub Linguist's vendor rules plus a manual list).

Patterns live in ``data/file_filters.toml`` and may be extended or overridden per repository. Every pattern
ignores case (``Documentation/`` is documentation as ``docs/`` is); the ``test-data`` category says which
files under test directories are data (fixtures, expected outputs), in the spirit of Linguist's rules.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.paths import DATA_DIR

_COMPONENT = "(^|/)"
#: What makes a pattern's rest depend on where the path starts: an anchor (a ``^`` not opening a negated
#: class), a word boundary, a look-behind, a group reference.
_POSITIONAL = re.compile(r"(?<!\[)\^|\\[AbBZ0-9]|\(\?<[=!]|\(\?P=")


def _component_rest(pattern: str) -> str | None:
    """The rest of a pattern ``(^|/)REST`` when searching ``/REST`` in ``/`` + path finds the same paths:
    REST is neither quantified nor split by a top-level ``|``, and nothing in it depends on where the text
    starts. None otherwise."""
    rest = pattern.removeprefix(_COMPONENT)
    if rest == pattern or rest[:1] in ("*", "+", "?", "{") or _POSITIONAL.search(rest):
        return None
    depth, escaped, in_class, class_start = 0, False, False, 0
    for i, char in enumerate(rest):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            # a "]" first in a class (after "[" or "[^") is a character of the class
            in_class = char != "]" or i == class_start or (i == class_start + 1 and rest[i - 1] == "^")
        elif char == "[":
            in_class, class_start = True, i + 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return None
    return rest


@dataclass(frozen=True)
class FileFilter:
    """Compiled exclusion patterns by category, and inclusions that win over them."""

    exclude: tuple[tuple[str, re.Pattern[str]], ...]
    include: tuple[re.Pattern[str], ...] = ()

    def category(self, path: str) -> str | None:
        """The category excluding ``path``, or None when the file counts."""
        if any(p.search(path) for p in self.include):
            return None
        slashed = "/" + path
        for category, pattern, on_slashed in self._searches:
            if pattern.search(slashed if on_slashed else path):
                return category
        return None

    @functools.cached_property
    def _searches(self) -> tuple[tuple[str, re.Pattern[str], bool], ...]:
        """The exclusions as searched: a pattern ``(^|/)REST`` (a path component) is searched as ``/REST`` in
        the path with a ``/`` in front, the same matches found twice as fast (the search skips to each ``/``
        instead of trying every position: 0.06 s instead of 0.11 s for rails's 4,979 files). Others are
        searched as written."""
        searches = []
        for category, pattern in self.exclude:
            rest = _component_rest(pattern.pattern)
            if rest is None:
                searches.append((category, pattern, False))
            else:
                searches.append((category, re.compile("/" + rest, pattern.flags), True))
        return tuple(searches)

    def counted(self, paths: Iterable[str]) -> list[str]:
        return [p for p in paths if self.category(p) is None]

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of every pattern, its flags and its category: equal fingerprints, equal categories (the
        git collector stores each file's category with this key, and the scores reuse them when it matches)."""
        parts = [
            [(c, p.pattern, p.flags) for c, p in self.exclude],
            [(p.pattern, p.flags) for p in self.include],
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()


@functools.lru_cache(maxsize=8)
def _document(
    path: Path, mtime_ns: int, size: int
) -> tuple[tuple[tuple[str, re.Pattern[str]], ...], dict[str, Any]]:
    """The parsed file and its compiled category patterns, read once per version of the file: scoring
    asks for a filter per repository, thousands of times in one run."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    categories = tuple(
        (category, re.compile(pattern, re.IGNORECASE))
        for category, patterns in doc.get("categories", {}).items()
        for pattern in patterns
    )
    return categories, doc.get("repositories", {})


def load_filter(repository_url: str | None = None, path: Path | None = None) -> FileFilter:
    """The filter for one repository: the categories, plus that repository's own excludes and includes."""
    source = path or DATA_DIR / "file_filters.toml"
    stat = source.stat()
    categories, repositories = _document(source, stat.st_mtime_ns, stat.st_size)
    exclude = list(categories)
    own = repositories.get(repository_url or "", {})
    exclude += [("repository", re.compile(p, re.IGNORECASE)) for p in own.get("exclude", [])]
    include = tuple(re.compile(p, re.IGNORECASE) for p in own.get("include", []))
    return FileFilter(exclude=tuple(exclude), include=include)


NO_FILTER = FileFilter(exclude=())
