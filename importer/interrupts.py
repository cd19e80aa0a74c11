"""Ctrl-C (SIGINT) and SIGTERM: recorded when they arrive, acted on at the next safe point.

Python runs a signal handler between any two bytecodes of the main thread, inside a garbage-collection callback or
a finalizer too, where an exception it raises is printed and discarded ("Exception ignored in ..."): a signal
raised from there was lost, and the import ran to its end. So the handler only records the signal, and the run
raises Interrupted (`check`) where stopping is safe: before every statement (an engine event, blogimport.store.db),
before every commit, between sources, and in the loops that wait (for a parser, before a retry: `sleep`). A commit
and the report of what it committed go together (`held`): a signal arriving then is acted on right after.

A long wait inside a driver (a lock another import holds: SQLite waits up to two minutes, PostgreSQL as long as it
takes) runs no Python, so no safe point comes: a thread woken by the signal itself (Python's wakeup fd) calls what
was registered to cut such a wait short (`cut_short_by`: blogimport.store.db cancels the statement running), and the
driver's error is the signal. A second signal while the first still waits to be acted on ends the process at once
with the same exit code; the database rolls back what was not committed.

Parsing workers ignore SIGINT, which a terminal sends to the whole process group, and are stopped by the run.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)
POLL_SECONDS = 0.1  # how often a wait looks for a signal
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None  # what signal.signal takes and gives


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived. A KeyboardInterrupt: `except Exception` lets it through."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process the signal killed: 130, 143


_owner = 0  # the process that records signals; a child forked from it has not reset its handlers yet
_holding = 0  # depth of `held` blocks
_pending: int | None = None  # a signal recorded and not acted on yet
_late = False  # the work is done and recorded: a signal now has nothing to stop
_cutters: list[Callable[[], None]] = []  # what cuts a wait in a driver short, called from the watching thread
_watched = 0  # the process whose watching thread runs


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    """Record the signal; never raise (see the module's docstring)."""
    global _pending
    if os.getpid() != _owner:  # a worker, just forked: SIGINT is the parent's business, SIGTERM ends it
        in_worker()
        if signum == signal.SIGTERM:
            os.kill(os.getpid(), signal.SIGTERM)
        return
    if _late:
        return
    if _pending is not None:  # asked twice: stop now
        os.write(2, f"interrupted by {signal.Signals(signum).name} again: stopping at once\n".encode())
        os._exit(128 + signum)
    _pending = signum


def install() -> None:
    """Record SIGINT and SIGTERM for the rest of the process (the console script's first step: a signal while the
    modules load is recorded too, not a traceback). A signal ignored at start stays ignored, as Python leaves
    SIGINT for a job a shell started in the background (`blogimport import ... &`)."""
    _install()


def _install() -> dict[int, _Handler]:
    global _owner
    _owner = os.getpid()
    previous: dict[int, _Handler] = {
        number: signal.signal(number, _on_signal)
        for number in SIGNALS
        if signal.getsignal(number) not in (signal.SIG_IGN, _on_signal)
    }
    _watch()
    return previous


def cut_short_by(cutter: Callable[[], None]) -> None:
    """Have every signal call `cutter` (from another thread, at once) to end a wait that runs no Python."""
    _cutters.append(cutter)


def _watch() -> None:
    """A thread that Python's wakeup fd wakes the moment a signal arrives, whatever the main thread is doing."""
    global _watched
    if _watched == os.getpid():
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    _watched = os.getpid()
    threading.Thread(target=_cut_waits, args=(read,), name="blogimport-signals", daemon=True).start()


def _cut_waits(read: int) -> None:
    while numbers := os.read(read, 64):
        if os.getpid() == _owner and not _late and any(number in SIGNALS for number in numbers):
            for cut in list(_cutters):
                cut()


@contextmanager
def recorded() -> Iterator[None]:
    """Signals are recorded inside the block (see `install`), and what the block leaves is forgotten after it.
    Only the main thread can catch signals: elsewhere the block changes nothing."""
    global _pending, _late
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = _install()
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if previous:  # the block installed the handlers: it owns the state
            _pending, _late = None, False


def check() -> None:
    """Raise Interrupted if a signal was recorded, unless inside `held` (then its end raises it)."""
    global _pending
    if _pending is not None and not _holding and not _late:
        signum, _pending = _pending, None
        raise Interrupted(signum)


def taken() -> Interrupted | None:
    """The signal recorded, as the Interrupted to raise in place of a driver's error (its wait was cut short for
    it), and so acted on; None if there is none."""
    global _pending
    if _pending is None or _late:
        return None
    signum, _pending = _pending, None
    return Interrupted(signum)


def sleep(seconds: float) -> None:
    """time.sleep, stopped by a signal."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        check()
        time.sleep(min(left, POLL_SECONDS))
    check()


def finished() -> None:
    """The run is complete and recorded: a signal from now on has nothing to stop and is ignored, until the process
    exits (Python puts back the default handlers as it exits, which would end it by the signal after all)."""
    global _pending, _late
    _pending, _late = None, True
    if threading.current_thread() is threading.main_thread():
        for number in SIGNALS:
            if signal.getsignal(number) is _on_signal:
                signal.signal(number, signal.SIG_IGN)


@contextmanager
def held() -> Iterator[None]:
    """A signal arriving inside the block is acted on when the block ends."""
    global _holding
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
    check()


def hidden_in(error: BaseException) -> Interrupted | None:
    """The Interrupted that `error` replaced, if any. A driver cleaning up after a KeyboardInterrupt (a query it could
    not cancel, a pipeline still busy) can raise an error of its own from an `except` or `finally`, and the signal
    would be lost as a database error."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, Interrupted):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def in_worker() -> None:
    """A parsing process's first step: Ctrl-C is for the parent to handle, and SIGTERM (how the parent stops it)
    ends it at once, without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
