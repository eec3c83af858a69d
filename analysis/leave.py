"""Leaving the ``socle`` process without tearing the interpreter down.

Once a command has finished, has committed what it wrote and closed its store, the interpreter's own
shutdown still frees, one by one, every object the process holds, and runs a last full garbage collection
over them: 0.05 to 0.09 s after a full mining of rails, a twelfth of what follows git's own work there.
Nothing in that teardown is needed: the operating system takes the memory back whole. So the console script
runs the exit handlers (:mod:`atexit`: log handlers flushed, temporary directories removed, worker
processes stopped), flushes its output, and ends the process with :func:`os._exit`, as mypy's command line
does (``mypy.util.hard_exit``).

It falls back to the usual exit whenever that could lose something: another thread still running (the usual
exit would wait for it), worker processes still alive, or output that cannot be flushed (its error then
shows as usual). Tests call :func:`analysis.cli.main` and never come here.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def leave(code: int) -> NoReturn:
    """End the process with exit status ``code``: quickly when nothing is left running, else as usual."""
    run_handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's own: what the usual exit calls
    processes = sys.modules.get("multiprocessing")  # not imported: no worker process was started
    if run_handlers is None or threading.active_count() > 1 or (processes and processes.active_children()):
        sys.exit(code)
    run_handlers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe, a closed stream: the usual exit reports it
        sys.exit(code)
    os._exit(code)
