"""``socle dashboard``: start the Streamlit dashboard over the store, on the loopback interface by default."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import click

from analysis.commands.common import db_option, resolve_db
from collectors.errors import InputError, StoreError

LOOPBACK = ("127.0.0.1", "localhost", "::1")
NO_LOGIN_WARNING = (
    "socle: warning: the dashboard has no login of its own; bound to {host}, anyone who can reach port {port} "
    "sees the whole store. Put it behind an authenticating proxy or keep the default 127.0.0.1."
)


def app_path() -> Path:
    """The Streamlit entry file, found without importing the dashboard package (analysis never imports it)."""
    spec = importlib.util.find_spec("dashboard")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("dashboard", "the socle dashboard package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "streamlit_app.py"


def streamlit_command(app: Path, host: str, port: int) -> list[str]:
    """The command line that serves ``app``: headless, no usage statistics, no file watching."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]


@click.command()
@db_option
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to serve on."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. The dashboard has no login: binding anything but loopback (e.g. 0.0.0.0) shows the "
    "store to everyone who can reach the port.",
)
def dashboard(db_path: Path | None, port: int, host: str) -> None:
    """Open the dashboard (read-only; safe to run while a refresh is writing).

    \b
    Example:
        socle dashboard --db data/socle.duckdb --port 8501
        then open http://127.0.0.1:8501
    """
    db = resolve_db(db_path).resolve()
    if not db.exists():
        raise StoreError(f"{db}: no store here yet; run `socle import` first")
    if host not in LOOPBACK:
        click.echo(NO_LOGIN_WARNING.format(host=host, port=port), err=True)
    command = streamlit_command(app_path(), host, port)
    click.echo(f"socle: dashboard of {db} on http://{host}:{port}", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # Replace this process with Streamlit: signals (Ctrl-C, a supervisor's TERM) reach the server directly.
    os.execve(sys.executable, command, {**os.environ, "SOCLE_DB": str(db)})


COMMANDS = [dashboard]
