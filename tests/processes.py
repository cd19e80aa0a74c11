"""An import running in a process of its own, to be stopped half way: started, watched, and what it left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from tests.dbdump import counting, query

BLOGIMPORT = str(Path(sys.executable).with_name("blogimport"))


def as_mode_says(command: list[str]) -> list[str]:
    """The command run so that file modes hold: root reads and writes whatever they say, unless it gives up the
    capabilities that let it (setpriv); anyone else is held by them already."""
    if os.geteuid() != 0:
        return command
    return [shutil.which("setpriv") or "setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]


COMMIT_EVERY = 0.05  # seconds: a corpus of a few dozen posts is written in many commits, to be stopped between


def start_import(*args: object, command: tuple[str, ...] = ()) -> subprocess.Popen[str]:
    """`blogimport import ARGS --commit-every COMMIT_EVERY` (after `command`, e.g. setpriv), in a process group of its
    own as an interactive shell starts a command: a terminal's Ctrl-C reaches the whole group, and SIGINT has its
    default action even when the tests themselves were started in the background (which ignores it, and the import
    would keep that)."""
    return subprocess.Popen(
        [*command, BLOGIMPORT, "import", *map(str, args), "--commit-every", str(COMMIT_EVERY)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # SIGABRT prints every thread's stack: see `finished`
    )


def finished(process: subprocess.Popen[str], timeout: float = 60) -> tuple[str, str]:
    """process.communicate(), but an import that has not ended in `timeout` seconds is a failure that shows where
    each of its processes was: SIGABRT makes Python's faulthandler print every thread's stack (start_import)."""
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGABRT)
        out, err = process.communicate(timeout=30)
        raise AssertionError(f"the import did not end in {timeout} s; its stacks:\n{err}\n{out}") from None


def wait_for_sources(process: subprocess.Popen[str], url: str, at_least: int = 1, timeout: float = 120) -> int:
    """Wait until the database holds `at_least` committed sources (0: return at once), polling; returns how many."""
    deadline = time.monotonic() + timeout
    with counting(url) as count:
        while time.monotonic() < deadline:
            with suppress(DBAPIError):  # SQLite: the writer may hold the file for a moment
                committed = count("SELECT count(*) FROM sources")
                if committed >= at_least:
                    return committed
            if process.poll() is not None:
                out, err = process.communicate()
                raise AssertionError(
                    f"the import ended before committing a source it could be stopped after:\n{out}{err}"
                )
            time.sleep(0.02)
    raise AssertionError(f"fewer than {at_least} sources committed in {timeout} s")


def group(pgid: int) -> list[int]:
    """The processes of a process group, zombies too."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[2]) == pgid:  # after the name: state, parent, group
                pids.append(int(entry.name))
    return pids


def wait_until_gone(pgid: int, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while (left := group(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"processes left behind: {left}"


def wait_for_rows(process: subprocess.Popen[str], url: str, table: str, count: int, timeout: float = 60) -> None:
    """Wait until the running import has committed `count` rows in `table`, polling."""
    with counting(url) as rows:
        _poll(lambda: rows(f"SELECT count(*) FROM {table}") >= count, f"{count} rows in {table}", timeout, process)


def wait_for_state(url: str, run_id: int, state: str, timeout: float = 60) -> None:
    """Wait until the view run_summary shows the run in `state` (a lease runs out as time passes), polling."""
    _poll(
        lambda: query(url, "SELECT state FROM run_summary WHERE run_id = ?", run_id) == [{"state": state}],
        f"run {run_id} {state}",
        timeout,
    )


def _poll(holds: Callable[[], bool], what: str, timeout: float, process: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the import ended before {what}:\n{out}{err}")
        with suppress(DBAPIError):  # SQLite: a writer may hold the file for a moment
            if holds():
                return
        time.sleep(0.05)
    raise AssertionError(f"not {what} in {timeout} s")
