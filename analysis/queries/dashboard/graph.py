"""An application's dependency graph, cut down to what a person reads: the shortest path from the application
to each of its most critical packages (breadth-first over the application's own edges)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import pairwise

import duckdb


@dataclass(frozen=True)
class CriticalPath:
    purl: str
    criticality: float | None
    path: tuple[str, ...]  # purls from a direct dependency to the package; empty when no path is recorded


@dataclass(frozen=True)
class ApplicationGraph:
    application: str
    packages: int
    paths: tuple[CriticalPath, ...]

    @property
    def edges(self) -> tuple[tuple[str, str], ...]:
        """(parent, child) of every step of the paths; the application is the parent of direct packages."""
        seen: dict[tuple[str, str], None] = {}
        for critical in self.paths:
            steps = (self.application, *critical.path)
            for parent, child in pairwise(steps):
                seen[(parent, child)] = None
        return tuple(seen)


def application_graph(conn: duckdb.DuckDBPyConnection, application: str, top: int = 12) -> ApplicationGraph:
    used = conn.execute(
        "SELECT a.purl, bool_or(a.is_direct), max(s.value) FROM app_packages a LEFT JOIN scores s "
        "ON s.subject_kind = 'package' AND s.subject = a.purl AND s.name = 'criticality' WHERE a.app = ? "
        "GROUP BY a.purl ORDER BY max(s.value) DESC NULLS LAST, a.purl",
        [application],
    ).fetchall()
    children: dict[str, list[str]] = {}
    for parent, child in conn.execute(
        "SELECT DISTINCT parent_purl, child_purl FROM app_edges WHERE app = ? ORDER BY 1, 2", [application]
    ).fetchall():
        children.setdefault(str(parent), []).append(str(child))
    direct = [str(p) for p, is_direct, _ in used if is_direct]
    # Shortest path to every package, from the application's direct dependencies.
    path: dict[str, tuple[str, ...]] = {p: (p,) for p in direct}
    queue = deque(direct)
    while queue:
        node = queue.popleft()
        for child in children.get(node, []):
            if child not in path:
                path[child] = (*path[node], child)
                queue.append(child)
    critical = [
        CriticalPath(str(p), float(c) if c is not None else None, path.get(str(p), ()))
        for p, _, c in used[:top]
    ]
    return ApplicationGraph(application, len(used), tuple(critical))
