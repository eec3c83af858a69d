"""The ``git`` step of a refresh: locate (or clone/fetch), mine incrementally, merge identities, read
funding files, for every repository linked to a package or added with ``socle add-repo``.

Each repository is one unit (all or nothing); a repository that cannot be read is recorded with status
``skipped`` or ``error`` and a reason, and the others go on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pygit2

from collectors.errors import InputError, SocleError, TerminalError, TransientError
from collectors.funding_urls import platform_for
from collectors.git import funding, identities, mining, repos
from collectors.git.urls import parse_repo_url
from collectors.paths import DATA_DIR, cache_dir
from collectors.store import WriteSession
from collectors.store import git as store
from collectors.store.funding import replace_repository_plans


class GitStepOptions(Protocol):
    """What the step reads from the refresh options."""

    @property
    def db_path(self) -> Path: ...
    @property
    def mirror_dir(self) -> Path | None: ...
    @property
    def at(self) -> str | None: ...


@dataclass(frozen=True)
class GitSettings:
    """Collector parameters beyond the refresh options (defaults are what ``socle refresh`` uses)."""

    engine: str = "auto"  # auto | git | pygit2
    use_mailmap: bool = True  # the 2015 truck-factor study did not apply .mailmap
    rename_limit: int = mining.RENAME_LIMIT  # git's diff.renameLimit; 0: no limit (the reference tool's)
    aliases: tuple[tuple[str, str], ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    network: bool = True  # clone/fetch repositories missing from the mirror folder
    data_dir: Path = DATA_DIR
    only: frozenset[str] | None = None  # restrict to these repository URLs
    funding_platform: Callable[[str], str | None] = field(default=platform_for)


@dataclass(frozen=True)
class MineResult:
    url: str
    status: str  # ok | skipped | error
    message: str
    engine: str | None = None
    new_commits: int = 0
    full: bool = False


def run(session: WriteSession, options: GitStepOptions) -> None:
    """Refresh step entry point (``Step("git", collectors.git.step.run)``)."""
    mine_all(session, options, GitSettings())


def mine_all(session: WriteSession, options: GitStepOptions, settings: GitSettings) -> list[MineResult]:
    conn = session.conn
    links = []
    for purl, url, directory in store.package_repository_urls(conn):
        try:
            links.append((purl, parse_repo_url(url).url, directory))
        except TerminalError as exc:  # registry text is data: a bad URL is a documented skip
            session.event("skipped", purl, f"repository URL not followed: {exc}")
    if links:
        store.replace_package_links(conn, links, "package-metadata", session.run_id)
    rules = identities.load_rules(settings.data_dir, settings.aliases)
    results = []
    unreachable: list[MineResult] = []
    for url in store.known_repositories(conn):
        if settings.only is not None and url not in settings.only:
            continue
        found = _locate(url, options, settings)
        if isinstance(found, MineResult):
            unreachable.append(found)  # recorded below in one statement: hundreds when a forge is down
            continue
        results.append(_mine_located(session, url, found, options, settings, rules))
    if unreachable:
        with session.transaction():
            store.record_unreachable(
                conn, [(r.url, r.status, r.message) for r in unreachable], session.run_id
            )
            for severity, status in (("error", "error"), ("skipped", "skipped")):
                session.events(severity, [(r.url, r.message) for r in unreachable if r.status == status])
    results += unreachable
    for result in results:
        session.count(f"repositories_{result.status}")
        session.count("commits_mined", result.new_commits)
        if result.status != "ok" and result not in unreachable:
            session.event("error" if result.status == "error" else "skipped", result.url, result.message)
    return results


def mine_one(
    session: WriteSession,
    url: str,
    options: GitStepOptions,
    settings: GitSettings,
    rules: identities.IdentityRules,
) -> MineResult:
    """Locate (clone or fetch if allowed) and mine one repository; all or nothing."""
    found = _locate(url, options, settings)
    if isinstance(found, MineResult):
        with session.transaction():
            store.record_unreachable(session.conn, [(found.url, found.status, found.message)], session.run_id)
        return found
    return _mine_located(session, url, found, options, settings, rules)


def _locate(
    url: str, options: GitStepOptions, settings: GitSettings
) -> tuple[repos.Location, Path] | MineResult:
    """The repository's local copy, or why there is none (skipped: terminal; error: worth retrying)."""
    try:
        location = repos.locate(
            url, mirror_dir=options.mirror_dir, cache=cache_dir(options.db_path) / "repos"
        )
        path = location.path
        if location.origin == "cache" and location.target is not None:
            if settings.network:
                path = repos.clone_or_fetch(url, location.target, allowed_hosts=settings.allowed_hosts)
            elif path is None:
                raise TerminalError("not in the mirror folder, and cloning is off (--offline)")
        if path is None:
            raise TerminalError("no local copy")
    except (TerminalError, TransientError) as exc:
        return MineResult(url, "error" if isinstance(exc, TransientError) else "skipped", str(exc))
    return location, path


def _mine_located(
    session: WriteSession,
    url: str,
    found: tuple[repos.Location, Path],
    options: GitStepOptions,
    settings: GitSettings,
    rules: identities.IdentityRules,
) -> MineResult:
    location, path = found
    try:
        with session.transaction():
            return _mine_at(session, location, path, options, settings, rules)
    except (SocleError, pygit2.GitError) as exc:
        with session.transaction():
            store.upsert_repository(
                session.conn, url=url, host=location.host, local_path=str(path), head_sha=None,
                last_mined_sha=None, status="error", message=str(exc), run_id=session.run_id, mined=False,
            )  # fmt: skip
        return MineResult(url, "error", str(exc))


