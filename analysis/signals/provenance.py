"""The ``provenance`` score: who can push a release into the organisation, and whether its origin is attested.

Compares the version in use with the newest: a different publisher, or an attestation present on one and gone
on the next, is flagged (both are what account takeovers and hijacked releases look like). Label: ``changed``
(publisher changed or attestation lost), ``attested`` (the newest carries a provenance attestation),
``unattested``; inconclusive when the registry's answer does not say.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.score import Score, Status

NAME = "provenance"
VERSION = "1.0"


@dataclass(frozen=True)
class ReleaseFacts:
    version: str
    publisher: str | None
    attested: bool | None


def score(
    in_use: list[ReleaseFacts],
    newest: ReleaseFacts | None,
    registry: str = "npm",
    *,
    not_given_why: str | None = None,
) -> Score:
    known = [r for r in in_use if r.publisher is not None or r.attested is not None]
    if newest is None or (not known and newest.publisher is None and newest.attested is None):
        why = f" ({not_given_why.strip().rstrip('.')[:200]})" if not_given_why else ""
        return Score.inconclusive(
            NAME, VERSION, f"Publisher and provenance not given by the {registry} registry's answer{why}."
        )
    flags: list[str] = []
    for release in known:
        if release.version == newest.version:
            continue
        if release.publisher and newest.publisher and release.publisher != newest.publisher:
            flags.append(
                f"publisher changed from {release.publisher} ({release.version}) to {newest.publisher} ({newest.version})"
            )
        if release.attested and newest.attested is False:
            flags.append(f"{release.version} had a provenance attestation, {newest.version} has none")
    details = {
        "newest": {"version": newest.version, "publisher": newest.publisher, "attested": newest.attested},
        "in_use": [{"version": r.version, "publisher": r.publisher, "attested": r.attested} for r in in_use],
    }
    if flags:
        return Score(
            NAME,
            VERSION,
            1.0,
            Status.OK,
            "; ".join(flags).capitalize() + ".",
            label="changed",
            details=details,
        )
    who = f"published by {newest.publisher}" if newest.publisher else "publisher not given"
    if newest.attested:
        return Score(NAME, VERSION, 0.0, Status.OK, f"{newest.version} {who}, with a provenance attestation.",
                     label="attested", details=details)  # fmt: skip
    attest = "without a provenance attestation" if newest.attested is False else "provenance not given"
    return Score(
        NAME,
        VERSION,
        0.0,
        Status.OK,
        f"{newest.version} {who}, {attest}.",
        label="unattested",
        details=details,
    )
