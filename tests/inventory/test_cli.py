"""``socle import`` and ``socle status`` end to end on the example organisation and on directories."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest

from analysis.cli import cli, main, register_commands
from collectors.store import read_connection
from tests.inventory.helpers import EXAMPLES, FIXTURES


def test_example_organisation_imports_with_exact_counts(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = sorted(str(p) for p in EXAMPLES.iterdir())
    assert main(["import", "--db", str(db_path), *paths]) == 0
    with read_connection(db_path) as conn:
        apps = conn.execute(
            "SELECT a.name, a.format, count(*) FILTER (WHERE p.is_direct), count(*) FILTER (WHERE NOT p.is_direct), "
            "count(*) FILTER (WHERE p.depth IS NULL), max(p.depth) "
            "FROM applications a JOIN app_packages p ON p.app = a.name GROUP BY ALL ORDER BY a.name"
        ).fetchall()
        dev = conn.execute(
            "SELECT purl, scope FROM app_packages WHERE app = 'citizen-portal-api' AND scope = 'dev' AND is_direct "
            "ORDER BY purl"
        ).fetchall()
    # Direct dependencies exactly as the applications declare them (uvicorn's and psycopg's extras add none).
    # (name, format, direct, transitive, unreachable, deepest)
    assert apps == [
        # mvn dependency:tree without the test scope: 4 declared, 4 transitive (jackson-annotations,
        # jackson-core, byte-buddy, checker-qual), as the CycloneDX Maven plugin wrote them.
        ("case-registry-java", "cyclonedx", 4, 4, 0, 2),
        ("citizen-portal-api", "uv-lock", 22, 47, 0, 4),
        # dpkg-query's 20 installed packages, without a dependency graph.
        ("intake-container", "cyclonedx", 20, 0, 0, 1),
        ("open-data-pipeline", "cyclonedx", 22, 21, 0, 4),
        # go.mod's 4 requires, and the 7 indirect modules cyclonedx-gomod found in `go mod graph`.
        ("permit-cli-go", "cyclonedx", 4, 7, 0, 2),
        ("services-web", "npm-lock", 21, 259, 0, 6),
        # cargo tree -e normal: 6 dependencies of tax-engine, 24 crates in all, unicode-ident 4 levels down.
        ("tax-engine-rust", "cyclonedx", 6, 18, 0, 4),
    ]
    assert dev == [("pkg:pypi/mypy", "dev"), ("pkg:pypi/pytest", "dev"), ("pkg:pypi/ruff", "dev")]
    capsys.readouterr()
    assert main(["status", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    for name in (
        "citizen-portal-api",
        "open-data-pipeline",
        "services-web",
        "npm ",
        "pypi ",
        "maven ",
        "#1 import",
    ):
        assert name in out


def test_directory_rule_prefers_lockfile_and_names_app_after_folder(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "payments"
    folder.mkdir()
    shutil.copy(FIXTURES / "uv.lock", folder / "uv.lock")
    shutil.copy(FIXTURES / "pyproject-pep621.toml", folder / "pyproject.toml")
    shutil.copy(FIXTURES / "package.json", folder / "package.json")
    assert main(["import", "--db", str(db_path), str(folder)]) == 0
    assert "payments: created" in capsys.readouterr().out
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT name, format FROM applications").fetchall() == [
            ("payments", "uv-lock+package-json")
        ]
        # flask is only in the pyproject, which the uv.lock supersedes; react comes from package.json
        purls = {p for (p,) in conn.execute("SELECT purl FROM app_packages").fetchall()}
    assert "pkg:pypi/flask" not in purls
    assert {"pkg:pypi/uvicorn", "pkg:npm/react"} <= purls


def test_app_option_merges_several_files(db_path: Path) -> None:
    args = [
        "import",
        "--db",
        str(db_path),
        "--app",
        "mixed",
        str(FIXTURES / "uv.lock"),
        str(FIXTURES / "package.json"),
    ]
    assert main(args) == 0
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM app_packages WHERE app = 'mixed'").fetchall() == [(13,)]


def test_status_without_store_is_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert capsys.readouterr().err.startswith("socle: error: ")


def test_every_command_help_ends_with_an_example() -> None:
    register_commands()
    for name, command in cli.commands.items():
        with click.Context(command, info_name=name) as ctx:
            help_text = command.get_help(ctx)
        assert "Example:" in help_text, name
        assert "socle " + name in help_text.split("Example:")[1], name


def test_other_modules_add_status_sections(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import types

    import analysis.commands
    from analysis.commands import inventory

    extra = types.ModuleType("coverage_area")
    extra.COMMANDS = []  # type: ignore[attr-defined]
    extra.STATUS_SECTIONS = [  # type: ignore[attr-defined]
        inventory.StatusSection(
            "registry coverage", lambda conn: [f"{conn.execute('SELECT 41 + 1').fetchone()}"]
        )
    ]
    monkeypatch.setattr(analysis.commands, "COMMAND_MODULES", [inventory, extra])
    assert main(["import", "--db", str(db_path), str(FIXTURES / "uv.lock")]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    titles = [line for line in out.splitlines() if line.endswith(":")]
    assert titles == ["applications:", "packages per ecosystem:", "registry coverage:", "last runs:"]
    assert "(42,)" in out


def test_a_file_without_a_declared_name_is_named_after_its_folder(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "billing"
    folder.mkdir()
    (folder / "requirements.txt").write_text("requests==2.32.3\n")
    (folder / "tools.txt").write_text("ruff==0.8.0\n")
    assert (
        main(["import", "--db", str(db_path), str(folder / "requirements.txt"), str(folder / "tools.txt")])
        == 0
    )
    with read_connection(db_path) as conn:
        assert conn.execute("SELECT name, format FROM applications ORDER BY name").fetchall() == [
            ("billing", "requirements"),
            ("tools", "requirements"),
        ]


def test_status_shows_every_area_on_an_imported_store(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db_path), str(FIXTURES / "uv.lock")]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    titles = [line for line in out.splitlines() if line.endswith(":")]
    assert titles == [
        "applications:",
        "packages per ecosystem:",
        "registry metadata:",
        "repositories:",
        "package scores:",
        "vulnerabilities:",
        "last runs:",
    ]
    assert "none yet: socle refresh" in out
