"""The fault matrix: hostile registry behaviours against the loopback fake registry, run through ``socle refresh``.

Each :class:`Case` makes the answer for one package (``victim``) hostile while the others answer a new,
good document. ``python -m tests.registry.fault_matrix OUT.json`` runs every case in this one process (the
test starts it under ``resource.setrlimit``, so a case that eats memory fails instead of the machine) and
writes what each case got: exit code, the error lines, whether the other packages' updates were stored
and whether the victim's earlier record was kept. ``tests/registry/test_fault_matrix.py`` checks them.
docs/reliability.md lists the cases and what each gets.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import resource
import shutil
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import stamina

from analysis.cli import main
from bench.fake_registry import FakeRegistry, Route, serve
from collectors.store import read_connection
from tests.registry.conftest import FIXTURES, make_store

#: Expanded size of the compression bombs: far past the 48 MB answer limit, small on the wire.
BOMB_BYTES = 1024 * 1024 * 1024
APPS = {
    "app": [
        ("pypi", "victim", "", True),
        ("pypi", "good", "", True),
        ("npm", "victim-npm", "", True),
        ("npm", "good-npm", "", True),
    ]
}


def pypi_doc(name: str, summary: str, **info: Any) -> dict[str, Any]:
    """A real PyPI answer (attrs, recorded) renamed to ``name``, with ``info`` fields replaced."""
    doc: dict[str, Any] = json.loads((FIXTURES / "pypi" / "attrs.json").read_bytes())
    doc["info"].update(name=name, summary=summary, requires_dist=None, **info)
    return doc


def npm_doc(name: str, summary: str, **manifest: Any) -> dict[str, Any]:
    """A minimal packument in the registry's shape (one version, its manifest and publish time)."""
    version = {
        "name": name,
        "version": "1.0.0",
        "description": summary,
        "repository": {"type": "git", "url": "git+https://github.com/example/" + name + ".git"},
        "funding": "https://github.com/sponsors/example",
        **manifest,
    }
    return {
        "name": name,
        "dist-tags": {"latest": "1.0.0"},
        "versions": {"1.0.0": version},
        "time": {"1.0.0": "2025-06-01T00:00:00.000Z"},
        "maintainers": [{"name": "example", "email": "example@example.org"}],
        "description": summary,
    }


def body(doc: object) -> bytes:
    return json.dumps(doc).encode()


