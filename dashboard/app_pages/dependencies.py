"""Dependencies: every package with its scores; the dependency card and the registry detail per package."""

import streamlit as st

from analysis.queries.sovereignty import purl_name
from dashboard import card, data, ui
from dashboard.glossary import term

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
    ui.named(shown.drop(columns=["name"], errors="ignore")),
    criticality=st.column_config.NumberColumn(format="%.2f", help=term("criticality")),
    risk=st.column_config.NumberColumn(format="%.2f", help=term("risk")),
    truck_factor=st.column_config.NumberColumn("truck factor", format="%d", help=term("truck factor")),
    active_maintainers=st.column_config.NumberColumn(
        "active maintainers", format="%d", help=term("active maintainers")
    ),
    fragility=st.column_config.TextColumn(help=term("fragility")),
    standardisation=st.column_config.NumberColumn(format="%d", help=term("standardisation")),
)

if shown.empty:
    st.stop()
purl = st.selectbox("Package", list(shown["purl"]), format_func=purl_name, key="package")
card.show(data.dependency_card(purl))

st.subheader("Package detail")
detail = data.package_detail(purl)
st.text(purl)
meta = detail.metadata
if meta:
    st.text(str(meta.get("summary") or ""))
    ui.table(ui.fields(meta))
# Sentence tables (scores' reasons, usage paths) take the full width, so their text wraps rather than hides.
st.markdown("**Scores**")
ui.table(detail.scores, value=st.column_config.NumberColumn(format="%.3g"))
st.markdown("**Used by**")
ui.table(detail.usage)
left, right = st.columns(2)
with left:
    st.markdown("**Versions**")
    ui.table(detail.releases, height=220)
    st.markdown("**Maintainers (publish rights)**")
    ui.table(detail.maintainers)
with right:
    st.markdown("**Repository**")
    ui.table(detail.repositories)
    st.markdown("**Funding links**")
    if detail.funding.empty:
        st.text("No funding channel known.")
    else:
        ui.table(detail.funding)
