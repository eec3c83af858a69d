"""The reviewed reference data of ``data/sovereignty/``: operators of forges, registries and funding platforms,
organisations behind commit e-mail domains, and licence changes with their forks. Every entry has a source URL.

Files are small TOML written by hand; a problem names the file and the entry, and the whole load fails
(a half-read reference would silently turn known operators into "not known").
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from collectors.errors import InputError
from collectors.paths import DATA_DIR

REFERENCE_DIR = DATA_DIR / "sovereignty"
MAX_FILE_BYTES = 1_000_000  # these files are reviewed by hand: anything larger is not one of them
ROLES = ("forge", "registry", "funding")
KINDS = ("company", "foundation", "association", "public-body", "project")

#: Member states of the European Union (https://european-union.europa.eu/principles-countries-history/eu-countries_en).
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
_URL = re.compile(r"^https://[^\s]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Operator:
    """The legal entity that runs a forge, registry or funding platform."""

    id: str
    name: str
    kind: str
    source: str
    country: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Place:
    """A place socle records (a repository host, a purl type, a funding platform) and who operates it."""

    role: str
    key: str
    operator: Operator
    source: str


@dataclass(frozen=True)
class Organisation:
    """An organisation found in commit e-mail domains, with its legal entity."""

    name: str
    legal_entity: str
    kind: str
    source: str
    country: str | None = None


@dataclass(frozen=True)
class LicenceChange:
    project: str
    company: str
    date: dt.date
    from_licence: str
    to_licence: str
    source: str
    steward: str | None = None
    subjects: tuple[str, ...] = ()
    fork: str | None = None
    fork_steward: str | None = None
    fork_date: dt.date | None = None
    fork_source: str | None = None


@dataclass(frozen=True)
class Reference:
    places: dict[tuple[str, str], Place] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    licence_changes: tuple[LicenceChange, ...] = ()

    def place(self, role: str, key: str | None) -> Place | None:
        return self.places.get((role, key.lower())) if key else None

    def organisation(self, name: str | None) -> Organisation | None:
        return self.organisations.get(name.lower()) if name else None

    def changes_by(self, steward: str | None, subject: str) -> tuple[LicenceChange, ...]:
        """Licence changes of ``subject`` itself, or made by its steward (a catalogue steward id)."""
        return tuple(
            c for c in self.licence_changes if subject in c.subjects or (steward and c.steward == steward)
        )


def _read(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(str(path), f"larger than {MAX_FILE_BYTES} bytes: not a reviewed reference file")
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), f"is not valid TOML: {exc}") from exc


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(where, f"field {key!r} must be a non-empty string")
    return value


def _checked(entry: dict[str, Any], where: str, *, country: bool = True) -> tuple[str, str | None]:
    source = str(_text(entry, "source", where))
    if not _URL.match(source):
        raise InputError(where, "field 'source' must be an https URL")
    code = _text(entry, "country", where, required=False) if country else None
    if code is not None and not _COUNTRY.match(code):
        raise InputError(where, "field 'country' must be an ISO 3166-1 alpha-2 code such as 'DE'")
    kind = entry.get("kind")
    if kind is not None and kind not in KINDS:
        raise InputError(where, f"field 'kind' must be one of {', '.join(KINDS)}")
    return source, code


def _operators(path: Path) -> dict[tuple[str, str], Place]:
    raw = _read(path)
    operators: dict[str, Operator] = {}
    for i, entry in enumerate(raw.get("operator", [])):
        where = f"{path.name}: operator #{i + 1}"
        source, country = _checked(entry, where)
        ident = str(_text(entry, "id", where))
        operators[ident] = Operator(
            ident,
            str(_text(entry, "name", where)),
            str(_text(entry, "kind", where)),
            source,
            country,
            _text(entry, "parent", where, required=False),
        )
    places: dict[tuple[str, str], Place] = {}
    for i, entry in enumerate(raw.get("place", [])):
        where = f"{path.name}: place #{i + 1}"
        source, _ = _checked(entry, where, country=False)
        role, key, operator = (str(_text(entry, k, where)) for k in ("role", "key", "operator"))
        if role not in ROLES:
            raise InputError(where, f"field 'role' must be one of {', '.join(ROLES)}")
        if operator not in operators:
            raise InputError(where, f"operator {operator!r} is not defined in {path.name}")
        places[(role, key.lower())] = Place(role, key.lower(), operators[operator], source)
    return places


def _organisations(path: Path) -> dict[str, Organisation]:
    out: dict[str, Organisation] = {}
    for i, entry in enumerate(_read(path).get("organisation", [])):
        where = f"{path.name}: organisation #{i + 1}"
        source, country = _checked(entry, where)
        name = str(_text(entry, "name", where))
        out[name.lower()] = Organisation(
            name, str(_text(entry, "legal_entity", where)), str(_text(entry, "kind", where)), source, country
        )
    return out


def _licence_changes(path: Path) -> tuple[LicenceChange, ...]:
    out: list[LicenceChange] = []
    for i, entry in enumerate(_read(path).get("licence_change", [])):
        where = f"{path.name}: licence_change #{i + 1}"
        source, _ = _checked(entry, where, country=False)
        when, fork_date = entry.get("date"), entry.get("fork_date")
        if not isinstance(when, dt.date) or (fork_date is not None and not isinstance(fork_date, dt.date)):
            raise InputError(where, "fields 'date' and 'fork_date' must be TOML dates such as 2024-03-20")
        fork_source = _text(entry, "fork_source", where, required=False)
        if fork_source is not None and not _URL.match(fork_source):
            raise InputError(where, "field 'fork_source' must be an https URL")
        out.append(
            LicenceChange(
                project=str(_text(entry, "project", where)),
                company=str(_text(entry, "company", where)),
                date=when,
                from_licence=str(_text(entry, "from_licence", where)),
                to_licence=str(_text(entry, "to_licence", where)),
                source=source,
                steward=_text(entry, "steward", where, required=False),
                subjects=tuple(str(s) for s in entry.get("subjects", [])),
                fork=_text(entry, "fork", where, required=False),
                fork_steward=_text(entry, "fork_steward", where, required=False),
                fork_date=fork_date,
                fork_source=fork_source,
            )
        )
    return tuple(out)


def load(directory: Path = REFERENCE_DIR) -> Reference:
    """Read ``operators.toml``, ``organisations.toml`` and ``licence_changes.toml`` from ``directory``."""
    return Reference(
        _operators(directory / "operators.toml"),
        _organisations(directory / "organisations.toml"),
        _licence_changes(directory / "licence_changes.toml"),
    )


@cache
def shipped() -> Reference:
    """The shipped reference, read once per process (the files change only with a release)."""
    return load()
