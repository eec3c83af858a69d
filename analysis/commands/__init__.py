"""CLI commands, one module per area; ``analysis.cli`` registers every module listed here.

A command returns its exit code through ``ctx.exit(code)``; errors are raised as ``SocleError``.
"""

from __future__ import annotations

from types import ModuleType

from analysis.commands import (
    budget,
    catalogue,
    dashboard,
    inventory,
    refresh,
    report,
    repos,
    vulnerabilities,
)

COMMAND_MODULES: list[ModuleType] = [
    inventory,
    refresh,
    repos,
    report,
    vulnerabilities,
    catalogue,
    budget,
    dashboard,
]
