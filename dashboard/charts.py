"""Altair charts of the pages: pure functions from a frame to a chart, no reads."""

from __future__ import annotations

import altair as alt
import pandas as pd


def bar(frame: pd.DataFrame, x: str, y: str, *, title: str, sort: list[str] | str | None = None) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", sort=sort, title=x.replace("_", " "), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{y}:Q", title=y.replace("_", " ")),
            tooltip=[x, y],
        )
    )
    return chart


def horizontal_bar(
    frame: pd.DataFrame, category: str, value: str, *, title: str, color: str | None = None
) -> alt.Chart:
    encoding = {
        "y": alt.Y(f"{category}:N", sort="-x", title=None),
        "x": alt.X(f"{value}:Q", title=value),
        "tooltip": [category, value, *([color] if color else [])],
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N")
    chart: alt.Chart = alt.Chart(frame, title=title).mark_bar().encode(**encoding)
    return chart


#: Bars a Pareto chart draws: past this many contributors each bar is a hairline (rails: 2,370 contributors)
#: and no name under them can be read; the rest are one bar.
PARETO_BARS = 30


def pareto_bars(frame: pd.DataFrame, bars: int = PARETO_BARS) -> pd.DataFrame:
    """The largest contributors, one bar each, and the others together as one last bar ("2,340 others"),
    whose cumulative share is the whole. ``frame``: contributors largest first (person, display_name,
    commits, share, cumulative_share)."""
    data = frame.assign(contributor=frame["display_name"].fillna(frame["person"]))
    if len(data) <= bars:
        return data
    head, rest = data.iloc[: bars - 1], data.iloc[bars - 1 :]
    others = pd.DataFrame(
        {
            "contributor": [f"{len(rest):,} others"],
            "commits": [rest["commits"].sum()],
            "share": [rest["share"].sum()],
            "cumulative_share": [rest["cumulative_share"].iloc[-1]],
        }
    )
    return pd.concat([head, others], ignore_index=True)


def pareto(frame: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Contributors' shares of commits, largest first, with the cumulative share: who carries the project
    (:func:`pareto_bars`: at most :data:`PARETO_BARS` bars)."""
    data = pareto_bars(frame)
    order = list(data["contributor"])
    base = alt.Chart(data).encode(x=alt.X("contributor:N", sort=order, title="contributor"))
    bars = base.mark_bar().encode(
        y=alt.Y("share:Q", axis=alt.Axis(format="%"), title="share of commits"),
        tooltip=["contributor", "commits", alt.Tooltip("share:Q", format=".1%")],
    )
    line = base.mark_line(point=True, color="#d62728").encode(
        # no axis title of its own: joined with the bars' it ran taller than the plot, over the chart's title
        y=alt.Y("cumulative_share:Q", axis=alt.Axis(format="%"), title=None),
        tooltip=["contributor", alt.Tooltip("cumulative_share:Q", format=".1%", title="cumulative share")],
    )
    rule = alt.Chart(pd.DataFrame({"half": [0.5]})).mark_rule(strokeDash=[4, 4]).encode(y="half:Q")
    layered: alt.LayerChart = alt.layer(bars, line, rule, title=title).resolve_scale(y="shared")
    return layered


def activity(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="month"),
            y=alt.Y("active_contributors:Q", title="active contributors"),
            tooltip=["month", "active_contributors", "commits"],
        )
    )
    return chart


def trend(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    long = frame.melt(id_vars=["run_id"], value_vars=["mean", "median"], var_name="statistic")
    chart: alt.Chart = (
        alt.Chart(long, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("run_id:O", title="run", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q"),
            color="statistic:N",
            tooltip=["run_id", "statistic", "value"],
        )
    )
    return chart


def comparison(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    long = frame.melt(
        id_vars=["project"], value_vars=["current", "saved"], var_name="proposal", value_name="amount"
    )
    chart: alt.Chart = (
        alt.Chart(long, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("project:N", title=None, sort=list(frame["project"])),  # the frame's order: largest first
            x=alt.X("amount:Q"),
            color="proposal:N",
            yOffset="proposal:N",
            tooltip=["project", "proposal", "amount"],
        )
    )
    return chart
