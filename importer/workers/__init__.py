"""Parsing the sources of a run, in worker processes when there is more than one job, while one writer writes.

Most sources are small (a saved page, a text rendering): the pipeline has read them whole for their hash, so
their bytes go to a pool of worker processes and come back as Documents whose entries are a list. A large
source (an export of hundreds of MB) gets a process of its own that sends its entries in batches through a
bounded queue: it is parsed while the writer writes, and memory stays flat. Only a few sources are handed out
ahead of the writer, so a slow database never makes parsed documents pile up in memory. Results come back in
the order of the sources, so the writes are the same whatever the number of jobs.

With one job, one source, or where processes cannot be forked, everything is parsed here, as the writer asks
for it.

Workers ignore Ctrl-C, which a terminal sends to every process of the command: the writing process handles it
(blogimport.interrupts) and stops them, as it does whenever the run ends.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from queue import Empty
from typing import Any, BinaryIO

from blogimport import formats, interrupts
from blogimport.errors import SourceError
from blogimport.records import Document, Entry, Outcome, ParseOptions
from blogimport.workers.pool import WorkerDied, WorkerPool

SMALL_BYTES = 16 << 20  # sources up to this size are read whole and parsed in one go
FEW_SOURCES = 16  # a run with fewer sources parses them itself: starting workers would cost more
AHEAD_PER_JOB = 4  # sources handed out ahead of the writer, per worker
# Entries per message from a large source's parser. An export's post holds tens of KB of text (four bytes a
# character once it has an emoji): 250 of them in flight cost the writer 55 MB more than 50, for no speed.
BATCH_ENTRIES = 50
QUEUED_BATCHES = 4  # messages a large source's parser may get ahead of the writer


@dataclass(frozen=True)
class ParseTask:
    """One source to parse: its bytes when small, else how to open it."""

    fmt: str
    locator: str
    data: bytes | None
    open: Callable[[], AbstractContextManager[BinaryIO]]

    def stream(self) -> AbstractContextManager[BinaryIO]:
        return io.BytesIO(self.data) if self.data is not None else self.open()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parse_now(task: ParseTask, options: ParseOptions) -> Outcome:
    """Parse here and read every entry: a Document whose entries can be written again if a write is retried."""
    try:
        with task.stream() as stream:
            document = formats.parse(task.fmt, stream, task.locator, options)
            return replace(document, entries=list(document.entries))
    except SourceError as error:
        return error
    except OSError as error:
        return SourceError(task.locator, f"cannot read: {error.strerror}")


def parse_all(
    items: Iterable[Any], task_of: Callable[[Any], ParseTask], options: ParseOptions, jobs: int, sources: int
) -> Generator[tuple[Any, Outcome], None, None]:
    """(item, outcome) for every item, in order; `sources` is how many the run has in all. A large source's entries
    must be read before the next item."""
    if jobs <= 1 or sources <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        # One source alone has no other to parse beside it: another process would only add the cost of sending
        # its entries across (measured: a large export 12% slower with --jobs 2, issue 17).
        yield from _here(items, task_of, options)
    else:
        yield from _in_workers(items, task_of, options, jobs if sources >= FEW_SOURCES else 0)


def _here(
    items: Iterable[Any], task_of: Callable[[Any], ParseTask], options: ParseOptions
) -> Iterator[tuple[Any, Outcome]]:
    for item in items:
        task = task_of(item)
        if task.data is not None:
            yield item, parse_now(task, options)
            continue
        try:
            with task.stream() as stream:
                yield item, formats.parse(task.fmt, stream, task.locator, options)  # entries read as written
        except SourceError as error:
            yield item, error
        except OSError as error:
            yield item, SourceError(task.locator, f"cannot read: {error.strerror}")


def _in_workers(
    items: Iterable[Any], task_of: Callable[[Any], ParseTask], options: ParseOptions, pool_size: int
) -> Iterator[tuple[Any, Outcome]]:
    """Small sources in a pool of `pool_size` workers (none: here), each large one in a process of its own."""
    # fork: the workers start at once, with every module already imported, and inherit how to open a source.
    context = multiprocessing.get_context("fork")
    pool: WorkerPool | None = None
    ahead: deque[tuple[Any, ParseTask, int | None]] = deque()  # an item, its task, its ticket in the pool
    pending = iter(items)
    try:
        while True:
            while len(ahead) < max(pool_size, 1) * AHEAD_PER_JOB and (item := next(pending, None)) is not None:
                task = task_of(item)
                if task.data is not None and pool_size and pool is None:
                    pool = WorkerPool(context, pool_size, _parse_in_worker, interrupts.in_worker)
                ticket = (
                    pool.submit(task.fmt, task.locator, task.data, options)
                    if task.data is not None and pool is not None
                    else None
                )
                ahead.append((item, task, ticket))
            if not ahead:
                return
            item, task, ticket = ahead.popleft()
            if ticket is not None and pool is not None:
                yield item, _from_worker(pool, ticket, task.locator)
            elif task.data is not None:
                yield item, parse_now(task, options)
            else:
                yield from _streamed(context, item, task, options)
    finally:
        if pool is not None:
            with interrupts.held():  # the workers are gone before a signal goes on up
                pool.stop()


def _from_worker(pool: WorkerPool, ticket: int, locator: str) -> Outcome:
    try:
        return _outcome(pool.result(ticket))
    except WorkerDied as died:
        return SourceError(locator, str(died))


def _parse_in_worker(
    fmt: str, locator: str, data: bytes, options: ParseOptions
) -> Document | tuple[str, str, int | None]:
    """In a worker. An error crosses back as its parts: SourceError's own arguments do not survive pickling."""
    outcome = parse_now(ParseTask(fmt, locator, data, _no_opener), options)
    if isinstance(outcome, SourceError):
        return outcome.locator, outcome.reason, outcome.line
    return outcome


