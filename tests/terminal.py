"""A command run as a person at a terminal runs it: stderr on a pseudo-terminal (progress is drawn only there),
stdout a pipe, as when the summary is piped on or saved."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path


def on_a_terminal(*args: object) -> tuple[int, str, str]:
    """`blogimport ARGS` with stderr on a pseudo-terminal, as a person at a terminal sees it: (exit, out, err)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("blogimport")), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=terminal,
        stdin=subprocess.DEVNULL,
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # Linux says EIO once the last writer has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    out = process.stdout.read().decode() if process.stdout else ""
    return process.wait(timeout=60), out, shown.decode(errors="replace")
