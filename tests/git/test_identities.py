"""Identity merging, bots and organisations on literal inputs."""

from __future__ import annotations

from typing import Any

from collectors.git.identities import (
    Identity,
    co_authors,
    fold_name,
    github_login,
    is_bot,
    load_rules,
    merge_identities,
    organisation,
)

RULES = load_rules()


def test_email_and_name_merge_transitively_case_and_accent_insensitive() -> None:
    a = Identity("José García", "jose@work.example")
    b = Identity("jose garcia", "JGARCIA@home.example")
    c = Identity("J. García", "jgarcia@home.example")
    other = Identity("Maria", "maria@work.example")
    # b and c share an address under two names: each made more than one commit under it
    people = merge_identities([a, b, c, other], RULES, commit_counts={a: 1, b: 3, c: 2, other: 1})
    assert people[a] == people[b] == people[c]
    assert people[other] != people[a]


def test_github_noreply_forms_map_to_the_login() -> None:
    assert github_login("12345+octocat@users.noreply.github.com") == "octocat"
    assert github_login("octocat@users.noreply.github.com") == "octocat"
    a = Identity("The Octocat", "12345+octocat@users.noreply.github.com")
    b = Identity("octocat", "octo@example.org")
    people = merge_identities([a, b], RULES)
    assert people[a] == people[b]


def test_empty_names_do_not_merge_everyone() -> None:
    a, b = Identity("", "a@example.org"), Identity("", "b@example.org")
    people = merge_identities([a, b], RULES)
    assert people[a] != people[b]


def test_aliases_merge_people() -> None:
    a, b = Identity("Ann", "ann@old.example"), Identity("Annie", "annie@new.example")
    assert merge_identities([a, b], RULES)[a] != merge_identities([a, b], RULES)[b]
    rules = load_rules(aliases=[("ann@old.example", "annie@new.example")])
    people = merge_identities([a, b], rules)
    assert people[a] == people[b]


def test_bots_by_suffix_and_list_never_by_substring() -> None:
    assert is_bot(Identity("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"), RULES)
    assert is_bot(Identity("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"), RULES)
    assert is_bot(Identity("pre-commit-ci", "x@example.org"), RULES)
    assert is_bot(Identity("Greenkeeper", "support@greenkeeper.io"), RULES)
    assert not is_bot(Identity("Abbot Smith", "bot@smith.example"), RULES)
    assert not is_bot(Identity("Talbot", "talbot@example.org"), RULES)


def test_organisation_from_domain() -> None:
    assert organisation("someone@gmail.com", RULES) is None
    assert organisation("1+x@users.noreply.github.com", RULES) is None
    assert organisation("dev@us.redhat.com", RULES) == "Red Hat"
    assert organisation("dev@mail.acme.example", RULES) == "acme.example"
    assert organisation("dev@dept.gov.uk", RULES) == "dept.gov.uk"
    assert organisation("not-an-address", RULES) is None


def test_co_author_trailers() -> None:
    message = "Fix it\n\nCo-authored-by: Ann <ann@example.org>\nco-authored-by:  Bob B <bob@example.org> \n"
    assert co_authors(message) == ["Ann <ann@example.org>", "Bob B <bob@example.org>"]
    assert co_authors("no trailers") == []


def test_fold_name() -> None:
    assert fold_name("  Ångström   ÉLAN ") == "angstrom elan"


def test_generic_names_and_addresses_never_merge_people() -> None:
    root_a = Identity("root", "root@build1.acme.example")
    root_b = Identity("Root", "root@build2.other.example")
    unknown_a = Identity("unknown", "ann@acme.example")
    ann = Identity("Ann", "ann@acme.example")
    none_a = Identity("Bo", "bo@(none)")
    none_b = Identity("Cy", "bo@(none)")
    empty_a = Identity("", "")
    empty_b = Identity("", "")
    local_a = Identity("Di", "di@localhost.localdomain")
    local_b = Identity("Ed", "di@localhost.localdomain")
    counts = dict.fromkeys([root_a, root_b, unknown_a, ann, none_a, none_b, local_a, local_b], 5)
    people = merge_identities(
        [root_a, root_b, unknown_a, ann, none_a, none_b, empty_a, empty_b, local_a, local_b],
        RULES,
        commit_counts=counts,
    )
    assert people[root_a] != people[root_b]  # same generic name, generic local part
    assert people[none_a] != people[none_b]  # same "(none)" address
    assert people[local_a] != people[local_b]  # same machine address
    assert people[unknown_a] == people[ann]  # a generic name still joins through a real address
    assert len({people[i].key for i in (root_a, root_b, none_a, none_b, local_a, local_b, ann)}) == 7
    assert people[root_a].org is None and people[none_a].org is None


