"""The example organisation (``data/examples``) imported and refreshed offline, through the CLI.

The registries are a fake on 127.0.0.1 that answers 404 to every package (``bench.fake_registry``): the
refresh runs every step, records each package as skipped, and nothing a registry or a repository would tell
is known. What the lockfiles say is known (npm's ``package-lock.json`` carries each package's ``funding``).
So a budget over this store shows what socle does with unknowns: no registry answer is no fact.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.cli import main
from bench.fake_registry import FakeRegistry, serve
from collectors.paths import PROJECT_ROOT

EXAMPLES = sorted(str(p) for p in (PROJECT_ROOT / "data" / "examples").iterdir() if p.is_dir())


@contextlib.contextmanager
def offline_registries(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRegistry]:
    """Every registry (PyPI, npm, Maven, the Go proxy, crates.io, Debian) pointed at a loopback registry that
    knows no package."""
    with serve(FakeRegistry(routes={})) as registry:
        monkeypatch.setenv("SOCLE_PYPI_URL", registry.base_url + "/pypi")
        monkeypatch.setenv("SOCLE_NPM_URL", registry.base_url)
        for variable in (
            "SOCLE_MAVEN_URL",
            "SOCLE_GOPROXY_URL",
            "SOCLE_CRATES_INDEX_URL",
            "SOCLE_DEBIAN_URL",
        ):
            monkeypatch.setenv(variable, registry.base_url)
        yield registry


def build(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Import the three example applications into ``db`` and refresh it offline."""
    with offline_registries(monkeypatch):
        assert main(["import", "--db", str(db), *EXAMPLES]) == 0
        assert main(["refresh", "--db", str(db)]) == 0
    return db
