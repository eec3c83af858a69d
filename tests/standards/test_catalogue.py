"""Loading, validation errors (file, entry, field), references, duplicates and overlays."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.standards.catalogue import SHIPPED_DIR, CatalogueError, load_catalogue, overlay_paths

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "standards" / "catalogue"

STEWARD = """
[[steward]]
id = "acme"
name = "ACME"
kind = "company"
url = "https://acme.example/"
source = "https://acme.example/"
"""
INTERFACE = """
[[interface]]
id = "widget"
title = "Widget protocol"
kind = "protocol"
scope = "global"
standards = []
source = "https://acme.example/widget"
"""
IMPLEMENTATION = """
[[implementation]]
interface = "widget"
purl = "pkg:pypi/widget"
name = "widget"
lineage = "widget"
steward = "acme"
conformance = "unknown"
evidence = "https://acme.example/widget"
"""


def write(tmp_path: Path, text: str, name: str = "overlay.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue([write(tmp_path, text)], shipped=None)
    return [str(p) for p in caught.value.problems]


def test_the_test_catalogue_loads() -> None:
    catalogue = load_catalogue(shipped=FIXTURE)
    assert len(catalogue.interfaces) == 5
    pyjwt = catalogue.implementations[("jwt", "pkg:pypi/pyjwt")]
    assert (pyjwt.lineage, pyjwt.steward, pyjwt.ecosystem, pyjwt.origin) == (
        "pyjwt",
        "jpadilla",
        "pypi",
        "catalogue",
    )
    authlib = catalogue.implementations[("jwt", "pkg:pypi/authlib")]
    assert authlib.conformance == "true"  # TOML true is stored as "true"
    gcc = catalogue.implementations[("c-compiler", "system:gcc")]
    assert (gcc.is_component, gcc.ecosystem) == (True, "system")
    assert catalogue.interfaces["jwt"].domain == "auth"
    assert catalogue.stewards["auth0"].country == "US"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            STEWARD.replace('kind = "company"', 'kind = "corporation"'),
            "overlay.toml: steward[0] (acme), field 'kind': must be one of company, foundation, community, individual, public-body; got 'corporation'",
        ),
        (
            STEWARD.replace('name = "ACME"\n', ""),
            "overlay.toml: steward[0] (acme), field 'name': is required",
        ),
        (STEWARD + 'colour = "red"\n', "overlay.toml: steward[0] (acme), field 'colour': unknown field"),
        (
            STEWARD.replace('url = "https://acme.example/"', 'url = "javascript:alert(1)"'),
            "overlay.toml: steward[0] (acme), field 'url': must be an http(s) URL",
        ),
        (STEWARD + 'country = "France"\n', "field 'country': must be an ISO 3166 alpha-2"),
        (
            """[[standard]]
id = "ietf:rfc1"
body = "IETF"
number = 1
title = "t"
url = "https://x.example/"
status = "s"
openness = 5
access = "free"
source = "https://x.example/"
""",
            "overlay.toml: standard[0] (ietf:rfc1), field 'openness': must be an integer from 0 to 3; got 5",
        ),
        (
            """[[standard]]
