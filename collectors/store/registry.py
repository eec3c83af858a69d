"""Store side of the registry collectors: what to collect, and writing what was collected.

A package's rows are replaced whole, in one transaction per batch, only when its collection succeeded; a
failure writes only its ``registry_state`` (status error) and a run event, so its earlier good record stays.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from collectors.base import Collected, Dependency, Failed, Outcome, PackageRef, Skipped, Unchanged
from collectors.store import WriteSession, insert_columns, writable_table

for _table in (
    "package_metadata",
    "package_releases",
    "package_maintainers",
    "package_dependencies",
    "registry_documents",
):
    writable_table(_table)

# Tables holding one package's collected rows, keyed by purl (identifiers from this allow-list only).
_PER_PACKAGE = ("package_metadata", "package_releases", "package_maintainers", "package_dependencies")


def registry_name(namespace: str | None, name: str) -> str:
    return f"{namespace}/{name}" if namespace else name


def packages_to_collect(
    conn: duckdb.DuckDBPyConnection, ecosystem: str, *, max_age: timedelta, now: datetime
) -> list[PackageRef]:
    """Packages of ``ecosystem`` used by an application and not collected successfully within ``max_age``."""
    rows = conn.execute(
        """
        SELECT p.purl, p.namespace, p.name,
               list_sort(list_distinct(list(ap.version) FILTER (WHERE ap.version <> ''))),
               any_value(s.signature)
        FROM packages p
        JOIN app_packages ap ON ap.purl = p.purl
        LEFT JOIN registry_state s ON s.purl = p.purl
        WHERE p.ecosystem = ?
          AND (s.succeeded_at IS NULL OR s.status = 'error' OR s.succeeded_at <= ?)
        GROUP BY p.purl, p.namespace, p.name
        ORDER BY p.purl
        """,
        [ecosystem, now - max_age],
    ).fetchall()
    return [
        PackageRef(
            purl=purl,
            ecosystem=ecosystem,
            name=registry_name(ns, name),
            versions=tuple(versions or ()),
            previous_signature=signature,
        )
        for purl, ns, name, versions, signature in rows
    ]


def _delete_for(conn: duckdb.DuckDBPyConnection, purls: list[str], ecosystem: str) -> None:
    for table in _PER_PACKAGE:
        conn.execute(f"DELETE FROM {table} WHERE list_contains(?, purl)", [purls])  # noqa: S608
    conn.execute(
        "DELETE FROM funding_links WHERE subject_kind = 'package' AND source = ? AND list_contains(?, subject)",
        [ecosystem, purls],
    )
    conn.execute("DELETE FROM registry_documents WHERE list_contains(?, purl)", [purls])


def _metadata_columns(items: Sequence[Collected], now: datetime, run_id: int) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {}
    for item in items:
        m = item.metadata
        row = {
            "purl": m.purl,
            "ecosystem": m.ecosystem,
            "latest_version": m.latest_version,
            "summary": m.summary,
            "description": m.description,
            "homepage": m.homepage,
            "repository_url": m.repository_url,
            "repository_directory": m.repository_directory,
            "license": m.license,
            "deprecated": m.deprecated,
            "first_release_at": m.first_release_at,
            "last_release_at": m.last_release_at,
            "releases_last_12m": m.releases_last_12m,
            "keywords": list(m.keywords),
            "classifiers": list(m.classifiers),
            "project_urls": json.dumps(dict(m.project_urls)),
            "requires_python": m.requires_python,
            "ownership_org": m.ownership_org,
            "fetched_at": now,
            "run_id": run_id,
        }
        for key, value in row.items():
            cols.setdefault(key, []).append(value)
    # Arrow cannot infer a type from empty lists alone.
    for key in ("keywords", "classifiers"):
        cols[key] = pa.array(cols[key], type=pa.list_(pa.string()))
    return cols


def _rows_to_columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {}
    for row in rows:
        for key, value in row.items():
            cols.setdefault(key, []).append(value)
    return cols


def write_collected(
    session: WriteSession, ecosystem: str, items: Sequence[Collected], purl_for: Any, now: datetime
) -> None:
    """Replace the rows of every collected package (one transaction for the batch)."""
    if not items:
        return
    run_id = session.run_id
    purls = [item.purl for item in items]
    releases: list[dict[str, Any]] = []
    maintainers: list[dict[str, Any]] = []
    dependencies: list[dict[str, Any]] = []
    funding: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    for item in items:
        purl = item.purl
        releases += [
            {
                "purl": purl,
                "version": r.version,
                "released_at": r.released_at,
                "yanked": r.yanked,
                "run_id": run_id,
            }
            for r in item.releases
        ]
        maintainers += [
            {
                "purl": purl,
                "login": m.login,
                "email": m.email,
                "role": m.role,
                "organisation": m.organisation,
                "source": ecosystem,
                "run_id": run_id,
            }
            for m in item.maintainers
        ]
        dependencies += [
            {
                "purl": purl,
                "version": d.version,
                "dependency_purl": purl_for(d.name),
                "specifier": d.specifier,
                "kind": d.kind,
                "marker": d.marker,
                "run_id": run_id,
            }
            for d in item.dependencies
        ]
        funding += [
            {
                "subject_kind": "package",
                "subject": purl,
                "url": f.url,
                "platform": f.platform,
                "label": f.label,
                "source": ecosystem,
                "run_id": run_id,
            }
            for f in item.funding
        ]
        documents += [
            {
                "url": d.url,
                "purl": purl,
                "sha256": hashlib.sha256(d.body).hexdigest(),
                "body_zlib": zlib.compress(d.body, 6),
                "fetched_at": now,
                "run_id": run_id,
            }
            for d in item.documents
        ]
    with session.transaction() as conn:
        _delete_for(conn, purls, ecosystem)
        conn.execute(
            "DELETE FROM registry_documents WHERE list_contains(?, url)", [[d["url"] for d in documents]]
        )
        insert_columns(conn, "package_metadata", _metadata_columns(items, now, run_id))
        for table, rows in (
            ("package_releases", releases),
            ("package_maintainers", maintainers),
            ("package_dependencies", dependencies),
            ("funding_links", funding),
            ("registry_documents", documents),
        ):
            if rows:
                insert_columns(conn, table, _rows_to_columns(rows))
        _write_state(conn, [(i.purl, ecosystem, "ok", None, i.signature) for i in items], now, run_id)
    session.count(f"{ecosystem}_collected", len(items))


def record_outcomes(
    session: WriteSession, ecosystem: str, outcomes: Sequence[Outcome], now: datetime
) -> None:
    """Run events and state for skipped and failed packages, and warnings of collected ones."""
    state: list[tuple[str, str, str, str | None, str | None]] = []
    unchanged: list[str] = []
    for outcome in outcomes:
        if isinstance(outcome, Skipped):
            session.event("skipped", outcome.purl, outcome.reason)
            state.append((outcome.purl, ecosystem, "skipped", outcome.reason, None))
        elif isinstance(outcome, Failed):
            session.event("error", outcome.purl, outcome.reason[:2000])
            state.append((outcome.purl, ecosystem, "error", outcome.reason[:2000], None))
        elif isinstance(outcome, Unchanged):
            unchanged.append(outcome.purl)
            state.append((outcome.purl, ecosystem, "ok", None, None))
        else:
            for warning in outcome.warnings:
                session.event("warning", outcome.purl, warning)
    if state:
        with session.transaction() as conn:
            _write_state(conn, state, now, session.run_id)
            if unchanged:
                conn.execute(
                    "UPDATE package_metadata SET fetched_at = ? WHERE list_contains(?, purl)",
                    [now, unchanged],
                )
    session.count(f"{ecosystem}_unchanged", len(unchanged))
    session.count(f"{ecosystem}_skipped", sum(isinstance(o, Skipped) for o in outcomes))
    session.count(f"{ecosystem}_failed", sum(isinstance(o, Failed) for o in outcomes))


def _write_state(
    conn: duckdb.DuckDBPyConnection,
    rows: list[tuple[str, str, str, str | None, str | None]],
    now: datetime,
    run_id: int,
) -> None:
    if not rows:
        return
    staged = pa.table(
        {
            "purl": [r[0] for r in rows],
            "ecosystem": [r[1] for r in rows],
            "status": [r[2] for r in rows],
            "message": pa.array([r[3] for r in rows], type=pa.string()),
            "attempted_at": [now] * len(rows),
            "succeeded_at": pa.array(
                [None if r[2] == "error" else now for r in rows], type=pa.timestamp("us")
            ),
            "run_id": [run_id] * len(rows),
            "signature": pa.array([r[4] for r in rows], type=pa.string()),
        }
    )
    conn.register("_registry_state_new", staged)
    try:
        # An error keeps the time of the last good collection, so the package is retried on the next run.
        conn.execute(
            """
            INSERT INTO registry_state
            SELECT purl, ecosystem, status, message, attempted_at, succeeded_at, signature, run_id
            FROM _registry_state_new
            ON CONFLICT (purl) DO UPDATE SET
                ecosystem = excluded.ecosystem, status = excluded.status, message = excluded.message,
                attempted_at = excluded.attempted_at,
                succeeded_at = coalesce(excluded.succeeded_at, registry_state.succeeded_at),
                signature = CASE WHEN excluded.status = 'skipped' THEN NULL
                                 ELSE coalesce(excluded.signature, registry_state.signature) END,
                run_id = excluded.run_id
            """
        )
    finally:
        conn.unregister("_registry_state_new")


def document(conn: duckdb.DuckDBPyConnection, url: str) -> bytes | None:
    """A stored raw answer, decompressed (to recompute without the network)."""
    row = conn.execute("SELECT body_zlib FROM registry_documents WHERE url = ?", [url]).fetchone()
    return zlib.decompress(row[0]) if row else None


# ---------------------------------------------------------------------------------------------- completion


def apps_needing_completion(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, str | None]]]:
    """Applications that list only direct dependencies: app -> [(purl, version, specifier)] of its direct ones."""
    rows = conn.execute(
        """
        SELECT ap.app, ap.purl, ap.version, ap.specifier
        FROM app_packages ap
        WHERE ap.is_direct AND NOT ap.inferred AND ap.scope = 'runtime'
          AND ap.app NOT IN (SELECT app FROM app_packages WHERE NOT is_direct AND NOT inferred)
          AND ap.app NOT IN (SELECT app FROM app_edges WHERE kind <> 'inferred')
        ORDER BY ap.app, ap.purl
        """
    ).fetchall()
    out: dict[str, list[tuple[str, str, str | None]]] = {}
    for app, purl, version, specifier in rows:
        out.setdefault(app, []).append((purl, version, specifier))
    return out


def attempted_in_run(conn: duckdb.DuckDBPyConnection, run_id: int) -> set[str]:
    """Packages this run already tried and could not collect (not worth a second request)."""
    rows = conn.execute(
        "SELECT purl FROM registry_state WHERE run_id = ? AND status <> 'ok'", [run_id]
    ).fetchall()
    return {str(r[0]) for r in rows}


def stored_releases(conn: duckdb.DuckDBPyConnection, purl: str) -> list[str] | None:
    """Non-yanked versions already collected for ``purl`` (None when never collected)."""
    rows = conn.execute("SELECT version, yanked FROM package_releases WHERE purl = ?", [purl]).fetchall()
    if not rows:
        return None
    return [str(v) for v, yanked in rows if not yanked]


def stored_dependencies(
    conn: duckdb.DuckDBPyConnection, purl: str, version: str
) -> list[tuple[str, str | None, str, str | None]] | None:
    """(dependency_purl, specifier, kind, marker) of one collected version, None when not collected."""
    known = conn.execute(
        "SELECT count(*) FROM package_metadata WHERE purl = ? AND (latest_version = ? OR EXISTS "
        "(SELECT 1 FROM package_dependencies WHERE purl = ? AND version = ?))",
        [purl, version, purl, version],
    ).fetchone()
    if not known or not known[0]:
        return None
    rows = conn.execute(
        "SELECT dependency_purl, specifier, kind, marker FROM package_dependencies WHERE purl = ? AND version = ?",
        [purl, version],
    ).fetchall()
    return [(str(a), b, str(c), d) for a, b, c, d in rows]


def _split_name(ecosystem: str, name: str) -> tuple[str | None, str]:
    """A registry name as the purl's (namespace, name): ``@scope/pkg``, ``group/artifact``, ``host/path/mod``."""
    if ecosystem == "npm" and name.startswith("@"):
        scope, _, bare = name.partition("/")
        return scope, bare
    if ecosystem in ("maven", "golang", "deb") and "/" in name:
        namespace, _, bare = name.rpartition("/")
        return namespace, bare
    return None, name


