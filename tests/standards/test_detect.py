"""The detector: hints with evidence, the reference's false positives, catalogue matches, and the precision
of the hints on metadata recorded from the live registries (tests/fixtures/standards/registry_metadata.json,
recorded once by tests/fixtures/standards/record_metadata.py)."""

from __future__ import annotations

import json
from fnmatch import fnmatch
from pathlib import Path

import pytest

from analysis.standards.catalogue import load_catalogue
from analysis.standards.detect import (
    PackageMetadata,
    detect_hints,
    match_catalogue,
    review_list,
    suggest_interfaces,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "standards"


def values(meta: PackageMetadata) -> set[str]:
    return {h.value for h in detect_hints(meta) if h.kind != "portability"}


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (
            PackageMetadata("pkg:pypi/x", "pypi", summary="JSON Web Token implementation (RFC 7519)"),
            {"family:jwt", "ietf:rfc7519"},
        ),
        (
            PackageMetadata("pkg:pypi/x", "pypi", summary="Dates per ISO 8601 and ISO/IEC 9075-2"),
            {"iso:8601", "iso:9075"},
        ),
        (PackageMetadata("pkg:npm/x", "npm", summary="A JavaScript parser for ECMA-262"), {"ecma:262"}),
        (
            PackageMetadata("pkg:pypi/x", "pypi", description="Implements IEEE 754 decimal and OASIS MQTT"),
            {"ieee:754", "family:oasis", "family:mqtt"},
        ),
        (
            PackageMetadata("pkg:pypi/x", "pypi", classifiers=("Topic :: Internet :: Name Service (DNS)",)),
            {"family:dns"},
        ),
        (
            PackageMetadata(
                "pkg:pypi/x", "pypi", classifiers=("Topic :: Internet :: WWW/HTTP :: WSGI :: Server",)
            ),
            {"family:wsgi"},
        ),
        (
            PackageMetadata("pkg:npm/x", "npm", keywords=("jwt", "RFC7519", "es2015", "ES6")),
            {"family:jwt", "ietf:rfc7519"},
        ),
        (PackageMetadata("pkg:pypi/x", "pypi", description="Follows PEP 3333 and PEP 8."), {"pep:3333"}),
    ],
)
def test_hints_name_standards_and_families(meta: PackageMetadata, expected: set[str]) -> None:
    assert values(meta) == expected


@pytest.mark.parametrize(
    "meta",
    [
        PackageMetadata(
            "pkg:pypi/x",
            "pypi",
            classifiers=("Operating System :: POSIX", "Operating System :: POSIX :: Linux"),
        ),
        PackageMetadata("pkg:pypi/x", "pypi", description="Code style: PEP 8. See PEP-8 and pep 8."),
        PackageMetadata("pkg:npm/x", "npm", keywords=("es2015", "ES6", "esnext", "ES2020")),
        PackageMetadata("pkg:pypi/x", "pypi", classifiers=("License :: OSI Approved :: W3C License",)),
        PackageMetadata(
            "pkg:pypi/x", "pypi", description='<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">'
        ),
        PackageMetadata("pkg:pypi/x", "pypi", description="the resolver fetches smtp:// URIs"),
        PackageMetadata(
            "pkg:pypi/x", "pypi", summary="A fast HTTP library", description="uses HTTP everywhere"
        ),
    ],
)
def test_known_false_positives_are_filtered(meta: PackageMetadata) -> None:
    found = values(meta)
    assert not {v for v in found if v not in {"family:http"}}, found
    if meta.summary:
        assert found == {"family:http"}  # bare HTTP counts in a summary, not in a long description


def test_hints_keep_evidence_field_and_a_higher_confidence_in_the_summary() -> None:
    meta = PackageMetadata(
        "pkg:pypi/x", "pypi", summary="LDAP client", description="Long text. Also speaks SMTP to relays."
    )
    hints = {h.value: h for h in detect_hints(meta)}
    assert hints["family:ldap"].field == "summary"
    assert hints["family:ldap"].evidence == "LDAP client"
    assert hints["family:smtp"].field == "description"
    assert hints["family:ldap"].confidence > hints["family:smtp"].confidence


