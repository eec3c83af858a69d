"""``python -m bench.measure RESULT -- COMMAND...``: run COMMAND and write its wall time, CPU time and peak
memory to RESULT (JSON).

Why a separate small process: on Linux a child's ``ru_maxrss`` starts from the memory of the process it was
forked from (the high-water mark is carried across fork and exec), so a command started straight from a
benchmark that holds a large store or repository in memory would report that memory as its own. Started
from this launcher, which holds almost nothing, the figure is the command's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    result, separator, *command = argv
    if separator != "--" or not command:
        raise SystemExit("usage: python -m bench.measure RESULT -- COMMAND...")
    started = time.perf_counter()
    proc = subprocess.Popen(command)  # inherits stdin, stdout and stderr
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    with open(result, "w", encoding="utf-8") as out:
        json.dump(
            {
                "seconds": seconds,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "max_rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
                "returncode": os.waitstatus_to_exitcode(status),
            },
            out,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
