"""Canonical, versionless purls."""

from __future__ import annotations

import pytest
from packageurl import PackageURL

from collectors.purls import PurlError, _parse_general, canonical_purl, package_id, parse_purl, purl_for


@pytest.mark.parametrize(
    ("ecosystem", "name", "namespace", "expected"),
    [
        ("pypi", "python-dateutil", None, "pkg:pypi/python-dateutil"),
        ("PyPI", "Python_Dateutil", None, "pkg:pypi/python-dateutil"),
        ("pypi", "zope.interface", None, "pkg:pypi/zope-interface"),
        ("pypi", "Foo__Bar-.baz", None, "pkg:pypi/foo-bar-baz"),
        ("npm", "@babel/core", None, "pkg:npm/%40babel/core"),
        ("npm", "core", "@babel", "pkg:npm/%40babel/core"),
        ("npm", "core", "babel", "pkg:npm/%40babel/core"),
        ("npm", "react", None, "pkg:npm/react"),
        ("maven", "commons-lang3", "org.apache.commons", "pkg:maven/org.apache.commons/commons-lang3"),
    ],
)
def test_purl_for(ecosystem: str, name: str, namespace: str | None, expected: str) -> None:
    assert purl_for(ecosystem, name, namespace) == expected


@pytest.mark.parametrize(
    ("text", "expected", "version"),
    [
        ("pkg:pypi/Django@5.1.3", "pkg:pypi/django", "5.1.3"),
        ("pkg:PYPI/ruamel.yaml", "pkg:pypi/ruamel-yaml", None),
        ("pkg:npm/%40babel/core@7.26.0", "pkg:npm/%40babel/core", "7.26.0"),
        ("pkg:npm/@babel/core@7.26.0", "pkg:npm/%40babel/core", "7.26.0"),
        ("pkg:maven/org.apache/commons@1.0?type=jar#sub", "pkg:maven/org.apache/commons", "1.0"),
    ],
)
def test_parse_purl_drops_version_and_normalises(text: str, expected: str, version: str | None) -> None:
    parsed = parse_purl(text)
    assert (parsed.package.purl, parsed.version) == (expected, version)
    assert canonical_purl(text) == expected


def test_package_id_parts() -> None:
    pid = package_id("npm", "@types/node")
    assert (pid.ecosystem, pid.namespace, pid.name) == ("npm", "@types", "node")


@pytest.mark.parametrize("text", ["not a purl", "pkg:", "pkg:/name", "pkg:pypi/"])
def test_bad_purls_raise(text: str) -> None:
    with pytest.raises(PurlError):
        parse_purl(text)


@pytest.mark.parametrize(
    ("ecosystem", "name", "namespace"),
    [
        ("maven", "commons-lang3", "org.apache.commons"),
        ("golang", "x/net", "golang.org"),
        ("npm", "core", "@babel"),
        ("npm", "JSONStream", None),
        ("generic", "a b", "some:ns"),
        ("cargo", "serde", None),
    ],
)
def test_canonical_string_is_what_packageurl_prints(ecosystem: str, name: str, namespace: str | None) -> None:
    expected = PackageURL(type=ecosystem, namespace=namespace, name=name).to_string()
    assert purl_for(ecosystem, name, namespace) == expected
    assert canonical_purl(expected) == expected


@pytest.mark.parametrize(
    "text",
    [
        "pkg:pypi/Django@5.1.3",
        "pkg:pypi/ruamel.yaml@0.18.6",
        "pkg:pypi/Foo_Bar",
        "pkg:npm/%40babel/core@7.26.0",
        "pkg:npm/JSONStream@1.3.5",
        "pkg:npm/lodash@4.17.21",
        "pkg:maven/org.apache.commons/commons-lang3@3.17.0",
        "pkg:github/Package-URL/purl-spec@1.0",
        "pkg:cargo/serde@1.0.215",
        "pkg:golang/golang.org/x/net@v0.31.0",
        "pkg:deb/debian/curl@7.50.3-1?arch=i386",
        "pkg:gem/rails@8.0.0#sub",
    ],
)
def test_fast_path_agrees_with_the_general_parser(text: str) -> None:
    assert parse_purl(text) == _parse_general(text)


