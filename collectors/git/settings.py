"""The git collector's parameters beyond a refresh's options: read by the step that plans the mining and by
the writer that applies it (a module of its own, so that neither imports the other for it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from collectors.funding_urls import platform_for
from collectors.git import mining
from collectors.paths import DATA_DIR


@dataclass(frozen=True)
class GitSettings:
    """Collector parameters beyond the refresh options (defaults are what ``socle refresh`` uses)."""

    engine: str = "auto"  # auto | git | pygit2
    use_mailmap: bool = True  # the 2015 truck-factor study did not apply .mailmap
    rename_limit: int = mining.RENAME_LIMIT  # git's diff.renameLimit; 0: no limit (the reference tool's)
    aliases: tuple[tuple[str, str], ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    network: bool = True  # clone/fetch repositories missing from the mirror folder
    data_dir: Path = DATA_DIR
    only: frozenset[str] | None = None  # restrict to these repository URLs
    workers: int = 1  # local worker processes mining at once (1: in this process)
    cluster: str | None = None  # a Dask scheduler address (tcp://host:8786): mine there instead
    funding_platform: Callable[[str], str | None] = field(default=platform_for)
