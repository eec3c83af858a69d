"""Who is who: merging the raw (name, e-mail) identities of a history into people.

Rules (Avelino et al. 2016, https://arxiv.org/abs/1604.06766, section "identities"): same e-mail
(case-insensitive) => same person; same non-empty name (case- and accent-insensitive) => same person;
transitively. GitHub noreply addresses (``ID+login@users.noreply.github.com``, ``login@users.noreply...``)
stand for the login, which also joins a name equal to that login. ``.mailmap`` is applied first (a
parameter: the 2015 study did not apply it). Users may add alias pairs (e-mails or names). Bots are flagged,
never by a bare substring. The organisation comes from the e-mail domain.

Two guards keep unrelated people apart (socle's rules, beyond the study's):

* Generic names ("unknown", "root", "(none)", ...) and generic addresses (no ``@``, a generic local part at
  a machine domain such as ``root@localhost``, a ``(none)`` domain: what git writes when nobody configured
  ``user.email``) never merge anyone: such an identity is a person of its own. The lists are in
  ``data/bots.toml`` (``[generic]``).
* An address used under two or more different names joins an identity through that address only when the
  identity made more than :data:`SHARED_ADDRESS_MIN_COMMITS` - 1 commits under it (as author or
  co-author): one commit made with a colleague's address (a borrowed machine, a patch applied with the wrong
  ``--author``) must not move all of that colleague's commits to the borrower. The identity still joins its
  own name's person.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from collectors.paths import DATA_DIR

_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$", re.IGNORECASE)
_TRAILER = re.compile(r"^co-authored-by:\s*(?P<value>.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_NAME_EMAIL = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^>]*)>\s*$")
_COUNTRY_SLD = {"co", "com", "ac", "gov", "org", "net", "edu", "or", "ne", "go"}
#: An address shared by several names merges an identity only with at least this many commits under it.
SHARED_ADDRESS_MIN_COMMITS = 2


class Identity(NamedTuple):
    """One raw identity as written in commits (a tuple: hashed and compared in C, thousands of times per
    repository while merging)."""

    name: str
    email: str


@dataclass(frozen=True)
class Person:
    """A merged identity. ``key`` is stable: the smallest normalised e-mail (or name) of its members."""

    key: str
    display_name: str
    org: str | None
    is_bot: bool


@dataclass(frozen=True)
class IdentityRules:
    """Reference data and parameters for merging identities."""

    bot_names: frozenset[str] = frozenset()
    bot_emails: frozenset[str] = frozenset()
    public_domains: frozenset[str] = frozenset()
    org_domains: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[tuple[str, str], ...] = ()
    generic_names: frozenset[str] = frozenset()  # folded names that never merge anyone
    generic_locals: frozenset[str] = frozenset()  # local parts that are generic at machine domains
    generic_domains: frozenset[str] = frozenset()  # machine domains ("localhost", "(none)")


def load_rules(data_dir: Path = DATA_DIR, aliases: Iterable[tuple[str, str]] = ()) -> IdentityRules:
    """Read ``bots.toml``, ``public_mail_domains.txt`` and ``org_domains.toml`` from the data folder."""
    bots = tomllib.loads((data_dir / "bots.toml").read_text(encoding="utf-8"))
    public = {
        line.strip().lower()
        for line in (data_dir / "public_mail_domains.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    orgs = tomllib.loads((data_dir / "org_domains.toml").read_text(encoding="utf-8")).get("domains", {})
    generic = bots.get("generic", {})
    return IdentityRules(
        bot_names=frozenset(n.lower() for n in bots.get("names", [])),
        bot_emails=frozenset(e.lower() for e in bots.get("emails", [])),
        public_domains=frozenset(public),
        org_domains={str(k).lower(): str(v) for k, v in orgs.items()},
        aliases=tuple(aliases),
        generic_names=frozenset(fold_name(n) for n in generic.get("names", [])),
        generic_locals=frozenset(e.lower() for e in generic.get("local_parts", [])),
        generic_domains=frozenset(d.lower() for d in generic.get("domains", [])),
    )


def rules_fingerprint(rules: IdentityRules) -> str:
    """A stable digest of every rule and alias: a change of reference data means identities are merged again."""
    parts = [
        sorted(rules.bot_names), sorted(rules.bot_emails), sorted(rules.public_domains),
        sorted(rules.org_domains.items()), sorted(rules.aliases), sorted(rules.generic_names),
        sorted(rules.generic_locals), sorted(rules.generic_domains), SHARED_ADDRESS_MIN_COMMITS,
    ]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def load_aliases(path: Path) -> list[tuple[str, str]]:
    """Alias pairs from a TOML file: ``aliases = [["old@example.org", "new@example.org"], ...]``."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    return [(str(a), str(b)) for a, b in doc.get("aliases", [])]


