"""Bus factor: how many people each dependency rests on."""

import streamlit as st

from dashboard import charts, data, ui

st.title("Bus factor")
distribution = data.truck_factor_distribution()
if distribution.empty:
    ui.empty("packages")
    st.stop()
ui.chart(
    charts.bar(
        distribution,
        "truck_factor",
        "packages",
        title="Packages by truck factor",
        sort=list(distribution["truck_factor"]),
    )
)

st.subheader("Riskiest packages")
st.caption("Lowest truck factor first, then the most critical for the organisation.")
ui.table(data.riskiest_packages(), criticality=st.column_config.NumberColumn(format="%.2f"))

st.subheader("Per repository")
repositories = data.repositories()
if not repositories:
    ui.empty("mined repositories")
    st.stop()
repository = st.selectbox("Repository", repositories, key="repository")
shares = data.contributor_shares(repository)
if shares.empty:
    st.text("No contributors recorded for this repository.")
else:
    ui.chart(charts.pareto(shares, title="Contributors' share of commits (Pareto)"))
activity = data.monthly_activity(repository)
if not activity.empty:
    ui.chart(charts.activity(activity, title="Active contributors per month"))
st.markdown("**Truck-factor developers**")
st.caption("The people whose departure would leave more than half of the files without an author.")
developers = data.truck_factor_developers(repository)
if developers.empty:
    st.text("No truck factor computed for this repository.")
else:
    ui.table(developers, share=st.column_config.NumberColumn(format="%.2f"))