def _no_opener() -> AbstractContextManager[BinaryIO]:
    raise AssertionError("a small source is parsed from its bytes")


def _outcome(result: Document | tuple[str, str, int | None]) -> Outcome:
    return result if isinstance(result, Document) else SourceError(*result)


# -- a large source, parsed by a process of its own ----------------------------------------------------------------


def _streamed(context: Any, item: Any, task: ParseTask, options: ParseOptions) -> Iterator[tuple[Any, Outcome]]:
    queue = context.Queue(QUEUED_BATCHES)
    process = context.Process(target=_stream_entries, args=(task, options, queue), daemon=True)
    process.start()
    try:
        head = _next_message(queue, process, task.locator)
        if head[0] == "failed":
            yield item, SourceError(*head[1:])
        else:
            yield item, replace(head[1], entries=_received(queue, process, task.locator))
    finally:
        with interrupts.held():  # the writer may stop reading half way (the database refused the source, a signal)
            process.terminate()
            process.join()
            queue.close()


def _stream_entries(task: ParseTask, options: ParseOptions, queue: Any) -> None:
    """In the source's own process: the Document without its entries, then the entries in batches."""
    interrupts.in_worker()
    try:
        with task.stream() as stream:
            document = formats.parse(task.fmt, stream, task.locator, options)
            queue.put(("document", replace(document, entries=())))
            batch: list[Entry] = []
            for entry in document.entries:
                batch.append(entry)
                if len(batch) == BATCH_ENTRIES:
                    queue.put(("entries", batch))
                    batch = []
            queue.put(("entries", batch))
        queue.put(("done",))
    except SourceError as error:
        queue.put(("failed", error.locator, error.reason, error.line))
    except OSError as error:
        queue.put(("failed", task.locator, f"cannot read: {error.strerror}", None))


def _received(queue: Any, process: Any, locator: str) -> Iterator[Entry]:
    while True:
        message = _next_message(queue, process, locator)
        if message[0] == "entries":
            yield from message[1]
        elif message[0] == "failed":
            raise SourceError(*message[1:])
        else:
            return


def _next_message(queue: Any, process: Any, locator: str) -> tuple[Any, ...]:
    """The parser's next message; a parser that died without a word (killed, out of memory) fails its source."""
    while True:
        interrupts.check()
        try:
            return tuple(queue.get(timeout=interrupts.POLL_SECONDS))
        except Empty:
            if not process.is_alive() and queue.empty():
                return ("failed", locator, f"the parser stopped (exit code {process.exitcode})", None)