def test_one_commit_under_another_persons_address_does_not_merge_them() -> None:
    alice = Identity("Alice", "alice@acme.example")
    bob = Identity("Bob", "bob@acme.example")
    bob_as_alice = Identity("Bob", "alice@acme.example")  # one commit made on Alice's machine
    counts = {alice: 40, bob: 30, bob_as_alice: 1}
    people = merge_identities([alice, bob, bob_as_alice], RULES, commit_counts=counts)
    assert people[alice] != people[bob]
    assert people[bob_as_alice] == people[bob]  # the commit stays Bob's, by his name
    # two commits under the shared address are evidence enough: the names are one person
    people = merge_identities([alice, bob, bob_as_alice], RULES, commit_counts={**counts, bob_as_alice: 2})
    assert people[alice] == people[bob] == people[bob_as_alice]


def test_an_address_used_under_one_name_always_joins() -> None:
    old = Identity("Ann Lee", "ann@old.example")
    new = Identity("Ann Lee", "ann@new.example")
    once = Identity("ann lee", "ann@old.example")  # the same folded name: not a shared address
    people = merge_identities([old, new, once], RULES, commit_counts={old: 1, new: 1, once: 1})
    assert people[old] == people[new] == people[once]


def test_a_generic_name_does_not_make_an_address_shared() -> None:
    ann = Identity("Ann", "ann@acme.example")
    unknown = Identity("unknown", "ann@acme.example")  # a commit from a machine without user.name
    people = merge_identities([ann, unknown], RULES, commit_counts={ann: 1, unknown: 1})
    assert people[ann] == people[unknown]


def test_extending_a_merge_equals_merging_everyone_again() -> None:
    """Random identities sharing names and addresses (generic ones too), split into those merged before and
    those that came after: whenever extend_merge answers, its people are those of a merge of everyone."""
    import random

    from collectors.git import identities as identities_module
    from collectors.git.identities import extend_merge, merge_identities

    rules = load_rules()
    rng = random.Random(7)
    names = ["Ann", "ann", "Bo", "Cy Young", "root", "unknown", "Dee", "Émile", "emile", ""]
    emails = ["ann@a.example", "bo@b.example", "cy@c.example", "root@localhost", "x@(none)", "dee@d.example",
              "emile@e.example", "12+ann@users.noreply.github.com", "shared@s.example", "noreply@x.example"]  # fmt: skip
    unchanged = remerged = before = 0
    merges: list[int] = []
    real_merge = identities_module.merge_identities

    def counting(given: Any, rules: Any, **kw: Any) -> Any:
        merges.append(1)
        return real_merge(given, rules, **kw)

    for _ in range(400):
        pool = list({Identity(rng.choice(names), rng.choice(emails)) for _ in range(rng.randint(2, 9))})
        counts_then = {i: rng.choice([1, 1, 2, 5]) for i in pool}
        known_ids = pool[: rng.randint(1, len(pool))]
        counts_now = {i: counts_then[i] + rng.choice([0, 0, 0, 1]) for i in pool}
        known = merge_identities(known_ids, rules, commit_counts={i: counts_then[i] for i in known_ids})
        before = len(merges)
        identities_module.merge_identities = counting  # type: ignore[assignment]
        try:
            got = extend_merge(known, counts_then, pool, rules, commit_counts=counts_now)
        finally:
            identities_module.merge_identities = real_merge  # type: ignore[assignment]
        assert got is not None
        full = merge_identities(pool, rules, commit_counts=counts_now)
        assert {i: (p.key, p.is_bot, p.org) for i, p in got.items()} == {
            i: (p.key, p.is_bot, p.org) for i, p in full.items()
        }
        merged_again = len(merges) - before
        unchanged += merged_again == 0
        remerged += merged_again == 1
    assert unchanged > 20 and remerged > 100  # nothing to merge again, and a part merged again, both seen
    aliased = load_rules(aliases=[("ann@a.example", "bo@b.example")])
    assert extend_merge({}, {}, [Identity("Ann", "ann@a.example")], aliased, commit_counts={}) is None
