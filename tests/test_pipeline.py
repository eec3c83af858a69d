"""The whole product end to end, offline, through the command line a user types.

Two applications (a ``uv.lock`` and a CycloneDX SBOM) are imported; ``socle refresh`` collects them from a
fake registry on 127.0.0.1 serving the recorded PyPI and npm answers (``SOCLE_PYPI_URL``/``SOCLE_NPM_URL``),
and reads the repositories of requests and python-dateutil from a mirror folder of histories built here with
pygit2 (``--mirror-dir``, ``--no-clone``); the other repositories are not mirrored and are skipped with a
reason. Then every output a user reads is checked: the store's tables, the reports, the budget, the status and
the run ledger, and a second refresh is shown to be incremental.

The histories are dated relative to the clock (the CLI scores "now"), so every maintainer score is exact:

* psf/requests: Kenneth creates four modules and edits them in eight more commits; Nate creates and edits
  ``auth.py`` (two commits); a bot bumps ``uv.lock`` (reported, left out of every score). Kenneth authors 4 of
  the 5 counted files: removing him leaves 1/5 < 1/2 with an author, so the truck factor is 1. Commits:
  Kenneth 9, Nate 2: HHI = (81 + 4) / 121 = 0.702479; Kenneth alone reaches 50% (absence and pony factor 1);
  only Kenneth has 5 commits in 12 months (1 active maintainer). The last human commit is 49 days old.
* dateutil/dateutil: Paul and Mario each create two modules; Paul edits his five times and adds
  ``.github/FUNDING.yml`` (not a source file), Mario edits his four times. Removing Paul (2 files, more
  commits) leaves 2/4, not fewer than half, so Mario goes too: truck factor 2. Commits: Paul 7, Mario 5:
  HHI = (49 + 25) / 144 = 0.513889; absence factor 1 (7/12); 2 active maintainers; 48 days since the last.
* Everyone uses a personal mail address, so the elephant factor is inconclusive (no organisation), and no
  project is left out of the budget as single-company.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from analysis.cli import main
from bench.fake_registry import FakeRegistry, Route, serve
from collectors.store import read_connection
from tests.git.builder import RepoBuilder, body

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVENTORY = (FIXTURES / "pipeline" / "uv.lock", FIXTURES / "pipeline" / "bom.cdx.json")
DAY = 86_400
REQUESTS = "https://github.com/psf/requests"
DATEUTIL = "https://github.com/dateutil/dateutil"
PURLS = {
    "pkg:npm/ws": "https://github.com/websockets/ws",
    "pkg:pypi/attrs": "https://github.com/python-attrs/attrs",
    "pkg:pypi/idna": "https://github.com/kjd/idna",
    "pkg:pypi/pyjwt": "https://github.com/jpadilla/pyjwt",
    "pkg:pypi/pytest": "https://github.com/pytest-dev/pytest",
    "pkg:pypi/python-dateutil": DATEUTIL,
    "pkg:pypi/requests": REQUESTS,
    "pkg:pypi/urllib3": "https://github.com/urllib3/urllib3",
}


def _routes() -> dict[str, Route]:
    """Every recorded registry answer, at the path the collectors ask for."""
    routes = {}
    for file in (FIXTURES / "registry" / "pypi").glob("*.json"):
        if "@" not in file.stem:
            routes[f"/pypi/{file.stem}/json"] = Route(file.read_bytes())
    for file in (FIXTURES / "registry" / "npm").glob("*.json"):
        routes["/" + file.stem.replace("__", "/")] = Route(file.read_bytes())
    return routes


KENNETH = ("Kenneth Reitz", "kenneth.reitz@gmail.com")
NATE = ("Nate Prewitt", "nate@gmail.com")
PAUL = ("Paul Ganssle", "paul.ganssle@gmail.com")
MARIO = ("Mario Corchero", "mariocj89@gmail.com")


def _build_requests(mirror: Path, start: int) -> RepoBuilder:
    b = RepoBuilder(mirror / "psf+requests")
    modules = [f"src/requests/{name}.py" for name in ("api", "models", "sessions", "adapters")]
    b.commit(*KENNETH, {m: body(30, m) for m in modules}, at=start)
    for i in range(8):
        m = modules[i % 4]
        b.commit(*KENNETH, {m: body(30, m) + f"kenneth {i}\n"}, at=start + (i + 1) * DAY)
    b.commit(*NATE, {"src/requests/auth.py": body(30, "auth")}, at=start + 10 * DAY)
    b.commit(*NATE, {"src/requests/auth.py": body(30, "auth") + "nate\n"}, at=start + 11 * DAY)
    bot = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
    b.commit(*bot, {"uv.lock": "version = 1\n"}, at=start + 12 * DAY)
    return b


def _build_dateutil(mirror: Path, start: int) -> RepoBuilder:
    b = RepoBuilder(mirror / "dateutil+dateutil")
    b.commit(*PAUL, {"src/dateutil/parser.py": body(30, "p"), "src/dateutil/tz.py": body(30, "t")}, at=start)
    b.commit(*MARIO, {"src/dateutil/rrule.py": body(30, "r"), "src/dateutil/easter.py": body(30, "e")},
             at=start + DAY)  # fmt: skip
    for i in range(5):
        b.commit(*PAUL, {"src/dateutil/parser.py": body(30, "p") + f"paul {i}\n"}, at=start + (2 + i) * DAY)
    for i in range(4):
        b.commit(*MARIO, {"src/dateutil/rrule.py": body(30, "r") + f"mario {i}\n"}, at=start + (7 + i) * DAY)
    funding = "github: [pganssle, mariocj89]\nopen_collective: dateutil\n"
    b.commit(*PAUL, {".github/FUNDING.yml": funding}, at=start + 12 * DAY)
    return b


def socle(*args: str) -> tuple[int, str, str]:
    """Run ``socle ARGS`` in this process, as the console script does: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@dataclass(frozen=True)
