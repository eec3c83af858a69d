"""End to end on a real DuckDB file: the standards step, the review list, the report and the CLI."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.queries import standards as queries
from analysis.reports.standards import report
from analysis.standards import step
from collectors.store import read_connection, utcnow, write_session

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "standards" / "catalogue"

# (application, purl, direct); three applications so that usage weights apply to JWT libraries.
USES = [
    ("citizen-portal-api", "pkg:pypi/pyjwt", True),
    ("citizen-portal-api", "pkg:pypi/httpx", True),
    ("citizen-portal-api", "pkg:pypi/fastapi", True),
    ("citizen-portal-api", "pkg:pypi/numpy", False),
    ("intranet", "pkg:pypi/pyjwt", True),
    ("intranet", "pkg:pypi/python-jose", True),
    ("intranet", "pkg:pypi/orjson", True),  # no registry metadata
    ("services-web", "pkg:npm/jwt-decode", True),
    ("services-web", "pkg:npm/react", True),
]
METADATA = [
    (
        "pkg:pypi/fastapi",
        "pypi",
        "FastAPI framework, high performance",
        "Based on OpenAPI and JSON Schema.",
        [],
        ["Topic :: Internet :: WWW/HTTP :: HTTP Servers", "Operating System :: POSIX"],
    ),
    ("pkg:pypi/pyjwt", "pypi", "JSON Web Token implementation in Python", "RFC 7519", ["jwt"], []),
    (
        "pkg:pypi/numpy",
        "pypi",
        "Fundamental package for array computing",
        "",
        [],
        ["Operating System :: POSIX", "Programming Language :: Python :: Implementation :: CPython"],
    ),
    (
        "pkg:npm/react",
        "npm",
        "React is a JavaScript library for building user interfaces.",
        "",
        ["react"],
        [],
    ),
]


@dataclass(frozen=True)
class Options:
    catalogue_overlays: tuple[Path, ...] = ()
    now: datetime = field(default_factory=lambda: datetime(2026, 6, 1))


def seed(db: Path) -> None:
    with write_session(db, "import") as session:
        conn, run_id = session.conn, session.run_id
        for app in sorted({u[0] for u in USES}):
            conn.execute("INSERT INTO applications VALUES (?, 'test', 'uv-lock', 'h', ?)", [app, run_id])
        for purl in sorted({u[1] for u in USES}):
            ecosystem, name = purl.removeprefix("pkg:").split("/", 1)
            conn.execute("INSERT INTO packages VALUES (?, ?, NULL, ?, ?)", [purl, ecosystem, name, run_id])
        for app, purl, direct in USES:
            conn.execute(
                "INSERT INTO app_packages (app, purl, version, is_direct, depth, scope, run_id) "
                "VALUES (?, ?, '1.0', ?, ?, 'runtime', ?)",
                [app, purl, direct, 1 if direct else 2, run_id],
            )
        # The registry collectors' table (contract of 0002_registry.sql), created here if absent.
        conn.execute(
            "CREATE TABLE IF NOT EXISTS package_metadata (purl VARCHAR PRIMARY KEY, ecosystem VARCHAR, "
            "summary VARCHAR, description VARCHAR, keywords VARCHAR[], classifiers VARCHAR[], "
            "fetched_at TIMESTAMP, run_id BIGINT)"
        )
        for row in METADATA:
            conn.execute(
                "INSERT INTO package_metadata (purl, ecosystem, summary, description, keywords, classifiers, "
                "fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [*row, utcnow(), run_id],
            )
        conn.execute(
            "INSERT INTO scores VALUES ('package', 'pkg:pypi/python-jose', 'truck_factor', '1', 1, 'ok', NULL, "
            "'One developer.', '{}', ?)",
            [run_id],
        )


def apply(db: Path, shipped: Path = FIXTURE, overlays: tuple[Path, ...] = ()) -> str:
    with write_session(db, "standards") as session:
        step.run(session, Options(overlays), shipped=shipped)
        return session.status


@pytest.fixture
def store(db_path: Path) -> Path:
    seed(db_path)
    assert apply(db_path) == "ok"
    return db_path


def score(db: Path, kind: str, subject: str, name: str) -> tuple[float | None, str | None, dict[str, object]]:
    with read_connection(db) as conn:
        row = conn.execute(
            "SELECT value, label, details::VARCHAR FROM scores WHERE subject_kind = ? AND subject = ? AND name = ?",
            [kind, subject, name],
        ).fetchone()
    assert row is not None, (kind, subject, name)
    return row[0], row[1], json.loads(row[2])


def test_step_loads_the_catalogue_and_classifies_by_purl(store: Path) -> None:
    with read_connection(store) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 (test's own names)
            for t in (
                "cat_standards",
                "cat_stewards",
                "cat_interfaces",
                "cat_interface_standards",
                "cat_implementations",
            )
        }
        mapping = conn.execute(
            "SELECT purl, interface_id, source FROM package_interfaces ORDER BY 1"
        ).fetchall()
        component = conn.execute(
            "SELECT purl, component, ecosystem FROM cat_implementations WHERE subject = 'system:gcc'"
        ).fetchone()
    assert counts == {
        "cat_standards": 5,
        "cat_stewards": 14,
        "cat_interfaces": 5,
        "cat_interface_standards": 4,
        "cat_implementations": 15,
    }
    assert mapping == [
        ("pkg:npm/jwt-decode", "jwt", "catalogue"),
        ("pkg:pypi/httpx", "http-client", "catalogue"),
        ("pkg:pypi/pyjwt", "jwt", "catalogue"),
        ("pkg:pypi/python-jose", "jwt", "catalogue"),
    ]
    assert component == (None, "system:gcc", "system")


def test_scores_use_the_organisations_usage_and_the_ecosystem_scope(store: Path) -> None:
    value, _label, details = score(store, "package", "pkg:pypi/pyjwt", "implementation_diversity")
    # pyjwt in 2 applications, python-jose in 1: shares 2/3 and 1/3
    assert value == pytest.approx(1 / (4 / 9 + 1 / 9), abs=1e-3)
    assert details["weighting"] == "usage"
    assert details["lineages"] == 4  # the four PyPI libraries; npm ones are another ecosystem
    _v, label, _d = score(store, "package", "pkg:pypi/pyjwt", "fragility")
    assert label == "vigilance"
    value, _l, details = score(store, "package", "pkg:pypi/pyjwt", "exit_options")
    assert value == 3
    options = {o["name"]: o for o in details["options"]}  # type: ignore[union-attr]
    assert set(options) == {"python-jose", "Authlib", "JWCrypto"}
    assert options["python-jose"]["truck_factor"] == 1.0
    # npm's JWT libraries: both stewarded by Auth0 -> one steward
    value, _l, details = score(store, "package", "pkg:npm/jwt-decode", "implementation_diversity")
    assert (value, details["stewards"]) == (1.0, 1)
    _v, label, _d = score(store, "interface", "jwt@npm", "fragility")
    assert label == "vigilance"  # S = 3 but one steward


def test_language_runtimes_are_scored_for_each_ecosystem(store: Path) -> None:
    value, label, _d = score(store, "interface", "python-language", "fragility")
    assert (value, label) == (1.0, "vigilance")  # several implementations, no standard
    standardisation, _l, _d = score(store, "interface", "python-language", "standardisation")
    assert standardisation == 0
    _v, label, _d = score(store, "interface", "ecmascript", "fragility")
    assert label == "commons-grade"
    value, _l, _d = score(store, "interface", "ecmascript", "exit_options")
    assert value == 3


def test_report_lists_every_dependency_and_the_runtime_of_each_application(store: Path) -> None:
    with read_connection(store) as conn:
        table = report(conn, None)
    assert table.columns == [
        "dependency",
        "interface",
        "standardisation",
        "diversity",
        "fragility",
        "exit_options",
        "reason",
    ]
    rows = {row[0]: row for row in table.rows}
    assert set(rows) == {u[1] for u in USES} | {"app:citizen-portal-api", "app:intranet", "app:services-web"}
    assert rows["pkg:pypi/pyjwt"][1:5] == ("jwt", 3.0, 1.8, "vigilance")
    # exits ranked by cost, then independence, then health, each with all three
    assert rows["pkg:pypi/pyjwt"][5].startswith("3: python-jose (port, independent, TF 1), ")
    assert rows["pkg:pypi/httpx"][4] == "vigilance"  # an open standard, one implementation listed
    assert rows["app:citizen-portal-api"][1:5] == ("python-language", 0.0, 3.0, "vigilance")
    assert rows["app:services-web"][1] == "ecmascript"
    assert rows["pkg:pypi/fastapi"][1] == "unclassified"
    assert "family:openapi" in rows["pkg:pypi/fastapi"][6]
    assert "no standard or protocol" in rows["pkg:pypi/numpy"][6]
    assert "has not been collected" in rows["pkg:pypi/orjson"][6]
    assert table.rows[-1][1] == "unclassified"  # classified rows first


def test_review_list_holds_hinted_packages_outside_the_catalogue(store: Path) -> None:
    with read_connection(store) as conn:
        review = queries.review_rows(conn)
        hints = conn.execute("SELECT value FROM detection_hints WHERE purl = 'pkg:pypi/numpy'").fetchall()
    assert [r.purl for r in review] == ["pkg:pypi/fastapi"]
    values = {h[0] for h in review[0].hints}
    assert {"family:openapi", "family:json-schema", "family:http-server"} <= values
    assert review[0].suggested == ("http-client",)  # it names HTTP; a maintainer decides
    assert hints == [("python-implementation:cpython",)]  # POSIX filtered, portability kept


def test_a_broken_overlay_is_recorded_and_keeps_the_previous_results(store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[steward]]\nid = "x"\nname = "X"\nkind = "nobody"\nurl = "https://x/"\nsource = "https://x/"\n'
    )
    assert apply(store, overlays=(bad,)) == "partial"
    with read_connection(store) as conn:
        events = conn.execute("SELECT severity, subject, message FROM run_events").fetchall()
        kept = conn.execute("SELECT count(*) FROM package_interfaces").fetchone()
    assert events == [
        (
            "error",
            str(bad),
            f"{bad}: steward[0] (x), field 'kind': must be one of company, "
            "foundation, community, individual, public-body; got 'nobody'",
        )
    ]
    assert kept == (4,)


def test_scores_of_packages_that_left_the_catalogue_are_retired(store: Path, tmp_path: Path) -> None:
    smaller = tmp_path / "catalogue"
    shutil.copytree(FIXTURE, smaller)
    (smaller / "interfaces" / "http.toml").unlink()
    assert apply(store, shipped=smaller) == "ok"
    with read_connection(store) as conn:
        left = conn.execute("SELECT count(*) FROM scores WHERE subject = 'pkg:pypi/httpx'").fetchone()
        history = conn.execute(
            "SELECT count(*) FROM score_history WHERE subject = 'pkg:pypi/httpx'"
        ).fetchone()
    assert left == (0,)
    assert history == (4,)


def test_cli_validate_apply_and_review(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_path)
    assert main(["catalogue", "validate", "--catalogue", str(FIXTURE)]) == 0
    # the shipped catalogue (data/catalogue/) may add to the fixture overlay: assert what the overlay fixes
    assert "(1 overlay(s))" in capsys.readouterr().out
    assert main(["catalogue", "apply", "--db", str(db_path), "--catalogue", str(FIXTURE)]) == 0
    assert "packages_classified=" in capsys.readouterr().out
    assert main(["catalogue", "review", "--db", str(db_path), "--format", "json"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert "pkg:pypi/pyjwt" not in {item["purl"] for item in review}
    with read_connection(db_path) as conn:
        assert ("pkg:pypi/pyjwt", "jwt") in {
            (p, i)
            for p, i, _s in conn.execute(
                "SELECT purl, interface_id, source FROM package_interfaces"
            ).fetchall()
        }
    bad = tmp_path / "bad.toml"
    bad.write_text('[[interface]]\nid = "Bad Id"\n')
    assert main(["catalogue", "validate", "--catalogue", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: interface[0] (Bad Id), field 'id': must be a lower-case id" in err
    assert f"{bad}: interface[0] (Bad Id), field 'title': is required" in err


def test_cli_apply_reports_catalogue_problems(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db_path)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[steward]]\nid = "x"\n')
    main(["catalogue", "apply", "--db", str(db_path), "--catalogue", str(bad)])
    err = capsys.readouterr().err
    assert f"error: {bad}: steward[0] (x), field 'name': is required" in err
    assert "earlier results kept" in err


def test_cli_apply_exits_1_on_catalogue_problems(db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[steward]]\nid = "x"\n')
    assert main(["catalogue", "apply", "--db", str(db_path), "--catalogue", str(bad)]) == 1
