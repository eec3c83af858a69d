"""Overview: the organisation at a glance, and how fresh the data is."""

import streamlit as st

from dashboard import data, ui

st.title("Overview")
summary = data.overview()
if summary.packages == 0:
    ui.empty("packages (run `socle import` with the organisation's SBOMs and lockfiles)")

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
