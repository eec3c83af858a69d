"""History: scores and budget proposals across refresh runs."""

import streamlit as st

from dashboard import charts, data, ui

st.title("History")
names = data.score_names()
if not names:
    ui.empty("scores")
    st.stop()
name = st.selectbox(
    "Score", names, index=names.index("truck_factor") if "truck_factor" in names else 0, key="score"
)
trend = data.score_trend(name)
ui.chart(charts.trend(trend, title=f"{name} across runs"))
ui.table(trend)

st.subheader("Changes")
changes = data.score_changes(name)
if changes.empty:
    st.text("No package changed since its first value.")
else:
    ui.table(changes)

st.subheader("Budget proposals")
saved = data.proposals()
if saved.empty:
    st.text("No proposal saved yet.")
else:
    ui.table(saved, total=st.column_config.NumberColumn(format="%.0f"))

st.subheader("Received across years")
received = data.received_by_year()
if received.empty:
    st.text("No proposal saved yet: each year's last saved proposal is what its projects received.")
else:
    st.caption("Per project, its line in the last proposal saved in each year, and the total across years.")
    ui.table(received)
