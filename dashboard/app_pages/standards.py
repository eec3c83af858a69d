"""Standards and diversity: which interfaces the organisation depends on, and how replaceable they are."""

import streamlit as st

from dashboard import charts, data, ui

st.title("Standards and diversity")
classes = data.fragility_classes()
left, right = st.columns([1, 2])
with left:
    st.subheader("Fragility classes")
    ui.table(classes)
with right:
    ui.chart(charts.horizontal_bar(classes, "fragility", "packages", title="Packages per fragility class"))

st.subheader("Interfaces in use")
interfaces = data.interfaces_in_use()
if interfaces.empty:
    ui.empty("classified interfaces (run `socle refresh --only standards`)")
else:
    ui.table(interfaces, diversity=st.column_config.NumberColumn("diversity (N2)", format="%.2f"))

st.subheader("Exit options per fragile dependency")
st.caption(
    "Ranked by cost (drop-in: same API; port: same standard or protocol, changes at the edges; rewrite: "
    'same job, different model), then independence, then health. "same control": the organisation that '
    "controls the package (or sells its licence) also controls the exit; implementations that do not "
    "conform (decode without validating, only write, only parse replies) are not listed."
)
ui.table(data.exit_options(), truck_factor=st.column_config.NumberColumn("truck factor", format="%g"))

st.subheader("Who controls the critical interfaces")
st.caption(
    "controlled_by: the steward's ultimate parent (CNCF and OpenJS projects count as the Linux Foundation's)."
)
threshold = st.slider("Minimum criticality", 0.0, 1.0, 0.5, 0.05, key="min_criticality")
control = data.interface_control(threshold)
if control.empty:
    st.text("No interface with a known steward at this criticality.")
else:
    ui.table(control, max_criticality=st.column_config.NumberColumn(format="%.2f"))
    by_country = (
        control.assign(country=control["country"].fillna("unknown"))
        .groupby(["country", "kind"], as_index=False, dropna=False)["packages"]
        .sum()
    )
    ui.chart(
        charts.horizontal_bar(
            by_country,
            "country",
            "packages",
            title="Critical packages by steward country and kind",
            color="kind",
        )
    )

st.subheader("Catalogue review list")
st.caption("Packages whose metadata hints at a standard that the catalogue does not list yet.")
review = data.review_list()
if review.empty:
    st.text("Nothing to review.")
else:
    ui.table(review)
