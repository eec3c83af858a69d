"""Store side of the signals asked of the registries by calls of their own (npm advisories, PyPI project status
and attestations). A "found" or "absent" answer replaces the earlier one; a call that gave nothing ("not
collected") never replaces an earlier answer: it is recorded only where nothing is known yet, and the run says
why in one warning per cause."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

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


def _key(r: SignalRecord) -> tuple[str, str, str, str]:
    return (r.purl, r.version, r.signal, r.source)


def store_signals(session: WriteSession, records: Sequence[SignalRecord]) -> int:
    """Write the records in one transaction; returns how many were written."""
    for record in records:
        if record.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {record.outcome!r}")
    known = list({_key(r): r for r in records if r.outcome != "not_collected"}.values())
    missing = list({_key(r): r for r in records if r.outcome == "not_collected"}.values())
    with session.transaction() as conn:
        keys = pa.table({n: [k[i] for k in map(_key, known + missing)]
                         for i, n in enumerate(("purl", "version", "signal", "source"))})  # fmt: skip
        conn.register("_signal_keys", keys)
        try:
            existing = {
                (str(p), str(v), str(s), str(o))
                for p, v, s, o in conn.execute(
                    "SELECT r.purl, r.version, r.signal, r.source FROM registry_signals r "
                    "JOIN _signal_keys k USING (purl, version, signal, source)"
                ).fetchall()
            }
        finally:
            conn.unregister("_signal_keys")
        replaced = [_key(r) for r in known if _key(r) in existing]
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
        # An earlier answer stays: a refused call today does not erase what the registry said before.
        rows = known + [r for r in missing if _key(r) not in existing]
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
    causes = Counter((r.source, r.signal, r.detail or "no reason given") for r in missing)
    session.events(
        "warning",
        [(f"{source} {signal}", f"not collected for {n} package version(s): {detail}")
         for (source, signal, detail), n in sorted(causes.items())][:100],
    )  # fmt: skip
    session.count("registry_signals", len(rows))
    return len(rows)
