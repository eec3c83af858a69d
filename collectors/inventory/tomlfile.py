"""Reading TOML inputs (uv.lock, poetry.lock, pyproject.toml) with tomllib, errors as one line."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.inventory.textfile import read_text


def load(path: Path) -> dict[str, Any]:
    source = str(path)
    text = read_text(path, what="TOML")
    try:
        return tomllib.loads(text)
    except RecursionError as exc:  # tomllib recurses once per nested array or inline table
        raise InputError(source, "TOML nested too deeply") from exc
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line N, column M)"
        raise InputError(source, f"invalid TOML: {exc}") from exc


def table(doc: dict[str, Any], key: str, source: str, where: str) -> dict[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, dict):
        raise InputError(source, f"wrong shape: {key} must be a table", where=where)
    return value


def array(doc: dict[str, Any], key: str, source: str, where: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise InputError(source, f"wrong shape: {key} must be an array", where=where)
    return value
