"""The fault matrix for the Go module proxy, crates.io and Debian: hostile answers from the loopback fake
registry (its generated answers, ``bench.polyglot_documents``), run through ``socle refresh``.

Like ``tests/registry/fault_matrix.py`` (whose helpers it uses): each case makes one answer of one package
(the ``victim``) hostile while every other answer is new and good, then checks the exit code, the error
lines, that the other package of the ecosystem was updated and that the victim's earlier record was kept.
For Debian the package's own answer is its ``.debian.tar.xz``; the indices, which every Debian package
shares, have cases of their own in which both packages keep their records.
``python -m tests.registry.fault_matrix_polyglot OUT.json WORKDIR`` runs them all in one process.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import stamina

from analysis.cli import main
from bench.fake_registry import FakeRegistry, Route, serve
from bench.polyglot_documents import PolyglotAnswers
from collectors.store import read_connection
from tests.registry.fault_matrix import Hostile, _peak_vm_mb, _refresh, _victim_record, bomb, raw_route

PACKAGES = {
    "golang": ("pkg:golang/github.com/bench/victim-go", "pkg:golang/github.com/bench/good-go"),
    "cargo": ("pkg:cargo/victim-crate", "pkg:cargo/good-crate"),
    "deb": ("pkg:deb/debian/victim-deb", "pkg:deb/debian/good-deb"),
}
DEBIAN_PACKAGES = ("victim-deb", "good-deb")


def _victim_path(ecosystem: str, target: str, version: str) -> str:
    """The fake registry's path of the answer a case makes hostile."""
    if ecosystem == "golang":
        return "/go/github.com/bench/victim-go/@v/list"
    if ecosystem == "cargo":
        return "/crates/vi/ct/victim-crate"
    if target == "index":
        return "/debian/dists/bookworm/main/source/Sources.xz"
    return f"/debian/pool/main/v/victim-deb/victim-deb_{version}-1.debian.tar.xz"


@dataclass(frozen=True)
class Case:
    name: str
    ecosystem: str
    hostile: Hostile
    #: "kept": exit 1, one error line naming the victim, its record as it was; "skipped": exit 0, no line,
    #: record kept; "updated": exit 0, no line, the victim's new version stored; "index": a shared Debian
    #: index: exit 1, one line per Debian package, both records kept.
    outcome: str = "kept"
    says: str = ""
    target: str = "package"

    @property
    def purl(self) -> str:
        return PACKAGES[self.ecosystem][0]


def _generic(ecosystem: str, content_error: str) -> list[Case]:
    """The transport and content faults every registry's own answer can show."""
    short = {"golang": "go", "cargo": "crates", "deb": "deb"}[ecosystem]
    return [
        Case(f"{short}-http-500", ecosystem, raw_route(b"oops", 500), says="http 500 after 4 attempts"),
        Case(f"{short}-reset-before-answer", ecosystem, lambda base: Route(reset=True), says="connection"),
        Case(
            f"{short}-not-http",
            ecosystem,
            lambda base: Route(raw=b"SSH-2.0-OpenSSH_9.6\r\n"),
            says="protocol",
        ),
        Case(
            f"{short}-truncated-body",
            ecosystem,
            lambda base: Route(b"v1.0.0\n" * 100, truncate_at=50),
            says="connection closed mid-answer",
        ),
        Case(
            f"{short}-body-60-mb-declared",
            ecosystem,
            lambda base: Route(b"x" * (60 * 1024 * 1024)),
            says="limit",
        ),
        Case(
            f"{short}-gzip-bomb",
            ecosystem,
            lambda base: Route(bomb("gzip"), headers={"Content-Encoding": "gzip"}),
            says="limit",
        ),
        Case(
            f"{short}-html-instead",
            ecosystem,
            raw_route(b"<html><body>login</body></html>"),
            says=content_error,
        ),
    ]


CASES: list[Case] = [
    *_generic("golang", "lists no version"),
    Case("go-http-404", "golang", raw_route(b"not found", 404), outcome="skipped"),
    Case("go-empty-list", "golang", raw_route(b""), says="lists no version"),
    *_generic("cargo", "malformed index line"),
    Case("crates-http-404", "cargo", raw_route(b"not found", 404), outcome="skipped"),
    Case("crates-empty-index", "cargo", raw_route(b""), says="lists no version"),
    Case(
        "crates-line-without-version",
        "cargo",
        raw_route(b'{"name": "victim-crate"}\n'),
        says="without a version",
    ),
    # Debian: the victim's source archive. A failure that a retry may cure keeps the record; an archive that
    # can never be read leaves the package collected without its upstream facts (and says so in warnings).
    Case("deb-tar-http-500", "deb", raw_route(b"oops", 500), says="http 500 after 4 attempts"),
    Case("deb-tar-reset", "deb", lambda base: Route(reset=True), says="connection"),
    Case("deb-tar-not-xz", "deb", raw_route(b"<html>login</html>"), outcome="updated"),
    Case("deb-tar-http-404", "deb", raw_route(b"", 404), outcome="updated"),
    # Debian: the Sources index every Debian package needs.
    Case("deb-index-http-500", "deb", raw_route(b"oops", 500), "index", "http 500", "index"),
    Case(
        "deb-index-not-xz", "deb", raw_route(b"<html>login</html>"), "index", "not a valid xz stream", "index"
    ),
    Case(
        "deb-index-truncated-xz",
        "deb",
        lambda base: Route(PolyglotAnswers(base, debian_packages=DEBIAN_PACKAGES)._sources_xz[:-30]),
        "index",
        "truncated",
        "index",
    ),
    Case("deb-index-http-404", "deb", raw_route(b"", 404), "index", "", "index"),
]


