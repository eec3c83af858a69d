"""Repository URL normalisation, PEP 753 labels and funding platforms: tables of literal cases."""

from __future__ import annotations

import pytest

from collectors.funding_urls import platform_for
from collectors.registry.npm import funding_links
from collectors.registry.pypi import funding_from_project_urls, normalise_label
from collectors.registry.repository_urls import normalise_repository_url, repository_from_links


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://github.com/psf/requests", "https://github.com/psf/requests"),
        ("https://github.com/psf/requests.git", "https://github.com/psf/requests"),
        ("https://www.github.com/psf/requests/", "https://github.com/psf/requests"),
        ("https://github.com/kjd/idna/blob/master/HISTORY.md", "https://github.com/kjd/idna"),
        ("https://github.com/urllib3/urllib3/issues", "https://github.com/urllib3/urllib3"),
        ("git+https://github.com/vitejs/vite.git", "https://github.com/vitejs/vite"),
        ("git://github.com/isaacs/node-glob.git", "https://github.com/isaacs/node-glob"),
        ("git+ssh://git@github.com/npm/cli.git", "https://github.com/npm/cli"),
        ("ssh://git@gitlab.com/group/project.git", "https://gitlab.com/group/project"),
        ("git@github.com:chalk/chalk.git", "https://github.com/chalk/chalk"),
        ("github:owner/repo", "https://github.com/owner/repo"),
        ("gitlab:group/project", "https://gitlab.com/group/project"),
        ("bitbucket:team/repo", "https://bitbucket.org/team/repo"),
        ("chalk/chalk", "https://github.com/chalk/chalk"),
        ("gist:11081aaa281", None),
        ("https://gitlab.com/group/sub/project/-/tree/main", "https://gitlab.com/group/sub/project"),
        ("https://gitlab.example.org/team/tool", "https://gitlab.example.org/team/tool"),
        ("https://codeberg.org/forgejo/forgejo", "https://codeberg.org/forgejo/forgejo"),
        ("https://git.sr.ht/~sircmpwn/aerc", "https://git.sr.ht/~sircmpwn/aerc"),
        ("https://bitbucket.org/pypa/distlib/src/master/", "https://bitbucket.org/pypa/distlib"),
        (
            "https://salsa.debian.org/python-team/packages/foo",
            "https://salsa.debian.org/python-team/packages/foo",
        ),
        ("https://framagit.org/group/project.git", "https://framagit.org/group/project"),
        ("https://gitea.example.net/org/repo", "https://gitea.example.net/org/repo"),
        ("http://github.com/psf/requests", "https://github.com/psf/requests"),
        ("https://requests.readthedocs.io", None),
        ("https://github.com/psf", None),
        ("javascript:alert(1)", None),
        ("ftp://github.com/a/b", None),
        (42, None),
        ("", None),
        # the ASF's git hosts: the ASF's GitHub repository of the same name (as commons-lang3 3.22.0, lucene-core
        # 9.12.3 and commons-text 1.15.0 state them in <scm>, after the scm:git: prefix)
        ("https://gitbox.apache.org/repos/asf/commons-lang.git", "https://github.com/apache/commons-lang"),
        ("https://gitbox.apache.org/repos/asf?p=lucene.git", "https://github.com/apache/lucene"),
        ("https://gitbox.apache.org/repos/asf/commons-text", "https://github.com/apache/commons-text"),
        (
            "http://gitbox.apache.org/repos/asf?p=commons-text.git;a=summary",
            "https://github.com/apache/commons-text",
        ),
        ("https://git-wip-us.apache.org/repos/asf/kafka.git", "https://github.com/apache/kafka"),
        ("https://git.apache.org/tomcat.git", "https://github.com/apache/tomcat"),
        ("https://gitbox.apache.org/repos/asf", None),
        ("https://gitbox.apache.org/repos/asf?p=../../etc.git", None),
        ("https://gitbox.apache.org/", None),
    ],
)
def test_repository_url_forms(raw: object, expected: str | None) -> None:
    assert normalise_repository_url(raw) == expected