def _mine_at(
    session: WriteSession,
    location: repos.Location,
    path: Path,
    options: GitStepOptions,
    settings: GitSettings,
    rules: identities.IdentityRules,
) -> MineResult:
    conn, url = session.conn, location.url
    repo = mining.open_repository(path)
    commit = mining.resolve_revision(repo, options.at)
    head = str(commit.id)
    chosen = f"; {mining.describe_revision(commit, options.at)}" if options.at else ""
    state = store.repository_state(conn, url)
    mined_with = f"rename-limit={settings.rename_limit}"
    # history mined under other parameters (or before they were recorded) is mined again
    last = state.last_mined_sha if state and state.mined_with == mined_with else None
    stop: str | None = None
    full = True
    if last == head:
        new, engine, full = 0, None, False
    else:
        if last and mining.is_ancestor(repo, last, head):
            stop, full = last, False
        else:
            store.clear_history(conn, url)  # first mining, rewritten history, or an older --at
        # a full history is written through Arrow, whose first use imports pandas: done while git works
        engine, columns = mining.mine(
            repo,
            head,
            stop,
            settings.engine,
            settings.rename_limit,
            meanwhile=None if stop else store.warm_up,
        )
        new = store.write_history(conn, url, session.run_id, columns)
    derived_key = _derived_key(commit, settings, rules)
    current = state is not None and state.status == "ok" and state.derived_key == derived_key
    if not (current and last == head):
        _derive(session, url, repo, commit, settings, rules)
    _funding(session, url, commit, settings)  # a few blobs read; written only when the links changed
    store.upsert_repository(
        conn, url=url, host=location.host, local_path=str(path), head_sha=head, last_mined_sha=head,
        status="ok", message=f"{new} new commits" + (" (full history)" if full else "") + chosen,
        run_id=session.run_id, mined=True, mined_with=mined_with, derived_key=derived_key,
    )  # fmt: skip
    return MineResult(url, "ok", f"{new} new commits{chosen}", engine, new, full)


#: Bumped when the derivation of files, identities or contributors changes: stored derived tables are redone.
DERIVE_VERSION = "2"


def _derived_key(commit: pygit2.Commit, settings: GitSettings, rules: identities.IdentityRules) -> str:
    """Fingerprint of what the derived tables are made from: the analysed commit, the .mailmap it holds (when
    used), the identity rules and aliases. Equal keys: nothing to derive again."""
    mailmap = mining.blob_id(commit, ".mailmap") if settings.use_mailmap else "not used"
    parts = [DERIVE_VERSION, str(commit.id), str(mailmap), identities.rules_fingerprint(rules)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _derive(
    session: WriteSession,
    url: str,
    repo: pygit2.Repository,
    commit: pygit2.Commit,
    settings: GitSettings,
    rules: identities.IdentityRules,
) -> None:
    authors, co = store.raw_identities(session.conn, url)
    mailmap = _mailmap(commit) if settings.use_mailmap else None
    counts: dict[identities.Identity, int] = {}
    raw_to_mapped: dict[identities.Identity, identities.Identity] = {}
    for name, email, n in authors:
        raw = identities.Identity(name, email)
        mapped = identities.Identity(*mailmap.resolve(name, email)) if mailmap else raw
        raw_to_mapped[raw] = mapped
        counts[mapped] = counts.get(mapped, 0) + n
    for value, n in co:
        parsed = identities.split_name_email(value)
        if parsed is None:
            continue
        mapped = identities.Identity(*mailmap.resolve(parsed.name, parsed.email)) if mailmap else parsed
        raw_to_mapped[parsed] = mapped
        counts[mapped] = counts.get(mapped, 0) + n  # evidence for a shared address (identities docstring)
    people = identities.merge_identities(raw_to_mapped.values(), rules, commit_counts=counts)
    rows = [
        {
            "name": raw.name,
            "email": raw.email,
            "person": people[mapped].key,
            "is_bot": people[mapped].is_bot,
            "org": people[mapped].org,
        }
        for raw, mapped in sorted(raw_to_mapped.items(), key=lambda kv: (kv[0].email, kv[0].name))
    ]
    store.replace_derived(session.conn, url, session.run_id, files=mining.tree_paths(commit), identities=rows)


def _mailmap(commit: pygit2.Commit) -> pygit2.Mailmap | None:
    content = mining.read_blob(commit, ".mailmap")
    if content is None:
        return None
    return pygit2.Mailmap.from_buffer(content)


def _funding(session: WriteSession, url: str, commit: pygit2.Commit, settings: GitSettings) -> None:
    links: list[tuple[str, str | None, str, str]] = []
    for where in funding.FUNDING_YML_PATHS:
        content = mining.read_blob(commit, where)
        if content is None:
            continue
        try:
            parsed = funding.parse_funding_yml(content, f"{url}:{where}")
        except InputError as exc:
            session.event("warning", url, str(exc))
            parsed = []
        links += [(link.url, settings.funding_platform(link.url), link.label, link.source) for link in parsed]
        break
    plans: list[funding.FundingPlan] = []
    history: list[funding.FundingHistory] = []
    # funding.json (floss.fund) and a Drips FUNDING.json: two shapes, told apart by parse_funding_manifest.
    for where in dict.fromkeys((funding.FUNDING_JSON_PATH, funding.DRIPS_JSON_PATH)):
        content = mining.read_blob(commit, where)
        if content is None:
            continue
        try:
            manifest = funding.parse_funding_manifest(content, f"{url}:{where}", url)
        except InputError as exc:
            session.event("warning", url, str(exc))
            continue
        links += [
            (link.url, settings.funding_platform(link.url), link.label, link.source)
            for link in manifest.links
        ]
        plans += manifest.plans
        history += manifest.history
    store.replace_repository_funding(session.conn, url, links, session.run_id)
    replace_repository_plans(session.conn, url, plans, history, session.run_id)
