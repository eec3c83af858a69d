"""Transitive completion: the dependencies an application gets but does not list.

An application imported from requirements without pins, ``pyproject.toml`` or ``package.json`` names only
its direct dependencies. From registry metadata we infer the rest, as an installer would:

* PyPI: each ``requires_dist`` entry whose PEP 508 marker holds in the target environment (default: the
  running Python; ``--target-python`` changes the Python version), extras excluded, resolved to the newest
  version satisfying its specifier (https://packaging.python.org/en/latest/specifications/dependency-specifiers/);
* npm: ``dependencies``, ``optionalDependencies`` and ``peerDependencies`` (npm 7+ installs peers) resolved
  to the highest version satisfying the semver range, as ``npm install`` does.

Each package is resolved once per application (no backtracking): a good estimate of the tree, marked
``inferred`` so it is never mistaken for a lockfile's declared graph.
"""

from __future__ import annotations

import asyncio
import platform
from dataclasses import dataclass, field
from datetime import datetime

from packaging.markers import InvalidMarker, Marker, default_environment
from packaging.utils import canonicalize_name

from collectors.base import Collected, Collector, Dependency, Failed, PackageRef, Skipped
from collectors.errors import SocleError
from collectors.http import Fetcher
from collectors.registry.fetch import guarded_collect
from collectors.store import WriteSession
from collectors.store.registry import (
    apps_needing_completion,
    attempted_in_run,
    stored_dependencies,
    stored_releases,
    write_collected,
    write_completion,
)

#: A bound on one application's inferred tree: a runaway graph stops here with a warning.
MAX_PACKAGES_PER_APP = 3000


def target_environment(python_version: str | None = None) -> dict[str, str]:
    """PEP 508 marker environment of the running interpreter, optionally for another Python version."""
    env = {k: str(v) for k, v in default_environment().items()}
    if python_version:
        parts = python_version.split(".")
        env["python_version"] = ".".join(parts[:2])
        env["python_full_version"] = python_version if len(parts) > 2 else f"{python_version}.0"
    env.setdefault("platform_python_implementation", platform.python_implementation())
    return env


def marker_holds(marker: str | None, env: dict[str, str]) -> bool:
    """True when a dependency applies in ``env``; extras are not requested, so extra-only ones do not."""
    if not marker:
        return True
    try:
        return Marker(marker).evaluate({**env, "extra": ""})
    except InvalidMarker:
        return False


@dataclass
class _Source:
    """Versions and dependencies, from the store when collected, else from the registry (remembered)."""

    session: WriteSession
    collector: Collector
    fetcher: Fetcher
    now: datetime
    fetched: dict[str, Collected] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    extra: dict[str, tuple[Dependency, ...]] = field(default_factory=dict)
    #: Packages first met here (not yet in the store): their metadata is stored at the end.
    new: set[str] = field(default_factory=set)

    async def versions(self, purl: str, name: str) -> list[str] | None:
        stored = stored_releases(self.session.conn, purl)
        if stored is not None:
            return stored
        collected = await self._collect(purl, name)
        if collected is None:
            return None
        self.new.add(purl)
        return [r.version for r in collected.releases if not r.yanked]

    async def _collect(self, purl: str, name: str) -> Collected | None:
        if purl in self.fetched:
            return self.fetched[purl]
        if purl in self.missing:
            return None
        ref = PackageRef(purl=purl, ecosystem=self.collector.ecosystem, name=name)
        outcome = await guarded_collect(self.collector, self.fetcher, ref, now=self.now)
        if isinstance(outcome, Collected):
            self.fetched[purl] = outcome
            return outcome
        self.missing[purl] = outcome.reason if isinstance(outcome, Skipped | Failed) else "unchanged"
        return None

    async def dependencies(
        self, purl: str, name: str, version: str
    ) -> list[tuple[str, str, str | None, str, str | None]]:
        """(purl, name, specifier, kind, marker) of ``version``'s declared dependencies."""
        collected = self.fetched.get(purl)
        if collected is None:
            stored = stored_dependencies(self.session.conn, purl, version)
            if stored is not None:
                return [(p, _name_of(p), s, k, m) for p, s, k, m in stored]
        deps = tuple(d for d in collected.dependencies if d.version == version) if collected else ()
        if not deps and (collected is None or collected.metadata.latest_version != version):
            try:
                deps = await self.collector.dependencies_of(
                    self.fetcher, PackageRef(purl, self.collector.ecosystem, name), version
                )
                # Stored at the end, so the next refresh finds this version's dependencies without a request.
                self.extra[purl] = self.extra.get(purl, ()) + deps
            except SocleError:
                # The registry does not serve that version's metadata: the latest's is the best estimate.
                collected = collected or await self._collect(purl, name)
                deps = collected.dependencies if collected else ()
        return [(self.collector.purl_for(d.name), d.name, d.specifier, d.kind, d.marker) for d in deps]


