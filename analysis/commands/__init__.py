"""CLI commands, one module per area; ``analysis.cli`` finds a command's module here and imports it only when
that command runs (``socle mine`` never imports pandas, which only the budget needs: about 0.8 s saved at
every start, `python -X importtime -m analysis.cli mine --help` shows it).

A command returns its exit code through ``ctx.exit(code)``; errors are raised as ``SocleError``.
A module exposes its commands in ``COMMANDS`` and may add sections to ``socle status`` in
``STATUS_SECTIONS``; a test checks that :data:`COMMAND_NAMES` lists exactly what the modules expose.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: The command modules in the order ``socle status`` shows their sections.
MODULE_NAMES: tuple[str, ...] = (
    "inventory",
    "refresh",
    "repos",
    "report",
    "explain",
    "vulnerabilities",
    "catalogue",
    "budget",
    "dashboard",
)

#: Which module defines each top-level command (read without importing any of them).
COMMAND_NAMES: dict[str, str] = {
    "import": "inventory",
    "status": "inventory",
    "refresh": "refresh",
    "add-repo": "repos",
    "mine": "repos",
    "report": "report",
    "explain": "explain",
    "vulnerabilities": "vulnerabilities",
    "catalogue": "catalogue",
    "budget": "budget",
    "dashboard": "dashboard",
}


#: The first paragraph of each command's help: what ``socle --help`` shortens into its table of commands,
#: so that listing the commands imports none of their modules (a test checks each against the command).
COMMAND_SUMMARIES: dict[str, str] = {
    "import": "Import applications from SBOMs, lockfiles or manifests (format detected from content).",
    "status": "Show applications, packages per ecosystem, direct and transitive counts, and the last runs.",
    "refresh": "Collect registry metadata and git history for every package of every application, then score.",
    "add-repo": "Add a repository (an https URL, or a local path to a git repository) to mine.",
    "mine": "Mine the git history of every known repository and compute the maintainer scores.",
    "report": "Print a score report.",
    "explain": "Explain one dependency: PACKAGE is a purl or a package name the store knows.",
    "vulnerabilities": "Known vulnerabilities of the versions in use.",
    "catalogue": "The standards catalogue: standards, interfaces, implementations and their stewards.",
    "budget": "Propose a contribution budget: who to fund, how much, through which channel, and why.",
    "dashboard": "Open the dashboard (read-only; safe to run while a refresh is writing).",
}


def command_module(name: str) -> ModuleType:
    """The module of one area (``"repos"``), imported on first use."""
    if name not in MODULE_NAMES:
        raise KeyError(f"no command module {name!r}")
    return importlib.import_module(f"{__name__}.{name}")


def __getattr__(attribute: str) -> list[ModuleType]:
    # COMMAND_MODULES (every module, imported) is built on first use: `socle status` needs them all, a
    # command alone does not.
    if attribute == "COMMAND_MODULES":
        modules = [command_module(name) for name in MODULE_NAMES]
        globals()["COMMAND_MODULES"] = modules
        return modules
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")
