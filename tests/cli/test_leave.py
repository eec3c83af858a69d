"""The ``socle`` script ends its process without the interpreter's teardown, and loses nothing doing so: exit
handlers run, output is flushed, the exit status is the command's, and a thread still running is waited for."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from analysis import cli
from analysis.commands.common import EXIT_FATAL

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)


def test_exit_handlers_run_and_output_is_flushed_before_the_process_ends() -> None:
    done = _python(
        "import atexit, sys\n"
        "from analysis.leave import leave\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "sys.stdout.write('unflushed line\\n')\n"  # a pipe: block-buffered, so only a flush shows it
        "sys.stderr.write('on stderr\\n')\n"
        "leave(3)\n"
        "print('never printed')\n"
    )
    assert done.returncode == 3
    assert done.stdout.splitlines() == ["unflushed line", "handler ran"]
    assert done.stderr == "on stderr\n"


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "written"
    done = _python(
        "import threading, time\n"
        "from analysis.leave import leave\n"
        "def late():\n"
        "    time.sleep(0.3)\n"
        f"    open({str(marker)!r}, 'w').write('done')\n"
        "threading.Thread(target=late).start()\n"
        "leave(0)\n"
    )
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "done"  # os._exit here would have killed the thread before it wrote


def test_the_script_is_run_and_keeps_the_exit_status_and_the_error_line() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["socle"] == "analysis.cli:run"
    assert callable(cli.run)
    done = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "no-such-command"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == EXIT_FATAL
    assert "No such command 'no-such-command'" in done.stderr
    version = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert version.returncode == 0
    assert version.stdout.startswith("socle")
