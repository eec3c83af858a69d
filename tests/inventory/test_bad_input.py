"""Bad input: each gives one clear line naming the file (and where), or a documented skip on the run,
and the application's earlier data stays as it was."""

from __future__ import annotations

import json
import re
import tracemalloc
from pathlib import Path

import pytest

from analysis.cli import main
from collectors.errors import InputError
from collectors.inventory.read import read_file
from collectors.store import read_connection
from tests.inventory.helpers import FIXTURES


def _snapshot(db: Path) -> tuple[list[tuple[object, ...]], ...]:
    with read_connection(db) as conn:
        return (
            conn.execute("SELECT * FROM applications ORDER BY name").fetchall(),
            conn.execute("SELECT * FROM app_packages ORDER BY app, purl, version").fetchall(),
            conn.execute("SELECT * FROM app_edges ORDER BY ALL").fetchall(),
        )


@pytest.fixture
def seeded(db_path: Path) -> Path:
    assert main(["import", "--db", str(db_path), "--app", "victim", str(FIXTURES / "uv.lock")]) == 0
    return db_path


TRUNCATED = (FIXTURES / "diamond-cycle.cdx.json").read_text()[:700]

BAD_FILES = [
    ("empty.json", b"", r"empty\.json: empty file$"),
    ("blank.txt", b"  \n\n", r"blank\.txt: empty file$"),
    ("binary.json", bytes(range(256)) * 4, r"binary\.json: binary file"),
    ("image.png", b"\x89PNG\r\n\x1a\n\xff\xfe\xfa" * 10, r"image\.png: binary file"),
    ("truncated.cdx.json", TRUNCATED.encode(), r"truncated\.cdx\.json: truncated JSON"),
    ("list.json", b"[1, 2, 3]", r"list\.json: JSON of the wrong shape"),
    (
        "other.json",
        b'{"hello": "world"}',
        r"other\.json: socle takes this for a JSON document of no known kind; that format is not supported "
        r"\(supported: CycloneDX JSON SBOM, .*pip requirements file\)$",
    ),
    (
        "components.cdx.json",
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [42]}',
        r"components\.cdx\.json:components\[0\]: JSON of the wrong shape: a component must be an object",
    ),
    (
        "deps.cdx.json",
        b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [], "dependencies": [{"x": 1}]}',
        r"deps\.cdx\.json:dependencies\[0\]: JSON of the wrong shape",
    ),
    (
        "old.cdx.json",
        b'{"bomFormat": "CycloneDX", "specVersion": "9.9", "components": []}',
        r"old\.cdx\.json:specVersion: CycloneDX specVersion '9.9' is not supported",
    ),
    (
        "odd-uv.lock",
        b'version = 1\n[[package]]\nname = "a"\nversion = "1"\nsource = { virtual = "." }\n'
        b'dependencies = [{ name = "b", extra = 5 }]\n[[package]]\nname = "b"\nversion = "2"\n',
        r"odd-uv\.lock: unexpected content \(TypeError",
    ),
    ("v1-lock.json", b'{"name": "a", "lockfileVersion": 1, "dependencies": {}}', r"v1 is not supported"),
    ("broken.lock", b"[[package]\nname = ", r"broken\.lock: invalid TOML: .*line 1"),
    (
        "requirements.txt",
        b"requests==2.31\nflask>=2 !!\n",
        r"requirements\.txt:2: pip would reject this requirement",
    ),
    (
        "reqs.txt",
        b"requests\n--frobnicate\n",
        r"reqs\.txt:2: pip would reject this line: unknown option --frobnicate",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_one_line_and_keeps_earlier_data(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    before = _snapshot(seeded)
    capsys.readouterr()
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["import", "--db", str(seeded), "--app", "victim", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith(f"socle: error: {path}")
    assert re.search(message, err.strip()), err
    assert _snapshot(seeded) == before
    with read_connection(seeded) as conn:
        assert conn.execute("SELECT status FROM runs ORDER BY run_id DESC LIMIT 1").fetchall() == [
            ("failed",)
        ]
        events = conn.execute("SELECT severity, subject FROM run_events WHERE run_id = 2").fetchall()
    assert events == [("error", str(path))]


def test_include_loop_names_the_file_and_line(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(seeded)
    capsys.readouterr()
    assert (
        main(["import", "--db", str(seeded), "--app", "victim", str(FIXTURES / "reqs" / "loop-a.txt")]) == 2
    )
    err = capsys.readouterr().err.strip()
    assert err.endswith("loop-b.txt:2: include loop: loop-a.txt -> loop-b.txt -> loop-a.txt")
    assert _snapshot(seeded) == before


def test_unknown_refs_duplicates_and_bad_purls_are_documented_skips(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db_path), str(FIXTURES / "bad-refs.cdx.json")]) == 0
    assert "6 skipped" in capsys.readouterr().out
    with read_connection(db_path) as conn:
        packages = conn.execute("SELECT purl, is_direct, depth FROM app_packages ORDER BY purl").fetchall()
        events = conn.execute("SELECT severity, message FROM run_events ORDER BY message").fetchall()
    assert packages == [
        ("pkg:generic/bad", False, None),  # a purl that does not parse: kept as a node, nothing reaches it
        ("pkg:generic/nopurl", False, None),  # no purl: kept as a node
        ("pkg:pypi/a", True, 1),
        ("pkg:pypi/b", True, 1),
    ]
    assert {severity for severity, _ in events} == {"skipped"}
    assert [message.split(":")[0] for _, message in events] == [
        "components[1]",  # duplicate bom-ref
        "components[2]",  # duplicate component under another bom-ref
        "components[3].purl",  # a purl that does not parse
        "components[4]",  # no purl
        "dependencies[0].dependsOn[2]",  # unknown bom-ref in dependsOn
        "dependencies[1].ref",  # unknown bom-ref as ref
    ]


def test_one_bad_input_among_good_ones_is_partial(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code = main(
        ["import", "--db", str(db_path), str(FIXTURES / "uv.lock"), str(bad), str(tmp_path / "missing")]
    )
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"socle: error: {bad}: truncated JSON (the file ends in the middle of a value)",
        f"socle: error: {tmp_path / 'missing'}: no such file or directory",
    ]
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT name FROM applications").fetchall() == [("demo-api",)]
        assert conn.execute("SELECT status, error_count FROM runs").fetchall() == [("partial", 2)]


def _large_sbom(path: Path, components: int, padding: int) -> None:
    """A CycloneDX SBOM whose components carry long descriptions, as real SBOMs carry licence texts."""
    filler = "x" * padding
    with path.open("w") as out:
        out.write('{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"component": ')
        out.write('{"bom-ref": "app", "name": "big"}}, "components": [')
        for i in range(components):
            out.write("," if i else "")
            purl = f"pkg:pypi/package-{i}@1.{i}"
            out.write(json.dumps({"bom-ref": purl, "name": f"p{i}", "purl": purl, "description": filler}))
        out.write('], "dependencies": [{"ref": "app", "dependsOn": ["pkg:pypi/package-0@1.0"]}')
        for i in range(components - 1):
            child = f"pkg:pypi/package-{i + 1}@1.{i + 1}"
            out.write(", " + json.dumps({"ref": f"pkg:pypi/package-{i}@1.{i}", "dependsOn": [child]}))
        out.write("]}")


def test_a_50_mb_sbom_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.cdx.json"
    _large_sbom(path, components=5_000, padding=10_000)
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    try:
        inventory = read_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(inventory.components) == 5_000
    assert len(inventory.edges) == 4_999
    assert peak < 60_000_000  # well under the file's size: the file is never loaded whole


def test_read_file_errors_are_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": "nope"}')
    with pytest.raises(
        InputError, match=r"x\.json:components: JSON of the wrong shape: components must be an array"
    ):
        read_file(path)
