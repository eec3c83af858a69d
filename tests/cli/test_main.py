"""The CLI edge: exit codes and one-line errors."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from analysis import cli as cli_module


@pytest.fixture
def probe_command() -> click.Command:
    @click.command("probe-exit")
    @click.argument("code", type=int)
    @click.pass_context
    def probe(ctx: click.Context, code: int) -> None:
        ctx.exit(code)

    cli_module.cli.add_command(probe)
    yield probe
    cli_module.cli.commands.pop("probe-exit")


@pytest.mark.parametrize("code", [0, 1, 2])
def test_ctx_exit_code_reaches_the_shell(probe_command: click.Command, code: int) -> None:
    assert cli_module.main(["probe-exit", str(code)]) == code


def test_missing_store_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_module.main(["status", "--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "none.duckdb: no store here yet" in err[0]


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_module.main(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err