def _bomb(wbits: int) -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(1024 * 1024)
    out = [squeeze.compress(block) for _ in range(BOMB_BYTES // len(block))]
    return b"".join(out) + squeeze.flush()


_BOMBS: dict[str, bytes] = {}


def bomb(kind: str) -> bytes:
    """A gzip or deflate stream of zeros that expands to :data:`BOMB_BYTES` (about 1 MB compressed)."""
    if kind not in _BOMBS:
        _BOMBS[kind] = _bomb(16 + zlib.MAX_WBITS if kind == "gzip" else zlib.MAX_WBITS)
    return _BOMBS[kind]


def nested_json(depth: int) -> bytes:
    return b'{"info": ' + b"[" * depth + b"]" * depth + b"}"


def ok(doc: object, **headers: str) -> Callable[[str], Route]:
    return lambda base: Route(body(doc), headers=dict(headers))


def raw_route(payload: bytes, status: int = 200, **headers: str) -> Callable[[str], Route]:
    return lambda base: Route(payload, status, dict(headers))


Hostile = Callable[[str], Route]  # the base URL of the fake registry -> the victim's route


@dataclass(frozen=True)
class Case:
    name: str
    hostile: Hostile
    #: "kept": a failure that keeps the earlier record (exit 1, one error line naming the package);
    #: "updated": a benign oddity the victim's new record survives (exit 0, no line);
    #: "skipped": a documented skip that keeps the record (exit 0, no line).
    outcome: str = "kept"
    ecosystem: str = "pypi"
    #: A phrase the error line must contain (lower case).
    says: str = ""
    args: tuple[str, ...] = ()
    #: The victim's stored summary after the run, for "updated" cases that change it.
    summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def purl(self) -> str:
        return "pkg:pypi/victim" if self.ecosystem == "pypi" else "pkg:npm/victim-npm"


V = "victim"
NEW = "new summary"
FAST = ("--deadline", "4s")


def _redirect(location: Callable[[str], str], status: int = 302) -> Hostile:
    return lambda base: Route(b"", status, {"Location": location(base)})


def _loop(base: str) -> Route:
    return Route(b"", 302, {"Location": base + "/pypi/victim/json"})


def _chain(base: str) -> Route:
    # Each hop goes to a new path that redirects again: more than the five hops followed.
    return Route(b"", 302, {"Location": base + "/hop/1"})


def _hops(fake: FakeRegistry) -> None:
    for i in range(1, 12):
        fake.routes[f"/hop/{i}"] = Route(b"", 302, {"Location": fake.base_url + f"/hop/{i + 1}"})
    fake.routes["/moved/victim"] = Route(body(pypi_doc(V, NEW)))


CASES: list[Case] = [
    # ---------------------------------------------------------------- status codes
    Case("http-400", raw_route(b'{"message": "bad"}', 400), says="http 400"),
    Case("http-401", raw_route(b"", 401), says="http 401"),
    Case(
        "http-403-html", raw_route(b"<html>denied</html>", 403, **{"Content-Type": "text/html"}), says="403"
    ),
    Case("http-404", raw_route(b'{"message": "Not Found"}', 404), outcome="skipped"),
    Case("http-410", raw_route(b"gone", 410), says="http 410"),
    Case("http-418", raw_route(b"teapot", 418), says="http 418"),
    Case("http-204-empty", raw_route(b"", 204), says="http 204"),
    # The cache holds the earlier answer: an unasked 304 serves it again, as RFC 9111 allows.
    Case("http-304-unasked", raw_route(b"", 304), "updated", summary="old summary"),
    Case("http-500", raw_route(b"oops", 500), says="http 500 after 4 attempts"),
    Case("http-502", raw_route(b"<html>bad gateway</html>", 502), says="http 502"),
    Case("http-503", raw_route(b"down", 503), says="http 503"),
    Case(
        "http-429-retry-after-beyond-deadline",
        raw_route(b"slow down", 429, **{"Retry-After": "3600"}),
        says="http 429 after 1 attempt",
    ),
    Case(
        "http-429-retry-after-date",
        raw_route(b"slow down", 429, **{"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}),
        says="http 429 after 1 attempt",
    ),
    Case("http-429-retry-after-garbage", raw_route(b"", 429, **{"Retry-After": "soon"}), says="http 429"),
    Case("http-600", raw_route(b"?", 600), says="http 600"),
    # ---------------------------------------------------------------- connections
    Case("reset-before-answer", lambda base: Route(reset=True), says="connection"),
    Case("not-http", lambda base: Route(raw=b"SSH-2.0-OpenSSH_9.6\r\n"), says="protocol"),
    Case("garbage-status-line", lambda base: Route(raw=b"HTTP/1.1 abc\r\n\r\n"), says="protocol"),
    Case(
        "truncated-body",
        lambda base: Route(body(pypi_doc(V, NEW)), truncate_at=100),
        says="connection closed mid-answer",
    ),
    Case(
        "close-delimited-valid", lambda base: Route(body(pypi_doc(V, NEW)), close_delimited=True), "updated"
    ),
    Case(
        "close-delimited-huge",
        lambda base: Route(b'{"a": "' + b"x" * (60 * 1024 * 1024) + b'"}', close_delimited=True),
        says="byte limit",
    ),
    Case(
        "drip-1-byte-per-second",
        lambda base: Route(body(pypi_doc(V, NEW)), drip=1.0),
        says="deadline",
        args=FAST,
    ),
    Case(
        "hang-before-headers", lambda base: Route(body(pypi_doc(V, NEW)), hold=60), says="deadline", args=FAST
    ),
    # ---------------------------------------------------------------- redirects
    Case("redirect-same-host", _redirect(lambda b: b + "/moved/victim"), "updated", summary=NEW),
    Case("redirect-chain-too-long", _chain, says="redirects"),
    Case("redirect-loop", _loop, says="redirect loop"),
    Case(
        "redirect-link-local",
        _redirect(lambda b: "http://169.254.169.254/latest/meta-data/"),
        says="another host",
    ),
    Case(
        "redirect-other-name-same-port",
        _redirect(lambda b: b.replace("127.0.0.1", "localhost") + "/moved/victim"),
        says="another host",
    ),
    Case("redirect-file-url", _redirect(lambda b: "file:///etc/passwd"), says="another host"),
    Case(
        "redirect-https-elsewhere",
        _redirect(lambda b: "https://example.org/pypi/victim/json", 301),
        says="another host",
    ),
    Case("redirect-without-location", raw_route(b"", 302), says="location"),
    # ---------------------------------------------------------------- bodies: types, nulls, identity
    Case("empty-object", raw_route(b"{}"), says="does not name the package"),
    Case("json-null", raw_route(b"null"), says="expected a json object"),
    Case("json-list", raw_route(b"[]"), says="expected a json object"),
    Case("all-null", raw_route(body({"info": None, "releases": None, "urls": None})), says="does not name"),
    Case(
        "all-null-info-fields",
        ok(
            {
                "info": dict.fromkeys(("name", "version", "summary", "project_urls", "home_page")),
                "releases": {},
            }
        ),
        says="does not name",
    ),
    Case("other-package", ok(pypi_doc("requests", NEW)), says="another package"),
    Case("no-version", ok(pypi_doc(V, NEW, version=None)), says="no latest version"),
    Case("version-a-number", ok(pypi_doc(V, NEW, version=3)), says="expected a string"),
    Case(
        "version-infinite",
        raw_route(body(pypi_doc(V, NEW)).replace(b'"version": "', b'"version": 1e999, "x": "')),
        says="expected a string",
    ),
    Case("info-a-string", raw_route(body({"info": "x", "releases": {}})), says="expected an object"),
    Case("releases-a-list", ok({**pypi_doc(V, NEW), "releases": [1, 2]}), says="expected an object"),
    Case(
        "release-files-not-a-list", ok({**pypi_doc(V, NEW), "releases": {"1.0": "x"}}), says="list of files"
    ),
    Case("project-urls-a-list", ok(pypi_doc(V, NEW, project_urls=["x"])), says="expected an object"),
    Case("roles-a-string", ok({**pypi_doc(V, NEW), "ownership": {"roles": "x"}}), says="expected a list"),
    Case("name-with-control-characters", ok(pypi_doc("vic\x1btim\n", NEW)), says="another package"),
    # ---------------------------------------------------------------- sizes and depth
    Case("summary-10-mb", ok(pypi_doc(V, "x" * (10 * 1024 * 1024))), says="exceeds"),
    Case("keywords-huge", ok(pypi_doc(V, NEW, keywords="k " * (2 * 1024 * 1024))), says="size limit"),
    Case("body-60-mb-declared", raw_route(b" " * (60 * 1024 * 1024)), says="byte limit"),
    Case("deep-nesting-100k", raw_route(nested_json(100_000)), says="nested too deeply"),
    # ---------------------------------------------------------------- encodings and compression
    Case(
        "gzip-valid",
        lambda base: Route(gzip.compress(body(pypi_doc(V, NEW))), headers={"Content-Encoding": "gzip"}),
        "updated",
        summary=NEW,
    ),
    Case(
        "gzip-bomb",
        lambda base: Route(bomb("gzip"), headers={"Content-Encoding": "gzip"}),
        says="once decompressed",
    ),
    Case(
        "deflate-bomb",
        lambda base: Route(bomb("deflate"), headers={"Content-Encoding": "deflate"}),
        says="once decompressed",
    ),
    Case(
        "gzip-invalid-stream",
        raw_route(b"this is not gzip at all", 200, **{"Content-Encoding": "gzip"}),
        says="invalid gzip",
    ),
    Case(
        "gzip-truncated",
        lambda base: Route(gzip.compress(body(pypi_doc(V, NEW)))[:200], headers={"Content-Encoding": "gzip"}),
        says="truncated gzip",
    ),
    Case(
        "gzip-twice",
        lambda base: Route(
            gzip.compress(gzip.compress(body(pypi_doc(V, NEW)))), headers={"Content-Encoding": "gzip, gzip"}
        ),
        says="encoded 2 times",
    ),
    Case(
        "brotli-unasked",
        raw_route(b"\x1b\x00", 200, **{"Content-Encoding": "br"}),
        says="unsupported content encoding",
    ),
    Case("html-instead-of-json", raw_route(b"<!DOCTYPE html><html>login</html>"), says="html"),
    Case("empty-body", raw_route(b""), says="malformed json"),
    Case("truncated-json", raw_route(body(pypi_doc(V, NEW))[:500]), says="malformed json"),
    Case(
        "invalid-utf8",
        raw_route(b'{"info": {"name": "victim", "summary": "\xff\xfe"}}'),
        says="malformed json",
    ),
    Case("utf16-json", raw_route(body(pypi_doc(V, NEW)).decode().encode("utf-16")), "updated", summary=NEW),
    Case(
        "json-with-nan",
        raw_route(body(pypi_doc(V, NEW)).replace(b'"yanked": false', b'"yanked": NaN', 1)),
        "updated",
        summary=NEW,
    ),
    # ---------------------------------------------------------------- dates
    Case(
        "date-before-year-1-in-utc",
        ok(
            {**pypi_doc(V, NEW), "releases": {"1.0": [{"upload_time_iso_8601": "0001-01-01T00:00:00+14:00"}]}}
        ),
        "updated",
        summary=NEW,
    ),
    Case(
        "date-after-9999-in-utc",
        ok(
            {**pypi_doc(V, NEW), "releases": {"1.0": [{"upload_time_iso_8601": "9999-12-31T23:59:59-14:00"}]}}
        ),
        "updated",
        summary=NEW,
    ),
    Case(
        "date-huge-string",
        ok({**pypi_doc(V, NEW), "releases": {"1.0": [{"upload_time_iso_8601": "2" * 100_000}]}}),
        "updated",
        summary=NEW,
    ),
    # ---------------------------------------------------------------- hostile URLs and text (data, never followed)
    Case(
        "hostile-project-urls",
        ok(
            pypi_doc(
                V,
                NEW,
                project_urls={
                    "Source": "ext::sh -c touch% /tmp/pwned",
                    "Homepage": "https://169.254.169.254/x",
                    "Funding": "javascript:alert(1)",
                },
            )
        ),
        "updated",
        summary=NEW,
    ),
    Case(
        "hostile-text",
        ok(pypi_doc(V, "<script>alert(1)</script>\x1b[31m=cmd|' /C calc'!A0")),
        "updated",
        summary="<script>alert(1)</script>\x1b[31m=cmd|' /C calc'!A0",
    ),
    # ---------------------------------------------------------------- npm
    Case("npm-empty-object", raw_route(b"{}"), ecosystem="npm", says="does not name the package"),
    Case(
        "npm-all-null",
        raw_route(body({"name": None, "dist-tags": None, "versions": None, "time": None})),
        ecosystem="npm",
        says="does not name",
    ),
    Case(
        "npm-no-versions",
        ok({**npm_doc("victim-npm", NEW), "versions": {}}),
        ecosystem="npm",
        says="no latest version",
    ),
    Case("npm-other-package", ok(npm_doc("left-pad", NEW)), ecosystem="npm", says="another package"),
    Case(
        "npm-directory-traversal",
        ok(
            npm_doc(
                "victim-npm",
                NEW,
                repository={
                    "type": "git",
                    "url": "https://github.com/example/victim-npm",
                    "directory": "../../../etc",
                },
            )
        ),
        "updated",
        "npm",
        summary=NEW,
        extra={"directory": None},
    ),
]


def _victim_record(db: Path, purl: str) -> dict[str, Any]:
    with read_connection(db) as conn:
        return {
            "metadata": [
                list(map(str, r))
                for r in conn.execute(
                    "SELECT * EXCLUDE (run_id) FROM package_metadata WHERE purl = ?", [purl]
                ).fetchall()
            ],
            "releases": conn.execute(
                "SELECT count(*) FROM package_releases WHERE purl = ?", [purl]
            ).fetchall()[0][0],
            "maintainers": conn.execute(
                "SELECT count(*) FROM package_maintainers WHERE purl = ?", [purl]
            ).fetchall()[0][0],
            "funding": conn.execute(
                "SELECT count(*) FROM funding_links WHERE subject = ?", [purl]
            ).fetchall()[0][0],
        }


def _summary(db: Path, purl: str) -> tuple[str | None, str | None]:
    with read_connection(db) as conn:
        row = conn.execute(
            "SELECT summary, repository_directory FROM package_metadata WHERE purl = ?", [purl]
        ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _peak_vm_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) // 1024
    return 0


def _refresh(db: Path, args: tuple[str, ...], only: str = "pypi,npm") -> tuple[int, list[str]]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["refresh", "--db", str(db), "--only", only, "--max-age", "0s", *args])
    return code, [line for line in err.getvalue().splitlines() if line.strip()]


def _good_routes(fake: FakeRegistry, summary: str) -> None:
    fake.routes.clear()
    fake.routes["/pypi/victim/json"] = Route(body(pypi_doc(V, "old summary")))
    fake.routes["/pypi/good/json"] = Route(body(pypi_doc("good", summary)))
    fake.routes["/victim-npm"] = Route(body(npm_doc("victim-npm", "old summary")))
    fake.routes["/good-npm"] = Route(body(npm_doc("good-npm", summary)))


def run(work: Path) -> dict[str, Any]:
    """Every case in this process; returns what each got."""
    stamina.set_testing(True, attempts=4)  # retries happen, without their waits
    template = work / "template"
    template.mkdir(parents=True)
    results: dict[str, Any] = {}
    with serve(FakeRegistry(routes={})) as fake:
        os.environ["SOCLE_PYPI_URL"] = fake.base_url + "/pypi"
        os.environ["SOCLE_NPM_URL"] = fake.base_url
        make_store(template / "socle.duckdb", APPS)
        _good_routes(fake, "old summary")
        code, err = _refresh(template / "socle.duckdb", ())
        if code != 0:
            raise SystemExit(f"seeding refresh failed ({code}): {err}")
        for case in CASES:
            case_dir = work / case.name
            shutil.copytree(template, case_dir)
            db = case_dir / "socle.duckdb"
            good_summary = f"updated during {case.name}"
            good = "pkg:pypi/good" if case.ecosystem == "pypi" else "pkg:npm/good-npm"
            _good_routes(fake, good_summary)
            _hops(fake)
            path = "/pypi/victim/json" if case.ecosystem == "pypi" else "/victim-npm"
            fake.routes[path] = case.hostile(fake.base_url)
            before = _victim_record(db, case.purl)
            started = time.monotonic()
            # The victim's registry only: the other one has its own cases (and a deadline spent on one
            # registry would fail every package of the next, as it should).
            code, err = _refresh(db, case.args, only=case.ecosystem)
            summary, directory = _summary(db, case.purl)
            with read_connection(db) as conn:
                event = conn.execute(
                    "SELECT severity, message FROM run_events WHERE subject = ? AND run_id = (SELECT max(run_id) FROM runs)",
                    [case.purl],
                ).fetchall()
            results[case.name] = {
                "code": code,
                "err": err,
                "good_updated": _summary(db, good)[0] == good_summary,
                "victim_intact": _victim_record(db, case.purl) == before,
                "victim_summary": summary,
                "victim_directory": directory,
                "events": [list(e) for e in event],
                "seconds": round(time.monotonic() - started, 2),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "peak_vm_mb": _peak_vm_mb(),
            }
            shutil.rmtree(case_dir)
    return results


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.write_text(json.dumps(run(Path(sys.argv[2])), indent=1))
