"""The one exception tree of socle.

Library code raises these (chained with ``from``); the CLI turns each into one line and an exit code.
Transient errors (retry on the next run) are distinct from terminal ones (a person must act).
"""

from __future__ import annotations


class SocleError(Exception):
    """Base of every error socle raises on purpose. ``str(err)`` is one line a person can act on."""


class InputError(SocleError):
    """Bad input: a malformed file or answer. Names the file (and line or JSON path) or the package."""

    def __init__(self, source: str, reason: str, *, where: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.where = where
        location = f"{source}:{where}" if where else source
        super().__init__(f"{location}: {reason}")


class StoreError(SocleError):
    """The store cannot be opened or written."""


class StoreBusyError(StoreError):
    """Another writer (import or refresh) holds the store's lock."""


class TransientError(SocleError):
    """Worth retrying on the next run: timeouts, 429, 5xx, connection errors."""


class TerminalError(SocleError):
    """Retrying will not help until a person acts: 404, a hostile answer, a rejected URL."""
