"""The part of collecting that every registry shares: fetch a package's document, classify the answer,
skip it when unchanged, parse it as JSON; and the mapping of errors to a package's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collectors.base import Failed, PackageRef, Skipped, Unchanged, answer_signature
from collectors.errors import SocleError, TransientError
from collectors.http import Fetcher
from collectors.registry.parsing import load_json


@dataclass(frozen=True)
class Fetched:
    """A package document that changed since the stored record: its bytes, signature and parsed JSON."""

    url: str
    body: bytes
    signature: str
    doc: dict[str, Any]


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
