"""Streaming reads of large JSON documents (SBOMs of tens of megabytes) with ijson.

Only the parts a parser asks for are built as Python objects, one at a time; the rest of the file
streams past. ijson errors become one-line :class:`InputError`s naming the file.

Nesting is bounded (:data:`MAX_DEPTH`) before any value is built: ijson's prefixes grow with depth, so a
200 KB file of 100,000 nested arrays would otherwise take gigabytes, and parsers that walk nested
components would hit Python's recursion limit.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

import ijson

from collectors.errors import InputError
from collectors.inventory.textfile import read_text

#: Deepest nesting of arrays and objects accepted. Real SBOMs and lockfiles stay under 20 (CycloneDX
#: nested components take two levels each).
MAX_DEPTH = 128
_UTF8_BOM = b"\xef\xbb\xbf"
_OPENING = frozenset(("start_map", "start_array"))
_CLOSING = frozenset(("end_map", "end_array"))


def _open(path: Path) -> IO[bytes]:
    """The file for ijson, past a UTF-8 byte-order mark (which JSON parsers may ignore, RFC 8259 8.1)."""
    handle = path.open("rb")
    if handle.read(3) != _UTF8_BOM:
        handle.seek(0)
    return handle


def _too_deep(path: Path) -> InputError:
    return InputError(str(path), f"JSON nested more than {MAX_DEPTH} levels deep; refused")


def check_depth(path: Path) -> None:
    """One streaming pass without prefixes or values: refuse nesting beyond :data:`MAX_DEPTH`."""
    depth = 0
    with _open(path) as handle:
        for event, _ in ijson.basic_parse(handle):
            if event in _OPENING:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(path)
            elif event in _CLOSING:
                depth -= 1


def _json_error(source: str, exc: Exception) -> InputError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, ijson.IncompleteJSONError) and ("premature EOF" in text or "Incomplete" in text):
        return InputError(source, "truncated JSON (the file ends in the middle of a value)")
    return InputError(source, f"invalid JSON ({text})")


def _check_object(path: Path) -> None:
    with _open(path) as handle:
        first = next(ijson.parse(handle), None)
    if first is None or first[1] != "start_map":
        raise InputError(str(path), "JSON of the wrong shape: the document is not an object")


def _check_arrays(path: Path, arrays: Collection[str]) -> None:
    """Refuse a document whose ``arrays`` keys hold something else (a full pass, so only when needed)."""
    with _open(path) as handle:
        for prefix, event, _ in ijson.parse(handle):
            if prefix in arrays and event not in ("start_array", "end_array", "null"):
                raise InputError(
                    str(path), f"JSON of the wrong shape: {prefix} must be an array", where=prefix
                )


def stream_items(
    path: Path, wanted: Collection[str], arrays: Collection[str] = ()
) -> Iterator[tuple[str, Any]]:
    """Yield ``(prefix, value)`` for every value found at one of the ijson ``wanted`` prefixes.

    Prefixes use ijson's notation: ``"components.item"`` is each element of the top-level
    ``components`` array; ``"bomFormat"`` is a top-level scalar (read once). One streaming pass per
    prefix: ijson's C backend builds each value, which is much faster than one Python-level pass.
    Keys in ``arrays`` must hold arrays when present.
    """
    source = str(path)
    try:
        _check_object(path)
        check_depth(path)
        empty = False
        for wanted_prefix in wanted:
            with _open(path) as handle:
                found = 0
                for value in ijson.items(handle, wanted_prefix, use_float=True):
                    found += 1
                    yield wanted_prefix, value
                    if "." not in wanted_prefix:
                        break  # a top-level value appears once
                empty = empty or (found == 0 and wanted_prefix.removesuffix(".item") in arrays)
        if empty:
            _check_arrays(path, arrays)
    except ijson.JSONError as exc:
        raise _json_error(source, exc) from exc


def top_level_keys(path: Path, decisive: Collection[str]) -> list[str]:
    """The document's top-level keys, read until one of ``decisive`` appears (for format detection)."""
    source = str(path)
    keys: list[str] = []
    with _open(path) as handle:
        try:
            # basic_parse: no prefixes, so a deep value before the decisive key costs nothing.
            events = ijson.basic_parse(handle)
            first = next(events, None)
            if first is None or first[0] != "start_map":
                raise InputError(source, "JSON of the wrong shape: the document is not an object")
            depth = 1
            for event, value in events:
                if event in _OPENING:
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise _too_deep(path)
                elif event in _CLOSING:
                    depth -= 1
                elif depth == 1 and event == "map_key":
                    keys.append(str(value))
                    if value in decisive:
                        break
        except ijson.JSONError as exc:
            raise _json_error(source, exc) from exc
    return keys


def load_object(path: Path) -> dict[str, Any]:
    """A small JSON document (package.json, package-lock.json) read whole; it must be an object."""
    source = str(path)
    text = read_text(path, what="JSON")
    try:
        doc = json.loads(text)
    except RecursionError as exc:
        raise _too_deep(path) from exc
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise InputError(source, "JSON of the wrong shape: the document is not an object")
    return doc
