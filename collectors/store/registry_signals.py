"""Store side of the signals asked of the registries by calls of their own (npm advisories, PyPI project status
and attestations). A "found" or "absent" answer replaces the earlier one; a call that gave nothing ("not
collected") never replaces an earlier answer: it is recorded only where nothing is known yet, and the run says
why in one documented skip per cause."""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from collectors.store import WriteSession, insert_columns, utcnow, writable_table

TABLE = writable_table("registry_signals")
OUTCOMES = ("found", "absent", "not_collected")


@dataclass(frozen=True)
class SignalRecord:
    """One answer (or its absence) about one package version and one signal."""

    purl: str
    version: str  # '' for a project-wide signal (a PEP 792 project status)
    signal: str  # advisories | project_status | attestation
    source: str  # npm | pypi
    outcome: str  # one of OUTCOMES
    value: str | None = None
    detail: str | None = None


_URL = re.compile(r"https?://([^/\s]+)\S*")


def _cause(detail: str | None) -> str:
    """A reason without the package's own URL, so one skip on the run stands for every package it hit."""
    return _URL.sub(lambda m: f"the registry ({m.group(1)})", detail or "no reason given")


def _key(r: SignalRecord) -> tuple[str, str, str, str]:
    return (r.purl, r.version, r.signal, r.source)


def store_signals(session: WriteSession, records: Sequence[SignalRecord]) -> int:
    """Write the records in one transaction; returns how many were written."""
    for record in records:
        if record.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {record.outcome!r}")
    known = list({_key(r): r for r in records if r.outcome != "not_collected"}.values())
    missing = list({_key(r): r for r in records if r.outcome == "not_collected"}.values())
    if not records:
        return 0
    with session.transaction() as conn:
        keys = pa.table({n: [k[i] for k in map(_key, known + missing)]
                         for i, n in enumerate(("purl", "version", "signal", "source"))})  # fmt: skip
        conn.register("_signal_keys", keys)
        try:
            existing = {
                (str(p), str(v), str(s), str(o)): str(outcome)
                for p, v, s, o, outcome in conn.execute(
                    "SELECT r.purl, r.version, r.signal, r.source, r.outcome FROM registry_signals r "
                    "JOIN _signal_keys k USING (purl, version, signal, source)"
                ).fetchall()
            }
        finally:
            conn.unregister("_signal_keys")
        # An earlier answer stays: a refused call today does not erase what the registry said before (an
        # earlier "not collected" is replaced, so the reason given is today's).
        unknown = [r for r in missing if existing.get(_key(r), "not_collected") == "not_collected"]
        replaced = [_key(r) for r in known + unknown if _key(r) in existing]
        if replaced:
            conn.register("_replaced", pa.table({n: [k[i] for k in replaced]
                                                 for i, n in enumerate(("purl", "version", "signal", "source"))}))  # fmt: skip
            try:
                conn.execute(
                    "DELETE FROM registry_signals WHERE (purl, version, signal, source) IN "
                    "(SELECT purl, version, signal, source FROM _replaced)"
                )
            finally:
                conn.unregister("_replaced")
        rows = known + unknown
        now = utcnow()
        insert_columns(
            conn,
            TABLE,
            {
                "purl": [r.purl for r in rows],
                "version": [r.version for r in rows],
                "signal": [r.signal for r in rows],
                "source": [r.source for r in rows],
                "outcome": [r.outcome for r in rows],
                "value": [r.value for r in rows],
                "detail": [r.detail for r in rows],
                "collected_at": [now] * len(rows),
                "run_id": [session.run_id] * len(rows),
            },
        )
    causes = Counter((r.source, r.signal, _cause(r.detail)) for r in missing)
    session.events(
        "skipped",
        [(f"{source} {signal}", f"not collected for {n} package version(s): {detail}")
         for (source, signal, detail), n in sorted(causes.items())][:100],
    )  # fmt: skip
    session.count("registry_signals", len(rows))
    return len(rows)


@dataclass(frozen=True)
class Target:
    """A package of one ecosystem in use, as the registry signals step asks about it."""

    purl: str
    name: str  # as the registry names it (an npm scope included)
    versions: tuple[str, ...]  # the versions in use
    latest_version: str | None  # from the stored registry metadata, when collected
    fresh: frozenset[str]  # signals asked within the freshness window (not asked again)


def targets(conn: duckdb.DuckDBPyConnection, ecosystem: str, *, fresh_since: datetime) -> list[Target]:
    """Packages of ``ecosystem`` used by an application, with the signals asked since ``fresh_since``."""
    rows = conn.execute(
        """
        SELECT p.purl, p.namespace, p.name,
               list_sort(list_distinct(list(ap.version) FILTER (WHERE ap.version <> ''))),
               any_value(m.latest_version)
        FROM packages p
        JOIN app_packages ap ON ap.purl = p.purl
        LEFT JOIN package_metadata m ON m.purl = p.purl
        WHERE p.ecosystem = ?
        GROUP BY p.purl, p.namespace, p.name
        ORDER BY p.purl
        """,
        [ecosystem],
    ).fetchall()
    asked = {
        (str(p), str(v), str(s))
        for p, v, s in conn.execute(
            "SELECT purl, version, signal FROM registry_signals WHERE collected_at > ?", [fresh_since]
        ).fetchall()
    }

    def fresh(purl: str, versions: tuple[str, ...], latest: str | None) -> frozenset[str]:
        # asked within the window (whatever the answer): a project-wide signal once, the others per version
        done = {"project_status"} if (purl, "", "project_status") in asked else set()
        if versions and all((purl, v, "advisories") in asked for v in versions):
            done.add("advisories")
        attested = versions or ((latest,) if latest else ())
        if attested and all((purl, v, "attestation") in asked for v in attested):
            done.add("attestation")
        return frozenset(done)

    return [
        Target(str(purl), f"{ns}/{name}" if ns else str(name), tuple(versions or ()), latest,
               fresh(str(purl), tuple(versions or ()), latest))
        for purl, ns, name, versions, latest in rows
    ]  # fmt: skip


def project_document(conn: duckdb.DuckDBPyConnection, purl: str) -> dict[str, Any] | None:
    """The stored project answer of a package (``/pypi/NAME/json``: the shortest of its stored URLs, the
    per-version answers ``/pypi/NAME/VERSION/json`` being longer)."""
    row = conn.execute(
        "SELECT body_zlib FROM registry_documents WHERE purl = ? ORDER BY length(url), url LIMIT 1", [purl]
    ).fetchone()
    if row is None:
        return None
    try:
        document = json.loads(zlib.decompress(row[0]))
    except (zlib.error, ValueError, RecursionError):
        return None
    return document if isinstance(document, dict) else None
