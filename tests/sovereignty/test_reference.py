"""The shipped reference data loads, every entry has a source, and a bad file is one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.sovereignty import reference
from collectors.errors import InputError


def test_shipped_operators_with_their_country_and_source() -> None:
    ref = reference.load()
    expected = {
        ("forge", "github.com"): ("GitHub, Inc.", "US", "Microsoft Corporation"),
        ("forge", "gitlab.com"): ("GitLab Inc.", "US", None),
        ("forge", "codeberg.org"): ("Codeberg e.V.", "DE", None),
        ("forge", "framagit.org"): ("Framasoft", "FR", None),
        ("registry", "pypi"): ("Python Software Foundation", "US", None),
        ("registry", "npm"): ("GitHub, Inc.", "US", "Microsoft Corporation"),
        ("registry", "cargo"): ("Rust Foundation", "US", None),
        ("funding", "liberapay"): ("Liberapay (non-profit organisation)", "FR", None),
    }
    for key, (name, country, parent) in expected.items():
        place = ref.places[key]
        assert (place.operator.name, place.operator.country, place.operator.parent) == (name, country, parent)
    # Facts no source we could find states are "not known", not guessed.
    assert ref.places[("forge", "bitbucket.org")].operator.country is None
    assert all(
        p.source.startswith("https://") and p.operator.source.startswith("https://")
        for p in ref.places.values()
    )
    assert all(o.source.startswith("https://") for o in ref.organisations.values())


def test_licence_changes_with_their_forks() -> None:
    changes = {c.project: c for c in reference.load().licence_changes}
    assert sorted(changes) == ["Elasticsearch and Kibana", "MongoDB", "Redis", "Terraform", "Vault"]
    assert (changes["Redis"].fork, str(changes["Redis"].date), str(changes["Redis"].fork_date)) == (
        "Valkey",
        "2024-03-20",
        "2024-03-28",
    )
    assert (changes["Terraform"].fork, changes["Vault"].fork) == ("OpenTofu", "OpenBao")
    assert changes["MongoDB"].fork is None and changes["MongoDB"].to_licence == "SSPLv1"
    # Linked to the catalogue's steward: every Redis Ltd. dependency shows it; Valkey (another steward) not.
    assert [c.project for c in reference.load().changes_by("redis-ltd", "pkg:pypi/redis")] == ["Redis"]
    assert reference.load().changes_by("linux-foundation", "pkg:pypi/valkey") == ()


def _write(folder: Path, operators: str) -> Path:
    (folder / "operators.toml").write_text(operators, encoding="utf-8")
    (folder / "organisations.toml").write_text("", encoding="utf-8")
    (folder / "licence_changes.toml").write_text("", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[operator]]\nid = "x"\nname = "X"\nkind = "company"\nsource = "http://x.example"\n', "https URL"),
        ('[[operator]]\nid = "x"\nname = "X"\nkind = "company"\ncountry = "Germany"\nsource = "https://x.example"\n',
         "ISO 3166-1"),
        ('[[place]]\nrole = "forge"\nkey = "x.example"\noperator = "nobody"\nsource = "https://x.example"\n',
         "operator 'nobody' is not defined"),
        ("[[operator]\n", "not valid TOML"),
    ],
)  # fmt: skip
def test_a_bad_entry_names_the_file_and_fails_the_load(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        reference.load(_write(tmp_path, text))
    assert "operators.toml" in str(caught.value)
