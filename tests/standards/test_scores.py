"""Table-driven tests of the pure scores, with the reference's examples."""

from __future__ import annotations

import pytest

from analysis.score import Status
from analysis.standards.scores import (
    ImplementationFacts as Impl,
)
from analysis.standards.scores import (
    StandardFacts as Std,
)
from analysis.standards.scores import (
    effective_number,
    exit_options,
    fragility,
    implementation_diversity,
    k_reaching,
    standardisation,
)

RFC7519 = Std("ietf:rfc7519", 3, "free", "Proposed Standard", 2015)
ISO_C = Std("iso:9899", 3, "paywalled", "Published", 2024)
ISO_RUBY = Std("iso:30170", 3, "paywalled", "Published", 2012)
VENDOR = Std("spec:go", 1, "free", "Published", 2025)


@pytest.mark.parametrize(
    ("kind", "standards", "value", "adjustments"),
    [
        ("format", [RFC7519], 3, []),
        ("language", [ISO_C], 2, ["paywalled"]),  # ISO C: open process, paywalled text
        ("language", [ISO_RUBY], 1, ["paywalled", "stale"]),  # ISO Ruby 2012 lags the language
        (
            "protocol",
            [Std("ietf:rfc1035", 3, "free", "Internet Standard", 1987)],
            3,
            [],
        ),  # protocols do not age
        ("format", [Std("ietf:rfc2616", 3, "free", "obsolete", 1999)], 2, ["stale"]),
        ("language", [VENDOR], 1, []),
        ("language", [VENDOR, ISO_C], 2, ["paywalled"]),  # the best standard counts
        ("language", [Std("x:y", 0, "paywalled")], 0, ["paywalled"]),  # never below 0
    ],
)
def test_standardisation(kind: str, standards: list[Std], value: int, adjustments: list[str]) -> None:
    score = standardisation("i", kind, standards, as_of_year=2026)
    assert score.value == value
    assert score.status is Status.OK
    assert score.details["adjustments"] == adjustments


def test_no_standard_is_zero_with_a_reason() -> None:
    score = standardisation("python-language", "language", [], as_of_year=2026)
    assert (score.value, score.status) == (0.0, Status.OK)
    assert "no published standard" in score.reason


@pytest.mark.parametrize(
    ("shares", "n2", "k66"),
    [
        ([1.0], 1.0, 1),
        ([0.5, 0.5], 2.0, 2),
        ([0.7, 0.3], 1 / 0.58, 1),
        ([0.25] * 4, 4.0, 3),
        ([0.6, 0.2, 0.1, 0.1], 1 / 0.42, 2),
    ],
)
def test_effective_number_and_k66(shares: list[float], n2: float, k66: int) -> None:
    assert effective_number(shares) == pytest.approx(n2)
    assert k_reaching(shares) == k66


JWT_PYPI = [
    Impl("pkg:pypi/pyjwt", "PyJWT", "pyjwt", "jpadilla", usage=6),
    Impl("pkg:pypi/python-jose", "python-jose", "python-jose", "mpdavis", usage=2),
    Impl("pkg:pypi/authlib", "Authlib", "authlib", "authlib", "true", usage=1),
    Impl("pkg:pypi/jwcrypto", "JWCrypto", "jwcrypto", "latchset", usage=1),
]
# Debian's c-compiler providers: 11 binary packages, 4 lineages (GCC, LLVM, TCC, PCC).
C_COMPILERS = [
    *(Impl(f"system:gcc-{v}", f"gcc-{v}", "gcc", "gnu") for v in (9, 10, 11, 12, 13)),
    *(Impl(f"system:clang-{v}", f"clang-{v}", "llvm", "llvm-foundation") for v in (13, 14, 15, 16)),
    Impl("system:tcc", "tcc", "tcc", "tcc-community"),
    Impl("system:pcc", "pcc", "pcc", "pcc-individual"),
]
# The three D compilers share one front end (dmd's): one lineage, three stewards.
D_COMPILERS = [
    Impl("system:dmd", "DMD", "dmd-frontend", "dlang-foundation"),
    Impl("system:ldc", "LDC", "dmd-frontend", "ldc-developers"),
    Impl("system:gdc", "GDC", "dmd-frontend", "gnu"),
]


