"""Run a command; write its wall time and peak resident memory as JSON to a file: `python -m tests.perf.peak OUT
CMD...` (the command's stdin, stdout and stderr are this process's).

Why a process in between: Linux counts, in a child's peak (wait4's ru_maxrss), the memory of the process it was
forked from until it exec'd. The benchmark grows large (its parse-only floor reads whole exports), so a child it
forked itself would report the benchmark's size, not the import's. Forked from this small process instead, the
command's peak is its own, or that of the largest process it waited for (a parsing worker).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    out, command = Path(argv[0]), argv[1:]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out.write_text(json.dumps({"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024}))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
