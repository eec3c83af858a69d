"""Only https repository URLs from registry metadata are followed; everything else is refused."""

from __future__ import annotations

import pytest

from collectors.errors import TerminalError
from collectors.git.urls import check_repo_url, parse_repo_url


def public(host: str) -> list[str]:
    return ["140.82.121.3"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ssh://git@github.com/owner/repo.git",
        "git@github.com:owner/repo.git",
        "git://github.com/owner/repo",
        "ext::sh -c touch% /tmp/pwned",
        "fd::17",
        "/home/user/repo",
        "../repo",
        "http://github.com/owner/repo",
        "https://user:secret@github.com/owner/repo",
        "https://token@github.com/owner/repo",
        "https://github.com/owner",
        "https://github.com/../etc",
        "https://github.com:8443/owner/repo",
        "https://github.com/-upload-pack=x/repo",
    ],
)
def test_hostile_urls_are_refused(url: str) -> None:
    with pytest.raises(TerminalError):
        check_repo_url(url, resolver=public)


@pytest.mark.parametrize(
    ("host_addresses", "url"),
    [
        (["127.0.0.1"], "https://localhost/owner/repo"),
        (["10.0.0.5"], "https://git.internal.example/owner/repo"),
        (["192.168.1.2"], "https://nas.example/owner/repo"),
        (["169.254.169.254"], "https://metadata.example/owner/repo"),
        (["::1"], "https://v6.example/owner/repo"),
        (["::ffff:127.0.0.1"], "https://mapped.example/owner/repo"),
        (["140.82.121.3", "10.1.1.1"], "https://mixed.example/owner/repo"),
    ],
)
def test_hosts_resolving_to_private_ranges_are_refused(host_addresses: list[str], url: str) -> None:
    with pytest.raises(TerminalError, match="non-public"):
        check_repo_url(url, resolver=lambda host: host_addresses)


def test_literal_private_ip_refused_without_resolving() -> None:
    def never(host: str) -> list[str]:
        raise AssertionError("must not resolve a literal address")

    with pytest.raises(TerminalError):
        check_repo_url("https://127.0.0.1/owner/repo", resolver=never)


def test_configured_internal_host_is_allowed() -> None:
    repo = check_repo_url(
        "https://git.internal.example/team/tool.git",
        allowed_hosts=["git.internal.example"],
        resolver=lambda host: ["10.0.0.5"],
    )
    assert repo.url == "https://git.internal.example/team/tool"


def test_normal_forms() -> None:
    repo = parse_repo_url("git+https://GitHub.com/pallets/flask.git")
    assert (repo.url, repo.owner, repo.name, repo.mirror_name) == (
        "https://github.com/pallets/flask",
        "pallets",
        "flask",
        "pallets+flask",
    )
    assert check_repo_url("https://github.com/pallets/flask/tree/main", resolver=public).url == (
        "https://github.com/pallets/flask"
    )
