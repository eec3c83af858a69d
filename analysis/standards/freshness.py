"""Facts kept current: which catalogue entries were not checked for a year, and which standards have a
newer edition known to the catalogue (``socle catalogue review --stale``). Pure functions of the catalogue
and a date.

An entry's ``checked`` date says when its facts (steward, parent, licensor, conformance, status...) were
last compared with their source. Facts drift: projects move under umbrellas, standards get new editions,
companies are bought. An entry without a date has never been checked, as far as the catalogue knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from analysis.standards.model import Catalogue

#: Entries whose facts were checked longer ago than this are listed for review.
MAX_AGE = timedelta(days=365)


@dataclass(frozen=True)
class StaleEntry:
    """One catalogue entry to check again: ``table`` (standard, steward, interface, implementation),
    ``key`` (its id, or ``interface subject`` for an implementation), the file it comes from, its
    ``checked`` date (None when it has none) and why it is listed."""

    table: str
    key: str
    file: str
    checked: date | None
    reason: str


def _age_reason(checked: date | None, as_of: date, max_age: timedelta) -> str | None:
    if checked is None:
        return "no check date: its facts were never recorded as checked"
    if as_of - checked > max_age:
        return f"last checked {checked.isoformat()}, more than {max_age.days} days before {as_of.isoformat()}"
    return None


def stale_entries(catalogue: Catalogue, *, as_of: date, max_age: timedelta = MAX_AGE) -> list[StaleEntry]:
    """Every entry not checked within ``max_age`` of ``as_of`` (or never), in file order."""
    found: list[StaleEntry] = []
    rows: list[tuple[str, str, str, date | None]] = [
        *(("standard", s.id, s.file, s.checked) for s in catalogue.standards.values()),
        *(("steward", s.id, s.file, s.checked) for s in catalogue.stewards.values()),
        *(("interface", i.id, i.file, i.checked) for i in catalogue.interfaces.values()),
        *(
            ("implementation", f"{i.interface} {i.subject}", i.file, i.checked)
            for i in catalogue.implementations.values()
        ),
    ]
    for table, key, file, checked in rows:
        reason = _age_reason(checked, as_of, max_age)
        if reason is not None:
            found.append(StaleEntry(table, key, file, checked, reason))
    return sorted(found, key=lambda e: (e.file, e.table, e.key))


def newer_editions(catalogue: Catalogue) -> list[StaleEntry]:
    """Standards with a newer edition known to the catalogue, and every interface that follows the old
    edition without the new one (its standardisation then drops for the wrong reason)."""
    found: list[StaleEntry] = []
    for standard in sorted(catalogue.standards.values(), key=lambda s: s.id):
        newer = standard.superseded_by
        if newer is None:
            continue
        found.append(
            StaleEntry(
                "standard",
                standard.id,
                standard.file,
                standard.checked,
                f"superseded by {newer}",
            )
        )
        for interface in sorted(catalogue.interfaces.values(), key=lambda i: i.id):
            if standard.id in interface.standards and newer not in interface.standards:
                found.append(
                    StaleEntry(
                        "interface",
                        interface.id,
                        interface.file,
                        interface.checked,
                        f"follows {standard.id} but not its newer edition {newer}",
                    )
                )
    return found
