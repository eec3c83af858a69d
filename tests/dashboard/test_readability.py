"""Every table of every page keeps its promises: missing values read "not known" (never a raw None), and
sentence columns are wide and wrapped over rows tall enough for their longest text (never cut)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui
from tests.dashboard.test_browser import RAW_MISSING

OpenPage = Callable[[str], AppTest]
PAGES = [
    "overview", "applications", "dependencies", "bus_factor", "standards", "sovereignty", "vulnerabilities", "budget_planner",
    "history", "runs", "glossary",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_none_and_no_cut_sentence_in_any_table(open_page: OpenPage, page: str) -> None:
    at = open_page(page)
    checked = 0
    for element in at.dataframe:
        proto, frame = element.proto, element.value
        assert proto.placeholder == ui.NOT_KNOWN
        config = json.loads(proto.columns or "{}")
        for column in frame.columns:
            text = column in ui.LONG_TEXT and not pd.api.types.is_numeric_dtype(frame[column])
            if not text or frame[column].dropna().empty:
                continue
            longest = int(frame[column].dropna().astype(str).str.len().max())
            assert config[column]["width"] == ui.TEXT_WIDTH, (page, column)
            lines = math.ceil(longest / ui.CHARS_PER_LINE)
            if lines > 1:
                # Streamlit wraps only rows taller than 4rem (64 px); the row fits every line of the longest.
                assert proto.row_height > 64 and proto.row_height >= lines * ui.LINE_PIXELS, (page, column)
                assert lines <= ui.MAX_LINES, (page, column, longest)
            checked += 1
    if page in ("overview", "sovereignty", "bus_factor", "budget_planner"):
        assert checked, f"{page}: its reasons are checked"
    shown = [t.value for t in at.text] + [m.value for m in at.metric]
    assert not [s for s in shown if RAW_MISSING.search(s)], page
