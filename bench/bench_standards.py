"""Benchmark of the standards step on synthetic data: catalogue loading and validation, detection and
scoring over a large organisation. Run alone with ``python -m bench.bench_standards [--quick]``."""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from analysis.standards import step
from analysis.standards.catalogue import load_catalogue
from bench.common import Figure
from collectors.store import utcnow, write_session

DESCRIPTION = (
    "A library for the widget protocol. Implements RFC 7519 and parts of ISO 8601; speaks HTTP/1.1 and "
    "WebSocket. " * 20
)


@dataclass(frozen=True)
class _Options:
    catalogue_overlays: tuple[Path, ...]
    now: datetime = field(default_factory=utcnow)


def _catalogue(path: Path, interfaces: int, per_interface: int) -> None:
    out = [
        '[[standard]]\nid = "ietf:rfc1"\nbody = "IETF"\nnumber = "1"\ntitle = "t"\nurl = "https://x.example/"\n'
        'status = "s"\nopenness = 3\naccess = "free"\nsource = "https://x.example/"\n'
    ]
    for s in range(50):
        out.append(
            f'[[steward]]\nid = "s{s}"\nname = "S{s}"\nkind = "community"\nurl = "https://x.example/"\n'
            'source = "https://x.example/"\n'
        )
    for i in range(interfaces):
        out.append(
            f'[[interface]]\nid = "i{i}"\ntitle = "I{i}"\nkind = "protocol"\nscope = "ecosystem"\n'
            'standards = ["ietf:rfc1"]\nsource = "https://x.example/"\n'
        )
        for j in range(per_interface):
            out.append(
                f'[[implementation]]\ninterface = "i{i}"\npurl = "pkg:pypi/p{i}-{j}"\nname = "p{i}-{j}"\n'
                f'lineage = "l{i}-{j % 3}"\nsteward = "s{(i + j) % 50}"\nconformance = "unknown"\n'
                'evidence = "https://x.example/"\n'
            )
    path.write_text("\n".join(out), encoding="utf-8")


def _store(db: Path, packages: int, apps: int) -> None:
    with write_session(db, "import") as session:
        conn, run_id = session.conn, session.run_id
        purls = [f"pkg:pypi/p{n // 5}-{n % 5}" for n in range(packages)]
        conn.execute(
            "INSERT INTO packages SELECT 'pkg:pypi/p' || (n // 5) || '-' || (n % 5), 'pypi', NULL, 'x', ? "
            "FROM range(?) t(n)",
            [run_id, packages],
        )
        conn.execute(
            "INSERT INTO app_packages (app, purl, version, is_direct, depth, scope, run_id) "
            "SELECT 'app' || (n % ?), purl, '1', true, 1, 'runtime', ? FROM (SELECT row_number() OVER () AS n, "
            "purl FROM packages) ",
            [apps, run_id],
        )
        conn.execute(
            "INSERT INTO package_metadata (purl, ecosystem, summary, description, keywords, classifiers, "
            "fetched_at, run_id) SELECT purl, 'pypi', 'JWT and OAuth 2 client', ?, ['jwt', 'http'], "
            "['Topic :: Internet :: WWW/HTTP', 'Operating System :: POSIX'], ?, ? FROM packages",
            [DESCRIPTION, utcnow(), run_id],
        )
        assert len(purls) == packages


def run(quick: bool) -> list[Figure]:
    interfaces, packages = (200, 2_000) if quick else (1_000, 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        overlay = folder / "catalogue.toml"
        _catalogue(overlay, interfaces, 5)
        start = time.perf_counter()
        catalogue = load_catalogue([overlay], shipped=None)
        load_s = time.perf_counter() - start
        db = folder / "socle.duckdb"
        _store(db, packages, 50)
        start = time.perf_counter()
        with write_session(db, "standards") as session:
            step.run(session, _Options((overlay,)), shipped=None)
        step_s = time.perf_counter() - start
    return [
        Figure(f"catalogue load+validate ({len(catalogue.implementations)} implementations)", load_s, "s"),
        Figure(f"standards step ({packages} packages with metadata)", step_s, "s"),
        Figure("standards step per package", step_s / packages * 1e3, "ms"),
    ]


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(f"{figure.name:<60} {figure.value:10.3f} {figure.unit}")
