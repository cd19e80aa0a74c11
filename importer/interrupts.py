"""Ctrl-C (SIGINT) and SIGTERM during an import: raised as Interrupted wherever the run may stop, held back for a
moment where it may not.

The run stops where it is: the transaction in progress is rolled back, so the source being written (and the rest
of its batch) is not written at all, and what was committed stays, whole sources only. A commit and the report of
what it committed go together (`held`): a signal arriving then is raised right after, a second one at once.
Parsing workers ignore SIGINT, which a terminal sends to the whole process group, and are stopped by the run.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived. A KeyboardInterrupt: `except Exception` lets it through, and the database drivers
    stop their query as they do for Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process the signal killed: 130, 143


_owner = 0  # the process that raises Interrupted; a child forked from it has not reset its handlers yet
_holding = 0  # depth of `held` blocks
_pending: int | None = None  # a signal held back


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    global _pending
    if os.getpid() != _owner:  # a worker, just forked: SIGINT is the parent's business, SIGTERM ends it
        in_worker()
        if signum == signal.SIGTERM:
            os.kill(os.getpid(), signal.SIGTERM)
        return
    if _holding and _pending is None:
        _pending = signum
        return
    _pending = None
    raise Interrupted(signum)


@contextmanager
def raised() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted inside the block. Only the main thread can catch signals: elsewhere the
    block changes nothing."""
    global _owner
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _owner = os.getpid()
    # A signal ignored when the import started stays ignored, as Python itself leaves SIGINT: a job a shell started
    # in the background (`blogimport import ... &`) is not meant to stop on the terminal's Ctrl-C.
    previous = {number: signal.signal(number, _on_signal) for number in SIGNALS
                if signal.getsignal(number) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def held() -> Iterator[None]:
    """A first signal arriving inside the block is raised when the block ends; a second is raised at once."""
    global _holding, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        if not _holding and _pending is not None:
            signum, _pending = _pending, None
            raise Interrupted(signum)


def hidden_in(error: BaseException) -> Interrupted | None:
    """The Interrupted that `error` replaced, if any. A driver cleaning up after a signal (a query it could not cancel,
    a pipeline still busy) can raise an error of its own from an `except` or `finally`, and the signal would be lost
    as a database error."""
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
