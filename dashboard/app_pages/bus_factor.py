"""Bus factor: how many people each dependency rests on, and why some are not known."""

import streamlit as st

from dashboard import charts, data, ui
from dashboard.glossary import term

st.title("Bus factor")
st.caption(term("truck factor"))
distribution = data.truck_factor_distribution()
repositories = data.repositories()
if distribution.empty and not repositories:
    ui.empty("packages")
    st.stop()
if distribution.empty:
    st.info(
        "No packages in the store yet: the repositories below were added directly (socle add-repo), "
        "each with its own truck factor."
    )
else:
    ui.chart(
        charts.bar(
            distribution,
            "truck_factor",
            "packages",
            title="Packages by truck factor",
            sort=list(distribution["truck_factor"]),
        )
    )

    unmined = data.unmined_repositories()
    if not unmined.empty:
        st.subheader(f"Not known for {len(unmined)} package(s): why")
        st.caption(
            "A truck factor needs the repository's history. Each package below says why it has none: no "
            "repository URL in its registry metadata, a clone that was skipped or failed (the refresh's own "
            "message), or too little history to judge. The Runs page has every refresh's errors."
        )
        counts = unmined.groupby("status", as_index=False).size().rename(columns={"size": "packages"})
        st.text(", ".join(f"{r.status}: {r.packages}" for r in counts.itertuples()))
        ui.table(ui.named(unmined))

    st.subheader("Riskiest packages")
    st.caption("Lowest truck factor first, then the most critical for the organisation.")
    ui.table(
        ui.named(data.riskiest_packages()),
        criticality=st.column_config.NumberColumn(format="%.2f", help=term("criticality")),
        truck_factor=st.column_config.NumberColumn("truck factor", format="%d", help=term("truck factor")),
        active_maintainers=st.column_config.NumberColumn(
            "active maintainers", format="%d", help=term("active maintainers")
        ),
    )

st.subheader("Per repository")
if not repositories:
    st.info(
        "No repository has been mined yet, so no contributor is known: the table above says why for each "
        "package (socle refresh --only git mines them; --mirror-dir reads local mirrors)."
    )
    st.stop()
repository = st.selectbox("Repository", repositories, key="repository")
shares = data.contributor_shares(repository)
if shares.empty:
    st.text("No contributors recorded for this repository: it was not mined (see the table above).")
else:
    ui.chart(charts.pareto(shares, title="Share of commits per contributor (bars) and cumulated (line)"))
    if len(shares) > charts.PARETO_BARS:
        st.caption(
            f"The {charts.PARETO_BARS - 1} contributors with the most commits, one bar each; the last bar is "
            f"the other {len(shares) - charts.PARETO_BARS + 1:,} together, of {len(shares):,} contributors."
        )
activity = data.monthly_activity(repository)
if not activity.empty:
    ui.chart(charts.activity(activity, title="Active contributors per month"))
st.markdown("**Truck-factor developers**")
st.caption("The people whose departure would leave more than half of the files without an author.")
developers = data.truck_factor_developers(repository)
if developers.empty:
    st.text("No truck factor computed for this repository.")
else:
    ui.table(developers, share=st.column_config.NumberColumn("share of files", format="percent"))