def test_repository_prefers_source_labels_over_homepage() -> None:
    links = [("Homepage", "https://gitlab.com/other/site"), ("Source", "https://github.com/real/repo")]
    assert repository_from_links(links) == "https://github.com/real/repo"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Homepage", "homepage"),
        ("Source Code", "source"),
        ("Repository", "source"),
        ("GitHub", "source"),
        ("Bug Tracker", "issues"),
        ("Issue-Tracker", "issues"),
        ("What's New", "changelog"),
        ("Release Notes", "releasenotes"),
        ("Docs", "documentation"),
        ("Donate", "funding"),
        ("Sponsor", "funding"),
        ("Tidelift", "tidelift"),
    ],
)
def test_pep753_labels(label: str, expected: str) -> None:
    assert normalise_label(label) == expected


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://github.com/sponsors/hynek", "github-sponsors"),
        ("https://opencollective.com/babel", "open-collective"),
        ("https://liberapay.com/someone", "liberapay"),
        ("https://ko-fi.com/someone", "ko-fi"),
        ("https://www.patreon.com/someone", "patreon"),
        ("https://tidelift.com/funding/github/npm/postcss", "tidelift"),
        ("https://thanks.dev/u/gh/someone", "thanks-dev"),
        ("https://polar.sh/someone", "polar"),
        ("https://www.buymeacoffee.com/someone", "buy-me-a-coffee"),
        ("https://issuehunt.io/r/someone", "issuehunt"),
        ("https://funding.communitybridge.org/projects/x", "community-bridge"),
        ("https://paypal.me/someone", "paypal"),
        ("https://www.paypal.com/donate?x=1", "paypal"),
        ("https://example.org/funding.json", "funding-json"),
        ("https://github.com/chalk/chalk?sponsor=1", "other"),
        ("https://www.djangoproject.com/fundraising/", "other"),
        ("not a url", "other"),
    ],
)
def test_platform_for(url: str, platform: str) -> None:
    assert platform_for(url) == platform


def test_pypi_funding_by_label_and_domain() -> None:
    links = funding_from_project_urls(
        {
            "Funding": "https://github.com/sponsors/hynek",
            "Donate to us": "https://example.org/give",
            "Tidelift": "https://tidelift.com/subscription/pkg/pypi-attrs",
            "Documentation": "https://www.attrs.org/",
            "Sponsor": "javascript:alert(1)",
        }
    )
    assert [(f.label, f.platform) for f in links] == [
        ("Funding", "github-sponsors"),
        ("Donate to us", "other"),
        ("Tidelift", "tidelift"),
    ]


@pytest.mark.parametrize(
    ("value", "expected", "problem"),
    [
        (None, [], False),
        (
            "https://github.com/chalk/chalk?sponsor=1",
            [("https://github.com/chalk/chalk?sponsor=1", None)],
            False,
        ),
        (
            {"type": "opencollective", "url": "https://opencollective.com/babel"},
            [("https://opencollective.com/babel", "opencollective")],
            False,
        ),
        (
            [
                {"type": "github", "url": "https://github.com/sponsors/ai"},
                "https://opencollective.com/postcss",
            ],
            [("https://github.com/sponsors/ai", "github"), ("https://opencollective.com/postcss", None)],
            False,
        ),
        ({"type": "patreon"}, [], True),
        (["https://ok.example/fund", "ftp://bad.example/"], [], True),
        ("javascript:alert(1)", [], True),
        (42, [], True),
    ],
)
def test_npm_funding_forms(value: object, expected: list[tuple[str, str | None]], problem: bool) -> None:
    links, why = funding_links(value)
    assert [(f.url, f.label) for f in links] == expected
    assert (why is not None) is problem
