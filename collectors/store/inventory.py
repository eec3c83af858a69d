"""Store-side writes of the inventory: replace one application's packages and edges, atomically.

Idempotent: an application whose stored content hash equals the new inventory's is left untouched, so
its rows keep the run_id that wrote them. Otherwise, in one transaction, the application's
``app_packages`` and ``app_edges`` are replaced, new packages are added to ``packages`` (a package used
by several applications is one row), and lockfile funding links of its packages are refreshed.

``package_usage`` (usage and reverse reach, derived from the graph) is emptied by every change to an
application and written again by the refresh (``replace_usage``): it is never older than the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa

from collectors.funding_urls import platform_for
from collectors.inventory.graph import depths
from collectors.inventory.model import Component, FundingLink, Inventory
from collectors.store import WriteSession, insert_columns, writable_table

PACKAGE_USAGE = writable_table("package_usage")

Outcome = Literal["unchanged", "created", "replaced"]


@dataclass(frozen=True)
class ImportResult:
    app: str
    outcome: Outcome
    direct: int
    transitive: int
    edges: int


def _stored_hash(session: WriteSession, app: str) -> str | None:
    row = session.conn.execute("SELECT content_hash FROM applications WHERE name = ?", [app]).fetchone()
    return str(row[0]) if row else None


def _add_new_packages(session: WriteSession, components: Sequence[Component]) -> None:
    unique = {c.package.purl: c.package for c in components}
    staged = pa.table(
        {
            "purl": [p.purl for p in unique.values()],
            "ecosystem": [p.ecosystem for p in unique.values()],
            "namespace": pa.array([p.namespace for p in unique.values()], type=pa.string()),
            "name": [p.name for p in unique.values()],
        }
    )
    session.conn.register("_staged_packages", staged)
    try:
        session.conn.execute(
            "INSERT INTO packages (purl, ecosystem, namespace, name, run_id) "
            "SELECT s.purl, s.ecosystem, s.namespace, s.name, ? FROM _staged_packages s "
            "WHERE NOT EXISTS (SELECT 1 FROM packages p WHERE p.purl = s.purl)",
            [session.run_id],
        )
    finally:
        session.conn.unregister("_staged_packages")


def _replace_funding(session: WriteSession, components: Sequence[Component]) -> None:
    funded: dict[str, tuple[FundingLink, ...]] = {}
    for c in components:  # the union over the package's versions
        if c.funding:
            funded[c.package.purl] = (*funded.get(c.package.purl, ()), *c.funding)
    if not funded:
        return
    purls = list(funded)
    session.conn.execute(
        "DELETE FROM funding_links WHERE subject_kind = 'package' AND source = 'lockfile' AND subject IN "
        "(SELECT unnest(?::VARCHAR[]))",
        [purls],
    )
    rows = [(purl, link) for purl, links in funded.items() for link in dict.fromkeys(links)]
    insert_columns(
        session.conn,
        "funding_links",
        {
            "subject_kind": ["package"] * len(rows),
            "subject": [purl for purl, _ in rows],
            "url": [link.url for _, link in rows],
            "platform": [platform_for(link.url) for _, link in rows],
            "label": [link.label for _, link in rows],
            "source": ["lockfile"] * len(rows),
            "run_id": [session.run_id] * len(rows),
        },
    )


def replace_application(session: WriteSession, app: str, inventory: Inventory) -> ImportResult:
    """Store ``inventory`` as application ``app`` (see the module docstring). One transaction."""
    content_hash = inventory.content_hash()
    roots = set(inventory.roots)
    direct = sum(1 for c in inventory.components if c.key in roots)
    result_counts = (direct, len(inventory.components) - direct, len(inventory.edges))
    previous = _stored_hash(session, app)
    if previous == content_hash:
        return ImportResult(app, "unchanged", *result_counts)
    depth = depths(inventory.roots, inventory.edges)
    run_id = session.run_id
    components = inventory.components
    packages: dict[str, list[Any]] = {
        "app": [app] * len(components),
        "purl": [c.package.purl for c in components],
        "version": [c.version for c in components],
        "specifier": [c.specifier for c in components],
        "marker": [c.marker for c in components],
        "is_direct": [c.key in roots for c in components],
        "depth": [depth.get(c.key) for c in components],
        "scope": [c.scope for c in components],
        "run_id": [run_id] * len(components),
    }
    edges = inventory.edges
    edge_columns: dict[str, list[Any]] = {
        "app": [app] * len(edges),
        "parent_purl": [e.parent.purl for e in edges],
        "parent_version": [e.parent.version for e in edges],
        "child_purl": [e.child.purl for e in edges],
        "child_version": [e.child.version for e in edges],
        "specifier": [e.specifier for e in edges],
        "run_id": [run_id] * len(edges),
    }
    with session.transaction() as conn:
        conn.execute("DELETE FROM app_packages WHERE app = ?", [app])
        conn.execute("DELETE FROM app_edges WHERE app = ?", [app])
        conn.execute("DELETE FROM applications WHERE name = ?", [app])
        conn.execute("DELETE FROM package_usage")  # derived from the graph that changes here
        conn.execute(
            "INSERT INTO applications (name, source, format, content_hash, run_id) VALUES (?, ?, ?, ?, ?)",
            [app, inventory.source, inventory.format, content_hash, run_id],
        )
        if components:
            _add_new_packages(session, components)
            insert_columns(conn, "app_packages", packages)
        if edges:
            insert_columns(conn, "app_edges", edge_columns)
        _replace_funding(session, components)
    return ImportResult(app, "created" if previous is None else "replaced", *result_counts)


USAGE_COLUMNS = ("purl", "apps", "direct_apps", "min_depth", "scope", "reverse_reach")


def replace_usage(session: WriteSession, columns: dict[str, list[Any]]) -> int:
    """Replace ``package_usage`` with ``columns`` (one list per name of ``USAGE_COLUMNS``), in one transaction.

    The refresh computes usage and reverse reach from the graph it reads in the same session, so what it
    writes matches the graph; readers then skip the recursive walk. Returns the number of rows.
    """
    if set(columns) != set(USAGE_COLUMNS):
        raise ValueError(f"package_usage columns must be {', '.join(USAGE_COLUMNS)}")
    rows = len(columns["purl"])
    with session.transaction() as conn:
        conn.execute("DELETE FROM package_usage")
        if rows:
            insert_columns(conn, PACKAGE_USAGE, {**columns, "run_id": [session.run_id] * rows})
    return rows
