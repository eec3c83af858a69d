"""Budget planner: a contribution budget per dependency, recomputed as the inputs change."""

import streamlit as st

from collectors.errors import SocleError, StoreBusyError
from dashboard import charts, data, ui

st.title("Budget planner")
packages = data.dependencies()

inputs = st.columns(4)
total = inputs[0].number_input("Total budget", min_value=0, value=20000, step=1000, key="total")
currency = inputs[1].selectbox("Currency", ["EUR", "USD", "GBP", "CHF"], key="currency")
method = inputs[2].selectbox(
    "Method",
    ["need", "equal", "stackaid", "usage"],
    key="method",
    help="need: criticality x risk; equal: even split; stackaid: direct dependencies pass 5% on; "
    "usage: normalised usage metrics.",
)
floor = inputs[3].number_input("Floor per line", min_value=0, value=250, step=50, key="floor")
more = st.columns([1, 3, 3, 1])
cap_percent = more[0].number_input(
    "Cap per line (%)", min_value=1, max_value=100, value=25, step=5, key="cap"
)
purls = list(packages["purl"]) if not packages.empty else []
exclude = more[1].multiselect("Exclude", purls, key="exclude")
boosted = more[2].multiselect("Boost", [p for p in purls if p not in exclude], key="boost")
boost_factor = more[3].number_input(
    "Boost factor", min_value=1.0, max_value=10.0, value=2.0, step=0.5, key="boost_factor"
)

planner = data.PlannerInputs(
    total=float(total),
    currency=currency,
    method=method,
    floor=float(floor),
    cap=cap_percent / 100,
    exclude=tuple(exclude),
    boosts=tuple((p, float(boost_factor)) for p in boosted),
)
if data.budget_engine() is None:
    st.warning(
        "Budget engine not installed: the planner needs socle's budget module (analysis.budget). "
        "Saved proposals are still listed below."
    )
    proposal = None
else:
    try:
        proposal = data.propose_budget(planner)
    except SocleError as exc:
        st.error("These inputs give no proposal.")
        st.text(str(exc))
        proposal = None

lines = data.proposal_frame(proposal) if proposal is not None else None
if lines is not None:
    allocated = float(lines["amount"].sum())
    summary = st.columns(3)
    summary[0].metric("Allocated", f"{allocated:,.0f} {currency}")
    summary[1].metric("Lines", len(lines))
    summary[2].metric(
        "Without a channel", int(lines["channel"].fillna("").str.startswith("no channel").sum())
    )
    ui.table(lines, amount=st.column_config.NumberColumn(format="%.0f"))
    if not lines.empty:
        ui.chart(charts.horizontal_bar(lines, "project", "amount", title=f"Proposal ({currency})"))

    downloads = st.columns(4)
    csv = data.export_proposal(proposal, "csv")
    if csv is not None:
        downloads[0].download_button("Download CSV", csv, file_name="socle-budget.csv", mime="text/csv")
    xlsx = data.export_proposal(proposal, "xlsx")
    if xlsx is not None:
        downloads[1].download_button(
            "Download XLSX",
            xlsx,
            file_name="socle-budget.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = downloads[2].text_input("Proposal name", value=f"{method} {total:,} {currency}")
    if downloads[3].button("Save proposal", key="save"):
        try:
            saved_id = data.save_proposal(
                proposal,
                name,
                {
                    "total": total,
                    "currency": currency,
                    "method": method,
                    "floor": floor,
                    "cap": cap_percent / 100,
                    "exclude": exclude,
                    "boosts": dict(planner.boosts),
                },
            )
        except StoreBusyError:
            st.warning("A refresh is running: try saving again in a few minutes.")
        else:
            if saved_id is None:
                st.warning("Saving needs socle's budget store module (collectors.store.budget).")
            else:
                st.success(f"Saved as proposal #{saved_id}.")

st.subheader("Compare with a saved proposal")
saved = data.proposals()
if saved.empty:
    st.text("No proposal saved yet.")
else:
    labels = {
        int(r.proposal_id): f"#{r.proposal_id} {r.name} ({r.total:,.0f} {r.currency}, {r.method})"
        for r in saved.itertuples()
    }
    chosen = st.selectbox("Saved proposal", list(labels), format_func=labels.__getitem__, key="saved")
    saved_lines = data.proposal_lines(int(chosen))
    if lines is None:
        ui.table(saved_lines, amount=st.column_config.NumberColumn(format="%.0f"))
    else:
        difference = data.compare(lines, saved_lines)
        ui.table(difference)
        ui.chart(charts.comparison(difference.head(25), title="Current against saved (largest changes)"))
