"""Small display helpers shared by the pages. Text from registries and repositories is shown only through
``st.dataframe``, ``st.text`` and ``st.caption`` of plain strings (never Markdown or HTML of such text), so a
hostile summary cannot add links or scripts."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analysis.queries.sovereignty import purl_name

#: Shown in place of a missing value: unknown is said, never drawn as a grey "None".
NOT_KNOWN = "not known"
#: Columns of sentences: shown wide and wrapped over as many lines as the longest needs, never cut.
LONG_TEXT = ("reason", "risk_reason", "rationale", "message", "why", "summary", "path", "channel", "evidence")
TEXT_WIDTH = 340  # pixels of a long-text column
CHARS_PER_LINE = 37  # conservative for that width at the default font, so a wrapped cell never overflows
LINE_PIXELS = 21
MAX_LINES = 16


def wrapped_row_height(frame: pd.DataFrame, columns: list[str]) -> int | None:
    """A row height that fits the longest text of ``columns`` wrapped (Streamlit wraps text only when rows
    are taller than 4rem), or None when every text fits on one line."""
    longest = 0
    for column in columns:
        lengths = frame[column].dropna().astype(str).str.len()
        longest = max(longest, int(lengths.max()) if len(lengths) else 0)
    lines = min(MAX_LINES, math.ceil(longest / CHARS_PER_LINE)) if longest else 1
    return None if lines <= 1 else max(70, lines * LINE_PIXELS + 14)


def table(
    frame: pd.DataFrame,
    *,
    height: int | None = None,
    columns: dict[str, Any] | None = None,
    **column_config: Any,
) -> None:
    """A sortable, read-only table (cells are rendered as plain text); missing values read "not known", and
    sentences wrap instead of being cut. ``columns`` configures columns whose names have spaces."""
    column_config = {**(columns or {}), **column_config}
    long = [c for c in frame.columns if c in LONG_TEXT and not pd.api.types.is_numeric_dtype(frame[c])]
    for column in long:
        column_config.setdefault(
            column, st.column_config.TextColumn(column.replace("_", " "), width=TEXT_WIDTH)
        )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config=column_config or None,
        height=height if height is not None else "auto",
        placeholder=NOT_KNOWN,
        row_height=wrapped_row_height(frame, long) if long else None,
    )


def named(frame: pd.DataFrame, column: str = "purl") -> pd.DataFrame:
    """``frame`` with the package's name first and its purl last (the name is what people read; the purl
    identifies it exactly)."""
    if column not in frame.columns:
        return frame
    out = frame.copy()
    out.insert(0, "package", out[column].map(lambda p: purl_name(str(p))))
    return out[[c for c in out.columns if c != column] + [column]]


def share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "0"


def chart(spec: alt.Chart | alt.LayerChart) -> None:
    st.altair_chart(spec, width="stretch")


def empty(what: str) -> None:
    st.info(f"No {what} in the store yet.")


def fields(record: dict[str, Any]) -> pd.DataFrame:
    """A record as a two-column table of text (field, value); a missing value reads "not known"."""
    return pd.DataFrame(
        [
            {"field": key.replace("_", " "), "value": NOT_KNOWN if value is None else str(value)}
            for key, value in record.items()
        ]
    )
