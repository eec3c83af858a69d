"""Reading YAML inputs (pnpm-lock.yaml, yarn.lock Berry, conda files) safely, errors as one line.

PyYAML's C loader (libyaml) when it is installed, the pure-Python safe loader otherwise: never a loader
that builds arbitrary objects. Size, nesting depth and aliases are checked on the event stream *before*
any Python object is built, so a hostile file cannot exhaust memory or the stack
(https://pyyaml.org/wiki/PyYAMLDocumentation, "Events").
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

_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


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


def _check_events(text: str, source: str) -> None:
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise InputError(source, f"YAML nested deeper than {MAX_DEPTH} levels", where=str(line))
        elif isinstance(event, _CLOSE):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise InputError(source, f"YAML with more than {MAX_ALIASES} aliases; refused")


def _error(source: str, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = str(mark.line + 1) if mark is not None else None
    return InputError(source, f"invalid YAML ({problem})", where=where)


def load(path: Path) -> Any:
    """The one YAML document of ``path``, bounded as this module says; raises :class:`InputError`."""
    source = str(path)
    text = _text(path)
    try:
        _check_events(text, source)
        return yaml.load(text, Loader=_Loader)  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        raise _error(source, exc) from exc


def load_mapping(path: Path) -> dict[str, Any]:
    """Like :func:`load`, for documents whose top level must be a mapping."""
    doc = load(path)
    if not isinstance(doc, dict):
        raise InputError(str(path), "YAML of the wrong shape: the document is not a mapping")
    return doc
