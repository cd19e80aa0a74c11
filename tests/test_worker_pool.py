"""The parsing workers' pool (blogimport.workers.pool): results by ticket whatever order the workers finish in, a
worker killed from outside costs its own task only, and stop() ends every worker whatever it is doing, never
waiting on one (multiprocessing.Pool.terminate() could wait forever: CPython issue 96995)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from blogimport.workers.pool import WorkerDied, WorkerPool

FORK = multiprocessing.get_context("fork")


def work(kind: str, argument: object = None) -> object:
    """What the tests hand the workers; module-level, as a worker's function is."""
    if kind == "echo":
        return argument
    if kind == "pid":
        return os.getpid()
    if kind == "wait-for":  # the file's name as the answer, once the test has made it
        assert isinstance(argument, str)
        while not Path(argument).exists():
            time.sleep(0.01)
        return Path(argument).name
    if kind == "block":  # says which process it is, then works forever
        assert isinstance(argument, str)
        Path(argument).write_text(str(os.getpid()))
        while True:
            time.sleep(1)
    if kind == "big":  # says which process it is, then sends a result far larger than a pipe holds
        assert isinstance(argument, str)
        Path(argument).write_text(str(os.getpid()))
        return b"x" * (32 << 20)
    if kind == "bug":
        raise ValueError("a parser's bug")
    if kind == "unpicklable":
        return lambda: None
    raise AssertionError(kind)


def no_initializer() -> None:
    pass


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(FORK, 2, work, no_initializer)
    yield workers
    workers.stop()


def wait_for_pid(path: Path) -> int:
    """The pid a 'block' task wrote, polling until it is there."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return int(path.read_text())
        time.sleep(0.01)
    raise AssertionError(f"no worker wrote {path}")


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_results_come_by_ticket_whatever_order_the_workers_finish_in(pool: WorkerPool, tmp_path: Path) -> None:
    first = pool.submit("wait-for", str(tmp_path / "first"))  # held until the second is answered
    second = pool.submit("echo", "second")
    third = pool.submit("echo", "third")  # waits for a free worker
    assert pool.result(second) == "second"
    assert pool.result(third) == "third"
    (tmp_path / "first").touch()
    assert pool.result(first) == "first"


def test_a_parsers_error_is_raised_where_the_result_is_asked_for(pool: WorkerPool) -> None:
    bug, after = pool.submit("bug"), pool.submit("echo", 7)
    with pytest.raises(ValueError, match=r"^a parser's bug$"):
        pool.result(bug)
    assert pool.result(after) == 7


def test_a_result_that_cannot_be_pickled_is_an_error(pool: WorkerPool) -> None:
    with pytest.raises(RuntimeError, match=r"^(PicklingError|AttributeError|TypeError): "):
        pool.result(pool.submit("unpicklable"))
    assert pool.result(pool.submit("echo", "still working")) == "still working"


def test_a_worker_killed_from_outside_fails_its_own_task_and_is_replaced(pool: WorkerPool, tmp_path: Path) -> None:
    blocked = pool.submit("block", str(tmp_path / "pid"))
    os.kill(wait_for_pid(tmp_path / "pid"), signal.SIGKILL)
    with pytest.raises(WorkerDied, match=r"^the parser stopped \(exit code -9\)$"):
        pool.result(blocked)
    tickets = [pool.submit("echo", n) for n in range(6)]  # two workers again: all six are answered
    assert [pool.result(ticket) for ticket in tickets] == [0, 1, 2, 3, 4, 5]


def test_stop_ends_workers_in_the_middle_of_a_task(tmp_path: Path) -> None:
    pool = WorkerPool(FORK, 2, work, no_initializer)
    pool.submit("block", str(tmp_path / "a"))
    pool.submit("block", str(tmp_path / "b"))
    pids = [wait_for_pid(tmp_path / "a"), wait_for_pid(tmp_path / "b")]
    pool.stop()
    assert [is_running(pid) for pid in pids] == [False, False]  # killed and reaped


def test_stop_ends_a_worker_blocked_sending_a_result_nobody_reads(tmp_path: Path) -> None:
    """The case that hung multiprocessing.Pool: a worker killed half way through sending its result."""
    pool = WorkerPool(FORK, 2, work, no_initializer)
    pool.submit("big", str(tmp_path / "pid"))
    pid = wait_for_pid(tmp_path / "pid")  # from here on, sending (or about to): the writer reads nothing
    pool.stop()
    assert is_running(pid) is False
    assert [child.pid for child in multiprocessing.active_children()] == []


def test_a_worker_killed_while_idle_is_replaced_before_its_next_task(pool: WorkerPool) -> None:
    pid = pool.result(pool.submit("pid"))
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":  # dead, not yet reaped
        time.sleep(0.01)
    tickets = [pool.submit("echo", n) for n in range(4)]
    assert [pool.result(ticket) for ticket in tickets] == [0, 1, 2, 3]
