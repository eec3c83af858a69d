"""Streaming reads of large JSON documents (SBOMs of tens of megabytes) with ijson.

Only the parts a parser asks for are built as Python objects, one at a time; the rest of the file
streams past. ijson errors become one-line :class:`InputError`s naming the file.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import ijson

from collectors.errors import InputError


def _json_error(source: str, exc: Exception) -> InputError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, ijson.IncompleteJSONError) and ("premature EOF" in text or "Incomplete" in text):
        return InputError(source, "truncated JSON (the file ends in the middle of a value)")
    return InputError(source, f"invalid JSON ({text})")


def _check_object(path: Path) -> None:
    with path.open("rb") as handle:
        first = next(ijson.parse(handle), None)
    if first is None or first[1] != "start_map":
        raise InputError(str(path), "JSON of the wrong shape: the document is not an object")


def _check_arrays(path: Path, arrays: Collection[str]) -> None:
    """Refuse a document whose ``arrays`` keys hold something else (a full pass, so only when needed)."""
    with path.open("rb") as handle:
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
        empty = False
        for wanted_prefix in wanted:
            with path.open("rb") as handle:
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
    with path.open("rb") as handle:
        try:
            events = ijson.parse(handle)
            first = next(events, None)
            if first is None or first[1] != "start_map":
                raise InputError(source, "JSON of the wrong shape: the document is not an object")
            for prefix, event, value in events:
                if prefix == "" and event == "map_key":
                    keys.append(str(value))
                    if value in decisive:
                        break
        except ijson.JSONError as exc:
            raise _json_error(source, exc) from exc
    return keys


def load_object(path: Path) -> dict[str, Any]:
    """A small JSON document (package.json, package-lock.json) read whole; it must be an object."""
    source = str(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(source, f"invalid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise InputError(source, "JSON of the wrong shape: the document is not an object")
    return doc
