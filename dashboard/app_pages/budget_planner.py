"""Budget planner: the options of ``socle budget`` as widgets, the proposal recomputed as they change,
its exports, saving it, and what changed since a saved proposal."""

import re

import streamlit as st

from analysis import exports
from analysis.budget import methods, plan
from analysis.budget.proposal import DEFAULT_FLOOR, UNREACHABLE, Proposal
from collectors.errors import SocleError, StoreBusyError
from dashboard import charts, data, ui

CURRENCIES = ["EUR", "USD", "GBP", "CHF", "CAD", "SEK", "NOK", "DKK"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _forget_subjects() -> None:
    # Line keys are repository URLs per project and purls per package: a choice made under one means
    # nothing under the other.
    st.session_state["exclude"] = []
    st.session_state["boost"] = []


st.title("Budget planner")

inputs = st.columns(4)
total = inputs[0].number_input("Total budget (a year)", min_value=1, value=20000, step=1000, key="total")
currency = inputs[1].selectbox("Currency", CURRENCIES, key="currency")
method = inputs[2].selectbox(
    "Method",
    methods.METHODS,
    key="method",
    help="need: criticality x risk; equal: even split; stackaid: direct dependencies pass 5% to each of "
    "their own; usage: dependent applications and packages, normalised.",
)
per = inputs[3].selectbox(
    "One line per",
    ["project", "package"],
    key="per",
    on_change=_forget_subjects,
    help="project: packages of one repository are paid once; package: one line per package.",
)
limits = st.columns([1, 1, 3, 3, 1])
floor = limits[0].number_input(
    "Minimum grant",
    min_value=0,
    value=DEFAULT_FLOOR,
    step=50,
    key="floor",
    help="Smallest line; projects under it are dropped and their share redistributed. Each payment costs "
    "money and time: the default keeps grants worth paying.",
)
cap_percent = limits[1].number_input(
    "Cap per line (%)",
    min_value=0,
    max_value=100,
    value=0,
    step=5,
    key="cap",
    help="Largest line as a share of the total (0: no cap); the excess is redistributed.",
)
keys = data.budget_line_keys(per)
exclude = limits[2].multiselect("Exclude", keys, key="exclude")
boosted = limits[3].multiselect("Boost", keys, key="boost")
boost_factor = limits[4].number_input(
    "Boost factor", min_value=1.0, max_value=10.0, value=2.0, step=0.5, key="boost_factor"
)

more = st.columns(2)
max_lines = more[0].number_input(
    "Most lines (0: no limit)", min_value=0, value=0, step=5, key="max_lines",
    help="At most this many lines; the smaller ones are dropped and their share redistributed.",
)  # fmt: skip
unreachable = more[1].selectbox(
    "Projects without a channel",
    UNREACHABLE,
    key="unreachable",
    help="redistribute: their share goes to the payable lines; reserve: it is held until they can be paid. "
    "Either way they are listed for outreach.",
)

choices = plan.Choices(
    total=int(total),
    currency=currency,
    method=method,
    floor=int(floor),
    cap=cap_percent / 100 if cap_percent else None,
    exclude=frozenset(exclude),
    boost={key: float(boost_factor) for key in boosted},
    per=per,
    max_lines=int(max_lines) or None,
    unreachable=unreachable,
)
proposal: Proposal | None = None
try:
    proposal = data.propose_budget(choices)
except SocleError as exc:
    st.error("These inputs give no proposal.")
    st.text(str(exc))

if proposal is not None and not proposal.lines:
    if proposal.outreach:
        st.warning("No eligible project has a funding channel we know of: see the outreach list below.")
    elif keys:
        st.warning("No eligible project to fund with these inputs: try another method or fewer exclusions.")
    else:
        st.warning("No application imported yet: `socle import` adds the organisation's dependencies.")
funded = proposal if proposal is not None and proposal.lines else None

#: Repository URLs are long: a medium column leaves room for the sentences beside it to wrap in view.
PROJECT_COLUMN = st.column_config.TextColumn("project", width="medium")
#: The chart shows the largest lines only: hundreds of bars are unreadable; the table below has them all.
CHART_LINES = 25

if funded is not None:
    lines = data.proposal_frame(funded)
    summary = st.columns(3)
    summary[0].metric("Allocated", f"{int(lines['amount'].sum()):,} {funded.currency}")
    summary[1].metric("Lines", len(lines))
    summary[2].metric("Outreach (no channel)", len(funded.outreach))
    actions = st.columns(3)
    actions[0].download_button(
        "Download CSV", exports.to_csv(funded), file_name="socle-budget.csv", mime="text/csv", key="csv"
    )
    actions[1].download_button(
        "Download XLSX", exports.to_xlsx(funded), file_name="socle-budget.xlsx", mime=XLSX, key="xlsx"
    )
    if actions[2].button("Save proposal", key="save"):
        try:
            saved_id = data.save_proposal(funded)
        except StoreBusyError:
            st.warning("A refresh is running: try saving again in a few minutes.")
        else:
            st.success(f"Saved as proposal #{saved_id}.")
    for sentence in exports.summary_sentences(funded):
        st.text(sentence)
    for note in funded.notes:
        st.text(f"Note: {note}")
    largest = lines.nlargest(CHART_LINES, "amount")
    by_line = largest.assign(line=largest["project"].map(data.short_name))
    shown = f"Largest {len(largest)} of {len(lines)}" if len(largest) < len(lines) else f"All {len(lines)}"
    title = f"{shown} lines ({funded.currency})"
    ui.chart(charts.horizontal_bar(by_line, "line", "amount", title=title))
    ui.table(lines, amount=st.column_config.NumberColumn(format="%d"), project=PROJECT_COLUMN)

if proposal is not None and proposal.outreach:
    with st.expander(f"Outreach: no funding channel known ({len(proposal.outreach)})"):
        ui.table(data.outreach_frame(proposal), amount=st.column_config.NumberColumn(format="%d"))

if proposal is not None and proposal.left_out:
    with st.expander(f"Left out ({len(proposal.left_out)})"):
        ui.table(data.left_out_frame(proposal))

st.subheader("Compare with a saved proposal")
saved = data.proposals()
if saved.empty:
    st.text("No proposal saved yet.")
else:
    labels = {
        int(r.proposal_id): f"#{r.proposal_id} of {r.created_at:%Y-%m-%d %H:%M}: "
        f"{r.total:,} {r.currency}, {r.method}, {r.lines} lines"
        for r in saved.itertuples()
    }
    chosen = int(st.selectbox("Saved proposal", list(labels), format_func=labels.__getitem__, key="saved"))
    comparison = data.compare(funded, chosen) if funded is not None else None
    if comparison is None:
        ui.table(data.proposal_lines(chosen), amount=st.column_config.NumberColumn(format="%d"))
    else:
        for change in comparison.parameters:
            # An unset parameter (no cap, no floor) is said, not printed as Python's None.
            st.text("Parameter " + re.sub(r"\bNone\b", "not set", change))
        if comparison.changes.empty:
            st.text("Same amounts as the saved proposal.")
        else:
            ui.table(comparison.changes, project=PROJECT_COLUMN)
            largest = comparison.changes.head(25)
            ui.chart(
                charts.comparison(
                    largest.assign(project=largest["project"].map(data.short_name)),
                    title="Current against saved (largest changes)",
                )
            )
