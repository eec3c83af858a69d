"""The one process that holds the store applies mined repositories (:class:`worker.MinedRepository`), many
at a time: whether they were mined here, by a pool of local processes or on a cluster, this is the only write
path of mining.

A batch of repositories is one transaction, with one statement per table for all of them (their histories,
identity maps, files, contributors, monthly series, funding files, states), so the writer's cost per
repository falls as the batch grows instead of paying a transaction and a dozen statements per repository.
If a batch fails, each of its repositories is applied alone, so one bad repository is recorded as an error
and the others are kept. A repository is applied once per run (a cluster may send a result twice); a
repository mined again in a later run replaces what was stored, never adds to it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pygit2

from collectors.errors import InputError, SocleError
from collectors.gcpause import gc_paused
from collectors.git import file_authorship, filters, funding, identities
from collectors.git.settings import GitSettings
from collectors.git.worker import MinedRepository
from collectors.store import WriteSession
from collectors.store import file_authorship as authorship_store
from collectors.store import git as store
from collectors.store.alongside import alongside
from collectors.store.funding import replace_repository_plans

#: Bumped when the derivation of files, identities or contributors changes: stored derived tables are redone.
DERIVE_VERSION = "2"

#: A batch is applied once it holds this many rows (commits, changed files, paths) or repositories: large
#: enough that fixed costs per statement vanish, small enough to bound the writer's memory.
BATCH_ROWS = 200_000
BATCH_REPOSITORIES = 500
#: A batch of at least this many rows commits straight into the store's file (``WriteSession.transaction``,
#: ``direct``): writing them to DuckDB's log first, then again at publication, cost a full mining of rails
#: 0.11 s more. Smaller batches are logged (a checkpoint at every commit of a few rows would cost more).
DIRECT_ROWS = 100_000


@dataclass(frozen=True)
class MineResult:
    url: str
    status: str  # ok | skipped | error
    message: str
    engine: str | None = None
    new_commits: int = 0
    full: bool = False


#: The version of socle's reading of a history, recorded with it: raised when a fix makes the same commits
#: read differently, so that histories read before the fix are read again, once. 2: co-author trailers
#: written in any case (``Co-Authored-By``), which the git engine skipped before.
HISTORY_READER = 2


def mined_with(settings: GitSettings) -> str:
    """The mining parameters recorded with a history: history mined under others is mined again."""
    return f"rename-limit={settings.rename_limit}; reader={HISTORY_READER}"


def derived_key(
    commit_id: str, mailmap_id: str | None, settings: GitSettings, rules: identities.IdentityRules
) -> str:
    """Fingerprint of what the derived tables are made from: the analysed commit, the .mailmap it holds (when
    used), the identity rules and aliases. Equal keys: nothing to derive again."""
    mailmap = mailmap_id if settings.use_mailmap else "not used"
    parts = [DERIVE_VERSION, commit_id, str(mailmap), identities.rules_fingerprint(rules)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def identities_key(
    raw: store.RawIdentities, mailmap_id: str | None, settings: GitSettings, rules: identities.IdentityRules
) -> str:
    """Fingerprint of everything a repository's identity map is made from, in two parts, ``BASE:COUNTS``.
    BASE: the .mailmap (when used), the rules and aliases. COUNTS: its raw identities, and of the commit
    counts only what the merge reads of them: whether an identity made at least
    :data:`identities.SHARED_ADDRESS_MIN_COMMITS` commits (the evidence for a shared address; a merged
    identity's total reaches it exactly when the capped totals do). Commits by people already known leave
    both unchanged, so their map is not merged again; with the same BASE, new people may be merged alone
    (:func:`identities.extend_merge`)."""
    cap = identities.SHARED_ADDRESS_MIN_COMMITS
    authors, co = raw
    base = [
        DERIVE_VERSION,
        str(mailmap_id if settings.use_mailmap else "not used"),
        identities.rules_fingerprint(rules),
    ]
    counts = [
        repr([(name, email, min(n, cap)) for name, email, n in authors]), repr([(v, min(n, cap)) for v, n in co]),
    ]  # fmt: skip
    return f"{_digest(base)}:{_digest(counts)}"


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def same_base(key: str | None, other: str) -> bool:
    """True when two :func:`identities_key` values share their BASE (same .mailmap, rules and aliases)."""
    return key is not None and key.partition(":")[0] == other.partition(":")[0]


@dataclass(frozen=True)
class Before:
    """A repository's identity map before this run's new commits: its rows, and the new commits' raw
    authors and co-author values with their counts (subtracted from today's to get the counts then)."""

    rows: Sequence[store.IdentityRow]
    new_authors: Counter[tuple[str, str]]
    new_co_authors: Counter[str]


def _mapped(
    authors: Iterable[tuple[str, str, int]], co: Iterable[tuple[str, int]], mailmap: pygit2.Mailmap | None
) -> tuple[dict[identities.Identity, identities.Identity], dict[identities.Identity, int]]:
    """Each raw identity (authors, then co-authors) and what .mailmap maps it to; commits per mapped one."""
    counts: dict[identities.Identity, int] = {}
    raw_to_mapped: dict[identities.Identity, identities.Identity] = {}
    for name, email, n in authors:
        seen = identities.Identity(name, email)
        mapped = identities.Identity(*mailmap.resolve(name, email)) if mailmap else seen
        raw_to_mapped[seen] = mapped
        counts[mapped] = counts.get(mapped, 0) + n
    for value, n in co:
        parsed = identities.split_name_email(value)
        if parsed is None:
            continue
        mapped = identities.Identity(*mailmap.resolve(parsed.name, parsed.email)) if mailmap else parsed
        raw_to_mapped[parsed] = mapped
        counts[mapped] = counts.get(mapped, 0) + n  # evidence for a shared address (identities docstring)
    return raw_to_mapped, counts


def identity_rows(
    raw: store.RawIdentities,
    mailmap: pygit2.Mailmap | None,
    rules: identities.IdentityRules,
    before: Before | None = None,
) -> list[store.IdentityRow]:
    """Each raw identity of a repository (authors, then co-authors) and the person it is merged into.
    ``before``: the map before the new commits, made under the same .mailmap and rules: extended with the
    new people alone when that equals merging everyone again (:func:`identities.extend_merge`)."""
    authors, co = raw
    raw_to_mapped, counts = _mapped(authors, co, mailmap)
    people = None
    if before is not None:
        people = _extended(before, raw, raw_to_mapped, counts, rules)
    if people is None:
        people = identities.merge_identities(raw_to_mapped.values(), rules, commit_counts=counts)
    return [
        store.IdentityRow(raw.name, raw.email, people[mapped].key, people[mapped].is_bot, people[mapped].org)
        for raw, mapped in sorted(raw_to_mapped.items(), key=lambda kv: (kv[0].email, kv[0].name))
    ]


def _extended(
    before: Before,
    raw: store.RawIdentities,
    raw_to_mapped: dict[identities.Identity, identities.Identity],
    counts: dict[identities.Identity, int],
    rules: identities.IdentityRules,
) -> dict[identities.Identity, identities.Person] | None:
    # the counts before the new commits, per mapped identity (an identity first seen in them has none)
    authors, co = raw
    old_counts: dict[identities.Identity, int] = {}
    old_raw: list[identities.Identity] = []
    for name, email, n in authors:
        before_n = n - before.new_authors.get((name, email), 0)
        if before_n > 0:
            seen = identities.Identity(name, email)
            old_raw.append(seen)
            old_counts[raw_to_mapped[seen]] = old_counts.get(raw_to_mapped[seen], 0) + before_n
    for value, n in co:
        before_n = n - before.new_co_authors.get(value, 0)
        parsed = identities.split_name_email(value)
        if before_n > 0 and parsed is not None:
            old_raw.append(parsed)
            old_counts[raw_to_mapped[parsed]] = old_counts.get(raw_to_mapped[parsed], 0) + before_n
    old_to_mapped = {seen: raw_to_mapped[seen] for seen in old_raw}
    known: dict[identities.Identity, identities.Person] = {}
    stored = {identities.Identity(r.name, r.email): r for r in before.rows}
    for seen, mapped in old_to_mapped.items():
        row = stored.get(seen)
        if row is None:
            return None  # the stored map does not cover the history as it was: merge again
        known[mapped] = identities.Person(row.person, "", row.org, row.is_bot)
    return identities.extend_merge(known, old_counts, raw_to_mapped.values(), rules, commit_counts=counts)


@dataclass(frozen=True)
class FundingFiles:
    """What a repository's funding files say (FUNDING.yml, funding.json, a Drips FUNDING.json)."""

    links: list[store.FundingLink] = field(default_factory=list)
    plans: list[funding.FundingPlan] = field(default_factory=list)
    history: list[funding.FundingHistory] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # a file that could not be read, and why


def read_funding(
    url: str, read_blob: Callable[[str], bytes | None], platform: Callable[[str], str | None]
) -> FundingFiles:
    read = FundingFiles()
    for where in funding.FUNDING_YML_PATHS:
        content = read_blob(where)
        if content is None:
            continue
        try:
            parsed = funding.parse_funding_yml(content, f"{url}:{where}")
        except InputError as exc:
            read.warnings.append(str(exc))
            parsed = []
        read.links.extend((link.url, platform(link.url), link.label, link.source) for link in parsed)
        break
    # funding.json (floss.fund) and a Drips FUNDING.json: two shapes, told apart by parse_funding_manifest.
    for where in dict.fromkeys((funding.FUNDING_JSON_PATH, funding.DRIPS_JSON_PATH)):
        content = read_blob(where)
        if content is None:
            continue
        try:
            manifest = funding.parse_funding_manifest(content, f"{url}:{where}", url)
        except InputError as exc:
            read.warnings.append(str(exc))
            continue
        read.links.extend((link.url, platform(link.url), link.label, link.source) for link in manifest.links)
        read.plans.extend(manifest.plans)
        read.history.extend(manifest.history)
    return read


@gc_paused
def apply_batch(
    session: WriteSession,
    batch: Sequence[MinedRepository],
    settings: GitSettings,
    rules: identities.IdentityRules,
) -> list[MineResult]:
    """Write located repositories mined anywhere, all of them or none in one transaction; if that fails,
    each alone (all or nothing per repository, a failure recorded as an error with its reason)."""
    if not batch:
        return []
    ok = [m for m in batch if m.status == "ok" and m.head_sha is not None]
    failed = [m for m in batch if not (m.status == "ok" and m.head_sha is not None)]
    read = {m.url: read_funding(m.url, m.blob, settings.funding_platform) for m in ok}
    try:
        with session.transaction(direct=sum(_rows(m) for m in ok) >= DIRECT_ROWS):
            results = _write(session, ok, read, settings, rules)
            results += [_record_error(session, m, m.message or "no commit") for m in failed]
    except SocleError as exc:
        if len(batch) > 1:
            return [result for m in batch for result in apply_batch(session, [m], settings, rules)]
        with session.transaction():
            return [_record_error(session, batch[0], str(exc))]
    # funding links are the one table here that is not the collector's own: written in a transaction of
    # their own once the repositories' is committed (a store split into files lets one transaction write
    # one file)
    with session.transaction():
        store.replace_funding_links(session.conn, {url: r.links for url, r in read.items()}, session.run_id)
    session.events("warning", [(url, warning) for url, r in read.items() for warning in r.warnings])
    return results


def _write(
    session: WriteSession,
    batch: Sequence[MinedRepository],
    read: dict[str, FundingFiles],
    settings: GitSettings,
    rules: identities.IdentityRules,
) -> list[MineResult]:
    conn, run_id = session.conn, session.run_id
    if not batch:
        return []
    urls = [m.url for m in batch]
    states = store.repository_states(conn, urls)
    keys = {m.url: derived_key(m.head_sha or "", m.mailmap_id, settings, rules) for m in batch}

    def current(m: MinedRepository) -> bool:
        state = states.get(m.url)
        return state is not None and state.status == "ok" and state.derived_key == keys[m.url]

    # the truck factor's file filter: categories are computed for the files written, and for every file of a
    # repository whose stored categories were computed with another filter
    file_filters = {m.url: filters.load_filter(m.url) for m in batch}
    filter_keys = authorship_store.filter_keys(conn, urls)
    refilter = {m.url for m in batch if filter_keys.get(m.url) != file_filters[m.url].fingerprint}
    kept = authorship_store.identities_keys(conn, urls)
    # first mining, rewritten history, or an older --at; nothing is stored for a repository never recorded
    store.clear_history(conn, [m.url for m in batch if m.full and m.url in states])
    full = [m for m in batch if m.full]
    # The new history is written in a thread, and the totals of the paths no rename touched summed from it,
    # while this one derives from the history in memory what a full mining needs and nothing else reads:
    # the totals of renamed paths, the raw identities and their map, the files' categories.
    summed = [m.url for m in full]

    def write() -> None:
        store.write_histories(conn, [(m.url, m.history) for m in batch if m.history.sha], run_id)
        file_authorship.sum_unrenamed(conn, summed)

    with alongside(write):
        renamed = {m.url: file_authorship.renamed_totals(m.url, m.history) for m in full}
        raw_in_memory = {m.url: _raw_identities(m) for m in full}
        full_wanted = {
            m.url: identities_key(raw_in_memory[m.url], m.mailmap_id, settings, rules) for m in full
        }
        full_rows = {
            m.url: identity_rows(raw_in_memory[m.url], _mailmap(m, settings), rules)
            for m in full
            if kept.get(m.url) != full_wanted[m.url]
        }
        known = {m.url: {path: file_filters[m.url].category(path) for path in m.files} for m in full}
    file_authorship.update(
        conn,
        [
            file_authorship.Update(
                m.url,
                m.head_sha or "",
                None if m.full or m.url not in states else states[m.url].last_mined_sha,
                m.history,
            )
            for m in batch
        ],
        run_id,
        renamed,
        summed,
    )
    stale = [m for m in batch if not (current(m) and m.unchanged) or m.url in refilter]
    raw = store.raw_identities(conn, [m.url for m in stale if m.url not in raw_in_memory]) | raw_in_memory
    wanted = {
        m.url: full_wanted[m.url]
        if m.url in full_wanted
        else identities_key(raw[m.url], m.mailmap_id, settings, rules)
        for m in stale
    }
    # new commits under the same .mailmap and rules: the stored map may be extended rather than redone
    extend = [
        m
        for m in stale
        if not m.full and kept.get(m.url) != wanted[m.url] and same_base(kept.get(m.url), wanted[m.url])
    ]
    maps = store.identity_maps(conn, [m.url for m in extend])
    before = {m.url: Before(maps.get(m.url, []), *_new_identities(m)) for m in extend}
    store.replace_derived(
        conn,
        [
            store.Derived(
                m.url, m.files,
                # the same inputs give the same map: the stored one is kept, not merged again
                None if kept.get(m.url) == wanted[m.url]
                else full_rows[m.url] if m.url in full_rows
                else identity_rows(raw[m.url], _mailmap(m, settings), rules, before.get(m.url)),
                category=_categories(known.get(m.url, {}), file_filters[m.url]), recategorise=m.url in refilter,
                stored_identities=maps.get(m.url, []) if m.url in before else None,
            )
            for m in stale
        ],
        run_id,
    )  # fmt: skip
    authorship_store.set_filter_keys(
        conn, [(url, file_filters[url].fingerprint) for url in sorted(refilter)], run_id
    )
    authorship_store.set_identities_keys(
        conn, [(url, key) for url, key in wanted.items() if kept.get(url) != key], run_id
    )
    replace_repository_plans(conn, {url: (r.plans, r.history) for url, r in read.items()}, run_id)
    store.record_mined(conn, [_state(m, keys[m.url], settings) for m in batch], run_id)
    store.record_miners(conn, [(m.url, m.worker) for m in batch], run_id)
    return [
        MineResult(
            m.url, "ok", f"{len(m.history.sha)} new commits{m.chosen}", m.engine, len(m.history.sha), m.full
        )
        for m in batch
    ]


def _raw_identities(mined: MinedRepository) -> store.RawIdentities:
    """What :func:`collectors.store.git.raw_identities` reads of a repository whose whole history is this
    mining's, from the history in memory: every author and co-author value with its commits, sorted."""
    authors, co_authors = _new_identities(mined)
    return (
        sorted((name, email, n) for (name, email), n in authors.items()),
        sorted(co_authors.items()),
    )


def _categories(known: dict[str, str | None], file_filter: filters.FileFilter) -> Callable[[str], str | None]:
    """The category of a path: the one computed already, or the filter's."""
    return lambda path: known[path] if path in known else file_filter.category(path)


def _new_identities(mined: MinedRepository) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """The raw authors and co-author values of a repository's new commits, with their counts."""
    history = mined.history
    return (
        Counter(zip(history.author_name, history.author_email, strict=True)),
        Counter(v for values in history.co_authors if values for v in values),
    )


def _state(mined: MinedRepository, key: str, settings: GitSettings) -> store.MinedState:
    full = " (full history)" if mined.full else ""
    return store.MinedState(
        url=mined.url,
        host=mined.host,
        local_path=mined.local_path,
        head_sha=mined.head_sha or "",
        message=f"{len(mined.history.sha)} new commits{full}{mined.chosen}",
        mined_with=mined_with(settings),
        derived_key=key,
    )


def _mailmap(mined: MinedRepository, settings: GitSettings) -> pygit2.Mailmap | None:
    content = mined.blob(".mailmap") if settings.use_mailmap else None
    return pygit2.Mailmap.from_buffer(content) if content is not None else None


def _record_error(session: WriteSession, mined: MinedRepository, message: str) -> MineResult:
    """A repository found but not mined (an unreadable history, a failed write): what was mined before is
    kept and the repository is mined again by the next run."""
    store.upsert_repository(
        session.conn, url=mined.url, host=mined.host, local_path=mined.local_path, head_sha=None,
        last_mined_sha=None, status="error", message=message, run_id=session.run_id, mined=False,
    )  # fmt: skip
    return MineResult(mined.url, "error", message)


def _rows(mined: MinedRepository) -> int:
    return len(mined.history.sha) + len(mined.history.file_sha) + len(mined.files)


def apply_all(
    session: WriteSession,
    mined: Iterable[MinedRepository],
    settings: GitSettings,
    rules: identities.IdentityRules,
) -> tuple[list[MineResult], list[MineResult]]:
    """Apply repositories as they come, in batches (:data:`BATCH_ROWS`, :data:`BATCH_REPOSITORIES`).

    Returns (results of located repositories, unreachable ones not yet recorded), each sorted by URL:
    the order mining in one process gives."""
    results: dict[str, MineResult] = {}
    unreachable: dict[str, MineResult] = {}
    pending: dict[str, MinedRepository] = {}
    rows = 0
    for result in mined:
        if result.url in results or result.url in unreachable or result.url in pending:
            continue  # a task run twice (its first worker died after finishing): applied once
        if not result.located:
            unreachable[result.url] = MineResult(result.url, result.status, result.message)
            continue
        pending[result.url] = result
        rows += _rows(result)
        if rows >= BATCH_ROWS or len(pending) >= BATCH_REPOSITORIES:
            results.update((r.url, r) for r in apply_batch(session, list(pending.values()), settings, rules))
            pending, rows = {}, 0
    results.update((r.url, r) for r in apply_batch(session, list(pending.values()), settings, rules))
    return [results[u] for u in sorted(results)], [unreachable[u] for u in sorted(unreachable)]
