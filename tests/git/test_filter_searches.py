"""The file filter searches a component pattern ``(^|/)REST`` as ``/REST`` in ``/`` + path: it must find exactly
what the pattern as written finds, for the bundled patterns and for patterns where the rewrite would not be
the same search (kept as written)."""

from __future__ import annotations

import random
import re

import pytest

from collectors.git.filters import FileFilter, _component_rest, load_filter

#: Paths with the shapes the patterns look for, and their near misses.
_PARTS = [
    "docs", "Docs", "doc", "documentation", "vendor", "vendored", "node_modules", "src", "lib", "test",
    "tests", "spec", "fixtures", "data", "expected", "README", "README.md", "CHANGELOG", "a.min.js", "x.json",
    "x.rb", "out.expected", "mydocs", "docsy", ".github", ".yarn", "build", "target", "x", "a|b", "|",
    "t", "testdata", "golden", "Makefile", "y.pb.go", "z_pb2.py",
]  # fmt: skip

#: Patterns the rewrite must leave alone, or rewrite to the same search.
_TRICKY = [
    r"(^|/)a|/x",  # top-level alternation: "/x" would match at the front of "x/..."
    r"(^|/)?docs",  # quantified group
    r"(^|/)(?<=/)x",  # look-behind
    r"(^|/)docs\b",  # word boundary
    r"(^|/)[^/]+\.rb$",  # a negated class is not an anchor
    r"(^|/)[]|(]x",  # "]" first in a class is a character, so is the "|"
    r"(^|/)[](]x|/y",  # and the "(": the "|" after the class is at the top
    r"(^|/)(src|lib)/(x|a\|b)$",
    r"(^|/)t/.*|README",
]


def _reference(patterns: list[tuple[str, re.Pattern[str]]], path: str) -> str | None:
    return next((category for category, pattern in patterns if pattern.search(path)), None)


def _paths(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["/".join(rng.choice(_PARTS) for _ in range(rng.randint(1, 5))) for _ in range(count)]


def test_the_bundled_filter_finds_what_its_patterns_find() -> None:
    bundled = load_filter()
    paths = _paths(7, 4000)
    assert [bundled.category(p) for p in paths] == [_reference(list(bundled.exclude), p) for p in paths]
    # most of the bundled patterns are component patterns, searched the fast way
    assert sum(1 for *_, fast in bundled._searches if fast) >= 10


@pytest.mark.parametrize("pattern", _TRICKY)
def test_a_tricky_pattern_finds_what_it_finds_as_written(pattern: str) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    file_filter = FileFilter(exclude=(("x", compiled),))
    paths = [*_paths(11, 3000), "x/docs", "/x", "a|b", "]x", "|x", "x", "y/z", "(x"]
    assert [file_filter.category(p) for p in paths] == [_reference([("x", compiled)], p) for p in paths]


def test_which_patterns_are_rewritten() -> None:
    assert _component_rest(r"(^|/)(docs?|man)/") == "(docs?|man)/"
    assert _component_rest(r"(^|/)[^/]+\.rb$") == r"[^/]+\.rb$"
    for kept in (r"docs/", r"(^|/)a|/x", r"(^|/)?docs", r"(^|/)(?<=/)x", r"(^|/)docs\b", r"(^|/)t/.*|README"):
        assert _component_rest(kept) is None, kept
