"""PyPI: PEP 740 provenance of a release, from PyPI's integrity API (https://docs.pypi.org/api/integrity/).

``GET /integrity/NAME/VERSION/FILENAME/provenance`` answers a provenance object: ``attestation_bundles``, each
with the Trusted Publisher that produced it (``publisher {kind, repository, workflow, environment}``) and its
attestations. PyPI answers 404 with ``{"message": "No provenance available for FILENAME"}`` when the file has
none: that is "absent". Any other answer (a 404 without that message, as a proxy gives, 405, a network
failure) is "not collected", never "unsigned".

One file per release is asked about (the publishing tools attest every file of an upload or none): the source
distribution when there is one, else the first file the project answer lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from packaging.utils import canonicalize_name

from collectors.errors import InputError, SocleError
from collectors.http import Fetcher
from collectors.registry.parsing import load_json

INTEGRITY_JSON = "application/vnd.pypi.integrity.v1+json"
#: Publisher fields kept, in the order a person reads them.
_PUBLISHER_FIELDS = ("repository", "workflow", "environment")


@dataclass(frozen=True)
class Attestation:
    """What the integrity API said about one release: ``attested`` True/False, or None with ``reason``."""

    version: str
    filename: str | None
    attested: bool | None
    publisher: str | None = None  # "GitHub: owner/repo (workflow.yml)"
    reason: str | None = None  # why it is not known


def release_file(document: Mapping[str, Any], version: str) -> str | None:
    """The file of ``version`` to ask about, from the project answer's ``releases``."""
    releases = document.get("releases")
    files = releases.get(version) if isinstance(releases, Mapping) else None
    if not isinstance(files, list):
        return None
    names: list[str] = [
        str(f["filename"]) for f in files if isinstance(f, Mapping) and isinstance(f.get("filename"), str)
    ]
    candidates = [n for n in names if n.endswith((".tar.gz", ".zip"))] or names
    return candidates[0] if candidates else None


def integrity_url(root: str, name: str, version: str, filename: str) -> str:
    project = quote(str(canonicalize_name(name)), safe="")
    return f"{root.rstrip('/')}/integrity/{project}/{quote(version, safe='')}/{quote(filename, safe='')}/provenance"


def publisher_of(bundles: Sequence[Any]) -> str | None:
    """The Trusted Publisher of the first bundle: ``GitHub: owner/repo (release.yml)``."""
    for bundle in bundles:
        publisher = bundle.get("publisher") if isinstance(bundle, Mapping) else None
        if not isinstance(publisher, Mapping):
            continue
        kind = publisher.get("kind") if isinstance(publisher.get("kind"), str) else "publisher"
        parts = [
            str(publisher[f])[:200]
            for f in _PUBLISHER_FIELDS
            if isinstance(publisher.get(f), str) and publisher[f]
        ]
        if parts:
            head, *rest = parts
            return f"{kind}: {head}" + (f" ({', '.join(rest)})" if rest else "")
    return None


def read_answer(version: str, filename: str, status: int, body: bytes, url: str) -> Attestation:
    """Classify one integrity API answer."""
    if status == 200:
        document = load_json(body, url)
        bundles = document.get("attestation_bundles")
        if not isinstance(bundles, list):
            raise InputError(url, "expected a list", where="attestation_bundles")
        return Attestation(version, filename, bool(bundles), publisher_of(bundles[:50]))
    if status == 404:
        try:
            message = load_json(body, url).get("message")
        except InputError:
            message = None
        if isinstance(message, str) and message.startswith("No provenance available"):
            return Attestation(version, filename, False)
    return Attestation(version, filename, None, reason=f"{url} answered HTTP {status}")


async def fetch_attestation(
    fetcher: Fetcher, root: str, name: str, version: str, filename: str | None
) -> Attestation:
    if filename is None:
        return Attestation(
            version, None, None, reason="no file of this version is listed in the stored PyPI answer"
        )
    url = integrity_url(root, name, version, filename)
    try:
        answer = await fetcher.get(url, accept=INTEGRITY_JSON)
        return read_answer(version, filename, answer.status, answer.body, url)
    except SocleError as exc:
        return Attestation(version, filename, None, reason=str(exc))