class World:
    db: Path
    mirror: Path
    registry: FakeRegistry
    requests_repo: RepoBuilder
    refresh_output: str

    def refresh(self, *extra: str) -> tuple[int, str, str]:
        return socle("refresh", "--db", str(self.db), "--mirror-dir", str(self.mirror), "--no-clone", *extra)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with read_connection(self.db) as conn:
            return conn.execute(sql, params or []).fetchall()

    def scores(self, subject: str) -> dict[str, tuple[Any, ...]]:
        found = self.rows(
            "SELECT name, value, status, label, reason, details FROM scores WHERE subject = ?", [subject]
        )
        return {name: (value, status, label, reason, json.loads(details))
                for name, value, status, label, reason, details in found}  # fmt: skip


@contextlib.contextmanager
def _imported_and_refreshed(tmp: Path) -> Iterator[World]:
    mirror = tmp / "mirrors"
    start = int(time.time()) - 60 * DAY  # the histories end 48 and 49 days ago: inside every 12-month window
    requests_repo = _build_requests(mirror, start)
    _build_dateutil(mirror, start)
    db = tmp / "socle.duckdb"
    with pytest.MonkeyPatch.context() as env, serve(FakeRegistry(routes=_routes())) as registry:
        env.setenv("SOCLE_PYPI_URL", registry.base_url + "/pypi")
        env.setenv("SOCLE_NPM_URL", registry.base_url)
        code, out, err = socle("import", "--db", str(db), *map(str, INVENTORY))
        assert (code, err) == (0, ""), out
        assert "citizen-portal: created" in out and "open-data-pipeline: created" in out
        world = World(db, mirror, registry, requests_repo, "")
        code, out, err = world.refresh()
        assert code == 0, err
        yield World(db, mirror, registry, requests_repo, out)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One imported and refreshed store that the read-only tests below share."""
    with _imported_and_refreshed(tmp_path_factory.mktemp("pipeline")) as refreshed:
        yield refreshed


def test_refresh_collects_every_package_once_from_the_registry(world: World) -> None:
    assert "run #2 ok" in world.refresh_output and "errors=0" in world.refresh_output
    assert "pypi_collected=7" in world.refresh_output and "npm_collected=1" in world.refresh_output
    names = ("attrs", "idna", "pyjwt", "pytest", "python-dateutil", "requests", "urllib3")
    signal_calls = ("/simple/", "/integrity/", "POST ")
    assert sorted(r for r in world.registry.requests if not r.startswith(signal_calls)) == sorted(
        [f"/pypi/{n}/json" for n in names] + ["/ws"]
    )
    # the registry_signals step: one project status per PyPI package, npm's bulk advisories in one POST
    assert sorted(r for r in world.registry.requests if r.startswith(("/simple/", "POST "))) == sorted(
        [f"/simple/{n}/" for n in names] + ["POST /-/npm/v1/security/advisories/bulk"]
    )
    assert dict(world.rows("SELECT purl, repository_url FROM package_metadata")) == PURLS
    assert world.rows(
        "SELECT ecosystem, latest_version FROM package_metadata WHERE purl = 'pkg:pypi/pyjwt'"
    ) == [("pypi", "2.15.1")]
    assert world.rows(
        "SELECT dependency_purl FROM package_dependencies WHERE purl = 'pkg:pypi/requests' AND kind = 'runtime' "
        "AND dependency_purl = 'pkg:pypi/urllib3' LIMIT 1"
    ) == [("pkg:pypi/urllib3",)]


def test_mirrored_repositories_are_mined_and_the_others_skipped_with_a_reason(world: World) -> None:
    repositories = {url: (status, message) for url, status, message in
                    world.rows("SELECT url, status, message FROM repositories")}  # fmt: skip
    assert repositories[REQUESTS] == ("ok", "12 new commits (full history)")
    assert repositories[DATEUTIL] == ("ok", "12 new commits (full history)")
    skipped = {url for url, (status, _) in repositories.items() if status == "skipped"}
    assert skipped == set(PURLS.values()) - {REQUESTS, DATEUTIL}
    assert {message for status, message in repositories.values() if status == "skipped"} == {
        "not in the mirror folder, and cloning is off (--offline)"
    }
    assert world.rows("SELECT repository_url, count(*) FROM commits GROUP BY ALL ORDER BY 1") == [
        (DATEUTIL, 12),
        (REQUESTS, 12),
    ]
    assert world.rows(
        "SELECT display_name, commits, is_bot FROM contributors WHERE repository_url = ? ORDER BY commits DESC",
        [REQUESTS],
    ) == [("Kenneth Reitz", 9, False), ("Nate Prewitt", 2, False), ("dependabot[bot]", 1, True)]
    # Skips are documented on the run, not errors: the run is ok.
    assert world.rows("SELECT DISTINCT severity FROM run_events WHERE run_id = 2") == [("skipped",)]


MAINTAINER_SCORES = ("truck_factor", "contributor_absence_factor", "contributor_absence_factor_12m",
                     "pony_factor", "pony_factor_12m", "commit_hhi", "active_maintainers",
                     "days_since_last_commit")  # fmt: skip


@pytest.mark.parametrize(
    ("url", "purl", "expected", "authors", "files"),
    [
        (REQUESTS, "pkg:pypi/requests", (1.0, 1.0, 1.0, 1.0, 1.0, 0.702479, 1.0, 49.0),
         [("Kenneth Reitz", 4)], 5),
        (DATEUTIL, "pkg:pypi/python-dateutil", (2.0, 1.0, 1.0, 1.0, 1.0, 0.513889, 2.0, 48.0),
         [("Paul Ganssle", 2), ("Mario Corchero", 2)], 4),
    ],
)  # fmt: skip
def test_maintainer_scores_are_exact_and_copied_to_the_package(
    world: World,
    url: str,
    purl: str,
    expected: tuple[float, ...],
    authors: list[tuple[str, int]],
    files: int,
) -> None:
    repository, package = world.scores(url), world.scores(purl)
    assert tuple(repository[name][0] for name in MAINTAINER_SCORES) == expected
    assert all(repository[name][1] == "ok" for name in MAINTAINER_SCORES)
    truck = repository["truck_factor"]
    assert [(d["name"], d["files"]) for d in truck[4]["developers"]] == authors
    assert truck[4]["files_counted"] == files  # uv.lock and .github/FUNDING.yml are not source files
    assert truck[3].startswith(f"Losing {int(expected[0])} developer")
    assert repository["elephant_factor"][:2] == (None, "inconclusive")
    for name in (*MAINTAINER_SCORES, "elephant_factor"):
        assert package[name] == repository[name], name
    # Packages whose repository was not mined have no maintainer score, only their registry publishers.
    assert "truck_factor" not in world.scores("pkg:pypi/urllib3")
    assert world.scores("pkg:pypi/urllib3")["publishers"][:2] == (3.0, "ok")


def test_funding_links_from_registry_and_funding_yml_are_classified(world: World) -> None:
    assert world.rows(
        "SELECT subject_kind, subject, platform, source, url FROM funding_links ORDER BY ALL"
    ) == [
        ("package", "pkg:pypi/attrs", "github-sponsors", "pypi", "https://github.com/sponsors/hynek"),
        ("package", "pkg:pypi/attrs", "tidelift", "pypi",
         "https://tidelift.com/subscription/pkg/pypi-attrs?utm_source=pypi-attrs&utm_medium=pypi"),
        ("package", "pkg:pypi/pytest", "other", "pypi", "https://docs.pytest.org/en/stable/sponsor.html"),
        ("repository", DATEUTIL, "github-sponsors", "funding-yml", "https://github.com/sponsors/mariocj89"),
        ("repository", DATEUTIL, "github-sponsors", "funding-yml", "https://github.com/sponsors/pganssle"),
        ("repository", DATEUTIL, "open-collective", "funding-yml", "https://opencollective.com/dateutil"),
    ]  # fmt: skip


def test_catalogue_packages_get_interfaces_and_fragility(world: World) -> None:
    interfaces = world.rows("SELECT purl, interface_id FROM package_interfaces ORDER BY ALL")
    assert ("pkg:pypi/pyjwt", "jwt") in interfaces
    assert ("pkg:pypi/requests", "http-client") in interfaces
    assert ("pkg:npm/ws", "websocket") in interfaces
    assert not [purl for purl, _ in interfaces if purl == "pkg:pypi/attrs"]  # not in the catalogue
    labels = {subject: (value, label) for subject, value, label in world.rows(
        "SELECT subject, value, label FROM scores WHERE name = 'fragility' AND subject_kind = 'package'")}  # fmt: skip
    assert labels["pkg:pypi/pyjwt"] == (2.0, "commons-grade")  # RFC 7519 and several independent libraries
    assert labels["pkg:pypi/idna"] == (1.0, "vigilance")  # a standard, one implementation
    assert labels["pkg:pypi/pytest"] == (1.0, "vigilance")  # several implementations, no standard
    assert "pkg:pypi/attrs" not in labels
    jwt = world.scores("pkg:pypi/pyjwt")
    assert jwt["standardisation"][:2] == (3.0, "ok") and "ietf:rfc7519" in jwt["standardisation"][3]
    assert jwt["exit_options"][0] >= 1 and all(
        o["name"] != "PyJWT" for o in jwt["exit_options"][4]["options"]
    )


def test_criticality_and_risk_name_the_truck_factor(world: World) -> None:
    criticality = dict(world.rows(
        "SELECT subject, value FROM scores WHERE name = 'criticality' AND subject_kind = 'package'"))  # fmt: skip
    assert set(criticality) == set(PURLS)
    # requests is used directly by both applications; pytest only as a dev dependency of one.
    assert criticality["pkg:pypi/requests"] == max(criticality.values())
    assert criticality["pkg:pypi/pytest"] == min(criticality.values())
    risk = world.scores("pkg:pypi/requests")["risk"]
    assert risk[1] == "ok" and 0 < risk[0] <= 1
    assert "truck factor 1 (one person authors 80% of files)" in risk[3]
    # No scanner report or OSV folder in this world: vulnerabilities are not known, never "none".
    assert risk[4]["components"]["truck_factor"]["value"] == 1.0 and risk[4]["missing"] == [
        "vulnerabilities",
        "provenance",
    ]
    assert "truck factor 2" in world.scores("pkg:pypi/python-dateutil")["risk"][3]
    unmined = world.scores("pkg:pypi/urllib3")["risk"]
    assert "not known: truck_factor" in unmined[3]


def _report(world: World, score: str) -> list[dict[str, Any]]:
    code, out, err = socle("report", "--db", str(world.db), "--score", score, "--format", "json")
    assert (code, err) == (0, "")
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def test_reports_as_json(world: World) -> None:
    maintainers = {(r["kind"], r["subject"]): r for r in _report(world, "maintainers")}
    requests = maintainers[("package", "pkg:pypi/requests")]
    assert (requests["repository"], requests["truck_factor"], requests["commit_hhi"]) == (REQUESTS, 1, 0.7025)
    assert (requests["active_maintainers"], requests["days_since_last_commit"]) == (1, 49)
    assert maintainers[("repository", DATEUTIL)]["truck_factor"] == 2
    assert maintainers[("package", "pkg:pypi/idna")]["truck_factor"] is None

    standards = {r["dependency"]: r for r in _report(world, "standards")}
    assert (standards["pkg:pypi/pyjwt"]["interface"], standards["pkg:pypi/pyjwt"]["fragility"]) == (
        "jwt",
        "commons-grade",
    )
    assert standards["pkg:pypi/attrs"]["interface"] == "unclassified"
    assert standards["app:citizen-portal"]["interface"] == "python-language"

    risk = _report(world, "risk")
    assert {r["package"] for r in risk} == set(PURLS)
    assert [r["risk"] for r in risk] == sorted((r["risk"] for r in risk), reverse=True)
    top = next(r for r in risk if r["package"] == "pkg:pypi/requests")
    assert (top["apps"], top["scope"], top["confidence"]) == (
        2,
        "runtime",
        0.8235,
    )  # vulnerabilities and provenance not known: 14 of 17 weight
    assert "truck factor 1" in top["reason"]


def test_budget_lines_sum_to_the_total_each_with_a_channel_and_a_rationale(world: World) -> None:
    code, out, err = socle(
        "budget", "--db", str(world.db), "--total", "20000", "--currency", "EUR", "--format", "json"
    )
    assert (code, err) == (0, "")
    proposal = json.loads(out)
    lines = {line["project"]: line for line in proposal["lines"]}
    assert (proposal["total"], proposal["currency"], proposal["method"]) == (20000, "EUR", "need")
    assert sum(line["amount"] for line in proposal["lines"]) == 20000
    assert proposal["reserve"] == 0 and set(lines) <= set(PURLS.values())  # one line per project
    assert all(o["reason"].startswith("under the floor of 1,000 EUR") for o in proposal["left_out"])
    for line in proposal["lines"]:
        assert isinstance(line["amount"], int) and line["amount"] >= 1000  # the default minimum grant
        assert line["channel"] and line["rationale"].startswith("criticality ")
    # Open Collective is preferred over GitHub Sponsors (it can invoice); both come from FUNDING.yml.
    assert lines[DATEUTIL]["channel"]["platform"] == "open-collective"
    assert lines[DATEUTIL]["channel"]["urls"] == ["https://opencollective.com/dateutil"]
    attrs = lines["https://github.com/python-attrs/attrs"]["channel"]
    assert (attrs["platform"], attrs["recipients"]) == ("github-sponsors", ["hynek"])
    # requests names no channel anywhere (registry read, repository mined): not paid, but on the outreach list.
    outreach = {o["project"]: o for o in proposal["outreach"]}
    assert REQUESTS not in lines and outreach[REQUESTS]["contacts"][0] == REQUESTS
    assert "truck factor 1" in outreach[REQUESTS]["rationale"]
    # The registry and the repository were both read: "no funding channel" is a fact, not an unknown.
    reason = next(r["reason"] for r in _report(world, "risk") if r["package"] == "pkg:pypi/requests")
    assert "funding" not in reason.partition("not known:")[2]
    assert outreach[REQUESTS]["amount_with_a_channel"] == max(
        o["amount_with_a_channel"] for o in outreach.values()
    )


def test_status_shows_every_section(world: World) -> None:
    code, out, err = socle("status", "--db", str(world.db))
    assert (code, err) == (0, "")
    sections = [line.rstrip(":") for line in out.splitlines() if line and not line.startswith(" ")]
    assert sections[1].startswith("schema: 0")
    assert sections[2:] == [
        "applications",
        "packages per ecosystem",
        "registry metadata",
        "repositories",
        "package scores",
        "vulnerabilities",
        "last runs",
    ]
    assert "8 distinct packages in use" in out
    assert "pypi       7 packages: 7 with metadata, 7 with a repository URL, 2 with funding links" in out
    assert "ok           2 repositories, 24 commits stored" in out
    assert "skipped      6 repositories, 0 commits stored" in out
    assert "truck_factor                        2 ok,     0 inconclusive" in out
    assert "#2 refresh  ok" in out and "#1 import   ok" in out


def test_every_score_the_refresh_writes_is_documented(world: World) -> None:
    from tests.docs_pages import all_text

    docs = all_text()
    names = [row[0] for row in world.rows("SELECT DISTINCT name FROM scores ORDER BY name")]
    assert len(names) >= 15
    assert [name for name in names if f"`{name}`" not in docs] == []


def test_a_second_refresh_is_incremental(tmp_path: Path) -> None:
    with _imported_and_refreshed(tmp_path) as world:
        asked = len(world.registry.requests)
        code, out, err = world.refresh()
        assert (code, err) == (0, "")
        # Within --max-age nothing is asked again; the mirrored heads have not moved: nothing is mined.
        assert len(world.registry.requests) == asked
        assert "run #3 ok" in out and "commits_mined" not in out
        assert world.rows("SELECT url, message FROM repositories WHERE status = 'ok' ORDER BY 1") == [
            (DATEUTIL, "0 new commits"),
            (REQUESTS, "0 new commits"),
        ]
        assert world.scores(REQUESTS)["truck_factor"][0] == 1.0
        # One new commit, and --max-age 0s: every package is asked again, conditionally; the registry answers
        # 304 and the stored answers are reused; only the new commit is mined and the scores follow it.
        world.requests_repo.commit(*NATE, {"src/requests/auth.py": body(30, "auth") + "nate 2\n"},
                                   at=int(time.time()) - 30 * DAY)  # fmt: skip
        code, out, err = world.refresh("--max-age", "0s")
        assert (code, err) == (0, "")
        assert "commits_mined=1" in out and "pypi_cache_hits=7" in out
        again = world.registry.requests[asked:]
        signal_calls = [r for r in again if r.startswith(("/simple/", "/integrity/", "POST "))]
        assert len(again) - len(signal_calls) == 8 and len(signal_calls) == 8  # 7 project statuses, 1 POST
        assert world.registry.not_modified == 8
        assert world.rows("SELECT message FROM repositories WHERE url = ?", [REQUESTS]) == [
            ("1 new commits",)
        ]
        requests = world.scores(REQUESTS)
        assert requests["commit_hhi"][0] == round((9**2 + 3**2) / 12**2, 6)
        assert requests["days_since_last_commit"][0] == 30.0
        assert requests["truck_factor"][0] == 1.0
        assert world.rows(
            "SELECT run_id FROM score_history WHERE subject = ? AND name = 'commit_hhi' ORDER BY 1",
            [REQUESTS],
        ) == [(2,), (4,)]
        assert world.rows("SELECT run_id, kind, status, error_count FROM runs ORDER BY run_id") == [
            (1, "import", "ok", 0),
            (2, "refresh", "ok", 0),
            (3, "refresh", "ok", 0),
            (4, "refresh", "ok", 0),
        ]
