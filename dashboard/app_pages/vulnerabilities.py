"""Vulnerabilities: known vulnerabilities of the versions in use, what was looked at, and how outdated."""

import streamlit as st

from dashboard import data, ui

st.title("Vulnerabilities")
coverage = data.vulnerability_coverage()
columns = st.columns(3)
columns[0].metric(
    "Open findings",
    coverage.open_findings,
    help="Advisories affecting a version in use, not analysed away by a VEX statement.",
)
columns[1].metric("Packages affected", coverage.packages_with_open)
columns[2].metric(
    "Versions looked at",
    ui.share(coverage.covered, coverage.versions_in_use),
    help="Package versions in use that a vulnerability source covered. The others are not known, not safe.",
)
if coverage.covered == 0:
    st.info(
        "No vulnerability data collected yet: nothing is known about these versions, which is not the same as "
        "no vulnerability. Import a scanner's report (socle vulnerabilities import trivy.cdx.json) or point "
        "$SOCLE_OSV_DIR at a folder of OSV records before the refresh."
    )
else:
    st.text(
        f"Sources: {', '.join(coverage.sources)}. "
        f"{coverage.versions_in_use - coverage.covered} version(s) in use were not covered by any source: not known."
    )
found = data.vulnerabilities()
st.subheader("Known vulnerabilities of the versions in use")
if found.empty:
    st.text("None found in the versions looked at.")
else:
    ui.table(found)
st.subheader("Lifecycle and libyears")
st.caption(
    "Lifecycle: deprecated, yanked, archived or quarantined first; finished means no release for two years, no "
    "known vulnerability and declared stable. Libyears: years between the version in use and the newest release."
)
lifecycle = data.lifecycle()
if lifecycle.empty:
    ui.empty("registry metadata")
else:
    # The sentence beside the package, the figures after it: on a narrow screen the reason stays in view.
    first = ["package", "lifecycle", "reason"]
    ui.table(lifecycle[first + [c for c in lifecycle.columns if c not in first]])
