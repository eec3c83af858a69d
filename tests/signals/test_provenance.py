"""Who can ship code into the organisation: npm publishers and provenance attestations, literal inputs."""

from __future__ import annotations

from analysis.signals.provenance import ReleaseFacts, score
from collectors.provenance.npm import Release, releases

# The shape of a full npm packument's version manifests (documented fields; values made up for the test).
PACKUMENT = {
    "name": "left-pad-like",
    "versions": {
        "1.0.0": {"_npmUser": {"name": "alice", "email": "alice@example.org"},
                  "dist": {"integrity": "sha512-x", "signatures": [{"keyid": "k", "sig": "s"}],
                           "attestations": {"url": "https://registry.npmjs.org/-/npm/v1/attestations/left-pad-like@1.0.0",
                                            "provenance": {"predicateType": "https://slsa.dev/provenance/v1"}}}},
        "1.1.0": {"_npmUser": {"name": "mallory"}, "dist": {"integrity": "sha512-y", "signatures": [{"keyid": "k"}]}},
        "1.2.0": {"dist": {"integrity": "sha512-z"}},
    },
}  # fmt: skip


def test_npm_releases_read_publisher_and_attestation() -> None:
    assert releases(PACKUMENT, {"1.0.0", "1.1.0", "1.2.0", "9.9.9"}) == {
        "1.0.0": Release("1.0.0", "alice", True),
        "1.1.0": Release("1.1.0", "mallory", False),
        "1.2.0": Release("1.2.0", None, None),  # an abbreviated answer: not given, never "unsigned"
    }


def test_a_publisher_change_and_a_lost_attestation_are_flagged() -> None:
    result = score([ReleaseFacts("1.0.0", "alice", True)], ReleaseFacts("1.1.0", "mallory", False))
    assert (result.label, result.value) == ("changed", 1.0)
    assert result.reason == (
        "Publisher changed from alice (1.0.0) to mallory (1.1.0); 1.0.0 had a provenance attestation, 1.1.0 has none."
    )


def test_same_publisher_with_attestation() -> None:
    result = score([ReleaseFacts("1.0.0", "alice", True)], ReleaseFacts("1.0.0", "alice", True))
    assert (result.label, result.reason) == (
        "attested",
        "1.0.0 published by alice, with a provenance attestation.",
    )


def test_not_given_is_inconclusive() -> None:
    result = score([ReleaseFacts("1.2.0", None, None)], ReleaseFacts("1.2.0", None, None))
    assert (
        result.value is None
        and result.reason == "Publisher and provenance not given by the npm registry's answer."
    )
