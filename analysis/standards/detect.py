"""Which interface does a package implement? Catalogue first; registry metadata only gives hints.

Hints are references to standards (RFC, ISO/IEC, ECMA-NNN, IEEE, PEP numbers, W3C, WHATWG, OASIS), family
words (JWT, OAuth, JSON Schema, LDAP, ...), PyPI ``Topic ::`` classifiers naming a protocol and keywords.
Each hint keeps its evidence (the field and the words around it) and a confidence: higher in the summary
and keywords, where a package says what it is, than in a long description that may only mention a
standard in passing. Known false positives are filtered (``Operating System :: POSIX``, PEP 8, "ES2015",
the W3C License classifier). A package with hints but no catalogue entry goes to the review list; nothing
is guessed silently. Why hints and not answers: sampled PyPI/npm metadata names an exact standard in the
summary or keywords for about one package in four, and critical libraries name none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.standards.model import Catalogue

#: Confidence by field: where a package says what it is, versus where it may mention a standard in passing.
FIELD_CONFIDENCE = {"summary": 0.8, "keywords": 0.8, "classifiers": 0.7, "description": 0.5}


@dataclass(frozen=True)
class PackageMetadata:
    """The fields of ``package_metadata`` the detector reads."""

    purl: str
    ecosystem: str
    summary: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    classifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hint:
    """One clue: ``value`` is a standard id (``ietf:rfc7519``) or a family (``family:jwt``)."""

    purl: str
    kind: str  # standard | family | classifier | keyword | portability
    value: str
    field: str
    evidence: str
    confidence: float


@dataclass(frozen=True)
class Match:
    purl: str
    interface_id: str
    source: str  # catalogue | overlay


@dataclass(frozen=True)
class ReviewItem:
    purl: str
    hints: tuple[Hint, ...]
    suggested_interfaces: tuple[str, ...]


# ------------------------------------------------------------------------------------------ hint tables

# Numbered references: (pattern, id template). The number is group 1.
_NUMBERED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bRFC[ -]?(\d{3,5})\b", re.I), "ietf:rfc{}"),
    (re.compile(r"\bISO(?:/IEC)?[ -]?(\d{3,5})(?:[-:]\d+)*\b"), "iso:{}"),
    (re.compile(r"\bECMA[- ](\d{2,3})\b", re.I), "ecma:{}"),
    (re.compile(r"\bIEEE[ -]?(\d{3,4}(?:\.\d+)?)\b"), "ieee:{}"),
    (re.compile(r"\bPEP[ -]?(\d{1,4})\b"), "pep:{}"),
)

#: PEPs about style, packaging or typing, not about an interface a package implements (PEP 8 is the
#: reference's example of a false positive).
_IGNORED_PEPS = frozenset({"8", "20", "257", "440", "484", "517", "518", "561", "621", "660", "668", "723"})
#: ISO numbers that are character sets or incidental mentions rather than an interface.
_IGNORED_ISO = frozenset({"8859", "9001", "27001"})

# Family words: (pattern, family, standard ids it points to). Matched in summaries, keywords and
# descriptions; bare "HTTP" only outside long descriptions, where it is everywhere.
_FAMILIES: tuple[tuple[re.Pattern[str], str, tuple[str, ...], bool], ...] = tuple(
    (re.compile(pattern, re.I), family, standards, in_description)
    for pattern, family, standards, in_description in (
        (r"\bJSON Web Tokens?\b|\bJWT\b", "jwt", ("ietf:rfc7519",), True),
        (
            r"\bJOSE\b|\bJSON Web (?:Signature|Encryption|Key)s?\b|\bJW[SEK]\b",
            "jose",
            ("ietf:rfc7515",),
            True,
        ),
        (r"\bOAuth ?2?(?:\.0)?\b", "oauth2", ("ietf:rfc6749",), True),
        (r"\bOpenID Connect\b|\bOIDC\b", "openid-connect", (), True),
        (r"\bHTTP/(?:1\.1|2|3)\b", "http", ("ietf:rfc9110",), True),
        (r"\bHTTPS?\b", "http", ("ietf:rfc9110",), False),
        (r"\bJSON[- ]Schema\b", "json-schema", (), True),
        (r"\bOpenAPI\b|\bSwagger\b", "openapi", (), True),
        (r"\bLDAP\b", "ldap", ("ietf:rfc4511",), True),
        (r"\bSMTP\b(?!://)", "smtp", ("ietf:rfc5321",), True),
        (r"\bIMAP4?\b", "imap", ("ietf:rfc9051",), True),
        (r"\bMQTT\b", "mqtt", (), True),
        (r"\bAMQP\b", "amqp", (), True),
        (r"\bXMPP\b", "xmpp", ("ietf:rfc6120",), True),
        (r"\bWebSockets?\b", "websocket", ("ietf:rfc6455",), True),
        (r"\bgRPC\b", "grpc", (), True),
        (r"\bProtocol Buffers\b|\bprotobuf\b", "protobuf", (), True),
        (r"\bCommonMark\b", "markdown", (), True),
        (r"\bYAML\b", "yaml", (), False),
        (r"\bTOML\b", "toml", (), False),
        (r"\bCBOR\b", "cbor", ("ietf:rfc8949",), True),
        (r"\bASN\.1\b", "asn1", (), True),
        (r"\bDNS\b", "dns", ("ietf:rfc1035",), False),
        (r"\bOpenTelemetry\b", "opentelemetry", (), False),
        (r"\bWSGI\b", "wsgi", ("pep:3333",), False),
        (r"\bASGI\b", "asgi", (), False),
        (r"\bWHATWG\b", "whatwg", (), True),
        (r"(?<!//)\bW3C\b(?!//)", "w3c", (), True),
        (r"\bOASIS\b", "oasis", (), True),
        (r"\bSAML\b", "saml", (), True),
        (r"\bIDNA\b|\bInternationali[sz]ed Domain Names\b", "idna", ("ietf:rfc5891",), True),
        (r"\bUUIDs?\b", "uuid", ("ietf:rfc9562",), False),
        (r"\bCLDR\b", "cldr", (), True),
        (r"\bSSH\b", "ssh", ("ietf:rfc4251",), False),
        (r"\bTLS\b", "tls", ("ietf:rfc8446",), False),
    )
)

#: Lower-case substrings one of which must occur before a family's pattern is tried: a substring test is
#: a hundred times cheaper than a regular expression over a long description.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "jwt": ("jwt", "json web token"), "jose": ("jose", "json web", "jws", "jwe", "jwk"), "oauth2": ("oauth",),
    "openid-connect": ("openid", "oidc"), "http": ("http",), "json-schema": ("schema",),
    "openapi": ("openapi", "swagger"), "ldap": ("ldap",), "smtp": ("smtp",), "imap": ("imap",),
    "mqtt": ("mqtt",), "amqp": ("amqp",), "xmpp": ("xmpp",), "websocket": ("websocket",), "grpc": ("grpc",),
    "protobuf": ("protocol buffers", "protobuf"), "markdown": ("commonmark",), "yaml": ("yaml",),
    "toml": ("toml",), "cbor": ("cbor",), "asn1": ("asn.1",), "dns": ("dns",), "opentelemetry": ("opentelemetry",),
    "wsgi": ("wsgi",), "asgi": ("asgi",), "whatwg": ("whatwg",), "w3c": ("w3c",), "oasis": ("oasis",),
    "saml": ("saml",), "idna": ("idna", "internationali"), "uuid": ("uuid",), "cldr": ("cldr",), "ssh": ("ssh",),
    "tls": ("tls",),
}  # fmt: skip
_NUMBER_TRIGGERS = {
    "ietf:rfc{}": "rfc",
    "iso:{}": "iso",
    "ecma:{}": "ecma",
    "ieee:{}": "ieee",
    "pep:{}": "pep",
}

#: PyPI Topic classifiers that name a protocol or format: prefix -> (family, standard ids).
_TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Topic :: Internet :: Name Service (DNS)": ("dns", ("ietf:rfc1035",)),
    "Topic :: Internet :: WWW/HTTP :: WSGI": ("wsgi", ("pep:3333",)),
    "Topic :: Internet :: WWW/HTTP :: HTTP Servers": ("http-server", ("ietf:rfc9110",)),
    "Topic :: Internet :: File Transfer Protocol (FTP)": ("ftp", ("ietf:rfc959",)),
    "Topic :: System :: Systems Administration :: Authentication/Directory :: LDAP": (
        "ldap",
        ("ietf:rfc4511",),
    ),
    "Topic :: Communications :: Email": ("email", ("ietf:rfc5322",)),
    "Topic :: Communications :: Chat :: XMPP": ("xmpp", ("ietf:rfc6120",)),
    "Topic :: Text Processing :: Markup :: XML": ("xml", ("w3c:xml",)),
    "Topic :: Text Processing :: Markup :: Markdown": ("markdown", ()),
    "Topic :: Text Processing :: Markup :: HTML": ("html", ("whatwg:html",)),
    "Topic :: Security :: Cryptography": ("cryptography", ()),
    "Topic :: Internet :: Finger": ("finger", ("ietf:rfc1288",)),
}
_IMPLEMENTATION_CLASSIFIER = "Programming Language :: Python :: Implementation :: "

#: Evidence that must never become a hint (the reference's known false positives).
FALSE_POSITIVES = (
    re.compile(r"^Operating System :: POSIX"),  # a platform, not an interface the package implements
    re.compile(r"^License :: .*W3C License"),  # a licence that names W3C
    re.compile(r"^Topic :: Communications :: Email :: Filters"),  # e.g. Markdown for mail filters
    re.compile(
        r"^Topic :: Internet :: WWW/HTTP :: WSGI :: Application"
    ),  # runs on WSGI, does not implement it
    re.compile(r"^(?:ES|ECMAScript ?)(?:20\d\d|[5-9]|Next)$", re.I),  # a language level the code targets
    re.compile(r"^esnext$|^es\d+$", re.I),
)

#: npm and PyPI keywords that name a family exactly (lower-case).
_KEYWORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "jwt": ("jwt", ("ietf:rfc7519",)),
    "jsonwebtoken": ("jwt", ("ietf:rfc7519",)),
    "jose": ("jose", ("ietf:rfc7515",)),
    "jws": ("jose", ("ietf:rfc7515",)),
    "jwe": ("jose", ("ietf:rfc7516",)),
    "oauth": ("oauth2", ("ietf:rfc6749",)),
    "oauth2": ("oauth2", ("ietf:rfc6749",)),
    "oidc": ("openid-connect", ()),
    "openid": ("openid-connect", ()),
    "websocket": ("websocket", ("ietf:rfc6455",)),
    "websockets": ("websocket", ("ietf:rfc6455",)),
    "mqtt": ("mqtt", ()),
    "amqp": ("amqp", ()),
    "ldap": ("ldap", ("ietf:rfc4511",)),
    "smtp": ("smtp", ("ietf:rfc5321",)),
    "imap": ("imap", ("ietf:rfc9051",)),
    "yaml": ("yaml", ()),
    "toml": ("toml", ()),
    "markdown": ("markdown", ()),
    "commonmark": ("markdown", ()),
    "json-schema": ("json-schema", ()),
    "jsonschema": ("json-schema", ()),
    "openapi": ("openapi", ()),
    "swagger": ("openapi", ()),
    "uuid": ("uuid", ("ietf:rfc9562",)),
    "whatwg": ("whatwg", ()),
    "fetch": ("fetch", ("whatwg:fetch",)),
    "http": ("http", ("ietf:rfc9110",)),
    "http-client": ("http", ("ietf:rfc9110",)),
    "grpc": ("grpc", ()),
    "protobuf": ("protobuf", ()),
    "dns": ("dns", ("ietf:rfc1035",)),
    "postgres": ("postgresql-wire-protocol", ()),
    "postgresql": ("postgresql-wire-protocol", ()),
    "redis": ("redis-protocol", ()),
    "xml": ("xml", ("w3c:xml",)),
    "csv": ("csv", ("ietf:rfc4180",)),
    "iso8601": ("iso8601", ("iso:8601",)),
}


# ------------------------------------------------------------------------------------------ detection


def _snippet(text: str, start: int, end: int, margin: int = 40) -> str:
    left, right = max(0, start - margin), min(len(text), end + margin)
    return " ".join(text[left:right].split())


def _false_positive(text: str) -> bool:
    return any(pattern.search(text) for pattern in FALSE_POSITIVES)


def _text_hints(purl: str, field: str, text: str) -> Iterable[Hint]:
    confidence = FIELD_CONFIDENCE[field]
    lower = text.lower()
    for pattern, template in _NUMBERED:
        if _NUMBER_TRIGGERS[template] not in lower:
            continue
        seen: set[str] = set()  # the first mention of a number is its evidence
        for found in pattern.finditer(text):
            number = found.group(1)
            if number in seen or (template == "pep:{}" and number in _IGNORED_PEPS):
                continue
            if template == "iso:{}" and number in _IGNORED_ISO:
                continue
            seen.add(number)
            evidence = _snippet(text, found.start(), found.end())
            yield Hint(purl, "standard", template.format(number), field, evidence, confidence + 0.1)
    for pattern, family, _standards, in_description in _FAMILIES:
        if field == "description" and not in_description:
            continue
        if not any(trigger in lower for trigger in _TRIGGERS[family]):
            continue
        hit = pattern.search(text)
        if hit:
            evidence = _snippet(text, hit.start(), hit.end())
            yield Hint(purl, "family", f"family:{family}", field, evidence, confidence)


def detect_hints(meta: PackageMetadata) -> list[Hint]:
    """Every hint of one package, the best per value, strongest first."""
    found: list[Hint] = []
    for field, text in (("summary", meta.summary), ("description", meta.description)):
        if text:
            found.extend(_text_hints(meta.purl, field, text))
    for keyword in meta.keywords:
        word = keyword.strip().lower()
        if not word or _false_positive(word):
            continue
        if word in _KEYWORDS:
            family, _standards = _KEYWORDS[word]
            found.append(Hint(meta.purl, "keyword", f"family:{family}", "keywords", keyword, 0.8))
        else:
            found.extend(
                hint for hint in _text_hints(meta.purl, "keywords", keyword) if hint.kind == "standard"
            )
    for classifier in meta.classifiers:
        if _false_positive(classifier):
            continue
        for prefix, (family, _standards) in _TOPICS.items():
            if classifier == prefix or classifier.startswith(prefix + " ::"):
                found.append(
                    Hint(meta.purl, "classifier", f"family:{family}", "classifiers", classifier, 0.7)
                )
        if classifier.startswith(_IMPLEMENTATION_CLASSIFIER):
            value = "python-implementation:" + classifier.removeprefix(_IMPLEMENTATION_CLASSIFIER).lower()
            found.append(Hint(meta.purl, "portability", value, "classifiers", classifier, 0.9))
    best: dict[str, Hint] = {}
    for hint in found:
        if hint.value not in best or hint.confidence > best[hint.value].confidence:
            best[hint.value] = hint
    return sorted(best.values(), key=lambda h: (-h.confidence, h.value))


def family_standards() -> dict[str, tuple[str, ...]]:
    """Family -> the standard ids it points to, from every table above."""
    table: dict[str, set[str]] = {}
    rows = [(f, s) for _p, f, s, _d in _FAMILIES] + list(_TOPICS.values()) + list(_KEYWORDS.values())
    for family, standards in rows:
        table.setdefault(family, set()).update(standards)
    return {family: tuple(sorted(ids)) for family, ids in table.items()}


def suggest_interfaces(hints: Sequence[Hint], catalogue: Catalogue) -> tuple[str, ...]:
    """Catalogue interfaces a maintainer might file the package under: those citing a hinted standard,
    or whose id names a hinted family."""
    return SuggestionIndex.build(catalogue).suggest(hints)


@dataclass(frozen=True)
class SuggestionIndex:
    """Interfaces by cited standard and by id prefix, built once per catalogue."""

    families: dict[str, tuple[str, ...]]
    by_standard: dict[str, frozenset[str]]
    by_name: dict[str, frozenset[str]]

    @classmethod
    def build(cls, catalogue: Catalogue) -> SuggestionIndex:
        by_standard: dict[str, set[str]] = {}
        by_name: dict[str, set[str]] = {}
        for interface in catalogue.interfaces.values():
            for standard in interface.standards:
                by_standard.setdefault(standard, set()).add(interface.id)
            parts = interface.id.split("-")
            for n in range(1, len(parts) + 1):  # "http-client" is found by "http" and "http-client"
                by_name.setdefault("-".join(parts[:n]), set()).add(interface.id)
        return cls(
            family_standards(),
            {k: frozenset(v) for k, v in by_standard.items()},
            {k: frozenset(v) for k, v in by_name.items()},
        )

    def suggest(self, hints: Sequence[Hint]) -> tuple[str, ...]:
        found: set[str] = set()
        for hint in hints:
            if hint.kind == "portability":
                continue
            if hint.value.startswith("family:"):
                family = hint.value.removeprefix("family:")
                found |= self.by_name.get(family, frozenset())
                for standard in self.families.get(family, ()):
                    found |= self.by_standard.get(standard, frozenset())
            else:
                found |= self.by_standard.get(hint.value, frozenset())
        return tuple(sorted(found))


def match_catalogue(purls: Iterable[str], catalogue: Catalogue) -> list[Match]:
    """Packages the catalogue lists, by purl: the only source of package -> interface facts."""
    return [
        Match(purl, interface, origin)
        for purl in sorted(set(purls))
        for interface, origin in sorted((i.interface, i.origin) for i in catalogue.interfaces_of(purl))
    ]


def review_list(
    hints_by_purl: dict[str, list[Hint]], matched: set[str], catalogue: Catalogue
) -> list[ReviewItem]:
    """Packages with interface hints (not only portability) that the catalogue does not list."""
    items = []
    index = SuggestionIndex.build(catalogue)
    for purl in sorted(hints_by_purl):
        hints = tuple(h for h in hints_by_purl[purl] if h.kind != "portability")
        if purl in matched or not hints:
            continue
        items.append(ReviewItem(purl, hints, index.suggest(hints)))
    return items
