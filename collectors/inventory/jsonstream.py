"""Streaming reads of large JSON documents (SBOMs of tens of megabytes) with ijson.

Only the parts a parser asks for are built as Python objects, one at a time; the rest of the file
streams past. ijson errors become one-line :class:`InputError`s naming the file.
"""

from __future__ import annotations

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


def stream_items(
    path: Path, wanted: Collection[str], arrays: Collection[str] = ()
) -> Iterator[tuple[str, Any]]:
    """Yield ``(prefix, value)`` for every value found at one of the ijson ``wanted`` prefixes.

    Prefixes use ijson's notation: ``"components.item"`` is each element of the top-level
    ``components`` array; ``"bomFormat"`` is a top-level scalar. Keys in ``arrays`` must hold arrays.
    """
    source = str(path)
    with path.open("rb") as handle:
        events = ijson.parse(handle, use_float=True)
        try:
            first = next(events, None)
            if first is None or first[1] != "start_map":
                raise InputError(source, "JSON of the wrong shape: the document is not an object")
            for prefix, event, value in events:
                if prefix in arrays and event not in ("start_array", "end_array", "null"):
                    raise InputError(
                        source, f"JSON of the wrong shape: {prefix} must be an array", where=prefix
                    )
                if prefix not in wanted:
                    continue
                if event in ("start_map", "start_array"):
                    start_prefix, end = prefix, event.replace("start", "end")
                    builder = ijson.ObjectBuilder()
                    while True:
                        builder.event(event, value)
                        prefix, event, value = next(events)
                        if prefix == start_prefix and event == end:
                            break
                    yield start_prefix, builder.value
                elif event not in ("map_key", "end_map", "end_array"):
                    yield prefix, value
        except ijson.JSONError as exc:
            raise _json_error(source, exc) from exc
        except StopIteration as exc:  # events ended inside a value we were building
            raise InputError(source, "truncated JSON (the file ends in the middle of a value)") from exc


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
