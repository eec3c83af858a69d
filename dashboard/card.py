"""The dependency card: ``socle explain``'s answers on the dashboard, shown as plain text (never Markdown:
names and reasons come from registries and repositories)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.sovereignty.report import Card
from dashboard import ui


def show(card: Card) -> None:
    facts = card.facts
    st.subheader("Dependency card")
    st.text(f"{facts.name}  ({facts.purl}, {facts.ecosystem})")
    control = card.control
    # Plain text that wraps (a metric would cut long names); names come from commits and registries.
    top = st.columns(4)
    facts_shown = (
        ("Controlled by", control.controller.entity),
        ("Controller's country", control.controller.country),
        ("Forge operator", control.forge.entity),
        ("Registry operator", control.registry.entity),
    )
    for column, (label, value) in zip(top, facts_shown, strict=True):
        column.caption(label)
        column.text(value or ui.NOT_KNOWN)
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
                        "cost": o.cost or ui.NOT_KNOWN,
                        "independent": "yes" if o.independent else "no (same control or code family)",
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