def write_completion(
    session: WriteSession,
    app: str,
    packages: Sequence[tuple[str, str, str, str | None, int, str]],
    edges: Sequence[tuple[str, str, str, str, str | None]],
) -> None:
    """Replace ``app``'s inferred rows. packages: (purl, ecosystem, version, specifier, depth, name);
    edges: (parent_purl, parent_version, child_purl, child_version, specifier)."""
    run_id = session.run_id
    with session.transaction() as conn:
        conn.execute("DELETE FROM app_packages WHERE app = ? AND inferred", [app])
        conn.execute("DELETE FROM app_edges WHERE app = ? AND kind = 'inferred'", [app])
        existing = {
            (str(p), str(v))
            for p, v in conn.execute("SELECT purl, version FROM app_packages WHERE app = ?", [app]).fetchall()
        }
        known = {str(r[0]) for r in conn.execute("SELECT purl FROM packages").fetchall()}
        new_packages = {p[0]: p for p in packages if p[0] not in known}
        if new_packages:
            insert_columns(
                conn,
                "packages",
                {
                    "purl": list(new_packages),
                    "ecosystem": [p[1] for p in new_packages.values()],
                    "namespace": [_split_name(p[1], p[5])[0] for p in new_packages.values()],
                    "name": [_split_name(p[1], p[5])[1] for p in new_packages.values()],
                    "run_id": [run_id] * len(new_packages),
                },
            )
        rows = [p for p in packages if (p[0], p[2]) not in existing]
        if rows:
            insert_columns(
                conn,
                "app_packages",
                {
                    "app": [app] * len(rows),
                    "purl": [p[0] for p in rows],
                    "version": [p[2] for p in rows],
                    "specifier": [p[3] for p in rows],
                    "is_direct": [False] * len(rows),
                    "depth": [p[4] for p in rows],
                    "scope": ["runtime"] * len(rows),
                    "inferred": [True] * len(rows),
                    "run_id": [run_id] * len(rows),
                },
            )
        if edges:
            insert_columns(
                conn,
                "app_edges",
                {
                    "app": [app] * len(edges),
                    "parent_purl": [e[0] for e in edges],
                    "parent_version": [e[1] for e in edges],
                    "child_purl": [e[2] for e in edges],
                    "child_version": [e[3] for e in edges],
                    "specifier": [e[4] for e in edges],
                    "kind": ["inferred"] * len(edges),
                    "run_id": [run_id] * len(edges),
                },
            )
    session.count("inferred_packages", len(rows))
    session.count("inferred_edges", len(edges))


def add_dependencies(
    session: WriteSession, dependencies: dict[str, tuple[Dependency, ...]], purl_for: Callable[[str], str]
) -> None:
    """Store the dependencies of versions met by completion (replacing those of the same versions)."""
    rows = [(purl, d) for purl, deps in dependencies.items() for d in deps]
    if not rows:
        return
    with session.transaction() as conn:
        pairs = sorted({(purl, d.version) for purl, d in rows})
        conn.execute(
            "DELETE FROM package_dependencies WHERE list_contains(?, purl || ' ' || version)",
            [[f"{p} {v}" for p, v in pairs]],
        )
        insert_columns(
            conn,
            "package_dependencies",
            {
                "purl": [purl for purl, _ in rows],
                "version": [d.version for _, d in rows],
                "dependency_purl": [purl_for(d.name) for _, d in rows],
                "specifier": [d.specifier for _, d in rows],
                "kind": [d.kind for _, d in rows],
                "marker": [d.marker for _, d in rows],
                "run_id": [session.run_id] * len(rows),
            },
        )
