"""``socle refresh`` end to end on real DuckDB stores: recorded answers, faults, incrementality, the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from analysis.cli import main
from analysis.pipeline import RefreshOptions, run_refresh
from analysis.queries.registry import registry_coverage
from bench.fake_registry import FakeRegistry, Route, serve
from collectors.store import read_connection, write_session
from collectors.store.registry import document
from tests.registry.conftest import make_store, pypi_answer_for, recorded_transport

NOW = datetime(2026, 11, 22, 12, 0)
APPS = {
    "citizen-portal-api": [
        ("pypi", "attrs", "26.1.0", True),
        ("pypi", "requests", "", True),
        ("pypi", "this-package-does-not-exist-socle", "1.0", True),
        ("pypi", "idna", "3.20", False),
    ],
    "services-web": [
        ("npm", "postcss", "8.5.33", True),
        ("npm", "@babel/core", "", True),
        ("npm", "chalk", "", False),
    ],
}


#: These tests exercise the registry steps; the whole pipeline is tested in tests/test_pipeline.py.
REGISTRY_ONLY = frozenset({"pypi", "npm"})


def refresh(db: Path, transport: httpx.AsyncBaseTransport, **kwargs: object) -> object:
    kwargs.setdefault("only", REGISTRY_ONLY)
    options = RefreshOptions(
        db_path=db, now=kwargs.pop("now", NOW), http_transport=transport, http_cache=False, **kwargs
    )  # type: ignore[arg-type]
    return run_refresh(options)


def rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with read_connection(db) as conn:
        return conn.execute(sql, params or []).fetchall()


def test_refresh_stores_metadata_funding_state_and_documents(db_path: Path) -> None:
    make_store(db_path, APPS)
    session = refresh(db_path, recorded_transport())
    assert session.status == "ok"  # type: ignore[attr-defined]
    assert rows(
        db_path, "SELECT purl, repository_url FROM package_metadata WHERE purl = 'pkg:npm/%40babel/core'"
    ) == [("pkg:npm/%40babel/core", "https://github.com/babel/babel")]
    assert rows(
        db_path, "SELECT platform, source FROM funding_links WHERE subject = 'pkg:pypi/attrs' ORDER BY 1"
    ) == [
        ("github-sponsors", "pypi"),
        ("tidelift", "pypi"),
    ]
    assert rows(db_path, "SELECT severity, subject FROM run_events WHERE run_id = 2") == [
        ("skipped", "pkg:pypi/this-package-does-not-exist-socle")
    ]
    assert rows(db_path, "SELECT status FROM runs WHERE run_id = 2") == [("ok",)]
    with read_connection(db_path) as conn:
        raw = document(conn, "https://pypi.org/pypi/attrs/json")
        coverage = {c.ecosystem: c for c in registry_coverage(conn)}
    assert raw is not None and b"github.com/python-attrs/attrs" in raw
    assert (coverage["pypi"].packages, coverage["pypi"].with_metadata, coverage["pypi"].with_funding) >= (
        4,
        3,
        1,
    )
    assert coverage["npm"].with_repository == coverage["npm"].with_metadata >= 3
    dep_rows = rows(
        db_path,
        "SELECT dependency_purl, kind FROM package_dependencies WHERE purl = 'pkg:pypi/requests' AND kind = 'runtime'",
    )
    assert ("pkg:pypi/urllib3", "runtime") in dep_rows
    keywords = rows(db_path, "SELECT keywords FROM package_metadata WHERE purl = 'pkg:npm/postcss'")[0][0]
    assert isinstance(keywords, list) and "css" in keywords


def test_second_refresh_within_max_age_does_no_network_work(db_path: Path) -> None:
    make_store(db_path, APPS)
    refresh(db_path, recorded_transport())
    seen: list[str] = []
    refresh(db_path, recorded_transport(seen=seen), now=NOW + timedelta(hours=1))
    # A documented skip (the 404) counts as collected too: nothing is asked again within max-age.
    assert seen == []
    seen.clear()
    refresh(db_path, recorded_transport(seen=seen), now=NOW + timedelta(hours=25))
    assert "/pypi/attrs/json" in seen


def test_hostile_answer_keeps_the_earlier_good_record(db_path: Path) -> None:
    make_store(db_path, APPS)
    refresh(db_path, recorded_transport())
    before = rows(db_path, "SELECT * FROM package_metadata WHERE purl = 'pkg:pypi/attrs'")
    hostile = recorded_transport({"/pypi/attrs/json": httpx.Response(200, content=b"<html>oops</html>")})
    session = refresh(db_path, hostile, max_age=timedelta(0), now=NOW + timedelta(hours=2))
    assert session.status == "partial"  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT * FROM package_metadata WHERE purl = 'pkg:pypi/attrs'") == before
    assert rows(db_path, "SELECT count(*) FROM funding_links WHERE subject = 'pkg:pypi/attrs'") == [(2,)]
    assert rows(db_path, "SELECT status, succeeded_at FROM registry_state WHERE purl = 'pkg:pypi/attrs'") == [
        ("error", NOW)
    ]
    events = rows(db_path, "SELECT severity, message FROM run_events WHERE subject = 'pkg:pypi/attrs'")
    assert events and events[0][0] == "error" and "HTML" in str(events[0][1])


def test_only_selects_an_ecosystem(db_path: Path) -> None:
    make_store(db_path, APPS)
    seen: list[str] = []
    refresh(db_path, recorded_transport(seen=seen), only=frozenset({"npm"}))
    assert seen and all(not p.startswith("/pypi/") for p in seen)


def test_cli_exit_codes_and_summary(db_path: Path, capsys: object, monkeypatch: object) -> None:
    with serve(
        FakeRegistry(
            routes={
                "/pypi/attrs/json": Route(
                    (Path(__file__).parent.parent / "fixtures/registry/pypi/attrs.json").read_bytes()
                )
            }
        )
    ) as fake:
        make_store(db_path, {"app": [("pypi", "attrs", "", True)]})
        monkeypatch.setenv("SOCLE_PYPI_URL", fake.base_url + "/pypi")  # type: ignore[attr-defined]
        assert main(["refresh", "--db", str(db_path), "--only", "pypi,npm"]) == 0
        out = capsys.readouterr().out  # type: ignore[attr-defined]
        assert "run #2 ok" in out and "pypi_collected=1" in out
        make_store_extra = {"app2": [("pypi", "broken", "", True)]}
        fake.routes["/pypi/broken/json"] = Route(b'{"info": 5}')
        with write_session(db_path, "import") as session:
            session.conn.execute("INSERT INTO packages VALUES ('pkg:pypi/broken', 'pypi', NULL, 'broken', 1)")
            session.conn.execute(
                "INSERT INTO app_packages (app, purl, version, specifier, is_direct, depth, scope, inferred, run_id) "
                "VALUES ('app2', 'pkg:pypi/broken', '', NULL, TRUE, 1, 'runtime', FALSE, 1)"
            )
        assert make_store_extra
        assert main(["refresh", "--db", str(db_path), "--only", "pypi,npm"]) == 1
        captured = capsys.readouterr()  # type: ignore[attr-defined]
        assert "error: pkg:pypi/broken" in captured.err
        assert "errors=1" in captured.out
    assert main(["refresh", "--db", str(db_path), "--only", "pypi,npm", "--max-age", "soon"]) == 2


def _socle(db: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis.cli",
            "refresh",
            "--db",
            str(db),
            "--only",
            "pypi,npm",
            "--max-age",
            "0s",
        ],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(predicate: object, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError("condition not reached")
        time.sleep(0.05)


def test_second_refresh_while_one_runs_exits_1_at_once_and_a_killed_one_changes_nothing(
    db_path: Path,
) -> None:
    attrs = (Path(__file__).parent.parent / "fixtures/registry/pypi/attrs.json").read_bytes()
    slow = pypi_answer_for("slow")
    routes = {"/pypi/attrs/json": Route(attrs), "/pypi/slow/json": Route(slow, hold=60)}
    with serve(FakeRegistry(routes=routes)) as fake:
        make_store(db_path, {"app": [("pypi", "attrs", "", True), ("pypi", "slow", "", True)]})
        before = db_path.read_bytes()
        env = {"SOCLE_PYPI_URL": fake.base_url + "/pypi"}
        first = _socle(db_path, env)
        try:
            _wait_for(lambda: "/pypi/slow/json" in fake.requests)
            second = _socle(db_path, env)
            _, err = second.communicate(timeout=60)
            assert second.returncode == 1
            assert "another import or refresh is running" in err
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
            for stream in (first.stdout, first.stderr):
                if stream:
                    stream.close()
        assert db_path.read_bytes() == before  # the killed refresh published nothing
        assert list(db_path.parent.glob(".*.tmp"))  # it left its private copy behind
        fake.routes["/pypi/slow/json"] = Route(slow)
        third = _socle(db_path, env)
        out, _ = third.communicate(timeout=120)
        assert third.returncode == 0, out
    assert rows(db_path, "SELECT kind, status, message FROM runs ORDER BY run_id") == [
        ("import", "ok", None),
        ("refresh", "failed", "interrupted: the process stopped before the run completed"),
        ("refresh", "ok", None),
    ]
    assert rows(db_path, "SELECT count(*) FROM package_metadata") == [(2,)]
    assert not list(db_path.parent.glob(".*.tmp"))


def test_concurrency_is_bounded_per_host_and_everything_is_collected(db_path: Path) -> None:
    names = [f"pkg{i}" for i in range(60)]
    fake = FakeRegistry(routes={f"/pypi/{n}/json": Route(pypi_answer_for(n)) for n in names}, latency=0.02)
    with serve(fake):
        make_store(db_path, {"app": [("pypi", n, "", True) for n in names]})
        options = RefreshOptions(
            db_path=db_path,
            now=NOW,
            only=REGISTRY_ONLY,
            concurrency=5,
            registry_urls={"pypi": fake.base_url + "/pypi"},
            http_cache=False,
        )
        run_refresh(options)
    assert 1 < fake.max_in_flight <= 5
    assert rows(db_path, "SELECT count(*) FROM package_metadata") == [(60,)]


def test_429_and_500_from_a_real_socket_are_retried(db_path: Path) -> None:
    def flaky(name: str, status: int, headers: dict[str, str]) -> Route:
        answer = pypi_answer_for(name)
        return Route(dynamic=lambda n: Route(b"busy", status, headers) if n == 1 else Route(answer))

    fake = FakeRegistry(
        routes={
            "/pypi/a/json": flaky("a", 429, {"Retry-After": "0"}),
            "/pypi/b/json": flaky("b", 500, {}),
            "/pypi/c/json": Route(b"down", 503),
        }
    )
    with serve(fake):
        make_store(db_path, {"app": [("pypi", n, "", True) for n in "abc"]})
        options = RefreshOptions(
            db_path=db_path,
            now=NOW,
            only=REGISTRY_ONLY,
            registry_urls={"pypi": fake.base_url + "/pypi"},
            http_cache=False,
        )
        session = run_refresh(options)
    assert session.status == "partial"
    assert rows(db_path, "SELECT purl FROM package_metadata ORDER BY 1") == [("pkg:pypi/a",), ("pkg:pypi/b",)]
    assert rows(db_path, "SELECT subject FROM run_events WHERE severity = 'error'") == [("pkg:pypi/c",)]
    assert fake.requests.count("/pypi/c/json") == 4


def test_warm_refresh_revalidates_with_304_and_keeps_the_same_records(db_path: Path) -> None:
    attrs = (Path(__file__).parent.parent / "fixtures/registry/pypi/attrs.json").read_bytes()
    fake = FakeRegistry(routes={"/pypi/attrs/json": Route(attrs)}, cache_control="no-cache")
    with serve(fake):
        make_store(db_path, {"app": [("pypi", "attrs", "", True)]})
        options = RefreshOptions(
            db_path=db_path,
            now=NOW,
            only=REGISTRY_ONLY,
            max_age=timedelta(0),
            registry_urls={"pypi": fake.base_url + "/pypi"},
        )
        run_refresh(options)
        first = rows(db_path, "SELECT * EXCLUDE (fetched_at, run_id) FROM package_metadata")
        session = run_refresh(options)
        with write_session(db_path, "import") as edit:  # the application moves to a pinned version
            edit.conn.execute("UPDATE app_packages SET version = '25.4.0'")
        third = run_refresh(options)
    # 1 + 2: the third run also reads the answer again for completion (25.4.0's own document is missing).
    assert fake.not_modified == 3
    assert session.counts["pypi_cache_hits"] == 1
    # The same answer for the same versions: nothing parsed or rewritten, only the state refreshed.
    assert session.counts["pypi_unchanged"] == 1
    assert rows(db_path, "SELECT * EXCLUDE (fetched_at, run_id) FROM package_metadata") == first
    # Other versions in use: the same answer is parsed again, for that version's dependencies.
    assert third.counts.get("pypi_unchanged", 0) == 0 and third.counts["pypi_collected"] >= 1
    assert (db_path.parent / "cache" / "http").is_dir()


class _BrokenCollector:
    """A collector whose parsing has a bug for one package: the others must still be stored."""

    ecosystem = "pypi"

    def __init__(self) -> None:
        from collectors.registry.pypi import PypiCollector

        self.real = PypiCollector()

    async def collect(self, fetcher: object, ref: object, *, now: datetime) -> object:
        if ref.name == "requests":  # type: ignore[attr-defined]
            raise TypeError("'NoneType' object is not subscriptable")
        return await self.real.collect(fetcher, ref, now=now)  # type: ignore[arg-type]

    def purl_for(self, name: str) -> str:
        return self.real.purl_for(name)


def test_a_collector_bug_on_one_package_is_that_packages_error(db_path: Path) -> None:
    import asyncio

    from collectors.http import HttpSettings, open_fetcher
    from collectors.registry.collect import collect_refs
    from collectors.store.registry import packages_to_collect

    make_store(db_path, {"app": [("pypi", "attrs", "", True), ("pypi", "requests", "", True)]})

    async def main() -> None:
        with write_session(db_path, "refresh") as session:
            refs = packages_to_collect(session.conn, "pypi", max_age=timedelta(hours=1), now=NOW)
            async with open_fetcher(HttpSettings(), transport=recorded_transport()) as fetcher:
                await collect_refs(session, _BrokenCollector(), fetcher, refs, now=NOW)  # type: ignore[arg-type]

    asyncio.run(main())
    assert rows(db_path, "SELECT purl FROM package_metadata") == [("pkg:pypi/attrs",)]
    assert rows(db_path, "SELECT subject, message FROM run_events") == [
        ("pkg:pypi/requests", "unexpected answer (TypeError: 'NoneType' object is not subscriptable)")
    ]
    assert rows(db_path, "SELECT status FROM runs WHERE run_id = 2") == [("partial",)]
