"""Reading YAML inputs (pnpm-lock.yaml, yarn.lock Berry, conda files) safely, errors as one line.

PyYAML's C parser (libyaml) when it is installed, the pure-Python safe one otherwise, read as an event
stream (https://pyyaml.org/wiki/PyYAMLDocumentation, "Events"): objects are built here from the events,
only mappings, lists, strings, booleans and null, never arbitrary objects. Size is checked before
parsing; nesting depth and aliases as the events come, before anything deeper is built, so a hostile
file cannot exhaust memory or the stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from collectors.errors import InputError

# The C loader is about ten times faster; it is absent when PyYAML was built without libyaml.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Bounds of what any YAML input may be: lockfiles nest a handful of levels and use no aliases.
MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 1000


def _text(path: Path) -> str:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(source, f"YAML file too large ({size} bytes, at most {MAX_BYTES})")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source, "binary file, not YAML") from exc
    except OSError as exc:
        raise InputError(source, f"cannot read ({exc.strerror})") from exc


_PLAIN_VALUES: dict[str, Any] = {
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    "null": None, "Null": None, "NULL": None, "~": None, "": None,
}  # fmt: skip


def _error(source: str, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = str(mark.line + 1) if mark is not None else None
    return InputError(source, f"invalid YAML ({problem})", where=where)


def _build(text: str, source: str) -> Any:
    """Objects straight from libyaml's events, bounds checked as they come.

    One pass, and no type guessing beyond booleans and null: every other scalar stays the string the
    file wrote, so a version ``3.10`` is ``"3.10"``, never the float 3.1 (YAML 1.1 resolution would
    turn it into one), and the pure-Python constructor (most of a safe load's time) is not needed.
    """
    stack: list[tuple[Any, Any]] = []  # (container, pending key of a mapping or _NO_KEY)
    anchors: dict[str, Any] = {}
    aliases = 0
    document: Any = None

    def attach(value: Any) -> None:
        nonlocal document
        if not stack:
            document = value
            return
        container, key = stack[-1]
        if isinstance(container, list):
            container.append(value)
        elif key is _NO_KEY:
            if isinstance(value, dict | list):
                raise InputError(source, "YAML with a mapping or list as a key; refused")
            stack[-1] = (container, value)
        else:
            container[key] = value
            stack[-1] = (container, _NO_KEY)

    events: Any = yaml.parse(text, Loader=_Loader)  # the stubs type events without their fields
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            value = event.value
            if event.implicit[0] and event.style is None:  # plain, untagged
                value = _PLAIN_VALUES.get(value, value)
            if event.anchor:
                anchors[event.anchor] = value
            attach(value)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if len(stack) >= MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise InputError(source, f"YAML nested deeper than {MAX_DEPTH} levels", where=str(line))
            container: Any = {} if kind is yaml.MappingStartEvent else []
            if event.anchor:
                anchors[event.anchor] = container
            attach(container)
            stack.append((container, _NO_KEY))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
        elif kind is yaml.AliasEvent:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise InputError(source, f"YAML with more than {MAX_ALIASES} aliases; refused")
            if event.anchor not in anchors:
                raise InputError(source, f"YAML alias *{event.anchor} to an unknown anchor")
            attach(anchors[event.anchor])
        elif kind is yaml.DocumentStartEvent and document is not None:
            raise InputError(source, "YAML with more than one document; expected one")
    return document


_NO_KEY = object()


def load(path: Path) -> Any:
    """The one YAML document of ``path``, bounded as this module says; raises :class:`InputError`."""
    source = str(path)
    text = _text(path)
    try:
        return _build(text, source)
    except yaml.YAMLError as exc:
        raise _error(source, exc) from exc


def load_mapping(path: Path) -> dict[str, Any]:
    """Like :func:`load`, for documents whose top level must be a mapping."""
    doc = load(path)
    if not isinstance(doc, dict):
        raise InputError(str(path), "YAML of the wrong shape: the document is not a mapping")
    return doc
