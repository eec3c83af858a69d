"""Sovereignty: the organisation's exposure by jurisdiction and kind of control, and the top actions."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui
from dashboard.glossary import term

st.title("Sovereignty")
st.caption(
    "Who controls the organisation's dependencies and under which law. Two harms are kept apart: being cut "
    "off (a forge, registry or steward that can withdraw or be compelled) and control of the roadmap and "
    "licence by one company. Shares are of the critical weight: each dependency counts by its criticality."
)
exposure = data.exposure()
if exposure.dependencies == 0:
    ui.empty("dependencies (run `socle import` with the organisation's SBOMs and lockfiles)")
    st.stop()

st.subheader("Exposure")
columns = [*st.columns(3), *st.columns(3)]  # two rows, so no label is cut
for column, share in zip(columns, exposure.shares, strict=False):
    column.metric(
        share.label,
        ui.NOT_KNOWN if share.share is None else f"{share.share:.0%}",
        help=share.sentence(),
    )
for share in exposure.shares:
    st.text(share.sentence())
if exposure.unweighted:
    st.text(
        f"{exposure.unweighted} of {exposure.dependencies} dependencies have no criticality score yet and "
        "weigh nothing here (socle refresh computes it)."
    )

st.subheader("By jurisdiction and kind of control")
st.caption("Who controls each dependency (catalogue steward, else the organisation dominating its commits), "
           "by the controller's country. " + term("control"))  # fmt: skip
by_jurisdiction = pd.DataFrame(
    exposure.by_jurisdiction, columns=["country", "kind of control", "critical weight", "dependencies"]
)
ui.table(by_jurisdiction, columns={"critical weight": st.column_config.NumberColumn(format="%.2f")})
ui.chart(
    charts.horizontal_bar(
        by_jurisdiction,
        "country",
        "critical weight",
        title="Critical weight by controller's country",
        color="kind of control",
    )
)

st.subheader("Top actions")
st.caption(
    "Most critical first. Prepare an exit: a single company or a single actor controls it. Fund: one or two "
    "people hold most of its code. Mirror: its forge or registry is under US law (" + term("CLOUD Act") + ")"
)
actions = pd.DataFrame(
    [
        {
            "package": a.name,
            "criticality": a.criticality,
            "actions": ", ".join(a.kinds),
            "why": "; ".join(a.reasons) + ".",
            "purl": a.purl,
        }
        for a in exposure.actions
    ],
    columns=["package", "criticality", "actions", "why", "purl"],
)
ui.table(actions, criticality=st.column_config.NumberColumn(format="%.2f"))
st.text("Each package's full answer is on the Dependencies page (its card) and from `socle explain NAME`.")

st.subheader("Licence changes on record")
st.caption("What control of the licence has done: companies that relicensed, and the forks that followed.")
# Sources are reviewed URLs of ours (data/sovereignty/), shown as links labelled "source".
link = st.column_config.LinkColumn(display_text="source")
ui.table(data.licence_changes(), columns={"source": link, "fork source": link})

st.subheader("Who operates the places code lives, is published and is paid")
ui.table(data.operators(), columns={"source": link})
