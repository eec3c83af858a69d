"""npm: the publisher (``_npmUser``) and provenance attestations (``dist.attestations``) of each version, from
the full packument (https://github.com/npm/registry/blob/main/docs/responses/package-metadata.md).

A registry or mirror that serves the abbreviated document leaves both out: the release is then "not given",
never "unsigned".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Release:
    version: str
    publisher: str | None  # the npm login that published it; None when the answer does not say
    attested: bool | None  # a provenance attestation is listed; None when the answer does not say


def releases(document: Mapping[str, Any], versions: set[str]) -> dict[str, Release]:
    found: dict[str, Release] = {}
    table = document.get("versions")
    if not isinstance(table, Mapping):
        return found
    for version in versions:
        manifest = table.get(version)
        if not isinstance(manifest, Mapping):
            continue
        user = manifest.get("_npmUser")
        publisher = (
            user.get("name") if isinstance(user, Mapping) and isinstance(user.get("name"), str) else None
        )
        dist = manifest.get("dist")
        attested: bool | None = None
        if isinstance(dist, Mapping) and ("attestations" in dist or "signatures" in dist):
            # signatures alone (the registry's own) say the full document was served, without provenance
            attested = isinstance(dist.get("attestations"), Mapping)
        found[version] = Release(version, publisher, attested)
    return found