@pytest.mark.parametrize(
    ("impls", "lineages", "stewards", "n2", "top_share", "k66", "weighting"),
    [
        # four JWT libraries weighted by the organisation's usage (6, 2, 1 and 1 applications)
        (JWT_PYPI, 4, 4, 1 / 0.42, 0.6, 2, "usage"),
        # the same libraries with one of them used: equal weights
        (
            [
                Impl(i.subject, i.name, i.lineage, i.steward, usage=1 if i.name == "PyJWT" else 0)
                for i in JWT_PYPI
            ],
            4,
            4,
            4.0,
            0.25,
            3,
            "equal",
        ),
        # two used packages of one lineage (react and react-dom) are one implementation: equal weights
        (
            [
                Impl("pkg:npm/react", "React", "react", "meta", usage=3),
                Impl("pkg:npm/react-dom", "React DOM", "react", "meta", usage=3),
                Impl("pkg:npm/preact", "Preact", "preact", "preact-team"),
                Impl("pkg:npm/vue", "Vue", "vue", "vue-team"),
            ],
            3,
            3,
            3.0,
            1 / 3,
            2,
            "equal",
        ),
        (C_COMPILERS, 4, 4, 4.0, 0.25, 3, "equal"),  # 11 packages count as 4 lineages
        (D_COMPILERS, 1, 3, 1.0, 1.0, 1, "equal"),  # one front end: lineage diversity 1
        # a licence-change fork: one lineage, two stewards -> the smaller N2 (lineages) is kept
        (
            [
                Impl("pkg:pypi/redis-server", "Redis", "redis", "redis-ltd"),
                Impl("pkg:pypi/valkey", "Valkey", "redis", "linux-foundation"),
            ],
            1,
            2,
            1.0,
            1.0,
            1,
            "equal",
        ),
        # one steward controlling two lineages -> the smaller N2 (stewards) is kept
        ([Impl("a", "A", "a", "acme"), Impl("b", "B", "b", "acme")], 2, 1, 1.0, 1.0, 1, "equal"),
        # a non-conforming implementation does not count
        ([Impl("a", "A", "a", "x"), Impl("b", "B", "b", "y", "false")], 1, 1, 1.0, 1.0, 1, "equal"),
    ],
)
def test_implementation_diversity(
    impls: list[Impl], lineages: int, stewards: int, n2: float, top_share: float, k66: int, weighting: str
) -> None:
    score = implementation_diversity("i", impls)
    assert score.status is Status.OK
    assert score.value == pytest.approx(n2, abs=1e-3)
    details = score.details
    assert (details["lineages"], details["stewards"]) == (lineages, stewards)
    assert details["top_share"] == pytest.approx(top_share, abs=1e-3)
    assert (details["k66"], details["weighting"]) == (k66, weighting)


def test_diversity_without_conforming_implementations_is_inconclusive() -> None:
    score = implementation_diversity("i", [Impl("a", "A", "a", "x", "false")])
    assert (score.value, score.status) == (None, Status.INCONCLUSIVE)


def _fragility(s: float, impls: list[Impl]) -> str | None:
    standard = standardisation("i", "protocol", [Std("s", int(s), "free")] if s else [], as_of_year=2026)
    return fragility("i", standard, implementation_diversity("i", impls)).label


FIVE = [Impl(str(n), str(n), f"l{n}", f"s{n}") for n in range(5)]


@pytest.mark.parametrize(
    ("s", "impls", "label"),
    [
        (3, FIVE, "commons-grade"),  # open standard, N2 = 5, top share 20%
        (3, C_COMPILERS, "commons-grade"),  # S >= 2, 4 lineages
        (3, JWT_PYPI, "vigilance"),  # standard, but N2 = 2.4 under the organisation's usage
        (2, D_COMPILERS, "vigilance"),  # a standard but one lineage
        (0, FIVE, "vigilance"),  # diversity but no standard (Python)
        (1, [Impl("go", "gc", "gc", "google"), Impl("tinygo", "TinyGo", "tinygo", "google")], "single-actor"),
        (0, [Impl("ts", "tsc", "tsc", "microsoft")], "single-actor"),
        (1, [Impl("a", "A", "a", "x"), Impl("b", "B", "b", "y")], "vigilance"),  # two stewards: N2 = 2 >= 1.5
    ],
)
def test_fragility_classes(s: float, impls: list[Impl], label: str) -> None:
    assert _fragility(s, impls) == label


def test_fragility_values_and_inconclusive() -> None:
    standard = standardisation("i", "protocol", [RFC7519], as_of_year=2026)
    commons = fragility("i", standard, implementation_diversity("i", FIVE))
    assert (commons.value, commons.label) == (2.0, "commons-grade")
    unknown = fragility("i", standard, implementation_diversity("i", []))
    assert (unknown.status, unknown.label) == (Status.INCONCLUSIVE, None)


def test_exit_options_list_the_others_independent_first_then_by_truck_factor() -> None:
    impls = [*JWT_PYPI, Impl("pkg:pypi/pyjwt-fork", "PyJWT fork", "pyjwt", "someone")]
    concentration = {
        "pkg:pypi/authlib": {"truck_factor": 1.0, "elephant_factor": 1.0},
        "pkg:pypi/python-jose": {},
    }
    score = exit_options("jwt", "pkg:pypi/pyjwt", impls, concentration)
    options = score.details["options"]
    assert score.value == 4.0
    # same cost: independent lineages first; among them a known truck factor, then usage (python-jose: 2)
    assert [o["name"] for o in options] == ["Authlib", "python-jose", "JWCrypto", "PyJWT fork"]
    assert options[0]["truck_factor"] == 1.0
    assert options[0]["concentration"] == {"truck_factor": 1.0, "elephant_factor": 1.0}
    assert options[1]["truck_factor"] is None
    assert options[3]["control"] == "same lineage"
    assert score.details["independent"] == 3


def test_no_exit_option_says_so() -> None:
    score = exit_options("ts", "ts", [Impl("ts", "tsc", "tsc", "microsoft")], {})
    assert (score.value, score.status) == (0.0, Status.OK)
    assert "nowhere to move" in score.reason
