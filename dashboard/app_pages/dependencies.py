"""Dependencies: every package with its scores; a detail view per package."""

import streamlit as st

from dashboard import data, ui

st.title("Dependencies")
packages = data.dependencies()
if packages.empty:
    ui.empty("packages")
    st.stop()

filters = st.columns([3, 2, 2, 2])
search = filters[0].text_input("Search name or purl", placeholder="e.g. jwt", key="search")
ecosystems = filters[1].multiselect(
    "Ecosystem", sorted(packages["ecosystem"].dropna().unique()), key="ecosystem"
)
fragility = filters[2].multiselect(
    "Fragility", sorted(packages["fragility"].dropna().unique()), key="fragility"
)
sort_by = filters[3].selectbox("Sort by", ["criticality", "risk", "truck_factor", "purl"], key="sort")
only_tf1 = st.checkbox("Only packages with a truck factor of 1", key="tf1")

shown = packages
if search:
    needle = search.lower()
    shown = shown[shown["purl"].str.lower().str.contains(needle, regex=False)]
if ecosystems:
    shown = shown[shown["ecosystem"].isin(ecosystems)]
if fragility:
    shown = shown[shown["fragility"].isin(fragility)]
if only_tf1:
    shown = shown[shown["truck_factor"] == 1]
shown = shown.sort_values(sort_by, ascending=sort_by in ("truck_factor", "purl"), na_position="last")

st.text(f"{len(shown)} of {len(packages)} packages")
ui.table(
    shown,
    criticality=st.column_config.NumberColumn(format="%.2f"),
    risk=st.column_config.NumberColumn(format="%.2f"),
    truck_factor=st.column_config.NumberColumn("truck factor", format="%d"),
)

st.subheader("Package detail")
if shown.empty:
    st.stop()
purl = st.selectbox("Package", list(shown["purl"]), key="package")
detail = data.package_detail(purl)
st.code(purl, language=None)
meta = detail.metadata
if meta:
    st.text(str(meta.get("summary") or ""))
    ui.table(ui.fields(meta))
left, right = st.columns(2)
with left:
    st.markdown("**Scores**")
    ui.table(detail.scores, value=st.column_config.NumberColumn(format="%.3g"))
    st.markdown("**Used by**")
    ui.table(detail.usage)
with right:
    st.markdown("**Versions**")
    ui.table(detail.releases, height=220)
    st.markdown("**Repository**")
    ui.table(detail.repositories)
    st.markdown("**Maintainers (publish rights)**")
    ui.table(detail.maintainers)
    st.markdown("**Funding links**")
    if detail.funding.empty:
        st.text("No funding channel known.")
    else:
        ui.table(detail.funding)
