"""A store holding repositories added directly (socle add-repo) and no packages: the Bus factor page still
shows each mined repository's contributors, activity and truck-factor developers."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.maintainers.scores import MaintainerParams
from analysis.maintainers.step import score_all
from collectors.git.step import GitSettings, mine_all
from collectors.store import git as store
from collectors.store import write_session
from tests.dashboard.conftest import open_app
from tests.git.builder import RepoBuilder, body
from tests.git.conftest import Options

URL = "https://github.com/acme/solo"


def test_bus_factor_page_shows_repositories_added_without_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = tmp_path / "mirrors"
    b = RepoBuilder(mirror / "acme+solo")
    b.commit("Ann", "ann@a.example", {"core.py": body(40, "core"), "util.py": body(30, "util")})
    b.commit("Bo", "bo@b.example", {"util.py": body(30, "util") + "bo\n"})
    b.commit("Ann", "ann@a.example", {"core.py": body(40, "core") + "ann\n"})
    db = tmp_path / "s.duckdb"
    options = Options(db_path=db, mirror_dir=mirror)
    with write_session(db, "mine") as session:
        store.add_repository(session.conn, URL, "github.com", session.run_id)
        [result] = mine_all(session, options, GitSettings(network=False))
        score_all(session, options.now, params=MaintainerParams(min_commits=1))
    assert result.status == "ok"
    at = open_app(db, "bus_factor", monkeypatch)
    assert any("No packages in the store yet" in info.value for info in at.info)
    assert at.selectbox(key="repository").value == URL
    assert len(at.get("vega_lite_chart")) == 2  # the Pareto chart and the monthly activity
    # Ann authors both files and Bo util.py (his one edit: DOA 3.46 against Ann's 4.17, 0.83 of it): with
    # Ann gone core.py has no author (half the files), with Bo too more than half: a truck factor of 2
    developers = at.dataframe[-1].value
    assert list(developers["name"]) == ["Ann", "Bo"]