def _name_of(purl: str) -> str:
    from packageurl import PackageURL

    parsed = PackageURL.from_string(purl)
    return f"{parsed.namespace}/{parsed.name}" if parsed.namespace else parsed.name


def _wanted(kind: str, marker: str | None, ecosystem: str, env: dict[str, str]) -> bool:
    if ecosystem == "pypi":
        return kind == "runtime" and marker_holds(marker, env)
    if ecosystem == "npm":
        return kind in ("runtime", "optional", "peer")
    # Maven's optional and provided dependencies are not transitive; Cargo's optional ones need a feature
    # turned on; Go's requires are all "runtime".
    return kind == "runtime"


async def _complete_app(
    app: str,
    direct: list[tuple[str, str, str | None]],
    source: _Source,
    env: dict[str, str],
) -> tuple[
    list[tuple[str, str, str, str | None, int, str]], list[tuple[str, str, str, str, str | None]], list[str]
]:
    collector = source.collector
    resolved: dict[str, str] = {}
    packages: list[tuple[str, str, str, str | None, int, str]] = []
    edges: list[tuple[str, str, str, str, str | None]] = []
    problems: list[str] = []
    level: list[tuple[str, str, str, int]] = []
    for purl, version, specifier in direct:
        name = _name_of(purl)
        if not version:
            versions = await source.versions(purl, name)
            version = collector.best_version(versions or [], specifier) or ""
        if version:
            resolved[purl] = version
            level.append((purl, name, version, 1))
    while level:
        # One level of the tree at a time, its registry look-ups concurrent (the fetcher bounds them).
        declared = await asyncio.gather(*(source.dependencies(p, n, v) for p, n, v, _ in level))
        wanted = [[d for d in deps if _wanted(d[3], d[4], collector.ecosystem, env)] for deps in declared]
        unseen = {d[0]: d[1] for deps in wanted for d in deps if d[0] not in resolved}
        await asyncio.gather(*(source.versions(purl, name) for purl, name in sorted(unseen.items())))
        next_level: list[tuple[str, str, str, int]] = []
        for (purl, _, version, depth), deps in zip(level, wanted, strict=True):
            for child, child_name, specifier, _kind, _marker in deps:
                if child not in resolved:
                    if len(resolved) >= MAX_PACKAGES_PER_APP:
                        problems.append(f"stopped at {MAX_PACKAGES_PER_APP} packages")
                        return packages, edges, problems
                    versions = await source.versions(child, child_name)
                    best = collector.best_version(versions or [], specifier)
                    if best is None:
                        problems.append(f"{child} {specifier or ''}: no satisfying version found".strip())
                        resolved[child] = ""
                        continue
                    resolved[child] = best
                    pretty = (
                        str(canonicalize_name(child_name)) if collector.ecosystem == "pypi" else child_name
                    )
                    packages.append((child, collector.ecosystem, best, specifier, depth + 1, pretty))
                    next_level.append((child, child_name, best, depth + 1))
                if resolved[child]:
                    edges.append((purl, version, child, resolved[child], specifier))
        level = next_level
    return packages, edges, problems


def complete_ecosystem(
    session: WriteSession,
    collector: Collector,
    fetcher_factory: object,
    *,
    now: datetime,
    python_version: str | None = None,
) -> int:
    """Complete every application of ``collector.ecosystem`` that lists only direct dependencies.

    ``fetcher_factory`` is an async context manager factory returning a :class:`Fetcher`
    (``functools.partial(open_fetcher, settings, transport=...)``). Returns the number of inferred packages.
    """
    apps = {
        app: [d for d in direct if d[0].startswith(f"pkg:{collector.ecosystem}/")]
        for app, direct in apps_needing_completion(session.conn).items()
    }
    apps = {app: direct for app, direct in apps.items() if direct}
    if not apps:
        return 0
    env = target_environment(python_version)

    async def main() -> int:
        total = 0
        async with fetcher_factory() as fetcher:  # type: ignore[operator]
            source = _Source(session, collector, fetcher, now)
            source.missing.update(dict.fromkeys(attempted_in_run(session.conn, session.run_id), "failed"))
            for app, direct in apps.items():
                packages, edges, problems = await _complete_app(app, direct, source, env)
                write_completion(session, app, packages, edges)
                for problem in problems[:50]:
                    session.event("warning", app, f"completion: {problem}")
                total += len(packages)
            # Packages met only through completion get their metadata now rather than on the next refresh.
            first_met = [c for purl, c in source.fetched.items() if purl in source.new]
            write_collected(session, collector.ecosystem, first_met, collector.purl_for, now)
        return total

    return asyncio.run(main())
