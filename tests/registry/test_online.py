"""Against the live registries (opt in: ``pytest -m online``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.pipeline import RefreshOptions, run_refresh
from collectors.store import read_connection, utcnow
from tests.registry.conftest import make_store


@pytest.mark.online
def test_refresh_real_packages(db_path: Path) -> None:
    make_store(
        db_path,
        {
            "citizen-portal-api": [
                ("pypi", n, "", True) for n in ("attrs", "httpx", "python-dateutil", "pyjwt")
            ],
            "services-web": [
                ("npm", n, "", True) for n in ("postcss", "chalk", "@tanstack/react-query", "zod")
            ],
        },
    )
    session = run_refresh(RefreshOptions(db_path=db_path, now=utcnow(), only=frozenset({"pypi", "npm"})))
    assert session.errors == 0
    with read_connection(db_path) as conn:
        found = dict(conn.execute("SELECT purl, repository_url FROM package_metadata").fetchall())
        funded = {r[0] for r in conn.execute("SELECT subject FROM funding_links").fetchall()}
    assert found["pkg:pypi/attrs"] == "https://github.com/python-attrs/attrs"
    assert found["pkg:npm/postcss"] == "https://github.com/postcss/postcss"
    assert {"pkg:pypi/attrs", "pkg:npm/postcss"} <= funded
    assert len(found) >= 8  # the direct packages and what completion inferred