@pytest.mark.parametrize(
    ("ecosystem", "name", "namespace", "distro", "expected"),
    [
        # https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst, type by type
        (
            "maven",
            "org.apache.commons:commons-lang3",
            None,
            None,
            "pkg:maven/org.apache.commons/commons-lang3",
        ),
        ("maven", "Commons-Lang3", "Org.Apache", None, "pkg:maven/Org.Apache/Commons-Lang3"),  # case kept
        ("golang", "github.com/spf13/cobra", None, None, "pkg:golang/github.com/spf13/cobra"),
        (
            "golang",
            "github.com/cpuguy83/go-md2man/v2",
            None,
            None,
            "pkg:golang/github.com/cpuguy83/go-md2man/v2",
        ),
        (
            "golang",
            "github.com/Azure/azure-sdk-for-go",
            None,
            None,
            "pkg:golang/github.com/Azure/azure-sdk-for-go",
        ),
        ("cargo", "Inflector", None, None, "pkg:cargo/Inflector"),
        ("composer", "Monolog/Monolog", None, None, "pkg:composer/monolog/monolog"),
        ("nuget", "Newtonsoft.Json", None, None, "pkg:nuget/newtonsoft.json"),
        ("gem", "ActiveRecord", None, None, "pkg:gem/ActiveRecord"),
        ("deb", "LibSSL3", "Debian", "debian-12.5", "pkg:deb/debian/libssl3?distro=debian-12"),
        ("deb", "curl", "ubuntu", "ubuntu-22.04", "pkg:deb/ubuntu/curl?distro=ubuntu-22.04"),
        ("rpm", "NetworkManager", "Fedora", "fedora-40", "pkg:rpm/fedora/NetworkManager?distro=fedora-40"),
        ("apk", "BusyBox", "Alpine", "alpine-3.20.3", "pkg:apk/alpine/busybox?distro=alpine-3.20"),
        ("deb", "curl", "debian", None, "pkg:deb/debian/curl"),  # no distro known: none invented
        ("npm", "lodash", None, "debian-12", "pkg:npm/lodash"),  # distro only for OS packages
    ],
)
def test_each_type_is_normalised_as_the_purl_types_say(
    ecosystem: str, name: str, namespace: str | None, distro: str | None, expected: str
) -> None:
    assert purl_for(ecosystem, name, namespace, distro=distro) == expected
    assert canonical_purl(expected) == expected  # stable: a canonical purl parses to itself


@pytest.mark.parametrize(
    ("text", "expected", "version"),
    [
        (
            "pkg:deb/debian/libc6@2.36-9+deb12u8?arch=amd64&distro=debian-12",
            "pkg:deb/debian/libc6?distro=debian-12",
            "2.36-9+deb12u8",
        ),
        (
            "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.3",
            "pkg:apk/alpine/musl?distro=alpine-3.20",  # trivy: a bare version
            "1.2.5-r0",
        ),
        (
            "pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4",
            "pkg:rpm/redhat/openssl?distro=rhel-9.4",
            "3.0.7-27.el9",
        ),
        ("pkg:composer/Laravel/Framework@v11.0.0", "pkg:composer/laravel/framework", "v11.0.0"),
        ("pkg:nuget/Serilog@4.0.0", "pkg:nuget/serilog", "4.0.0"),
        ("pkg:golang/github.com/spf13/cobra@v1.8.1", "pkg:golang/github.com/spf13/cobra", "v1.8.1"),
    ],
)
def test_os_packages_keep_their_distribution(text: str, expected: str, version: str) -> None:
    parsed = parse_purl(text)
    assert (parsed.package.purl, parsed.version) == (expected, version)
