"""The Sovereignty, Applications and Glossary pages and the dependency card over the fixture organisation."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from dashboard.glossary import GLOSSARY

OpenPage = Callable[[str], AppTest]


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_sovereignty_page_shows_exposure_jurisdiction_and_top_actions(open_page: OpenPage) -> None:
    at = open_page("sovereignty")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Controlled by a single company": "12%",
        "Code on a US-operated forge": "100%",
        "Published on a US-operated registry": "100%",
        "Without an open standard": "41%",
        "Without an independent implementation": "75%",  # classified packages with no exit under other control
    }
    assert (
        "Controlled by a single company: 12% of the critical weight, 5 dependencies (19% of the weight is not "
        "known and is left out)." in texts(at)
    )
    by_jurisdiction, actions, changes, operators = (d.value for d in at.dataframe)
    first = by_jurisdiction.iloc[0]
    assert (first["country"], first["kind of control"], first["dependencies"]) == (
        "not known",
        "community",
        20,
    )
    us = by_jurisdiction[by_jurisdiction["country"] == "the United States"]
    assert dict(zip(us["kind of control"], us["dependencies"], strict=True)) == {
        "company": 5,
        "foundation": 3,
    }
    assert actions.iloc[0]["package"] == "sqlalchemy" and actions.iloc[0]["actions"] == "fund, mirror"
    assert len(actions) == 10 and list(actions["criticality"]) == sorted(actions["criticality"], reverse=True)
    pydantic = actions[actions["package"] == "pydantic"].iloc[0]
    assert pydantic["actions"] == "prepare an exit, mirror"
    assert pydantic["why"].startswith("controlled by Pydantic Services Inc.; no exit option is listed")
    assert list(changes["fork"]) == ["Valkey", "OpenTofu", "OpenBao", "OpenSearch", "none recorded"]
    assert changes["source"].str.startswith("https://").all()
    codeberg = operators[operators["place"] == "codeberg.org"].iloc[0]
    assert (codeberg["operator"], codeberg["country"]) == ("Codeberg e.V.", "DE")
    assert len(at.get("vega_lite_chart")) == 1


def test_dependency_card_answers_the_questions_with_sources(open_page: OpenPage) -> None:
    at = open_page("dependencies")
    at.selectbox(key="package").select("pkg:npm/react").run()
    assert (
        at.selectbox(key="package").format_func("pkg:npm/%40tanstack/react-query") == "@tanstack/react-query"
    )
    labels = [c.value for c in at.caption][-4:]
    assert labels == ["Controlled by", "Controller's country", "Forge operator", "Registry operator"]
    start = texts(at).index("react  (pkg:npm/react, npm)")
    assert texts(at)[start + 1 : start + 5] == ["Meta Platforms", "US", "GitHub, Inc.", "GitHub, Inc."]
    questions = [m.value for m in at.markdown if m.value.startswith("**")]
    assert questions[:5] == [
        "**Where is it critical for me?**",
        "**How grave would a failure be?**",
        "**Can I get out?**",
        "**Who controls it, under which law?**",
        "**What to fund?**",
    ]
    card = "\n".join(texts(at))
    assert "• 1 application(s) use it: services-web; directly in 1." in card
    assert "• Meta Platforms (company, in the United States) controls it, per the catalogue." in card
    assert "• Cut-off: It is published on the npm registry, operated by GitHub, Inc., controlled by " in card
    assert "(source: https://docs.npmjs.com/policies/terms)" in card
    assert "• Known vulnerabilities and lifecycle: not known, because none has been collected" in card
    options = next(d.value for d in at.dataframe if "jurisdiction" in d.value.columns)
    assert options[["option", "jurisdiction", "marks"]].values.tolist() == [
        ["react-dom", "individual", "none"]
    ]


def test_applications_page_draws_the_path_to_each_critical_package(open_page: OpenPage) -> None:
    at = open_page("applications")
    assert at.selectbox(key="application").value == "citizen-portal-api"
    assert "12 most critical of the 21 packages of citizen-portal-api." in texts(at)
    paths = at.dataframe[1].value
    six = paths[paths["package"] == "six"].iloc[0]
    assert six["path"] == "citizen-portal-api → python-dateutil → six"
    dot = at.get("graphviz_chart")[0].proto.spec
    assert '"pkg:pypi/python-dateutil" -> "pkg:pypi/six";' in dot and 'label="six\\n0.67"' in dot
    at.slider(key="top").set_value(3).run()
    assert len(at.dataframe[1].value) == 3


def test_glossary_explains_every_score_and_class(open_page: OpenPage) -> None:
    at = open_page("glossary")
    terms = [m.value.strip("*") for m in at.markdown]
    for needed in (
        "truck factor",
        "N2 (implementation diversity)",
        "fragility",
        "vigilance",
        "single-actor",
        "commons-grade",
        "criticality",
        "risk",
        "elephant factor",
        "cut-off",
        "control",
        "CLOUD Act",
    ):
        assert needed in terms  # fmt: skip
    assert len(texts(at)) == len(GLOSSARY) and all(len(t) > 30 for t in texts(at))
