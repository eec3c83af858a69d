"""Facts kept current: check dates, stale entries, newer editions, and the shipped catalogue's own facts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.standards.assess import assess
from analysis.standards.catalogue import load_catalogue
from analysis.standards.freshness import newer_editions, stale_entries
from analysis.standards.model import Catalogue, Interface, Standard, Steward

SOURCE = "https://example.org/"


def std(sid: str, checked: date | None, superseded_by: str | None = None) -> Standard:
    return Standard(
        sid, "Body", "1", sid, SOURCE, "Published", 2, "free", SOURCE, None, None, superseded_by, checked
    )


CATALOGUE = Catalogue(
    standards={
        s.id: s
        for s in (
            std("spec:toml-1.0", date(2026, 11, 22), "spec:toml-1.1"),
            std("spec:toml-1.1", date(2026, 12, 2)),
            std("spec:old", date(2024, 5, 1)),
            std("spec:undated", None),
        )
    },
    stewards={"acme": Steward("acme", "ACME", "company", SOURCE, SOURCE, checked=date(2025, 12, 1))},
    interfaces={
        "toml": Interface("toml", "TOML", "format", "ecosystem", SOURCE, ("spec:toml-1.1", "spec:toml-1.0")),
        "config": Interface("config", "Config", "format", "ecosystem", SOURCE, ("spec:toml-1.0",)),
    },
)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (
            date(2026, 12, 2),
            [
                ("interface", "config", "no check date"),
                ("interface", "toml", "no check date"),
                ("standard", "spec:old", "last checked 2024-05-01"),
                ("standard", "spec:undated", "no check date"),
                ("steward", "acme", "last checked 2025-12-01"),
            ],
        ),
        (
            date(2025, 1, 1),  # earlier: only the undated entries and the 2024 standard... not a year old yet
            [
                ("interface", "config", "no check date"),
                ("interface", "toml", "no check date"),
                ("standard", "spec:undated", "no check date"),
            ],
        ),
    ],
)
def test_stale_entries(as_of: date, expected: list[tuple[str, str, str]]) -> None:
    found = [(e.table, e.key, e.reason) for e in stale_entries(CATALOGUE, as_of=as_of)]
    assert [(t, k) for t, k, _ in found] == [(t, k) for t, k, _ in expected]
    assert all(words in reason for (_, _, reason), (_, _, words) in zip(found, expected, strict=True))


def test_newer_editions_list_the_old_standard_and_interfaces_left_behind() -> None:
    assert [(e.table, e.key, e.reason) for e in newer_editions(CATALOGUE)] == [
        ("standard", "spec:toml-1.0", "superseded by spec:toml-1.1"),
        ("interface", "config", "follows spec:toml-1.0 but not its newer edition spec:toml-1.1"),
    ]


# ------------------------------------------------------------------------------------------ the shipped catalogue

SHIPPED = load_catalogue(shipped=Path(__file__).resolve().parents[2] / "data" / "catalogue")


def _entries() -> list[tuple[str, str, str, date | None]]:
    return [
        *(("standard", s.id, s.source, s.checked) for s in SHIPPED.standards.values()),
        *(("steward", s.id, s.source, s.checked) for s in SHIPPED.stewards.values()),
        *(("interface", i.id, i.source, i.checked) for i in SHIPPED.interfaces.values()),
        *(("implementation", i.subject, i.evidence, i.checked) for i in SHIPPED.implementations.values()),
    ]


def test_every_shipped_entry_has_a_source_and_a_check_date() -> None:
    missing = [
        f"{table} {key}" for table, key, source, checked in _entries() if not source or checked is None
    ]
    assert missing == []
    assert len(_entries()) > 1700  # the whole catalogue is checked, not a handful


def test_every_shipped_non_exit_says_why_and_every_parent_has_a_source() -> None:
    unexplained = [
        i.subject
        for i in SHIPPED.implementations.values()
        if i.conformance == "false" and not i.conformance_note
    ]
    assert unexplained == []
    assert all(s.parent_source and s.parent_since for s in SHIPPED.stewards.values() if s.parent)


@pytest.mark.parametrize(
    ("steward_id", "ultimate"),
    [
        ("youki-maintainers", "linux-foundation"),  # youki -> CNCF -> Linux Foundation
        ("jshttp", "linux-foundation"),  # jshttp -> OpenJS -> Linux Foundation
        ("openinfra-foundation", "linux-foundation"),
        ("rustls-project", "rust-foundation"),
        ("github", "microsoft"),
        ("red-hat", "ibm"),
        ("inria", "inria"),
    ],
)
def test_shipped_stewards_inside_stewards(steward_id: str, ultimate: str) -> None:
    assert SHIPPED.controller(steward_id) == ultimate


def test_shipped_licensor_beside_the_steward() -> None:
    compcert = SHIPPED.implementations[("c-language", "system:compcert")]
    licensor = SHIPPED.stewards[str(compcert.licensor)]
    assert (compcert.steward, SHIPPED.stewards[compcert.steward].country) == ("inria", "FR")
    assert (licensor.name, licensor.country) == ("AbsInt Angewandte Informatik GmbH", "DE")


def test_shipped_container_runtimes_fall_to_vigilance_under_one_ultimate_parent() -> None:
    labels = {
        level: assess(
            SHIPPED,
            "container-runtime",
            "system",
            "system:runc",
            usage={},
            concentration={},
            as_of_year=2026,
            control_level=level,
        )
        for level in ("steward", "ultimate")
    }
    assert labels["steward"].fragility.label == "commons-grade"
    assert labels["ultimate"].fragility.label == "vigilance"
    assert "grouped by their ultimate parent" in labels["ultimate"].diversity.reason


@pytest.mark.parametrize(
    ("interface", "ecosystem", "current", "first", "not_an_exit"),
    [
        ("jwt", "npm", "pkg:npm/jsonwebtoken", None, "pkg:npm/jwt-decode"),
        ("toml", "pypi", "pkg:pypi/tomli", None, "pkg:pypi/tomli-w"),
        ("redis-protocol", "pypi", "pkg:pypi/redis", None, "pkg:pypi/hiredis"),
        ("ui-component-library", "npm", "pkg:npm/react", ("Preact", "drop-in"), None),
    ],
)
def test_shipped_exits(
    interface: str, ecosystem: str, current: str, first: tuple[str, str] | None, not_an_exit: str | None
) -> None:
    options = assess(
        SHIPPED, interface, ecosystem, current, usage={}, concentration={}, as_of_year=2026
    ).exit_options.details
    subjects = [o["purl_or_component"] for o in options["options"]]
    if not_an_exit:
        assert not_an_exit not in subjects
        assert not_an_exit in [o["purl_or_component"] for o in options["not_exits"]]
    if first:
        assert (options["options"][0]["name"], options["options"][0]["cost"]) == first
        angular = next(o for o in options["options"] if o["name"] == "Angular")
        assert angular["cost"] == "rewrite"


def test_shipped_superseded_standards_do_not_lower_their_interfaces() -> None:
    for interface in ("toml", "webauthn", "openapi", "yaml"):
        score = assess(
            SHIPPED, interface, "pypi", "", usage={}, concentration={}, as_of_year=2026
        ).standardisation
        assert score.details["adjustments"] == []
    assert [e.key for e in newer_editions(SHIPPED) if e.table == "interface"] == []


def test_review_stale_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay = tmp_path / "old.toml"
    overlay.write_text(
        """
[[steward]]
id = "forgotten"
name = "Forgotten Ltd"
kind = "company"
url = "https://forgotten.example/"
source = "https://forgotten.example/"
checked = 2020-01-01
""",
        encoding="utf-8",
    )
    args = ["catalogue", "review", "--stale", "--as-of", "2026-12-02"]
    assert main([*args, "--catalogue", str(overlay)]) == 0
    output = capsys.readouterr().out
    assert "standard spec:toml-1.0 (data/catalogue/standards.toml): superseded by spec:toml-1.1" in output
    assert "steward forgotten" in output
    assert "1 catalogue entries not checked since 2025-12-02" in output
    assert main([*args, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["not_checked_for_a_year"] == []
    assert {e["key"] for e in document["newer_editions"]} == {
        "spec:openapi-3.1",
        "spec:toml-1.0",
        "spec:yaml-1.1",
        "w3c:webauthn-2",
    }
