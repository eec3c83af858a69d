"""The documentation as text, for the tests that check every command, option and score is documented."""

from __future__ import annotations

import re
from dataclasses import dataclass

from collectors.paths import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
README = PROJECT_ROOT / "README.md"
RUNNABLE = "<!-- runnable -->"


def page(name: str) -> str:
    """One page of docs/, by file name without the extension (``budget``)."""
    return (DOCS / f"{name}.md").read_text(encoding="utf-8")


def pages() -> dict[str, str]:
    """Every documentation page (README.md included), by path relative to the project."""
    found = {
        str(p.relative_to(PROJECT_ROOT)): p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md"))
    }
    found["README.md"] = README.read_text(encoding="utf-8")
    return found


def all_text() -> str:
    return "\n".join(pages().values())


@dataclass(frozen=True)
class Example:
    """One shell command from a block marked runnable: where it is, and its words after ``socle``."""

    where: str
    command: str


_BLOCK = re.compile(r"^<!-- runnable -->\n```(?:sh|console|bash)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def runnable_examples() -> list[Example]:
    """Every ``socle ...`` line of every shell block that the docs mark ``<!-- runnable -->``."""
    found = []
    for where, text in pages().items():
        for block in _BLOCK.finditer(text):
            line_no = text[: block.start()].count("\n") + 3
            for offset, line in enumerate(block.group(1).splitlines()):
                command = line.split(" #", 1)[0].strip()
                if command.startswith("socle "):
                    found.append(Example(f"{where}:{line_no + offset}", command))
    return found
