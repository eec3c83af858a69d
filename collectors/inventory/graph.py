"""Pure graph walks over an inventory: depth (shortest path from the application) and scope propagation."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping

from collectors.inventory.model import SCOPE_RANK, ComponentKey, Edge, Scope, strongest


def children_of(edges: Iterable[Edge]) -> dict[ComponentKey, list[ComponentKey]]:
    adjacency: dict[ComponentKey, list[ComponentKey]] = defaultdict(list)
    for e in edges:
        adjacency[e.parent].append(e.child)
    return adjacency


def depths(roots: Iterable[ComponentKey], edges: Iterable[Edge]) -> dict[ComponentKey, int]:
    """Breadth-first from the direct dependencies (depth 1): each component gets its shortest distance.

    Diamonds keep the shorter path; cycles stop at components already seen. Components that no path
    reaches are absent from the result (their depth is unknown).
    """
    adjacency = children_of(edges)
    found: dict[ComponentKey, int] = {}
    queue: deque[ComponentKey] = deque()
    for root in roots:
        if root not in found:
            found[root] = 1
            queue.append(root)
    while queue:
        node = queue.popleft()
        for child in adjacency.get(node, ()):
            if child not in found:
                found[child] = found[node] + 1
                queue.append(child)
    return found


def propagate_scopes(roots: Mapping[ComponentKey, Scope], edges: Iterable[Edge]) -> dict[ComponentKey, Scope]:
    """The scope of each reachable component: runtime if any runtime root reaches it, else optional, else dev.

    Used for lockfiles that only say how the application itself depends on each direct dependency.
    """
    adjacency = children_of(edges)
    result: dict[ComponentKey, Scope] = {}
    for scope in sorted(set(roots.values()), key=SCOPE_RANK.__getitem__):
        queue = deque(k for k, s in roots.items() if s == scope and k not in result)
        for k in queue:
            result[k] = scope
        while queue:
            node = queue.popleft()
            for child in adjacency.get(node, ()):
                if child not in result:
                    result[child] = scope
                    queue.append(child)
    return result


#: A package, or a package with one extra asked for (``httpx[http2]``): the node of an extras-aware walk.
Variant = tuple[ComponentKey, str | None]


def propagate_variant_scopes(
    roots: Mapping[Variant, Scope], children: Callable[[Variant], Iterable[Variant]]
) -> tuple[dict[ComponentKey, Scope], set[tuple[ComponentKey, ComponentKey]]]:
    """Scopes where an extra's dependencies count only for whoever asked for the extra.

    The walk goes over (package, extra) nodes: ``children((p, "x"))`` gives ``(p, None)`` and the
    packages extra ``x`` adds; ``children((p, None))`` gives p's plain dependencies. Returns each reached
    package's strongest scope and the package-to-package edges the walk used (every reached node's).
    """
    found: dict[Variant, Scope] = {}
    for scope in sorted(set(roots.values()), key=SCOPE_RANK.__getitem__):
        queue = deque(n for n, s in roots.items() if s == scope and n not in found)
        for n in queue:
            found[n] = scope
        while queue:
            node = queue.popleft()
            for child in children(node):
                if child not in found:
                    found[child] = scope
                    queue.append(child)
    scopes: dict[ComponentKey, Scope] = {}
    for (key, _), scope in found.items():
        scopes[key] = strongest(scopes.get(key, scope), scope)
    edges = {(node[0], child[0]) for node in found for child in children(node) if child[0] != node[0]}
    return scopes, edges
