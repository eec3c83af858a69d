"""Who really controls an implementation and which exits are real: steward parents, licensors, conformance,
dependencies, exit cost classes and their ranking. Table-driven, on literal inputs and small overlays."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.standards.assess import assess
from analysis.standards.catalogue import CatalogueError, load_catalogue
from analysis.standards.model import Catalogue, Steward
from analysis.standards.scores import (
    ImplementationFacts as Impl,
)
from analysis.standards.scores import (
    StandardFacts as Std,
)
from analysis.standards.scores import (
    exit_options,
    fragility,
    implementation_diversity,
    standardisation,
)
from analysis.standards.step import control_level_setting
from collectors.errors import InputError


def steward(sid: str, parent: str | None = None) -> Steward:
    since = 2020 if parent else None
    source = "https://example.org/" if parent else None
    return Steward(
        sid, sid, "foundation", "https://example.org/", "https://example.org/", None, parent, since, source
    )


HIERARCHY = Catalogue(
    stewards={
        s.id: s
        for s in (
            steward("linux-foundation"),
            steward("cncf", "linux-foundation"),
            steward("openjs-foundation", "linux-foundation"),
            steward("jshttp", "openjs-foundation"),
            steward("google"),
        )
    }
)


@pytest.mark.parametrize(
    ("steward_id", "level", "controller"),
    [
        ("jshttp", "steward", "jshttp"),
        ("jshttp", "parent", "openjs-foundation"),
        ("jshttp", "ultimate", "linux-foundation"),
        ("cncf", "ultimate", "linux-foundation"),
        ("linux-foundation", "parent", "linux-foundation"),  # no parent: itself at every level
        ("google", "ultimate", "google"),
        ("not-in-catalogue", "ultimate", "not-in-catalogue"),
    ],
)
def test_controller_at_each_level(steward_id: str, level: str, controller: str) -> None:
    assert HIERARCHY.controller(steward_id, level) == controller


def test_an_unknown_level_is_an_error() -> None:
    with pytest.raises(ValueError, match="ultimate, parent, steward"):
        HIERARCHY.controller("cncf", "group")


# Five OCI runtimes of five lineages: three of their stewards are Linux Foundation entities.
RUNTIMES = [
    ("runc", "oci", "linux-foundation"),
    ("youki", "cncf", "linux-foundation"),
    ("kata", "openinfra", "linux-foundation"),
    ("crun", "red-hat", "ibm"),
    ("gvisor", "google", "google"),
]


@pytest.mark.parametrize(
    ("level", "stewards", "n2", "label", "words"),
    [
        ("steward", 5, 5.0, "commons-grade", "stewards counted as named"),
        # grouped by ultimate parent: shares 3/5, 1/5, 1/5 -> HHI 0.44 -> N2 2.27; top share 60%
        ("ultimate", 3, 1 / 0.44, "vigilance", "grouped by their ultimate parent"),
    ],
)
def test_grouping_stewards_by_ultimate_parent_changes_n2_and_the_class(
    level: str, stewards: int, n2: float, label: str, words: str
) -> None:
    impls = [
        Impl(f"system:{name}", name, name, named, control=top if level == "ultimate" else "")
        for name, named, top in RUNTIMES
    ]
    diversity = implementation_diversity("container-runtime", impls, control_level=level)
    assert diversity.value == pytest.approx(n2, abs=1e-3)
    assert diversity.details["stewards"] == stewards
    assert diversity.details["stewards_named"] == 5
    assert diversity.details["control_level"] == level
    assert words in diversity.reason
    s = standardisation("container-runtime", "api", [Std("spec:oci-runtime", 3, "free")], as_of_year=2026)
    assert fragility("container-runtime", s, diversity).label == label


def test_a_dependant_shares_the_lineage_of_what_it_depends_on() -> None:
    # standard (JavaScript Standard Style) runs ESLint: two packages, one lineage for diversity
    impls = [
        Impl("pkg:npm/eslint", "ESLint", "eslint", "openjs"),
        Impl("pkg:npm/standard", "standard", "standard", "standard-js", depends_on=("pkg:npm/eslint",)),
        Impl("pkg:npm/oxlint", "Oxlint", "oxc", "voidzero"),
    ]
    diversity = implementation_diversity("javascript-linter", impls)
    assert diversity.details["lineages"] == 2
    assert diversity.value == pytest.approx(2.0)


JWT_NPM = [
    Impl("pkg:npm/jsonwebtoken", "jsonwebtoken", "jsonwebtoken", "okta"),
    Impl(
        "pkg:npm/jwt-decode",
        "jwt-decode",
        "jwt-decode",
        "okta",
        "false",
        conformance_note="decodes without verifying signatures",
    ),
    Impl("pkg:npm/jose", "jose", "jose", "panva"),
    Impl("pkg:npm/fast-jwt", "fast-jwt", "fast-jwt", "nearform"),
    Impl("pkg:npm/okta-jwt", "Okta JWT verifier", "okta-jwt", "okta"),
]


def test_a_non_conforming_implementation_is_not_an_exit() -> None:
    score = exit_options("jwt", "pkg:npm/jsonwebtoken", JWT_NPM, {}, standards=["ietf:rfc7519"])
    names = [o["name"] for o in score.details["options"]]
    assert "jwt-decode" not in names
    assert score.details["not_exits"] == [
        {
            "purl_or_component": "pkg:npm/jwt-decode",
            "name": "jwt-decode",
            "why": "decodes without verifying signatures",
        }
    ]
    assert score.value == 3.0
    assert "1 listed implementation(s) do not conform" in score.reason


@pytest.mark.parametrize(
    ("current", "option", "control"),
    [
        (Impl("a", "A", "a", "okta"), Impl("b", "B", "b", "okta"), "same control"),  # same steward
        (
            Impl("a", "A", "a", "cncf", control="linux-foundation"),
            Impl("b", "B", "b", "openjs", control="linux-foundation"),
            "same control",
        ),  # same ultimate parent
        (
            Impl("a", "A", "a", "inria", licensor_control="absint"),
            Impl("b", "B", "b", "absint"),
            "same control",
        ),  # the exit's steward sells the package's licence
        (
            Impl("a", "A", "a", "x"),
            Impl("b", "B", "b", "y", depends_on=("a",)),
            "depends on it",
        ),  # a linter running the one it would replace
        (Impl("a", "A", "redis", "redis-ltd"), Impl("b", "B", "redis", "lf"), "same lineage"),  # a fork
        (Impl("a", "A", "a", "x"), Impl("b", "B", "b", "y"), "independent"),
    ],
)
def test_exit_control(current: Impl, option: Impl, control: str) -> None:
    score = exit_options("i", current.subject, [current, option], {})
    assert score.details["options"][0]["control"] == control
    assert score.details["independent"] == (1 if control == "independent" else 0)


UI = [
    Impl("pkg:npm/react", "React", "react", "meta"),
    Impl("pkg:npm/react-dom", "React DOM", "react", "meta"),
    Impl("pkg:npm/%40angular/core", "Angular", "angular", "google"),
    Impl(
        "pkg:npm/preact",
        "Preact",
        "preact",
        "preactjs",
        drop_in_for=("pkg:npm/react", "pkg:npm/react-dom"),
        drop_in_evidence="https://preactjs.com/guide/v10/switching-to-preact",
    ),
    Impl("pkg:npm/vue", "Vue", "vue", "vuejs"),
]


@pytest.mark.parametrize(
    ("current", "impls", "kind", "standards", "concentration", "expected"),
    [
        # no shared standard: a compat layer is a drop-in, every other framework a rewrite;
        # among the rewrites, independent before same lineage, then by truck factor
        (
            "pkg:npm/react",
            UI,
            "api",
            [],
            {"pkg:npm/vue": {"truck_factor": 3.0}, "pkg:npm/%40angular/core": {"truck_factor": 2.0}},
            [
                ("Preact", "drop-in", "independent"),
                ("Vue", "rewrite", "independent"),
                ("Angular", "rewrite", "independent"),
                ("React DOM", "rewrite", "same lineage"),
            ],
        ),
        # a standard: every exit is a port; cost ties, so independence then health decide
        (
            "pkg:npm/jsonwebtoken",
            JWT_NPM,
            "format",
            ["ietf:rfc7519"],
            {"pkg:npm/jose": {"truck_factor": 1.0}, "pkg:npm/fast-jwt": {"truck_factor": 4.0}},
            [
                ("fast-jwt", "port", "independent"),
                ("jose", "port", "independent"),
                ("Okta JWT verifier", "port", "same control"),
            ],
        ),
        # a language without a formal standard still shares its contract: CPython -> PyPy is a port
        (
            "system:cpython",
            [
                Impl("system:cpython", "CPython", "cpython", "psf"),
                Impl("system:pypy", "PyPy", "pypy", "pypy"),
            ],
            "language",
            [],
            {},
            [("PyPy", "port", "independent")],
        ),
    ],
)
def test_exits_ranked_by_cost_then_independence_then_health(
    current: str,
    impls: list[Impl],
    kind: str,
    standards: list[str],
    concentration: dict[str, dict[str, float | None]],
    expected: list[tuple[str, str, str]],
) -> None:
    score = exit_options("i", current, impls, concentration, interface_kind=kind, standards=standards)
    assert [(o["name"], o["cost"], o["control"]) for o in score.details["options"]] == expected
    first = score.details["options"][0]
    assert first["cost_evidence"]
    assert f"cheapest: {first['name']} ({first['cost']}, {first['control']})" in score.reason


def test_drop_in_evidence_is_the_compat_layer_documentation() -> None:
    score = exit_options("ui", "pkg:npm/react", UI, {})
    preact = score.details["options"][0]
    assert (preact["name"], preact["cost_evidence"]) == (
        "Preact",
        "https://preactjs.com/guide/v10/switching-to-preact",
    )


# ------------------------------------------------------------------------------------------ catalogue files

STEWARDS = """
[[steward]]
id = "umbrella"
name = "Umbrella Foundation"
kind = "foundation"
url = "https://umbrella.example/"
source = "https://umbrella.example/"
checked = 2026-12-02

