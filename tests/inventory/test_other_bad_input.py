"""Bad input in the formats of other ecosystems: one clear line naming the file and where, exit code 2,
and the application's earlier data kept (the same promise as tests/inventory/test_bad_input.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.cli import main
from collectors.store import read_connection
from tests.inventory.helpers import FIXTURES

TRUNCATED_XML = (FIXTURES / "cdx-xml" / "bom-1.6.cdx.xml").read_bytes()[:1500]

BAD_FILES: list[tuple[str, bytes, str]] = [
    (
        "Cargo.lock",
        b'version = 4\n[[package]]\nname = "a"\ndependencies = [3]\n',
        r"Cargo\.lock:package\[0\]\.dependencies\[0\]: wrong shape",
    ),
    ("go.mod", b"module example.org/x\n\nrequire example.org/a\n", r"go\.mod:line 3: a require needs"),
    (
        "go.mod",
        b"// only a comment\ngo 1.22\nrequire example.org/a v1.0.0\n",
        r"not a go\.mod: no module directive",
    ),
    (
        "graph.txt",
        b"example.org/x example.org/a@v1\nexample.org/a@v1 b c\n",
        r"graph\.txt:line 2: not `go mod graph` output",
    ),
    (
        "go.sum",
        b"example.org/a v1.0.0 h1:abc=\nexample.org/a v1.0.0\n",
        r"go\.sum:line 2: not a go\.sum line",
    ),
    ("tree.txt", b"org.x:app:jar:1.0\n+- org.x:a:1.0\n", r"tree\.txt:line 2: not a Maven artifact"),
    (
        "tree.txt",
        b"org.x:app:jar:1.0\n+- org.x:a:jar:1.0:compile\n|     |  \\- org.x:b:jar:1:compile\n",
        r"tree\.txt:line 3: tree indentation jumps",
    ),
    (
        "tree.json",
        b'{"groupId": "g", "artifactId": "a", "version": "1", "children": [{"groupId": "g"}]}',
        r"tree\.json:\$\.children\[0\]: JSON of the wrong shape",
    ),
    (
        "deps.txt",
        b"runtimeClasspath\n+--- g:a:1.0\n|         \\--- g:b:1.0\n",
        r"deps\.txt:line 3: tree indentation jumps",
    ),
    (
        "gradle.lockfile",
        b"# This is a Gradle generated file for dependency locking.\nnot a line\n",
        r"gradle\.lockfile:line 2: not a 'group:name:version=configurations' line",
    ),
    (
        "composer.lock",
        b'{"content-hash": "x", "packages": {"a": 1}}',
        r"composer\.lock:packages: JSON of the wrong shape",
    ),
    (
        "packages.lock.json",
        b'{"version": 1, "dependencies": []}',
        r"packages\.lock\.json:dependencies: JSON of the wrong shape",
    ),
    (
        "Gemfile.lock",
        b"GEM\n  remote: https://rubygems.org/\n  specs:\n    a (1.0)\n\nDEPENDENCIES\n  a (>= 1\n",
        r"Gemfile\.lock:line 7: not a 'name \(constraint\)'",
    ),
    (
        "sbom.spdx",
        b"SPDXVersion: SPDX-2.3\nPackageName: a\nPackageVersion: 1\n",
        r"sbom\.spdx:line 2: package 'a' has no SPDXID",
    ),
    (
        "sbom.spdx",
        b"SPDXVersion: SPDX-2.3\nPackageComment: <text>never closed\n",
        r"sbom\.spdx:line 2: <text> value never closed",
    ),
    ("bom.cdx.xml", TRUNCATED_XML, r"bom\.cdx\.xml: invalid or unsafe XML"),
    (
        "sbom.spdx3.json",
        b'{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [{"type": "software_Package"}]}',
        r"@graph\[0\]: JSON of the wrong shape: a package needs a spdxId",
    ),
]


@pytest.fixture
def seeded(db_path: Path) -> Path:
    assert main(["import", "--db", str(db_path), "--app", "victim", str(FIXTURES / "uv.lock")]) == 0
    return db_path


def _snapshot(db: Path) -> tuple[list[tuple[object, ...]], ...]:
    with read_connection(db) as conn:
        return (
            conn.execute("SELECT * FROM app_packages ORDER BY app, purl, version").fetchall(),
            conn.execute("SELECT * FROM app_edges ORDER BY ALL").fetchall(),
        )


@pytest.mark.parametrize(
    ("name", "content", "message"), BAD_FILES, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_FILES)]
)
def test_bad_file_is_one_line_and_keeps_earlier_data(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    before = _snapshot(seeded)
    capsys.readouterr()
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["import", "--db", str(seeded), "--app", "victim", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"socle: error: {path}")
    assert re.search(message, err.strip()), err
    assert _snapshot(seeded) == before
