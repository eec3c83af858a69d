"""Small display helpers shared by the pages. Text from registries and repositories is shown only through
``st.dataframe`` and ``st.text`` (never Markdown or HTML), so a hostile summary cannot add links or scripts."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st


def table(frame: pd.DataFrame, *, height: int | None = None, **column_config: Any) -> None:
    """A sortable, read-only table (cells are rendered as plain text)."""
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config=column_config or None,
        height=height if height is not None else "auto",
    )


def share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "0"


def chart(spec: alt.Chart | alt.LayerChart) -> None:
    st.altair_chart(spec, width="stretch")


def empty(what: str) -> None:
    st.info(f"No {what} in the store yet.")


def fields(record: dict[str, Any]) -> pd.DataFrame:
    """A record as a two-column table of text (field, value)."""
    return pd.DataFrame(
        [
            {"field": key.replace("_", " "), "value": "" if value is None else str(value)}
            for key, value in record.items()
        ]
    )
