"""One import run: sources -> formats (in workers) -> records -> store, each source in a transaction of its own.

A source whose signature (size and modification time, or a zip member's CRC) is what it was when its content was
last imported, with the same parser and options, is skipped unread: the quick check (not with --checksum). The
others are read once to hash them; one whose content was already imported so is skipped without parsing. The
rest are parsed (blogimport.workers: in worker processes when there are several jobs) and written by
blogimport.transactions, each whole or not at all. A source that cannot be read or parsed, or that the database
refuses, is recorded as failed and the run goes on.

A signal (Ctrl-C, SIGTERM: blogimport.interrupts) or the database failing (store.is_fault) stops the run where it
is: what is not committed is rolled back, the workers are stopped, and the run is recorded as interrupted or failed
(when the database still can), with what it did so far. The next run picks up the sources not done.
"""

from __future__ import annotations

import gc
import hashlib
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from blogimport import formats, identity, interrupts, sources, store, workers
from blogimport.errors import DatabaseUnavailable, SourceError
from blogimport.interrupts import Interrupted
from blogimport.records import Counts, ParseOptions, SourceRecord
from blogimport.sources import Source
from blogimport.store import DatabaseURL, LastImport, connected, is_fault
from blogimport.transactions import BATCH_SECONDS as BATCH_SECONDS  # the command line's default, too
from blogimport.transactions import Planned, SourceWriter
from blogimport.workers import ParseTask


@dataclass(frozen=True, slots=True)
class ImportOptions:
    blog: str | None = None  # the blog's key; without it, the source's blog (or "default")
    blog_author: str | None = None
    timezone: str | None = None
    format: str = "auto"
    force: bool = False  # parse even sources whose content was already imported
    checksum: bool = False  # read and hash even sources whose signature is unchanged
    jobs: int = 1  # processes parsing at once, beside the one that writes
    commit_seconds: float = BATCH_SECONDS  # small sources share a transaction open at most this long

    @property
    def parse_options(self) -> ParseOptions:
        return ParseOptions(blog_author=self.blog_author, timezone=self.timezone)


@dataclass
class RunResult:
    run_id: int
    total: int = 0  # sources given
    sources: list[SourceRecord] = field(default_factory=list)  # those done, in the order given
    counts: Counts = field(default_factory=Counts)
    interrupted: int | None = None  # the signal that stopped the run
    database_error: str | None = None  # what the database said when it failed and stopped the run
    recorded: bool = False  # the run's row holds its outcome

    @property
    def statuses(self) -> Counter[str]:
        return Counter(source.status for source in self.sources)

    @property
    def failed(self) -> list[SourceRecord]:
        return [source for source in self.sources if source.status == "failed"]

    @property
    def status(self) -> str:
        """The run's status, as import_runs keeps it."""
        if self.interrupted:
            return "interrupted"
        return "failed" if self.failed or self.database_error else "succeeded"

    @property
    def stopped(self) -> str | None:
        """Why the run stopped before its last source: the signal's name, or 'database'; None when it did not."""
        if self.interrupted:
            return signal.Signals(self.interrupted).name
        return "database" if self.database_error else None

    @property
    def remaining(self) -> int:
        """Sources the run did not get to: the next one does them."""
        return self.total - len(self.sources)

    @property
    def waiting(self) -> int:
        return sum(source.waiting for source in self.sources)


OnSource = Callable[[SourceRecord, Counts], None]


def run_import(
    engine: Engine,
    url: DatabaseURL,
    inputs: Sequence[Source],
    options: ImportOptions,
    on_source: OnSource = lambda source, counts: None,
) -> RunResult:
    """Import every source (see sources.discover) into the database at `url` (its engine made), and record the run;
    `on_source` hears of each once written.

    Interrupted (see blogimport.interrupts) and a failing database stop the run: the result says so."""
    try:
        with connected(engine) as conn:
            transaction = conn.begin()
            heartbeat = store.start_run(conn, _now())
            result = RunResult(run_id=heartbeat.run_id, total=len(inputs))
            imported = store.last_imports(conn)
            transaction.commit()
    except SQLAlchemyError as error:
        if not is_fault(error):
            raise
        raise DatabaseUnavailable(f"cannot write to {url}: {url.describe(error)}") from None
    done: dict[str, tuple[int, SourceRecord]] = {}

    def written(planned: Planned, record: SourceRecord, counts: Counts) -> None:
        done[record.locator] = (planned.order, record)
        if record.status != "unchanged":  # an unchanged source did nothing to count
            result.counts.add(counts)
        on_source(record, counts)

    writer = SourceWriter(engine, url, heartbeat, options.blog, written, options.parse_options, options.commit_seconds)
    to_parse = _plan(inputs, options, imported, writer)
    try:
        # closing(): the workers are stopped as soon as the run stops, whatever stops it.
        with closing(workers.parse_all(to_parse, _task, options.parse_options, options.jobs, len(inputs))) as parsed:
            for planned, outcome in parsed:
                writer.write(planned, outcome)
        writer.close()
        _finish(engine, result, done)
    except Interrupted as interrupted:
        if not result.recorded:  # else it came too late to stop anything: the run is complete
            result.interrupted = interrupted.signum
    except SQLAlchemyError as error:
        if not is_fault(error):
            raise
        result.database_error = url.describe(error)
    if result.stopped:
        writer.abandon()
        # A statement the signal cut short is kept, with its cursor, by a reference cycle through the exception's
        # traceback; until collected it holds SQLite's lock (its connection closes only once it is finalized).
        gc.collect()
        with suppress(Interrupted, SQLAlchemyError):  # a second signal, or the database failing: leave it
            _finish(engine, result, done)
    return result


