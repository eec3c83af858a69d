"""Applications: each application's dependency graph, cut to the path to each of its critical packages."""

import pandas as pd
import streamlit as st

from analysis.queries.sovereignty import purl_name
from dashboard import data, graphs, ui
from dashboard.glossary import term

st.title("Applications")
applications = data.applications()
if applications.empty:
    ui.empty("applications (run `socle import`)")
    st.stop()
ui.table(applications)

st.subheader("Paths to the critical packages")
st.caption("How each of the application's most critical packages gets into it: the shortest chain of "
           "dependencies from the application. " + term("criticality"))  # fmt: skip
application = st.selectbox("Application", list(applications["application"]), key="application")
top = st.slider("Critical packages shown", 3, 30, 12, key="top")
graph = data.application_graph_of(str(application), top)
st.text(f"{len(graph.paths)} most critical of the {graph.packages} packages of {application}.")
st.graphviz_chart(graphs.dot(graph), width="content")  # natural size: stretched, 12 nodes fill a screen
ui.table(
    pd.DataFrame(
        [
            {
                "package": purl_name(p.purl),
                "criticality": p.criticality,
                "path": " → ".join([str(application), *map(purl_name, p.path)])
                if p.path
                else "no path recorded (the lockfile gives no edges to it)",
                "purl": p.purl,
            }
            for p in graph.paths
        ],
        columns=["package", "criticality", "path", "purl"],
    ),
    criticality=st.column_config.NumberColumn(format="%.2f"),
)
