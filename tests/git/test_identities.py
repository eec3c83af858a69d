"""Identity merging, bots and organisations on literal inputs."""

from __future__ import annotations

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
    people = merge_identities([a, b, c, other], RULES)
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
