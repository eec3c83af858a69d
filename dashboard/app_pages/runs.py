"""Runs: the ledger of imports and refreshes, with errors per package."""

import streamlit as st

from dashboard import data, ui

st.title("Runs")
ledger = data.runs()
if ledger.empty:
    ui.empty("runs")
    st.stop()
ui.table(ledger)

run_id = st.selectbox("Run", list(ledger["run_id"]), format_func=lambda r: f"run #{r}", key="run")
problems = data.run_problems(int(run_id))
row = ledger[ledger["run_id"] == run_id].iloc[0]
columns = st.columns(3)
columns[0].metric("Status", str(row["status"]))
columns[1].metric("Errors", int(row["error_count"]))
columns[2].metric("Packages or files with problems", len(problems))
if problems.empty:
    st.text("No error, warning or skip recorded on this run.")
else:
    ui.table(problems)