@functools.lru_cache(maxsize=1 << 16)  # each name is folded several times while merging
def fold_name(name: str) -> str:
    """Case- and accent-insensitive form of a name, whitespace collapsed."""
    if name.isascii():  # no accents to strip, and NFKD leaves ASCII as it is
        return " ".join(name.casefold().split())
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def github_login(email: str) -> str | None:
    match = _NOREPLY.match(email.strip())
    return match.group("login").lower() if match else None


def co_authors(message: str) -> list[str]:
    """``Name <email>`` values of the ``Co-authored-by:`` trailers of a commit message."""
    if "co-authored-by" not in message.lower():
        return []
    return [m.group("value") for m in _TRAILER.finditer(message)]


def split_name_email(value: str) -> Identity | None:
    match = _NAME_EMAIL.match(value)
    if not match:
        return None
    return Identity(match.group("name").strip(), match.group("email").strip())


def is_bot(identity: Identity, rules: IdentityRules) -> bool:
    name = identity.name.strip().lower()
    email = identity.email.strip().lower()
    login = github_login(email)
    if name.endswith("[bot]") or (login is not None and login.endswith("[bot]")):
        return True
    if name in rules.bot_names or email in rules.bot_emails:
        return True
    return login is not None and login in rules.bot_names


def organisation(email: str, rules: IdentityRules) -> str | None:
    """Organisation of an e-mail address; None for public providers and unusable addresses."""
    _, _, domain = email.strip().lower().rpartition("@")
    if not domain or "." not in domain:
        return None
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in rules.org_domains:
            return rules.org_domains[candidate]
        if candidate in rules.public_domains:
            return None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _COUNTRY_SLD else 2
    return ".".join(labels[-keep:])


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        if parent != x:
            parent = self.parent[x] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller key becomes the root: the merged key does not depend on input order
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def is_generic_name(name: str, rules: IdentityRules) -> bool:
    """A name that says nothing about who wrote the commit (empty, "unknown", "root", ...)."""
    folded = fold_name(name)
    return not folded or folded in rules.generic_names


def is_generic_email(email: str, rules: IdentityRules) -> bool:
    """An address that says nothing about who wrote the commit: empty, no ``@``, a machine domain
    (``localhost``, ``(none)``, no dot), or a generic local part (``root``, ``unknown``) at any domain."""
    local, at, domain = email.strip().lower().rpartition("@")
    if not at or not local or not domain or "." not in domain:
        return True
    if local in rules.generic_locals:
        return True
    return domain in rules.generic_domains or domain.split(".")[0] in rules.generic_domains


def _email_key(identity: Identity, rules: IdentityRules) -> str | None:
    email = identity.email.strip().lower()
    return None if is_generic_email(email, rules) else "e:" + email


def _name_keys(identity: Identity, rules: IdentityRules) -> list[str]:
    keys = []
    login = github_login(identity.email.strip().lower())
    if login and not is_generic_name(login, rules):
        keys.append("n:" + fold_name(login))
    if not is_generic_name(identity.name, rules):
        keys.append("n:" + fold_name(identity.name))
    return keys


def _candidate_keys(identity: Identity) -> tuple[str, ...]:
    """The keys :func:`_name_keys` and :func:`_email_key` give, generic ones included (see extend_merge)."""
    email = identity.email.strip().lower()
    name_key = "n:" + fold_name(identity.name)
    if "noreply" not in email or (login := github_login(email)) is None:
        return name_key, "e:" + email
    return name_key, "e:" + email, "n:" + fold_name(login)


def _own_key(identity: Identity) -> str:
    """The key of an identity that merges with nobody (nothing in it identifies a person)."""
    return f"x:{identity.name} <{identity.email}>"


