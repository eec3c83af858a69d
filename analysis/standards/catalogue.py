"""Load and validate the catalogue: the shipped TOML files in ``data/catalogue/`` plus overlays.

Layout of a catalogue folder: ``standards.toml`` (``[[standard]]``), ``stewards.toml`` (``[[steward]]``)
and ``interfaces/*.toml`` (``[[interface]]`` and ``[[implementation]]``, one file per domain). An overlay is
a TOML file holding any of these tables, or a folder of such files; an overlay entry with the id of a
shipped entry replaces it, a new id adds one. The shipped files are never modified.

Every problem found names the file, the entry and the field, and all problems are reported at once.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from analysis.standards.model import (
    ACCESS,
    INTERFACE_KINDS,
    SCOPES,
    STANDARD_PREFIXES,
    STEWARD_KINDS,
    Catalogue,
    Implementation,
    Interface,
    Origin,
    Standard,
    Steward,
)
from collectors.errors import InputError
from collectors.paths import DATA_DIR, PROJECT_ROOT

SHIPPED_DIR = DATA_DIR / "catalogue"
ENV_VAR = "SOCLE_CATALOGUE"
TABLES = ("standard", "steward", "interface", "implementation")


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.entry}, field {self.field!r}" if self.field else self.entry
        return f"{self.file}: {where}: {self.message}"


class CatalogueError(InputError):
    """The catalogue does not validate; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first.file, f"{first.entry}: field {first.field!r}: {first.message}{more}")


# ------------------------------------------------------------------------------------------ field checks

Check = Callable[[Any], str | None]  # returns an error message, or None when the value is fine