def _sbom(path: Path) -> None:
    components = [
        {"type": "library", "name": purl.rsplit("/", 1)[-1], "version": version, "purl": f"{purl}@{version}"}
        for ecosystem, purls in PACKAGES.items()
        for purl, version in (
            (p, {"golang": "v1.0.0", "deb": "1.0.0-1"}.get(ecosystem, "1.0.0")) for p in purls
        )
    ]
    sbom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {"component": {"type": "application", "name": "polyglot-faults", "version": "1"}},
        "components": components,
    }
    path.write_text(json.dumps(sbom))


def _latest(db: Path, purl: str) -> str | None:
    with read_connection(db) as conn:
        row = conn.execute("SELECT latest_version FROM package_metadata WHERE purl = ?", [purl]).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def run(work: Path) -> dict[str, Any]:
    """Every case in this process; returns what each got."""
    stamina.set_testing(True, attempts=4)  # retries happen, without their waits
    template = work / "template"
    template.mkdir(parents=True)
    results: dict[str, Any] = {}
    with serve(FakeRegistry(routes={})) as fake:
        os.environ["SOCLE_GOPROXY_URL"] = fake.base_url + "/go"
        os.environ["SOCLE_CRATES_INDEX_URL"] = fake.base_url + "/crates"
        os.environ["SOCLE_DEBIAN_URL"] = fake.base_url + "/debian"
        os.environ["SOCLE_DEBIAN_SUITES"] = "release"
        os.environ["SOCLE_DEBIAN_COMPONENTS"] = "main"
        _sbom(work / "sbom.cdx.json")
        db = template / "socle.duckdb"
        if main(["import", "--db", str(db), str(work / "sbom.cdx.json")]) != 0:
            raise SystemExit("import failed")
        fake.fallback = PolyglotAnswers(fake.base_url, version="1.1.0", debian_packages=DEBIAN_PACKAGES)
        code, err = _refresh(db, (), only="golang,cargo,deb")
        if code != 0:
            raise SystemExit(f"seeding refresh failed ({code}): {err}")
        for number, case in enumerate(CASES):
            case_dir = work / case.name
            shutil.copytree(template, case_dir)
            db = case_dir / "socle.duckdb"
            version = f"1.{number + 2}.0"
            fake.routes.clear()
            fake.fallback = PolyglotAnswers(fake.base_url, version=version, debian_packages=DEBIAN_PACKAGES)
            fake.routes[_victim_path(case.ecosystem, case.target, version)] = case.hostile(fake.base_url)
            victim, good = PACKAGES[case.ecosystem]
            before = {purl: _victim_record(db, purl) for purl in (victim, good)}
            started = time.monotonic()
            code, err = _refresh(db, (), only=case.ecosystem)
            err, server_reports = _split_server_reports(err)
            expected = f"v{version}" if case.ecosystem == "golang" else version
            expected += "-1" if case.ecosystem == "deb" else ""
            with read_connection(db) as conn:
                events = conn.execute(
                    "SELECT subject, severity FROM run_events WHERE run_id = (SELECT max(run_id) FROM runs) "
                    "AND list_contains(?, subject) ORDER BY 1",
                    [[victim, good]],
                ).fetchall()
            results[case.name] = {
                "code": code,
                "err": err,
                "good_updated": _latest(db, good) == expected,
                "good_intact": _victim_record(db, good) == before[good],
                "victim_updated": _latest(db, victim) == expected,
                "victim_intact": _victim_record(db, victim) == before[victim],
                "events": [list(e) for e in events],
                "server_reports": server_reports,
                "seconds": round(time.monotonic() - started, 2),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "peak_vm_mb": _peak_vm_mb(),
            }
            shutil.rmtree(case_dir)
            _settle(fake)
    return results


def _split_server_reports(lines: list[str]) -> tuple[list[str], list[str]]:
    """(socle's lines, the fake registry's own error reports). The fake's server threads print to the same
    stderr the refresh's output is captured from (socketserver's report: a rule of 40 dashes, "Exception
    occurred during processing of request", a traceback, a rule); what they say is about the fake."""
    own: list[str] = []
    reports: list[str] = []
    rule = "-" * 40
    i = 0
    while i < len(lines):
        if lines[i] == rule and lines[i + 1 : i + 2] and lines[i + 1].startswith("Exception occurred during"):
            end = next((j for j in range(i + 2, len(lines)) if lines[j] == rule), len(lines) - 1)
            reports.extend(lines[i : end + 1])
            i = end + 1
        else:
            own.append(lines[i])
            i += 1
    return own, reports


def _settle(fake: FakeRegistry, seconds: float = 30.0) -> None:
    """Wait until the fake registry has answered every request of the case (a slow machine may still be
    writing an answer the client gave up on), so nothing it prints lands in the next case's output."""
    until = time.monotonic() + seconds
    while fake.in_flight and time.monotonic() < until:
        time.sleep(0.05)
    time.sleep(0.05)


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(json.dumps(run(Path(sys.argv[2])), indent=1))
