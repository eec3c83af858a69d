"""Defensive reading of registry JSON: every field is checked for its type and size before use.

A registry answer is data from the network: it may be HTML from a proxy, truncated, nested a million levels
deep or carry a 10 MB "summary". Each of these raises :class:`InputError` naming the package and field, so
the package gets an error on the run and keeps its earlier good record.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from packageurl import PackageURL
from packaging.utils import canonicalize_name

from collectors.base import Release
from collectors.errors import InputError

#: Longest text we keep for descriptions and readmes (standards detection reads them); longer is refused.
MAX_TEXT = 2 * 1024 * 1024
#: Longest short field (a summary, a licence, a URL, a keyword).
MAX_SHORT = 16 * 1024


def load_json(body: bytes, source: str) -> dict[str, Any]:
    """Parse a JSON object; HTML, truncated or too deeply nested answers raise InputError."""
    head = body[:64].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<")):
        raise InputError(source, "the registry answered HTML, not JSON")
    try:
        doc = json.loads(body)
    except RecursionError as exc:
        raise InputError(source, "JSON nested too deeply") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(source, f"malformed JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise InputError(source, f"expected a JSON object, got {type(doc).__name__}")
    return doc


def obj(doc: Any, key: str, source: str) -> dict[str, Any]:
    """``doc[key]`` as an object ({} when absent or null)."""
    value = doc.get(key) if isinstance(doc, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(source, f"expected an object, got {type(value).__name__}", where=key)
    return value


def text(doc: Any, key: str, source: str, *, limit: int = MAX_SHORT) -> str | None:
    """``doc[key]`` as a string (None when absent, null or empty); wrong types and huge values raise."""
    value = doc.get(key) if isinstance(doc, dict) else None
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(source, f"expected a string, got {type(value).__name__}", where=key)
    if len(value) > limit:
        raise InputError(source, f"field of {len(value)} characters exceeds the {limit} limit", where=key)
    return value


def string_list(doc: Any, key: str, source: str) -> tuple[str, ...]:
    value = doc.get(key) if isinstance(doc, dict) else None
    if value is None:
        return ()
    if isinstance(value, str):  # npm keywords are sometimes one string
        value = [value]
    if not isinstance(value, list):
        raise InputError(source, f"expected a list, got {type(value).__name__}", where=key)
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise InputError(source, f"expected strings, got {type(item).__name__}", where=key)
        if len(item) > MAX_SHORT:
            raise InputError(source, "list item exceeds the size limit", where=key)
        out.append(item)
    return tuple(out)


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time as naive UTC (the store's convention); None when absent or unreadable."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if when.tzinfo is not None:
            # 0001-01-01T00:00:00+14:00 is a valid time whose UTC form is before year 1: OverflowError.
            when = when.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return when


def purl_for(ecosystem: str, name: str) -> str:
    """Versionless, normalised purl (same rules as ``collectors.purls``): PEP 503 names, npm scopes."""
    if ecosystem == "pypi":
        return str(PackageURL(type="pypi", name=canonicalize_name(name)).to_string())
    namespace = None
    if name.startswith("@") and "/" in name:
        namespace, _, name = name.partition("/")
    return str(PackageURL(type=ecosystem, namespace=namespace, name=name).to_string())


def release_stats(
    releases: tuple[Release, ...], now: datetime
) -> tuple[datetime | None, datetime | None, int]:
    dates = [r.released_at for r in releases if r.released_at is not None]
    if not dates:
        return None, None, 0
    year_ago = now - timedelta(days=365)
    return min(dates), max(dates), sum(1 for d in dates if d >= year_ago)
