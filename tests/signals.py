"""Signals at random moments over an import's whole life (issue 13, point 3), shared by tests/test_signal_moments.py
(a few moments) and the stress script, tests/stress.py (hundreds).

Moments are chosen from what the import has observably done, never from seconds since it started: its handlers
installed (start-up: /proc says which signals the process catches), or K sources committed (counted in the
database), K drawn from the sources left, the last included (the signal then meets the run's end: recording it,
printing the summary, exiting). Every import continues the one before on the same database; once one completes, the
database must equal an uninterrupted import's, and the next trial starts from an empty one.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

from tests.dbdump import assert_whole_sources, counting, natural_dump, query
from tests.processes import COMMIT_EVERY, finished, start_import, wait_until_gone

SIGNAL_NAMES = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


@dataclass
class Tally:
    """How the trials ended: 'interrupted' (the run recorded so), 'before the run' (stopped before it began),
    'late' (the signal came after the run was recorded: exit 0, succeeded)."""

    outcomes: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in sorted(self.outcomes.items()))


def interrupt_at_random_moments(
    new_db: Callable[[], str],
    folder: Path,
    files: int,
    reference: dict[str, list[tuple[Any, ...]]],
    trials: int,
    seed: int,
) -> Tally:
    """`trials` imports of `folder` (one post to a file), each sent SIGINT (to its process group, as a terminal does)
    or SIGTERM (to the writer alone) at a random moment; every outcome checked (see `_check`)."""
    moments, tally = random.Random(seed), Tally()
    db_url = _upgraded(new_db())
    for trial in range(trials):
        signum = (signal.SIGINT, signal.SIGTERM)[trial % 2]
        done = _count(db_url, "SELECT count(*) AS n FROM sources")
        target = None if moments.random() < 0.2 else moments.randint(min(done + 1, files), files)
        tally.outcomes[_one_trial(db_url, folder, files, reference, signum, target, moments)] += 1
        if _count(db_url, "SELECT count(*) AS n FROM sources") > files // 2:  # little left: finish, start again
            _completed(db_url, folder, reference)
            db_url = _upgraded(new_db())
    _completed(db_url, folder, reference)
    return tally


def _completed(db_url: str, folder: Path, reference: dict[str, list[tuple[Any, ...]]]) -> None:
    """The same import run to its end completes what the stopped ones left, as one uninterrupted import."""
    from tests.conftest import run

    assert run("import", folder, "--db", db_url).exit_code == 0
    assert natural_dump(db_url) == reference


def _one_trial(
    db_url: str,
    folder: Path,
    files: int,
    reference: dict[str, list[tuple[Any, ...]]],
    signum: int,
    target: int | None,
    moments: random.Random,
) -> str:
    runs_before = _count(db_url, "SELECT count(*) AS n FROM import_runs")
    process = start_import(folder, "--db", db_url, "--jobs", "2")
    if target is None:  # start-up: once the handlers are in place, somewhere in the first half second
        _wait_for(lambda: catches(process.pid, signal.SIGTERM) or process.poll() is not None)
        time.sleep(moments.uniform(0, 0.5))  # any moment is a valid one: no outcome depends on which
    else:  # K sources committed, then somewhere in the batch being written after them
        with counting(db_url) as count:
            _wait_for(lambda: _committed(count) >= target or process.poll() is not None)
        # Within the next commit interval: most moments fall inside the import rather than after its end (those
        # count as 'late').
        time.sleep(moments.uniform(0, COMMIT_EVERY))
    sent_at = datetime.now(UTC).replace(tzinfo=None)
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # a terminal's Ctrl-C: the whole group
    else:
        process.send_signal(signum)  # `kill PID`: the writer alone, which stops its workers
    out, err = finished(process, 120)
    wait_until_gone(process.pid)
    return _check(db_url, files, reference, signum, process.returncode, out, err, runs_before, sent_at)


def _check(
    db_url: str,
    files: int,
    reference: dict[str, list[tuple[Any, ...]]],
    signum: int,
    code: int,
    out: str,
    err: str,
    runs_before: int,
    sent_at: datetime,
) -> str:
    """The trial's outcome, once everything it must be is asserted."""
    name = SIGNAL_NAMES[signum]
    context = f"exit {code}, stdout {out!r}, stderr {err!r}"
    assert "Traceback" not in err + out, context
    runs = query(db_url, "SELECT id, status FROM import_runs ORDER BY id")
    assert len(runs) in (runs_before, runs_before + 1), context
    assert_whole_sources(db_url, reference, frozenset({"imported", "unchanged"}))
    if len(runs) == runs_before:  # stopped before the run began
        assert (code, out, err) == (128 + signum, "", f"interrupted by {name}\n"), context
        return "before the run"
    run = runs[-1]
    if run["status"] == "succeeded":  # the signal came after the run was recorded: nothing left to stop
        assert (code, err) == (0, "") and out.startswith(f"{files} sources: "), context
        return "late"
    assert (code, run["status"]) == (128 + signum, "interrupted"), context
    done = _count(db_url, f"SELECT count(*) AS n FROM sources WHERE last_run_id = {int(run['id'])}")
    assert (
        err == f"interrupted by {name}: {files - done} of {files} sources left; run the same import again to finish\n"
    ), context
    # No source was written after the signal: each committed source's row was written before it came (a commit
    # under way as the signal came completes; none begins after).
    written = query(db_url, "SELECT max(updated_at) AS last FROM sources WHERE last_run_id = ?", run["id"])
    last = written[0]["last"]
    assert last is None or _as_datetime(last) <= sent_at, (last, sent_at, context)
    return "interrupted"


def _upgraded(db_url: str) -> str:
    from tests.conftest import run

    assert run("db", "upgrade", "--db", db_url).exit_code == 0  # a kill during schema creation is another story
    return db_url


def _count(db_url: str, sql: str) -> int:
    return int(query(db_url, sql)[0]["n"])


def catches(pid: int, signum: int) -> bool:
    """Has the process a handler for the signal? (/proc's SigCgt, a mask of the signals caught)"""
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


def _committed(count: Callable[[str], int]) -> int:
    with suppress(DBAPIError):  # SQLite: the writer may hold the file for a moment
        return count("SELECT count(*) FROM sources")
    return -1


def _wait_for(condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.01)


def _as_datetime(value: Any) -> datetime:
    """A stored time, naive UTC (SQLite returns the text it holds)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
