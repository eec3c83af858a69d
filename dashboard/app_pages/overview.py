"""Overview: the riskiest critical dependencies and what to do about them, the organisation at a glance, and
how fresh the data is."""

import pandas as pd
import streamlit as st

from dashboard import data, ui
from dashboard.glossary import term

st.title("Overview")
summary = data.overview()
if summary.packages == 0:
    ui.empty("packages (run `socle import` with the organisation's SBOMs and lockfiles)")

if summary.packages:
    st.subheader("Riskiest critical dependencies")
    st.caption("Criticality x risk, largest first: what the organisation depends on most that is most likely "
               "to fail it. The Dependencies page has each one's card.")  # fmt: skip
    packages = data.dependencies()
    ranked = packages.assign(need=packages["criticality"] * packages["risk"]).dropna(subset=["need"])
    ranked = ranked.sort_values("need", ascending=False).head(5)
    ui.table(
        ui.named(ranked[["purl", "criticality", "risk", "truck_factor", "fragility", "risk_reason"]]).rename(
            columns={"risk_reason": "reason", "truck_factor": "truck factor"}
        ),
        criticality=st.column_config.NumberColumn(format="%.2f", help=term("criticality")),
        risk=st.column_config.NumberColumn(format="%.2f", help=term("risk")),
        columns={"truck factor": st.column_config.NumberColumn(format="%d", help=term("truck factor"))},
    )
    st.subheader("Recommended actions")
    actions = data.exposure().actions[:5]
    ui.table(
        pd.DataFrame(
            [
                {"package": a.name, "actions": ", ".join(a.kinds), "why": "; ".join(a.reasons) + "."}
                for a in actions
            ],
            columns=["package", "actions", "why"],
        )
    )
    st.caption("The Sovereignty page ranks every action; the Budget planner turns funding into amounts.")

st.subheader("At a glance")
columns = st.columns(5)
columns[0].metric("Applications", summary.applications)
columns[1].metric("Packages", summary.packages)
columns[2].metric(
    "Truck factor of 1",
    ui.share(summary.truck_factor_one, summary.truck_factor_known)
    if summary.truck_factor_known
    else "unknown",
    help=f"Of the {summary.truck_factor_known} packages whose repository was mined: those depending on one "
    "person's knowledge (Avelino et al. truck factor).",
)
columns[3].metric(
    "Single-actor",
    ui.share(summary.single_actor, summary.classified) if summary.classified else "unknown",
    help=f"Of the {summary.classified} packages whose interface the catalogue knows: those with no open "
    "standard and one steward.",
)
columns[4].metric(
    "With a funding channel",
    ui.share(summary.with_funding, summary.packages),
    help="Packages with at least one known funding link (registry, lockfile or repository).",
)

if summary.packages and not summary.truck_factor_known:
    st.info(
        "No repository has been mined yet, so no truck factor is known: the Runs page says why each "
        "repository was skipped (a forge this machine cannot reach, for instance); a refresh with "
        "--mirror-dir reads local mirrors instead."
    )

st.subheader("Data freshness")
refresh = summary.last_refresh
if refresh is None:
    st.warning("No refresh has run yet: registry, git and score data are missing.")
else:
    ended = f"{refresh.ended_at:%Y-%m-%d %H:%M} UTC" if refresh.ended_at else "not ended"
    st.text(
        f"Last refresh: run #{refresh.run_id}, {refresh.status}, ended {ended}, {refresh.error_count} error(s)."
    )
    if refresh.status == "failed":
        st.error("The last refresh failed: the data shown is from the run before it.")
    elif refresh.status == "partial":
        st.warning("The last refresh was partial: see the Runs page for the packages that failed.")
if summary.metadata_fetched_at is not None:
    st.text(f"Registry metadata fetched up to {summary.metadata_fetched_at:%Y-%m-%d %H:%M} UTC.")

st.subheader("Applications")
ui.table(data.applications())