id = "RFC 7519"
""",
            "standard[0] (RFC 7519), field 'id': must be a standard id",
        ),
        (
            STEWARD + INTERFACE + IMPLEMENTATION.replace("pkg:pypi/widget", "pkg:pypi/Widget_Lib"),
            "implementation[0] (pkg:pypi/Widget_Lib), field 'purl': must be normalised: 'pkg:pypi/widget-lib'",
        ),
        (
            STEWARD + INTERFACE + IMPLEMENTATION.replace("pkg:pypi/widget", "pkg:pypi/widget@1.0"),
            "field 'purl': must be versionless",
        ),
        (
            STEWARD
            + INTERFACE
            + IMPLEMENTATION.replace(
                'purl = "pkg:pypi/widget"', 'purl = "pkg:pypi/widget"\ncomponent = "system:widget"'
            ),
            "field 'purl': give exactly one of purl or component",
        ),
        (
            STEWARD + INTERFACE + IMPLEMENTATION + 'ecosystem = "npm"\n',
            "field 'ecosystem': must be 'pypi', the purl's type",
        ),
        (
            STEWARD + INTERFACE + IMPLEMENTATION.replace('conformance = "unknown"', 'conformance = "yes"'),
            "field 'conformance': must be true, false or \"unknown\"",
        ),
        (
            STEWARD + INTERFACE + IMPLEMENTATION.replace('steward = "acme"', 'steward = "nobody"'),
            "implementation (pkg:pypi/widget), field 'steward': unknown steward 'nobody'",
        ),
        (
            STEWARD + IMPLEMENTATION,
            "implementation (pkg:pypi/widget), field 'interface': unknown interface 'widget'",
        ),
        (
            STEWARD + INTERFACE.replace("standards = []", 'standards = ["ietf:rfc9999"]'),
            "interface (widget), field 'standards': unknown standard 'ietf:rfc9999'",
        ),
        (STEWARD + STEWARD, "steward[1] (acme), field 'id': duplicate: already defined in"),
        (STEWARD + INTERFACE + IMPLEMENTATION + IMPLEMENTATION, "duplicate implementation"),
        ("[[gadget]]\nid = 'x'\n", "overlay.toml: [[gadget]]: unknown table"),
        ("id = ", "overlay.toml: file: is not readable TOML"),
    ],
)
def test_validation_errors_name_file_entry_and_field(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(tmp_path, text)
    assert any(expected in p for p in found), found
    assert all(str(tmp_path / "overlay.toml") in p for p in found)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    bad = STEWARD.replace('kind = "company"', 'kind = "x"') + INTERFACE.replace(
        'scope = "global"', 'scope = "x"'
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue([write(tmp_path, bad)], shipped=None)
    assert len(caught.value.problems) == 2
    assert "and 1 more problems" in str(caught.value)


def test_overlay_adds_and_overrides_without_touching_the_shipped_files(tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in FIXTURE.rglob("*.toml")}
    overlay = write(
        tmp_path,
        STEWARD
        + INTERFACE
        + IMPLEMENTATION
        + IMPLEMENTATION.replace('interface = "widget"', 'interface = "jwt"').replace(
            "pkg:pypi/widget", "pkg:pypi/internal-jwt"
        )
        # override: PyJWT's steward changes, python-language gains an internal build
        + IMPLEMENTATION.replace('interface = "widget"', 'interface = "jwt"')
        .replace("pkg:pypi/widget", "pkg:pypi/pyjwt")
        .replace('name = "widget"', 'name = "PyJWT"')
        .replace('lineage = "widget"', 'lineage = "pyjwt"'),
    )
    catalogue = load_catalogue([overlay], shipped=FIXTURE)
    assert catalogue.interfaces["widget"].origin == "overlay"
    assert catalogue.implementations[("jwt", "pkg:pypi/internal-jwt")].origin == "overlay"
    pyjwt = catalogue.implementations[("jwt", "pkg:pypi/pyjwt")]
    assert (pyjwt.steward, pyjwt.origin, pyjwt.file) == ("acme", "overlay", str(overlay))
    assert catalogue.implementations[("jwt", "pkg:pypi/authlib")].origin == "catalogue"
    assert {p: p.read_bytes() for p in FIXTURE.rglob("*.toml")} == before


def test_overlay_folder_and_environment_variable(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    folder.mkdir()
    write(folder, STEWARD, "stewards.toml")
    write(folder, INTERFACE + IMPLEMENTATION, "widgets.toml")
    extra = write(tmp_path, STEWARD.replace('"acme"', '"other"'), "extra.toml")
    paths = overlay_paths([extra], environ={"SOCLE_CATALOGUE": f"{folder}:{extra}"})
    assert paths == (folder, extra)  # the same file given twice is read once
    catalogue = load_catalogue(paths, shipped=None)
    assert set(catalogue.stewards) == {"acme", "other"}
    assert ("widget", "pkg:pypi/widget") in catalogue.implementations


def test_missing_overlay_is_an_error(tmp_path: Path) -> None:
    empty = load_catalogue([write(tmp_path, "")], shipped=None)  # an empty overlay is valid
    assert not empty.implementations
    with pytest.raises(CatalogueError, match="does not exist"):
        load_catalogue([tmp_path / "nope.toml"], shipped=None)


@pytest.mark.skipif(
    not (SHIPPED_DIR / "standards.toml").exists(), reason="data/catalogue/ is not on this branch yet"
)
def test_the_shipped_catalogue_validates_and_covers_the_issue() -> None:
    catalogue = load_catalogue(shipped=SHIPPED_DIR)
    assert len(catalogue.interfaces) >= 60
    assert len(catalogue.implementations) >= 250
    assert {"python-language", "ecmascript"} <= set(catalogue.interfaces)