def test_implementation_classifiers_are_portability_hints_not_review_material() -> None:
    meta = PackageMetadata(
        "pkg:pypi/x", "pypi", classifiers=("Programming Language :: Python :: Implementation :: PyPy",)
    )
    (hint,) = detect_hints(meta)
    assert (hint.kind, hint.value) == ("portability", "python-implementation:pypy")
    catalogue = load_catalogue(shipped=FIXTURES / "catalogue")
    assert review_list({"pkg:pypi/x": [hint]}, set(), catalogue) == []


def test_catalogue_match_is_by_purl_and_review_holds_hinted_unlisted_packages() -> None:
    catalogue = load_catalogue(shipped=FIXTURES / "catalogue")
    matches = match_catalogue(["pkg:pypi/pyjwt", "pkg:pypi/httpx", "pkg:pypi/unknown"], catalogue)
    assert [(m.purl, m.interface_id, m.source) for m in matches] == [
        ("pkg:pypi/httpx", "http-client", "catalogue"),
        ("pkg:pypi/pyjwt", "jwt", "catalogue"),
    ]
    hinted = {
        "pkg:pypi/pyjwt": detect_hints(PackageMetadata("pkg:pypi/pyjwt", "pypi", summary="JWT")),
        "pkg:pypi/my-jwt": detect_hints(
            PackageMetadata("pkg:pypi/my-jwt", "pypi", summary="JSON Web Token (RFC 7519)")
        ),
    }
    (item,) = review_list(hinted, {"pkg:pypi/pyjwt"}, catalogue)
    assert item.purl == "pkg:pypi/my-jwt"
    assert item.suggested_interfaces == ("jwt",)
    assert suggest_interfaces(
        detect_hints(PackageMetadata("p", "pypi", summary="HTTP/2 client")), catalogue
    ) == ("http-client",)


# ------------------------------------------------------------------------------------------ precision