def merge_identities(
    identities: Iterable[Identity],
    rules: IdentityRules,
    *,
    commit_counts: Mapping[Identity, int] | None = None,
) -> dict[Identity, Person]:
    """Merge raw identities into people (transitively). ``commit_counts`` (commits under each identity, as
    author or co-author) picks the display name and is the evidence for a shared address: see the module
    docstring. What the rules say of each identity (its keys, bot or not, organisation) is worked out once."""
    unique = sorted(set(identities), key=lambda i: (i.email, i.name))
    counts = commit_counts or {}
    email_keys = {identity: _email_key(identity, rules) for identity in unique}
    generic_name = {identity: is_generic_name(identity.name, rules) for identity in unique}
    names_of_address: dict[str, set[str]] = {}
    for identity in unique:
        email_key = email_keys[identity]
        if email_key is not None and not generic_name[identity]:
            names_of_address.setdefault(email_key, set()).add(fold_name(identity.name))
    uf = _UnionFind()
    first_key: dict[Identity, str] = {}
    for identity in unique:
        keys = _name_keys(identity, rules)
        email_key = email_keys[identity]
        if email_key is not None:
            shared = len(names_of_address.get(email_key, ())) > 1  # generic names do not make it shared
            if not shared or counts.get(identity, 0) >= SHARED_ADDRESS_MIN_COMMITS or not keys:
                keys.insert(0, email_key)
        if not keys:
            keys = [_own_key(identity)]
        first_key[identity] = keys[0]
        for key in keys[1:]:
            uf.union(keys[0], key)
    for a, b in rules.aliases:
        key_a = "e:" + a.strip().lower() if "@" in a else "n:" + fold_name(a)
        key_b = "e:" + b.strip().lower() if "@" in b else "n:" + fold_name(b)
        uf.union(key_a, key_b)
    groups: dict[str, list[Identity]] = {}
    for identity in unique:
        groups.setdefault(uf.find(first_key[identity]), []).append(identity)
    result: dict[Identity, Person] = {}
    for root, members in groups.items():
        best = max(members, key=lambda i: (counts.get(i, 0), i.name != "", i.name, i.email))
        bot = any(is_bot(m, rules) for m in members)
        # a generic address has no email key (and no organisation); a usable one does
        orgs = sorted(
            {o for m in members if email_keys[m] is not None and (o := organisation(m.email, rules))}
        )
        person = Person(key=root[2:], display_name=best.name or best.email, org=_pick_org(orgs), is_bot=bot)
        for member in members:
            result[member] = person
    return result


def extend_merge(
    known: Mapping[Identity, Person],
    known_counts: Mapping[Identity, int],
    identities: Iterable[Identity],
    rules: IdentityRules,
    *,
    commit_counts: Mapping[Identity, int],
) -> dict[Identity, Person] | None:
    """The merge of ``identities`` computed from an earlier merge of some of them (``known``, with their
    commit counts then), equal to merging them all again; None when it cannot be (an alias rule is in play,
    or a known identity is gone).

    Only the part of the identities the change can reach is merged again: the new identities, the known ones
    whose count crossed :data:`SHARED_ADDRESS_MIN_COMMITS` (the only thing the merge reads of counts), and,
    until nothing more is added, every known identity holding an address or a name key one of those holds
    (used or not: a new name on a known address can make it shared, and a count that crossed can make an
    address count) and every member of the person of one of those. No key joins that part to the rest, so
    the merge of that part alone gives its people, and every other identity keeps its person."""
    if rules.aliases:
        return None
    cap = SHARED_ADDRESS_MIN_COMMITS
    now = set(identities)
    if not now.issuperset(known):
        return None
    reached = now.difference(known)
    reached.update(i for i in known if min(known_counts.get(i, 0), cap) != min(commit_counts.get(i, 0), cap))
    if not reached:
        return dict(known)
    # Who holds a key, indexed by each known identity's candidate keys without the generic checks (a few
    # times cheaper on thousands of identities): only the keys of reached identities, generic ones left out,
    # are looked up, and whether a key is generic depends on the key alone, so the holders found are exact.
    holders: dict[str, list[Identity]] = {}
    members: dict[str, list[Identity]] = {}
    for identity in known:
        for key in _candidate_keys(identity):
            holders.setdefault(key, []).append(identity)
        members.setdefault(known[identity].key, []).append(identity)
    queue = list(reached)
    while queue:
        identity = queue.pop()
        keys = _name_keys(identity, rules)
        email_key = _email_key(identity, rules)
        if email_key is not None:
            keys.append(email_key)
        related = [other for key in keys for other in holders.get(key, ())]
        if identity in known:
            related += members[known[identity].key]
        for other in related:
            if other not in reached:
                reached.add(other)
                queue.append(other)
    merged = merge_identities(reached, rules, commit_counts=commit_counts)
    return {**{i: p for i, p in known.items() if i not in reached}, **merged}


def _pick_org(orgs: Sequence[str]) -> str | None:
    return orgs[0] if orgs else None
