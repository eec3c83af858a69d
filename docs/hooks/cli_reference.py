"""mkdocs hook: register every socle command on the click group before mkdocs-click renders cli.md.

The CLI registers its commands when it runs (``analysis.cli.main``), not at import time; the reference is
generated from those same commands, so it cannot drift from ``socle --help``.
"""

from __future__ import annotations

from typing import Any


def on_config(config: Any) -> Any:
    from analysis.cli import register_commands

    register_commands()
    return config
