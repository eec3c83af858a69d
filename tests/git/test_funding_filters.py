"""FUNDING.yml, funding.json and the truck factor's file filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.errors import InputError
from collectors.git.filters import load_filter
from collectors.git.funding import parse_funding_json, parse_funding_yml

FUNDING_YML = b"""
# These are supported funding model platforms
github: [octocat, 'surftocat']
patreon: # Replace with a single Patreon username
open_collective: "webpack"
ko_fi: ""
tidelift: npm/express
community_bridge:
liberapay: alice
issuehunt: bob
polar: carol
buy_me_a_coffee: dave
thanks_dev: u/gh/erin
custom: ["example.org/donate", "https://paypal.me/frank"]
"""


def test_funding_yml_all_keys_and_forms() -> None:
    links = parse_funding_yml(FUNDING_YML)
    assert [(link.label, link.url) for link in links] == [
        ("github", "https://github.com/sponsors/octocat"),
        ("github", "https://github.com/sponsors/surftocat"),
        ("open_collective", "https://opencollective.com/webpack"),
        ("tidelift", "https://tidelift.com/funding/github/npm/express"),
        ("liberapay", "https://liberapay.com/alice"),
        ("issuehunt", "https://issuehunt.io/r/bob"),
        ("polar", "https://polar.sh/carol"),
        ("buy_me_a_coffee", "https://www.buymeacoffee.com/dave"),
        ("thanks_dev", "https://thanks.dev/u/gh/erin"),
        ("custom", "https://example.org/donate"),
        ("custom", "https://paypal.me/frank"),
    ]
    assert {link.source for link in links} == {"funding-yml"}


@pytest.mark.parametrize("content", [b"github: [unclosed", b"- just\n- a list\n", b"\xff\xfe"])
def test_unparseable_funding_yml_raises_input_error(content: bytes) -> None:
    with pytest.raises(InputError):
        parse_funding_yml(content)


def test_funding_json_channels() -> None:
    doc = b"""{"version": "v1.0.0", "entity": {"type": "individual", "name": "A"},
      "funding": {"channels": [
        {"guid": "oc", "type": "payment-provider", "address": "https://opencollective.com/x"},
        {"guid": "bank", "type": "bank", "address": "IBAN ..."}],
      "plans": [{"guid": "p", "status": "active", "amount": 0, "currency": "EUR", "channels": ["oc"]}]}}"""
    links = parse_funding_json(doc)
    assert [(link.url, link.label, link.source) for link in links] == [
        ("https://opencollective.com/x", "payment-provider", "funding-json")
    ]
    with pytest.raises(InputError):
        parse_funding_json(b'{"version": "v1.0.0"}')
    with pytest.raises(InputError):
        parse_funding_json(b"{not json")


@pytest.mark.parametrize(
    ("path", "category"),
    [
        ("src/app.py", None),
        ("lib/express.js", None),
        ("tests/test_app.py", None),
        ("vendor/lib/x.js", "vendor"),
        ("third_party/zlib/inflate.c", "vendor"),
        ("docs/index.rst", "docs"),
        ("README.md", "docs"),
        ("examples/hello/app.py", "examples"),
        ("static/app.min.js", "minified"),
        ("package-lock.json", "lock"),
        ("uv.lock", "lock"),
        ("data/cities.csv", "data"),
        ("api_pb2.py", "generated"),
        ("benchmarks/run.py", "build"),
        # folder rules ignore case
        ("Documentation/git-log.txt", "docs"),
        ("Documentation/technical/api.c", "docs"),
        ("Docs/Guide/intro.py", "docs"),
        ("Examples/Hello/main.c", "examples"),
        ("Vendor/zlib/inflate.c", "vendor"),
        ("ThirdParty/Lua/lapi.c", "vendor"),
        ("src/ThirdParty/x.cpp", "vendor"),
        ("Build/out.c", "build"),
        # test data: data folders, expected-output extensions, extension-less files in test sub-folders
        ("t/t0000-basic.sh", None),
        ("t/helper/test-tool.c", None),
        ("t/lib-git-daemon.sh", None),
        ("tests/unit/test_parser.py", None),
        ("spec/models/user_spec.rb", None),
        ("t/t4013/diff.log_-p_--first-parent_master", "test-data"),
        ("t/t4013/diff.diff-tree_--root_initial", "test-data"),
        ("t/t3900/ISO8859-1.txt", "docs"),
        ("t/t5515/fetch.br-branches-default", "test-data"),
        ("tests/parser/cases/nested.expected", "test-data"),
        ("test/regress/out.stdout", "test-data"),
        ("Tests/Fixtures/sample.c", "data"),  # the data category comes first
        ("spec/data/input.rb", "test-data"),
        ("src/__tests__/__snapshots__/app.test.js.snap", "test-data"),
        ("tests/golden/render.py", "test-data"),
    ],
)
def test_file_filter_categories(path: str, category: str | None) -> None:
    assert load_filter().category(path) == category


def test_file_filter_per_repository_override(tmp_path: Path) -> None:
    config = tmp_path / "filters.toml"
    config.write_text(
        "[categories]\ndocs = ['^docs/']\n"
        "[repositories.\"https://example.org/o/r\"]\nexclude = ['^legacy/']\ninclude = ['^docs/conf\\.py$']\n",
        encoding="utf-8",
    )
    flt = load_filter("https://example.org/o/r", config)
    assert flt.category("legacy/old.py") == "repository"
    assert flt.category("docs/conf.py") is None
    assert flt.category("docs/index.rst") == "docs"
    assert load_filter("https://example.org/other", config).category("legacy/old.py") is None
