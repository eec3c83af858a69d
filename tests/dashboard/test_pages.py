"""Every page over the fixture store, driven by Streamlit's AppTest: assertions on what the page shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.dashboard.fixture_store import HOSTILE_SUMMARY, PACKAGES

OpenPage = Callable[[str], AppTest]


def charts(at: AppTest) -> list[object]:
    return list(at.get("vega_lite_chart"))


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_the_organisation_and_freshness(open_page: OpenPage) -> None:
    at = open_page("overview")
    # 26 packages with a truck factor of 1 after the second run (uvicorn fell from 2 to 1; cffi is inconclusive).
    expected_tf1 = sum(1 for p in PACKAGES if p.truck == 1 and p.purl != "pkg:pypi/cffi") + 1
    classified = sum(1 for p in PACKAGES if p.fragility)
    assert metrics(at) == {
        "Applications": "3",
        "Packages": "44",
        "Truck factor of 1": f"{expected_tf1} (60%)",  # of the 43 packages with a conclusive truck factor
        "Single-actor": f"9 ({9 / classified:.0%})",  # of the packages the catalogue classifies
        "With a funding channel": "29 (66%)",  # 28 packages with links, and pydantic through its repository
    }
    assert any(t.startswith("Last refresh: run #2, partial") and "2 error(s)" in t for t in texts(at))
    assert "Registry metadata fetched up to 2026-11-08 06:00 UTC." in texts(at)
    assert [w.value for w in at.warning] == [
        "The last refresh was partial: see the Runs page for the packages that failed."
    ]
    apps = at.dataframe[0].value
    assert list(apps["application"]) == ["citizen-portal-api", "open-data-pipeline", "services-web"]
    direct_web = sum(1 for p in PACKAGES if p.apps == "s" and p.parent is None)
    assert dict(zip(apps["application"], apps["direct"], strict=True))["services-web"] == direct_web == 11


def test_dependencies_table_filters_and_sorts(open_page: OpenPage) -> None:
    at = open_page("dependencies")
    table = at.dataframe[0].value
    assert len(table) == 44 and "44 of 44 packages" in texts(at)
    assert list(table["criticality"]) == sorted(table["criticality"], reverse=True)
    assert {"risk_reason", "truck_factor", "fragility", "funding"} <= set(table.columns)

    at.multiselect(key="ecosystem").select("npm").run()
    assert set(at.dataframe[0].value["ecosystem"]) == {"npm"} and len(at.dataframe[0].value) == 13
    at.text_input(key="search").input("react").run()
    assert sorted(at.dataframe[0].value["purl"]) == [
        "pkg:npm/%40tanstack/react-query",
        "pkg:npm/react",
        "pkg:npm/react-dom",
    ]
    at.text_input(key="search").input("").run()
    at.selectbox(key="sort").select("truck_factor").run()
    at.checkbox(key="tf1").check().run()
    shown = at.dataframe[0].value
    assert set(shown["truck_factor"]) == {1.0} and len(shown) == 8


def test_package_detail_shows_versions_usage_path_funding_and_every_score(open_page: OpenPage) -> None:
    at = open_page("dependencies")
    at.selectbox(key="package").select("pkg:pypi/six").run()
    frames = {tuple(d.value.columns)[:2]: d.value for d in at.dataframe[1:]}
    usage = frames[("application", "version")]
    assert list(usage["path"]) == [
        "citizen-portal-api → pkg:pypi/python-dateutil → pkg:pypi/six",
        "open-data-pipeline → pkg:pypi/python-dateutil → pkg:pypi/six",
    ]
    scores = frames[("name", "value")]
    assert "truck_factor" in set(scores["name"]) and scores["reason"].str.len().min() > 10
    assert len(frames[("version", "released_at")]) == 3
    assert list(frames[("repository_url", "directory")]["repository_url"]) == [
        "https://github.com/benjaminp/six"
    ]
    assert "No funding channel known." in texts(at)

    at.selectbox(key="package").select("pkg:pypi/httpx").run()
    funding = next(d.value for d in at.dataframe if "platform" in d.value.columns)
    assert list(funding["platform"]) == ["github-sponsors"]
    at.selectbox(key="package").select("pkg:pypi/pydantic").run()
    funding = next(d.value for d in at.dataframe if "platform" in d.value.columns)
    assert funding[["subject_kind", "source"]].values.tolist() == [["repository", "funding-yml"]]


def test_hostile_registry_text_is_shown_as_text_never_markdown(open_page: OpenPage) -> None:
    at = open_page("dependencies")
    at.selectbox(key="package").select("pkg:npm/marked").run()
    assert HOSTILE_SUMMARY in texts(at)  # shown verbatim, as text
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    rendered += [h.value for h in at.subheader] + [w.value for w in at.warning] + [i.value for i in at.info]
    assert not [r for r in rendered if "<script" in r or "evil.example" in r]
    assert HOSTILE_SUMMARY in set(at.dataframe[0].value["summary"])


def test_bus_factor_distribution_riskiest_and_repository_charts(open_page: OpenPage) -> None:
    at = open_page("bus_factor")
    riskiest = at.dataframe[0].value
    assert len(riskiest) == 20 and set(riskiest["truck_factor"]) == {1.0}
    assert list(riskiest["criticality"]) == sorted(riskiest["criticality"], reverse=True)
    assert len(charts(at)) == 3  # distribution, Pareto, activity
    # Riskiest repository first: truck factor 1 and the most critical package (sqlalchemy).
    assert at.selectbox(key="repository").value == "https://github.com/sqlalchemy/sqlalchemy"
    at.selectbox(key="repository").select("https://github.com/facebook/react").run()
    developers = at.dataframe[-1].value
    assert list(developers.columns) == ["name", "files", "share"] and len(developers) == 4
    assert len(charts(at)) == 3


def test_standards_page_classes_interfaces_exit_options_control_review(open_page: OpenPage) -> None:
    at = open_page("standards")
    classes = at.dataframe[0].value
    expected = Counter(p.fragility if p.interface else "unclassified" for p in PACKAGES)
    assert dict(zip(classes["fragility"], classes["packages"], strict=True)) == expected
    assert expected == {"commons-grade": 20, "vigilance": 7, "single-actor": 9, "unclassified": 8}
    assert len(at.dataframe[1].value) == 27  # interfaces in use
    exits = at.dataframe[2].value
    react = exits[exits["purl"] == "pkg:npm/react"]
    assert list(react["exit_option"]) == ["pkg:npm/react-dom"]
    assert react[["rank", "cost", "control"]].to_dict("records") == [
        {"rank": 1, "cost": "port", "control": "same lineage"}
    ]
    assert "none known" in set(exits["exit_option"])
    control = at.dataframe[3].value
    assert control["max_criticality"].min() >= 0.5
    assert {"kind", "country", "steward", "controlled_by", "licensor"} <= set(control.columns)
    at.slider(key="min_criticality").set_value(0.0).run()
    everyone = at.dataframe[3].value
    owners = dict(zip(everyone["steward"], everyone["controlled_by"], strict=False))
    assert owners["OpenJS Foundation"] == "The Linux Foundation"
    assert owners["Meta Platforms"] == "Meta Platforms"
    at.slider(key="min_criticality").set_value(0.9).run()
    assert list(at.dataframe[3].value["interface_id"]) == ["sql-orm"]
    assert list(at.dataframe[-1].value["purl"]) == ["pkg:pypi/alembic", "pkg:npm/%40tanstack/react-query"]
    assert len(charts(at)) == 2


def test_history_shows_score_trend_changes_and_proposals(open_page: OpenPage) -> None:
    at = open_page("history")
    assert at.selectbox(key="score").value == "truck_factor"
    trend = at.dataframe[0].value
    assert list(trend["run_id"]) == [1, 2] and list(trend["packages"]) == [44, 44]
    changes = at.dataframe[1].value
    assert changes.to_dict("records")[0] | {} == {
        "purl": "pkg:pypi/uvicorn",
        "run_id": 2,
        "previous_value": 2.0,
        "value": 1.0,
        "previous_label": None,
        "label": None,
        "status": "ok",
    }
    saved = at.dataframe[2].value.to_dict("records")
    assert [(r["proposal_id"], r["method"], r["total"], r["currency"], r["lines"]) for r in saved] == [
        (1, "need", 10000, "EUR", 4)
    ]
    received = at.dataframe[3].value.set_index("project")
    year = str(saved[0]["created_at"].year)
    assert received.loc["https://github.com/fastapi/fastapi", year] == 4000
    assert received["total"].sum() == 10000
    assert len(charts(at)) == 1


def test_runs_ledger_and_errors_per_package(open_page: OpenPage) -> None:
    at = open_page("runs")
    ledger = at.dataframe[0].value
    assert list(ledger["status"]) == ["partial", "ok"] and list(ledger["error_count"]) == [2, 0]
    assert metrics(at) == {"Status": "partial", "Errors": "2", "Packages or files with problems": "3"}
    problems = at.dataframe[1].value
    assert problems.iloc[0]["subject"] == "pkg:pypi/pika" and problems.iloc[0]["errors"] == 2
    at.selectbox(key="run").select(1).run()
    assert "No error, warning or skip recorded on this run." in texts(at)
