"""The Pareto chart of a repository's contributors stays readable: at most PARETO_BARS bars, the others
together as the last one, whose cumulative share is the whole."""

from __future__ import annotations

import pandas as pd

from dashboard import charts


def _contributors(n: int) -> pd.DataFrame:
    commits = [1000 // (k + 1) + 1 for k in range(n)]
    total = sum(commits)
    running = pd.Series(commits).cumsum() / total
    return pd.DataFrame(
        {
            "person": [f"p{k}" for k in range(n)],
            "display_name": [None if k == 3 else f"Dev {k}" for k in range(n)],
            "commits": commits,
            "share": [c / total for c in commits],
            "cumulative_share": running,
        }
    )


def test_many_contributors_are_the_largest_then_the_others_as_one_bar() -> None:
    frame = _contributors(2370)
    bars = charts.pareto_bars(frame)
    assert len(bars) == charts.PARETO_BARS
    assert list(bars["contributor"][:5]) == ["Dev 0", "Dev 1", "Dev 2", "p3", "Dev 4"]  # a name, else the key
    last = bars.iloc[-1]
    assert last["contributor"] == "2,341 others"
    assert last["commits"] == frame["commits"][charts.PARETO_BARS - 1 :].sum()
    assert bars["commits"].sum() == frame["commits"].sum()
    assert abs(bars["share"].sum() - 1.0) < 1e-9 and abs(last["cumulative_share"] - 1.0) < 1e-9
    assert list(bars["cumulative_share"]) == sorted(bars["cumulative_share"])
    # the chart draws those bars
    chart = charts.pareto(frame, title="t").to_dict()
    assert max(len(rows) for rows in chart["datasets"].values()) == charts.PARETO_BARS


def test_few_contributors_are_each_a_bar() -> None:
    frame = _contributors(charts.PARETO_BARS)
    bars = charts.pareto_bars(frame)
    assert list(bars["person"]) == list(frame["person"]) and "others" not in " ".join(bars["contributor"])