_URL = re.compile(r"^https?://[^\s]+$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
_STANDARD_ID = re.compile(rf"^({'|'.join(STANDARD_PREFIXES)}):[a-z0-9][a-z0-9._/+-]*$")
_COMPONENT = re.compile(r"^system:[a-z0-9][a-z0-9._+-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty string"


def _url(value: Any) -> str | None:
    return None if isinstance(value, str) and _URL.match(value) else "must be an http(s) URL"


def _pattern(regex: re.Pattern[str], what: str) -> Check:
    return lambda value: None if isinstance(value, str) and regex.match(value) else f"must be {what}"


def _one_of(choices: Sequence[str]) -> Check:
    return lambda value: None if value in choices else f"must be one of {', '.join(choices)}; got {value!r}"


def _openness(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3
    return None if ok else f"must be an integer from 0 to 3; got {value!r}"


def _year(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100
    return None if ok else f"must be a year (integer); got {value!r}"


def _conformance(value: Any) -> str | None:
    return None if isinstance(value, bool) or value == "unknown" else 'must be true, false or "unknown"'


def _date(value: Any) -> str | None:
    ok = isinstance(value, date) and not isinstance(value, datetime)
    return None if ok else f"must be a TOML date such as 2026-12-02; got {value!r}"


def _date_or_year(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return _year(value)
    return _date(value)


_SUBJECT = re.compile(r"^(pkg:[a-z]+/\S+|system:[a-z0-9][a-z0-9._+-]*)$")


def _subject_list(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) and _SUBJECT.match(v) for v in value):
        return None
    return 'must be a list of purls or components such as "pkg:npm/react" or "system:gcc"'


def _id_list(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) and _STANDARD_ID.match(v) for v in value):
        return None
    return 'must be a list of standard ids such as "ietf:rfc7519"'


#: field -> (required, check), per table. Unknown fields are an error too (a typo must not pass silently).
SCHEMA: dict[str, dict[str, tuple[bool, Check]]] = {
    "standard": {
        "id": (True, _pattern(_STANDARD_ID, 'a standard id such as "ietf:rfc7519" or "iso:9075"')),
        "body": (True, _text),
        "number": (True, lambda v: None if isinstance(v, str | int) else "must be a string or an integer"),
        "title": (True, _text),
        "url": (True, _url),
        "status": (True, _text),
        "openness": (True, _openness),
        "access": (True, _one_of(ACCESS)),
        "conformance_suite": (False, _text),
        "year": (False, _year),
        "superseded_by": (False, _pattern(_STANDARD_ID, "the id of the newer edition's standard")),
        "source": (True, _url),
        "checked": (False, _date),
    },
    "steward": {
        "id": (True, _pattern(_ID, "a lower-case id (letters, digits, . _ + -)")),
        "name": (True, _text),
        "kind": (True, _one_of(STEWARD_KINDS)),
        "country": (False, _pattern(_COUNTRY, 'an ISO 3166 alpha-2 country code such as "US"')),
        "url": (True, _url),
        "source": (True, _url),
        "parent": (False, _pattern(_ID, "the steward id of the parent organisation")),
        "parent_since": (False, _date_or_year),
        "parent_source": (False, _url),
        "checked": (False, _date),
    },
    "interface": {
        "id": (True, _pattern(_ID, "a lower-case id (letters, digits, . _ + -)")),
        "title": (True, _text),
        "kind": (True, _one_of(INTERFACE_KINDS)),
        "scope": (True, _one_of(SCOPES)),
        "standards": (False, _id_list),
        "source": (True, _url),
        "checked": (False, _date),
    },
    "implementation": {
        "interface": (True, _pattern(_ID, "an interface id")),
        "purl": (False, _text),
        "component": (False, _pattern(_COMPONENT, 'a system component such as "system:gcc"')),
        "name": (True, _text),
        "lineage": (True, _pattern(_ID, "a lower-case lineage id")),
        "steward": (True, _pattern(_ID, "a steward id")),
        "conformance": (True, _conformance),
        "conformance_note": (False, _text),
        "evidence": (True, _url),
        "ecosystem": (False, _text),
        "licensor": (False, _pattern(_ID, "the steward id of the licensor")),
        "licensor_source": (False, _url),
        "depends_on": (False, _subject_list),
        "drop_in_for": (False, _subject_list),
        "drop_in_evidence": (False, _url),
        "checked": (False, _date),
    },
}

#: (table, field) -> the fields that must come with it: a fact is only as good as its source.
COMPANIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("steward", "parent"): ("parent_since", "parent_source"),
    ("steward", "parent_since"): ("parent",),
    ("steward", "parent_source"): ("parent",),
    ("implementation", "licensor"): ("licensor_source",),
    ("implementation", "licensor_source"): ("licensor",),
    ("implementation", "drop_in_for"): ("drop_in_evidence",),
    ("implementation", "drop_in_evidence"): ("drop_in_for",),
}


def _normalised_purl(value: str) -> tuple[str, str] | str:
    """(canonical purl, ecosystem), or an error message."""
    try:
        purl = PackageURL.from_string(value)
    except ValueError as exc:
        return f"is not a valid purl ({exc})"
    if purl.version or purl.qualifiers or purl.subpath:
        return "must be versionless, without qualifiers or subpath"
    name = re.sub(r"[-_.]+", "-", purl.name).lower() if purl.type == "pypi" else purl.name
    canonical = PackageURL(type=purl.type, namespace=purl.namespace, name=name).to_string()
    if canonical != value:
        return f"must be normalised: {canonical!r}"
    return canonical, purl.type


# ------------------------------------------------------------------------------------------ loading


@dataclass
class _Layer:
    """Entries of one origin (the shipped catalogue, or all overlays), with their problems."""

    origin: Origin
    standards: dict[str, Standard]
    stewards: dict[str, Steward]
    interfaces: dict[str, Interface]
    implementations: dict[tuple[str, str], Implementation]


def _label(table: str, index: int, entry: Mapping[str, Any]) -> str:
    key = entry.get("id") or entry.get("purl") or entry.get("component")
    return f"{table}[{index}]" + (f" ({key})" if isinstance(key, str) else "")


def _check_entry(file: str, table: str, index: int, entry: Any, problems: list[Problem]) -> bool:
    label = _label(table, index, entry if isinstance(entry, Mapping) else {})
    if not isinstance(entry, Mapping):
        problems.append(Problem(file, label, "", "must be a table"))
        return False
    before = len(problems)
    schema = SCHEMA[table]
    for name in entry:
        if name not in schema:
            problems.append(Problem(file, label, name, f"unknown field (known: {', '.join(schema)})"))
    for name, (required, check) in schema.items():
        if name not in entry:
            if required:
                problems.append(Problem(file, label, name, "is required"))
            continue
        message = check(entry[name])
        if message:
            problems.append(Problem(file, label, name, message))
    for name in entry:
        for companion in COMPANIONS.get((table, name), ()):
            if companion not in entry:
                problems.append(Problem(file, label, companion, f"is required with {name!r}"))
    if table == "implementation" and ("purl" in entry) == ("component" in entry):
        problems.append(Problem(file, label, "purl", "give exactly one of purl or component"))
    return len(problems) == before


def _implementation(
    file: str, index: int, entry: Mapping[str, Any], origin: Origin, problems: list[Problem]
) -> Implementation | None:
    label = _label("implementation", index, entry)
    conformance = entry["conformance"]
    common = {
        "interface": entry["interface"],
        "name": entry["name"],
        "lineage": entry["lineage"],
        "steward": entry["steward"],
        "conformance": conformance if isinstance(conformance, str) else str(conformance).lower(),
        "evidence": entry["evidence"],
        "conformance_note": entry.get("conformance_note"),
        "licensor": entry.get("licensor"),
        "licensor_source": entry.get("licensor_source"),
        "depends_on": tuple(entry.get("depends_on", ())),
        "drop_in_for": tuple(entry.get("drop_in_for", ())),
        "drop_in_evidence": entry.get("drop_in_evidence"),
        "checked": entry.get("checked"),
        "origin": origin,
        "file": file,
    }
    if "component" in entry:
        if entry.get("ecosystem", "system") != "system":
            problems.append(Problem(file, label, "ecosystem", 'must be "system" for a component'))
            return None
        return Implementation(subject=entry["component"], ecosystem="system", is_component=True, **common)
    parsed = _normalised_purl(entry["purl"])
    if isinstance(parsed, str):
        problems.append(Problem(file, label, "purl", parsed))
        return None
    purl, ecosystem = parsed
    if "ecosystem" in entry and entry["ecosystem"] != ecosystem:
        problems.append(Problem(file, label, "ecosystem", f"must be {ecosystem!r}, the purl's type"))
        return None
    return Implementation(subject=purl, ecosystem=ecosystem, **common)


def _add(
    layer: _Layer, file: str, table: str, index: int, entry: Mapping[str, Any], problems: list[Problem]
) -> None:
    label = _label(table, index, entry)

    def put(store: dict[Any, Any], key: Any, value: Any) -> None:
        if key in store:
            problems.append(Problem(file, label, "id", f"duplicate: already defined in {store[key].file}"))
        store[key] = value

    origin = layer.origin
    if table == "standard":
        fields = {k: v for k, v in entry.items() if k != "number"}
        put(
            layer.standards,
            entry["id"],
            Standard(number=str(entry["number"]), origin=origin, file=file, **fields),
        )
    elif table == "steward":
        put(layer.stewards, entry["id"], Steward(origin=origin, file=file, **entry))
    elif table == "interface":
        fields = {k: v for k, v in entry.items() if k != "standards"}
        domain = Path(file).stem
        interface = Interface(
            standards=tuple(entry.get("standards", ())), domain=domain, origin=origin, file=file, **fields
        )
        put(layer.interfaces, entry["id"], interface)
    else:
        impl = _implementation(file, index, entry, origin, problems)
        if impl is not None:
            if impl.key in layer.implementations:
                where = layer.implementations[impl.key].file
                problems.append(Problem(file, label, "purl", f"duplicate implementation: already in {where}"))
            layer.implementations[impl.key] = impl


def _toml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.toml") if p.is_file())
    return [path]


def _display(path: Path) -> str:
    """Paths inside the project are shown relative to it (``data/catalogue/standards.toml``)."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _load_layer(files: Iterable[Path], origin: Origin, problems: list[Problem]) -> _Layer:
    layer = _Layer(origin, {}, {}, {}, {})
    for path in files:
        file = _display(path)
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(Problem(file, "file", "", "does not exist"))
            continue
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.append(Problem(file, "file", "", f"is not readable TOML ({exc})"))
            continue
        for table, entries in document.items():
            if table not in TABLES:
                problems.append(
                    Problem(file, f"[[{table}]]", "", f"unknown table (known: {', '.join(TABLES)})")
                )
                continue
            if not isinstance(entries, list):
                problems.append(Problem(file, table, "", f"must be an array of tables: [[{table}]]"))
                continue
            for index, entry in enumerate(entries):
                if _check_entry(file, table, index, entry, problems):
                    _add(layer, file, table, index, entry, problems)
    return layer


def _check_references(catalogue: Catalogue, problems: list[Problem]) -> None:
    for old in catalogue.standards.values():
        newer = old.superseded_by
        if newer is not None and (newer == old.id or newer not in catalogue.standards):
            label = f"standard ({old.id})"
            problems.append(Problem(old.file, label, "superseded_by", f"unknown standard {newer!r}"))
    for steward in catalogue.stewards.values():
        label = f"steward ({steward.id})"
        if steward.parent is not None and steward.parent not in catalogue.stewards:
            problems.append(Problem(steward.file, label, "parent", f"unknown steward {steward.parent!r}"))
        chain = catalogue.control_chain(steward.id)
        top = catalogue.stewards.get(chain[-1])
        if top is not None and top.parent in chain:
            problems.append(Problem(steward.file, label, "parent", f"cycle: {' -> '.join(chain)}"))
    for interface in catalogue.interfaces.values():
        for standard in interface.standards:
            if standard not in catalogue.standards:
                label = f"interface ({interface.id})"
                problems.append(Problem(interface.file, label, "standards", f"unknown standard {standard!r}"))
    for impl in catalogue.implementations.values():
        label = f"implementation ({impl.subject})"
        if impl.interface not in catalogue.interfaces:
            problems.append(Problem(impl.file, label, "interface", f"unknown interface {impl.interface!r}"))
        if impl.steward not in catalogue.stewards:
            problems.append(Problem(impl.file, label, "steward", f"unknown steward {impl.steward!r}"))
        if impl.licensor is not None and impl.licensor not in catalogue.stewards:
            problems.append(Problem(impl.file, label, "licensor", f"unknown steward {impl.licensor!r}"))


def overlay_paths(given: Sequence[Path] = (), environ: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """Overlays from ``$SOCLE_CATALOGUE`` (paths separated by ``:``) then the ``--catalogue`` options."""
    env = (os.environ if environ is None else environ).get(ENV_VAR, "")
    from_env = [Path(p) for p in env.split(os.pathsep) if p]
    unique: dict[Path, Path] = {}
    for path in (*from_env, *given):
        unique.setdefault(path.resolve(), path)  # given both ways (refresh options and env), read once
    return tuple(unique.values())


def shipped_files(directory: Path = SHIPPED_DIR) -> list[Path]:
    files = [directory / "standards.toml", directory / "stewards.toml"]
    return [f for f in files if f.exists()] + sorted((directory / "interfaces").glob("*.toml"))


def load_catalogue(overlays: Sequence[Path] = (), *, shipped: Path | None = SHIPPED_DIR) -> Catalogue:
    """The shipped catalogue (``shipped=None`` for none) with the overlays applied, validated as a whole.

    Raises :class:`CatalogueError` listing every problem.
    """
    problems: list[Problem] = []
    base = _load_layer(shipped_files(shipped) if shipped else [], "catalogue", problems)
    files = [f for path in overlays for f in _toml_files(path)]
    extra = _load_layer(files, "overlay", problems)
    catalogue = Catalogue(
        standards={**base.standards, **extra.standards},
        stewards={**base.stewards, **extra.stewards},
        interfaces={**base.interfaces, **extra.interfaces},
        implementations={**base.implementations, **extra.implementations},
    )
    _check_references(catalogue, problems)
    if problems:
        raise CatalogueError(problems)
    return catalogue
