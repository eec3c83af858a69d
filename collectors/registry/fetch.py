"""The part of collecting that every registry shares: fetch a package's document, classify the answer,
skip it when unchanged, parse it as JSON; and the mapping of errors to a package's outcome."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectors.base import Collector, Failed, Outcome, PackageRef, Skipped, Unchanged, answer_signature
from collectors.errors import InputError, SocleError, TransientError
from collectors.http import Fetcher
from collectors.registry.parsing import load_json


@dataclass(frozen=True)
class Fetched:
    """A package document that changed since the stored record: its bytes, signature and parsed JSON."""

    url: str
    body: bytes
    signature: str
    doc: dict[str, Any]


#: Longest package name a registry answer or an inventory may carry (npm's own limit is 214).
MAX_NAME = 512


def require_identity(
    ref: PackageRef,
    *,
    answered_name: object,
    latest: object,
    same_name: Callable[[str], str] = str,
) -> None:
    """Refuse an answer that does not say which package it describes and which version is the latest.

    ``{}``, an all-null document or a stub from a broken proxy would otherwise be stored as a success and
    replace the package's earlier summary, releases, repository, funding links and maintainers with
    nothing. ``same_name`` normalises both names before they are compared (PEP 503 for PyPI).
    """
    if not isinstance(answered_name, str) or not answered_name or len(answered_name) > MAX_NAME:
        raise InputError(ref.purl, "the answer does not name the package; the earlier record is kept")
    if same_name(answered_name) != same_name(ref.name):
        raise InputError(
            ref.purl,
            f"the answer describes another package ({answered_name[:100]!r}); the earlier record is kept",
        )
    if not isinstance(latest, str) or not latest.strip():
        raise InputError(ref.purl, "the answer carries no latest version; the earlier record is kept")


def failed(ref: PackageRef, exc: SocleError) -> Failed:
    """A package's error: transient ones (timeouts, 429, 5xx) are retried on the next refresh."""
    return Failed(ref.purl, str(exc), transient=isinstance(exc, TransientError))


async def fetch_document(
    fetcher: Fetcher, url: str, ref: PackageRef, registry: str, *, parse_json: bool = True
) -> Fetched | Skipped | Failed | Unchanged:
    try:
        answer = await fetcher.get(url)
        if answer.status == 404:
            return Skipped(ref.purl, f"not found on {registry} (404)")
        if answer.status != 200:
            return Failed(ref.purl, f"{url}: HTTP {answer.status}", transient=False)
        signature = answer_signature(answer.body, ref.versions)
        if signature == ref.previous_signature:
            return Unchanged(ref.purl)
        # Registries answering XML, text or archives (Maven, the Go proxy, crates.io, Debian) parse their own.
        return Fetched(url, answer.body, signature, load_json(answer.body, ref.purl) if parse_json else {})
    except SocleError as exc:
        return failed(ref, exc)


#: What a collector's parsing of a hostile answer can raise besides SocleError: a shape its checks did not
#: foresee, a date or number outside Python's range (OverflowError), nesting past the recursion limit.
UNEXPECTED_ANSWER = (
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
    ArithmeticError,
    RecursionError,
)


async def guarded_collect(
    collector: Collector, fetcher: Fetcher, ref: PackageRef, *, now: datetime
) -> Outcome:
    """``collector.collect``, where a collector bug on one package's answer becomes that package's error."""
    try:
        return await collector.collect(fetcher, ref, now=now)
    except UNEXPECTED_ANSWER as exc:
        detail = " ".join(str(exc).split())[:300]
        return Failed(ref.purl, f"unexpected answer ({type(exc).__name__}: {detail})", transient=False)