#: Hand-labelled truth: per recorded package, the hints that are right (glob patterns). A hint the
#: detector emits that is not listed here is a false positive. Labelled by reading each package's docs.
TRUTH: dict[str, set[str]] = {
    "pyjwt": {"family:jwt", "ietf:rfc7519"},
    "python-jose": {"family:jose", "family:jwt"},
    "authlib": {
        "family:oauth2",
        "family:openid-connect",
        "family:cryptography",
        "ietf:rfc*",
        "family:jose",
        "family:jwt",
    },
    "oauthlib": {"family:oauth2", "ietf:rfc5849", "ietf:rfc6749"},
    "requests-oauthlib": {"family:oauth2"},
    "requests": {"family:http"},
    "urllib3": {"family:http"},
    "httpx": {"family:http"},
    "aiohttp": {"family:http"},
    "cryptography": {"family:cryptography"},
    "pyopenssl": {"family:cryptography", "family:tls"},
    "dnspython": {"family:dns", "family:idna"},
    "ldap3": {"ietf:rfc4510", "family:ldap"},
    "paramiko": {"family:cryptography", "family:ssh"},
    "paho-mqtt": {"family:mqtt"},
    "pika": {"family:amqp"},
    "jsonschema": {"family:json-schema"},
    "pyyaml": {"family:yaml"},
    "tomli": {"family:toml", "pep:680"},
    "lxml": {"family:xml", "family:html"},
    "defusedxml": {"family:xml"},
    "python-dateutil": {"ietf:rfc2445", "iso:8601"},  # rrule implements RFC 2445 recurrence rules
    "iso8601": {"iso:8601"},
    "markdown": {"family:markdown", "family:html"},  # Markdown's output format is HTML
    "jinja2": set(),  # a template language: its HTML classifier is not an interface it implements
    "websockets": {"ietf:rfc6455", "family:websocket"},
    "grpcio": {"family:http", "family:grpc", "family:protobuf"},  # gRPC runs over HTTP/2
    "redis": {"family:redis-protocol"},
    "uvicorn": {"family:asgi", "family:http", "family:websocket"},
    "gunicorn": {"family:http", "family:wsgi"},
    "email-validator": {
        "ietf:rfc3492",
        "ietf:rfc5322",
        "ietf:rfc5891",
        "ietf:rfc6531",
        "family:idna",
        "family:smtp",
    },
    "idna": {"family:idna", "family:dns", "ietf:rfc5891", "ietf:rfc5895"},
    "fastapi": {"family:http-server", "family:json-schema", "family:openapi"},
    "celery": {"family:amqp"},  # speaks AMQP to RabbitMQ through kombu
    "opentelemetry-api": {"family:opentelemetry"},
    "aiosmtplib": {"family:smtp", "family:email"},
    "rfc3986": {"ietf:rfc3986", "ietf:rfc3987"},
    "pyasn1": {"family:asn1"},
    "slixmpp": {"family:xmpp"},
    "cbor2": {"family:cbor", "ietf:rfc8949"},
    "webob": {"family:http", "family:wsgi", "ietf:rfc3986"},
    "multipart": {"family:wsgi", "ietf:rfc7578", "family:whatwg"},  # multipart/form-data, HTML form spec
    "jsonwebtoken": {"family:jwt"},
    "jose": {"family:jose", "family:jwt"},
    "jwt-decode": {"family:jwt"},
    "ws": {"ietf:rfc6455", "family:websocket"},
    "axios": {"family:http", "family:fetch"},  # has a fetch adapter
    "node-fetch": {"family:fetch", "family:http", "family:whatwg"},
    "ajv": {"family:json-schema"},
    "js-yaml": {"family:yaml"},
    "marked": {"family:markdown"},
    "markdown-it": {"family:markdown"},
    "express": {"family:http"},
    "mqtt": {"family:mqtt"},
    "amqplib": {"family:amqp"},
    "uuid": {"ietf:rfc4122", "ietf:rfc9562", "family:uuid"},
    "pg": {"family:postgresql-wire-protocol"},
    "whatwg-url": {"family:whatwg"},
    "punycode": {"ietf:rfc3492", "ietf:rfc5891", "family:dns", "family:idna"},
}


def recorded_metadata() -> list[tuple[str, PackageMetadata]]:
    """The recorded registry JSON, mapped to the detector's input as the registry collectors map it."""
    out = []
    for doc in json.loads((FIXTURES / "registry_metadata.json").read_text(encoding="utf-8")):
        info = doc["info"]
        if doc["registry"] == "pypi":
            keywords = tuple(k for k in info["keywords"].replace(",", " ").split() if k)
            meta = PackageMetadata(
                f"pkg:pypi/{doc['name']}",
                "pypi",
                info["summary"],
                info["description"],
                keywords,
                tuple(info["classifiers"]),
            )
        else:
            meta = PackageMetadata(
                f"pkg:npm/{doc['name']}", "npm", info["description"], info["readme"], tuple(info["keywords"])
            )
        out.append((doc["name"], meta))
    return out


def test_hint_precision_on_recorded_registry_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    recorded = recorded_metadata()
    assert len(recorded) >= 60
    emitted = true_positive = 0
    wrong: list[str] = []
    for name, meta in recorded:
        truth = TRUTH.get(name, set())
        for value in values(meta):
            emitted += 1
            if any(fnmatch(value, pattern) for pattern in truth):
                true_positive += 1
            else:
                wrong.append(f"{name}: {value}")
    precision = true_positive / emitted
    with capsys.disabled():
        print(
            f"\nhint precision: {true_positive}/{emitted} = {precision:.3f} on {len(recorded)} packages; "
            f"false positives: {wrong}"
        )
    assert emitted > 100
    assert precision >= 0.95, wrong
    # packages that name no standard: the detector stays silent rather than guessing
    silent = {name for name, meta in recorded if not values(meta)}
    assert {"numpy", "click", "pytest", "react", "zod", "certifi"} <= silent
