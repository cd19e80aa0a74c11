"""Worker processes that run one function on tasks handed out in order, each process with a pipe of its own.

Not multiprocessing.Pool: its workers share two queues, each guarded by a lock between processes, and a worker
killed while it held one (sending a result as the run stopped) left it held for good; Pool.terminate() then waited
forever for its own task thread, blocked on that lock (CPython issue 96995). The writer hung on a signal, about
once in a few hundred interrupted imports under load. Here nothing is shared: a worker is killed whatever it is
doing, and the writer never waits for it but to reap it.

A task goes to a worker only when that worker is idle, so neither side ever blocks sending to the other (a large
source's bytes would fill a pipe while its reader is busy sending its own result back). Results are kept until
asked for, by the ticket their task was given. Everything runs in the thread that uses the pool.
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

from blogimport import interrupts


class WorkerDied(Exception):
    """A worker ended without an answer (killed from outside, out of memory): its task has no result."""

    def __init__(self, exit_code: int | None) -> None:
        super().__init__(f"the parser stopped (exit code {exit_code})")
        self.exit_code = exit_code


class WorkerPool:
    def __init__(self, context: Any, size: int, work: Callable[..., Any], initializer: Callable[[], None]) -> None:
        self._context, self._work, self._initializer = context, work, initializer
        self._processes: dict[Connection, Any] = {}  # our end of a worker's pipe -> the worker
        self._idle: list[Connection] = []
        self._busy: dict[Connection, int] = {}  # a worker's pipe -> the ticket it works on
        self._waiting: deque[tuple[int, tuple[Any, ...]]] = deque()  # tasks no worker has yet
        self._done: dict[int, tuple[str, Any]] = {}  # ticket -> ("result", value) or ("raised", error)
        self._tickets = 0
        for _ in range(size):
            self._start()

    def submit(self, *args: Any) -> int:
        """Hand out `work(*args)`; returns the ticket to ask for its result by."""
        self._tickets += 1
        self._waiting.append((self._tickets, args))
        self._dispatch()
        return self._tickets

    def result(self, ticket: int) -> Any:
        """The result of the ticket's task, waiting for it (a signal stops the wait); its error raised here."""
        self._collect(timeout=0)  # first, keep the workers that finished meanwhile busy
        while ticket not in self._done:
            interrupts.check()
            self._collect(timeout=interrupts.POLL_SECONDS)
        kind, value = self._done.pop(ticket)
        if kind == "raised":
            raise value
        return value

    def stop(self) -> None:
        """Kill every worker at once, whatever it is doing, and reap it."""
        for process in self._processes.values():
            process.kill()
        for connection, process in self._processes.items():
            process.join()
            connection.close()
        self._processes.clear()

    def _start(self) -> None:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(theirs, ours, self._work, self._initializer), daemon=True, name="blogimport-parser"
        )
        process.start()
        theirs.close()  # the worker's end is the worker's alone: its death is an end of file here
        self._processes[ours] = process
        self._idle.append(ours)

    def _dispatch(self) -> None:
        while self._idle and self._waiting:
            ticket, args = self._waiting.popleft()
            connection = self._idle.pop()
            try:
                connection.send(args)
            except OSError:  # the worker died while idle (killed from outside): the task goes to its replacement
                self._waiting.appendleft((ticket, args))
                self._replace(connection)
                continue
            self._busy[connection] = ticket

    def _collect(self, timeout: float) -> None:
        for connection in wait(list(self._busy), timeout):
            assert isinstance(connection, Connection)
            ticket = self._busy.pop(connection)
            try:
                self._done[ticket] = connection.recv()
                self._idle.append(connection)
            except (EOFError, OSError):
                self._done[ticket] = ("raised", WorkerDied(self._replace(connection)))
        self._dispatch()

    def _replace(self, connection: Connection) -> int | None:
        """A new worker for one that died; the dead one's exit code."""
        process = self._processes.pop(connection)
        process.join()
        connection.close()
        self._start()
        return int(process.exitcode) if process.exitcode is not None else None


def _serve(
    connection: Connection, parents_end: Connection, work: Callable[..., Any], initializer: Callable[[], None]
) -> None:
    """A worker's life: tasks in, results out, until it is killed or its pipe closes."""
    initializer()
    parents_end.close()
    while True:
        try:
            args = connection.recv()
        except EOFError:  # the writer is gone
            return
        try:
            answer: tuple[str, Any] = ("result", work(*args))
        except Exception as error:  # noqa: BLE001 - a parser's bug, whatever it is: raised in the writer instead
            answer = ("raised", error)
        try:
            connection.send(answer)
        except OSError:  # the writer is gone
            return
        except (pickle.PicklingError, TypeError, AttributeError) as error:  # cannot be pickled: nothing was sent
            connection.send(("raised", RuntimeError(f"{type(error).__name__}: {error}")))