def _finish(engine: Engine, result: RunResult, done: dict[str, tuple[int, SourceRecord]]) -> None:
    """Record the run's outcome (once), with the sources done, in the order given."""
    result.sources = [record for _, record in sorted(done.values(), key=lambda pair: pair[0])]
    if result.recorded:
        return
    with connected(engine) as conn:
        transaction = conn.begin()
        # A later source may have brought what an earlier one's comments waited for.
        result.sources = [store.refreshed(conn, s) if s.status == "partial" else s for s in result.sources]
        store.finish_run(conn, result.run_id, result.status, result.statuses, result.counts, _now())
        interrupts.check()
        with interrupts.held():
            transaction.commit()
            result.recorded = True
            interrupts.finished()  # from now on a signal has nothing to stop


def _plan(
    inputs: Iterable[Source], options: ImportOptions, imported: dict[str, LastImport], writer: SourceWriter
) -> Iterator[Planned]:
    """The sources to parse. The others are told to the writer at once: unchanged, or failed before parsing."""
    quick = not (options.force or options.checksum)
    for order, source in enumerate(inputs):
        interrupts.check()
        last = imported.get(identity.source_key(source.locator))
        if quick and last is not None and _still(source, last, options):
            writer.unchanged(
                Planned(
                    order,
                    source,
                    SourceRecord(
                        source.locator,
                        "unchanged",
                        sha256=last.sha256,
                        format=last.format,
                        import_fingerprint=last.import_fingerprint,
                        signature=source.signature,
                    ),
                )
            )
            continue
        planned = _read(order, source, options)
        seen = planned.seen
        if seen.status == "failed":
            writer.failed(planned)
        elif not options.force and last is not None and last.import_fingerprint == seen.import_fingerprint:
            writer.unchanged(planned)
        else:
            yield planned


def _still(source: Source, last: LastImport, options: ImportOptions) -> bool:
    """The quick check: the source's signature is the one stored when its content was last read, and that content
    was imported as it would be now (same format, parser version and options)."""
    if source.signature is None or source.signature != last.file_signature:
        return False
    fmt = last.format if options.format == "auto" else options.format
    return _fingerprint(last.sha256, fmt, options) == last.import_fingerprint


def _read(order: int, source: Source, options: ImportOptions) -> Planned:
    """The source's hash, size and format; its bytes too when it is small (they are parsed from memory)."""
    locator = source.locator
    try:
        content = source.read(keep=workers.SMALL_BYTES)
    except OSError as error:
        return Planned(
            order, source, _failed(SourceRecord(locator, "failed"), f"{locator}: cannot read: {error.strerror}")
        )
    except SourceError as error:  # refused before reading (a zip bomb)
        return Planned(order, source, _failed(SourceRecord(locator, "failed"), str(error)))
    data = content.data
    seen = SourceRecord(locator, "imported", sha256=content.sha256, size_bytes=content.size, signature=source.signature)
    try:
        head = data[: sources.SNIFF_BYTES] if data is not None else source.head()
        fmt = sources.sniff(head, locator, None if options.format == "auto" else options.format)
    except SourceError as error:
        return Planned(order, source, _failed(seen, str(error)))
    except OSError as error:
        return Planned(order, source, _failed(seen, f"{locator}: cannot read: {error.strerror}"))
    seen = replace(seen, format=fmt, import_fingerprint=_fingerprint(content.sha256, fmt, options))
    return Planned(order, source, seen, data)


def _task(planned: Planned) -> ParseTask:
    return ParseTask(planned.seen.format or "", planned.seen.locator, planned.data, planned.source.open)


def _failed(seen: SourceRecord, reason: str) -> SourceRecord:
    return replace(seen, status="failed", error=reason, import_fingerprint=None, waiting=0)


def _fingerprint(sha256: str, fmt: str, options: ImportOptions) -> str:
    """Everything that decides what a source imports as: its bytes, the parser, and the options."""
    parts = [
        sha256,
        fmt,
        str(formats.version(fmt)),
        options.blog or "",
        options.blog_author or "",
        options.timezone or "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)
