"""The dependency card: ``socle explain``'s answers on the dashboard, shown as plain text (never Markdown:
names and reasons come from registries and repositories)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.sovereignty.report import Card
from dashboard import ui
from dashboard.glossary import term


def show(card: Card) -> None:
    facts = card.facts
    st.subheader("Dependency card")
    st.text(f"{facts.name}  ({facts.purl}, {facts.ecosystem})")
    control = card.control
    # Values only: help texts render Markdown, and these names come from commits and registries.
    top = st.columns(4)
    top[0].metric("Controlled by", control.controller.entity or ui.NOT_KNOWN, help=term("steward"))
    top[1].metric("Controller's country", control.controller.country or ui.NOT_KNOWN)
    top[2].metric("Forge operator", control.forge.entity or ui.NOT_KNOWN, help=term("cut-off"))
    top[3].metric("Registry operator", control.registry.entity or ui.NOT_KNOWN, help=term("cut-off"))
    for section in card.explanation.sections:
        st.markdown(f"**{section.question}**")
        st.text(
            "\n".join(
                f"• {s.text}" + (f"  (source: {s.source})" if s.source else "") for s in section.sentences
            )
        )
    if card.options:
        st.markdown("**Exit options, with their jurisdiction and health**")
        ui.table(
            pd.DataFrame(
                [
                    {
                        "option": o.name,
                        "steward": o.steward or ui.NOT_KNOWN,
                        "jurisdiction": o.jurisdiction,
                        "marks": ", ".join(o.marks) or "none",
                        "independent code": "yes" if o.independent else "no (same code family)",
                        "truck factor": o.truck_factor,
                        "active maintainers": o.active_maintainers,
                        "identifier": o.subject,
                    }
                    for o in card.options
                ]
            ),
            columns={
                "truck factor": st.column_config.NumberColumn(format="%d"),
                "active maintainers": st.column_config.NumberColumn(format="%d"),
            },
        )
