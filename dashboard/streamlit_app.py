"""socle's dashboard: navigation only. Each page lives in ``app_pages/``; reads go through ``data.py``.

Started by ``socle dashboard``, which passes the store in ``$SOCLE_DB``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from collectors.errors import SocleError

HERE = Path(__file__).resolve().parent

PAGES = [
    st.Page(HERE / "app_pages" / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(HERE / "app_pages" / "dependencies.py", title="Dependencies", icon=":material/account_tree:"),
    st.Page(HERE / "app_pages" / "bus_factor.py", title="Bus factor", icon=":material/groups:"),
    st.Page(HERE / "app_pages" / "standards.py", title="Standards and diversity", icon=":material/hub:"),
    st.Page(HERE / "app_pages" / "vulnerabilities.py", title="Vulnerabilities", icon=":material/security:"),
    st.Page(HERE / "app_pages" / "budget_planner.py", title="Budget planner", icon=":material/payments:"),
    st.Page(HERE / "app_pages" / "history.py", title="History", icon=":material/history:"),
    st.Page(HERE / "app_pages" / "runs.py", title="Runs", icon=":material/receipt_long:"),
]

st.set_page_config(page_title="socle", page_icon=":material/foundation:", layout="wide")
page = st.navigation(PAGES)
try:
    page.run()
except SocleError as exc:
    st.error("The store cannot be read.")
    st.text(str(exc))