[[steward]]
id = "sub-a"
name = "Sub-foundation A"
kind = "foundation"
url = "https://a.example/"
source = "https://a.example/"
parent = "umbrella"
parent_since = 2019-03-12
parent_source = "https://umbrella.example/members"
checked = 2026-12-02

[[steward]]
id = "sub-b"
name = "Sub-foundation B"
kind = "foundation"
url = "https://b.example/"
source = "https://b.example/"
parent = "umbrella"
parent_since = 2015
parent_source = "https://umbrella.example/members"
checked = 2026-12-02

[[steward]]
id = "vendor"
name = "Vendor GmbH"
kind = "company"
country = "DE"
url = "https://vendor.example/"
source = "https://vendor.example/"
checked = 2024-01-01

[[interface]]
id = "widget"
title = "Widget protocol"
kind = "protocol"
scope = "global"
standards = []
source = "https://widget.example/"
checked = 2026-12-02
"""


def impl(name: str, steward_id: str, extra: str = "") -> str:
    return f"""
[[implementation]]
interface = "widget"
component = "system:{name}"
name = "{name}"
lineage = "{name}"
steward = "{steward_id}"
conformance = "unknown"
evidence = "https://{name}.example/"
checked = 2026-12-02
{extra}"""


def load(tmp_path: Path, text: str) -> Catalogue:
    path = tmp_path / "overlay.toml"
    path.write_text(text, encoding="utf-8")
    return load_catalogue([path], shipped=None)


def test_overlay_hierarchy_licensor_and_assessment(tmp_path: Path) -> None:
    catalogue = load(
        tmp_path,
        STEWARDS
        + impl("one", "sub-a")
        + impl("two", "sub-b")
        + impl("three", "umbrella", 'licensor = "vendor"\nlicensor_source = "https://vendor.example/licence"')
        + impl("four", "vendor"),
    )
    assert catalogue.stewards["sub-a"].parent_since is not None
    assert catalogue.stewards["sub-b"].parent_since == 2015
    assert catalogue.implementations[("widget", "system:three")].licensor == "vendor"
    ultimate = assess(
        catalogue, "widget", "system", "system:one", usage={}, concentration={}, as_of_year=2026
    )
    named = assess(
        catalogue,
        "widget",
        "system",
        "system:one",
        usage={},
        concentration={},
        as_of_year=2026,
        control_level="steward",
    )
    assert (named.diversity.details["stewards"], ultimate.diversity.details["stewards"]) == (4, 2)
    controls = {o["name"]: o["control"] for o in ultimate.exit_options.details["options"]}
    # "four" is independent of the umbrella, though "three" carries the vendor's licence
    assert controls == {"two": "same control", "three": "same control", "four": "independent"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            STEWARDS.replace(
                'parent = "umbrella"\nparent_since = 2015', 'parent = "nobody"\nparent_since = 2015'
            ),
            "steward (sub-b), field 'parent': unknown steward 'nobody'",
        ),
        (
            STEWARDS.replace(
                'id = "umbrella"\nname = "Umbrella Foundation"',
                'id = "umbrella"\nname = "U"\nparent = "sub-a"\nparent_since = 2020\nparent_source = "https://x.example/"',
            ),
            "cycle: ",
        ),
        (
            STEWARDS.replace("parent_since = 2019-03-12\n", ""),
            "steward[1] (sub-a), field 'parent_since': is required with 'parent'",
        ),
        (STEWARDS.replace("checked = 2024-01-01", 'checked = "last year"'), "must be a TOML date"),
        (
            STEWARDS + impl("x", "umbrella", 'licensor = "vendor"'),
            "field 'licensor_source': is required with 'licensor'",
        ),
        (
            STEWARDS + impl("x", "umbrella", 'licensor = "ghost"\nlicensor_source = "https://g.example/"'),
            "field 'licensor': unknown steward 'ghost'",
        ),
        (
            STEWARDS + impl("x", "umbrella", 'drop_in_for = ["system:y"]'),
            "field 'drop_in_evidence': is required with 'drop_in_for'",
        ),
        (STEWARDS + impl("x", "umbrella", 'depends_on = ["y"]'), "must be a list of purls or components"),
    ],
)
def test_validation_of_the_new_fields(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "overlay.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue([path], shipped=None)
    assert any(expected in str(p) for p in caught.value.problems), [str(p) for p in caught.value.problems]


def test_superseded_by_must_name_a_known_standard(tmp_path: Path) -> None:
    text = """
[[standard]]
id = "spec:widget-1"
body = "Widget group"
number = "1"
title = "Widget 1"
url = "https://widget.example/1"
status = "superseded"
openness = 2
access = "free"
superseded_by = "spec:widget-2"
source = "https://widget.example/1"
"""
    path = tmp_path / "overlay.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match="unknown standard 'spec:widget-2'"):
        load_catalogue([path], shipped=None)


@pytest.mark.parametrize(
    ("environ", "level"),
    [
        ({}, "ultimate"),
        ({"SOCLE_CONTROL_LEVEL": ""}, "ultimate"),
        ({"SOCLE_CONTROL_LEVEL": "steward"}, "steward"),
    ],
)
def test_control_level_setting(environ: dict[str, str], level: str) -> None:
    assert control_level_setting(environ) == level


def test_an_unknown_control_level_setting_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"\$SOCLE_CONTROL_LEVEL: must be one of ultimate, parent, steward"):
        control_level_setting({"SOCLE_CONTROL_LEVEL": "group"})
