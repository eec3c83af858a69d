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
