"""The docs document every standards score, fragility class, catalogue command and catalogue field."""

from __future__ import annotations

import pytest

from analysis.commands.catalogue import catalogue
from analysis.standards.catalogue import SCHEMA
from analysis.standards.scores import FRAGILITY_VALUES
from tests.docs_pages import page

SECTION = page("standards")
COMMANDS = page("commands")


@pytest.mark.parametrize(
    "word",
    [
        "`standardisation`", "`implementation_diversity`", "`fragility`", "`exit_options`",
        *(f"**{label}**" for label in FRAGILITY_VALUES),
        *(f"socle catalogue {name}" for name in catalogue.commands),
        "socle report --score standards", "$SOCLE_CATALOGUE", "--catalogue",
    ],
)  # fmt: skip
def test_readme_documents(word: str) -> None:
    # Scores and classes are explained on the standards page; commands on the commands page.
    assert word in (SECTION if not word.startswith("socle ") else COMMANDS)


@pytest.mark.parametrize(("table", "field"), [(t, f) for t, fields in SCHEMA.items() for f in fields])
def test_readme_example_shows_every_catalogue_field(table: str, field: str) -> None:
    block = SECTION.split("```toml", 1)[1].split("```", 1)[0]
    entry = block.split(f"[[{table}]]", 1)[1].split("[[", 1)[0]
    assert f"{field} =" in entry
