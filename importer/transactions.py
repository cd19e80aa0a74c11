"""Transactions: each parsed source lands whole or not at all, and several share a transaction.

A commit costs a disk flush; a run of thousands of small sources would spend most of its time on them. So the
sources of about a second share one transaction. When a source fails in it (the database refuses it, or
another import gets in the way by writing the same rows at the same moment), the transaction is rolled back and
its sources are written again one transaction each, waiting a moment between tries, each in a savepoint: a source
that fails there is rolled back to it and recorded as failed. Once one has failed, savepoints keep every source
of the run apart (a savepoint costs two round trips; a batch written twice, a second). A large source, whose entries
are read as they are written, has a transaction of its own.

When the database itself fails (gone, full, read-only: store.is_fault), or a signal interrupts the run, the
transaction in progress is rolled back and the error goes on up: the run stops, and what it committed, whole
sources only, stays. A commit and the report of the sources it committed go together, never half (interrupts.held).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import BinaryIO

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from blogimport import formats, interrupts, store
from blogimport.errors import SourceError
from blogimport.records import Counts, Document, Outcome, ParseOptions, SourceRecord
from blogimport.sources import Source
from blogimport.store import DatabaseURL, connected, drop, is_contention, is_fault

ATTEMPTS = 6  # tries of one source's transaction when concurrent imports collide
NOTHING = Counts()  # what a source skipped or failed before parsing did; never changed, shared
BATCH_SECONDS = 1.0  # a transaction is committed once it has been open this long (--commit-every)...
BATCH_SOURCES = 500  # ...or holds this many sources


@dataclass(frozen=True, slots=True)
class Planned:
    """A source on its way in: what reading it taught us, and its bytes when small."""

    order: int  # its place among the run's inputs
    source: Source
    seen: SourceRecord
    data: bytes | None = None


Written = Callable[[Planned, SourceRecord, Counts], None]
Attempt = Callable[[Connection], tuple[Planned, SourceRecord, Counts]]


class SourceWriter:
    def __init__(
        self,
        engine: Engine,
        url: DatabaseURL,
        heartbeat: store.Heartbeat,
        blog: str | None,
        written: Written,
        parse_options: ParseOptions = ParseOptions(),
        batch_seconds: float = BATCH_SECONDS,
    ) -> None:
        self.engine = engine
        self.url = url  # the engine's, for messages
        self.heartbeat = heartbeat  # renewed in the commits the writer makes anyway
        self.run_id = heartbeat.run_id
        self.blog = blog
        self.written = written
        self.parse_options = parse_options
        self.batch_seconds = batch_seconds
        self.conn: Connection | None = None
        self.started = 0.0
        self.batch: list[tuple[Planned, Outcome | None]] = []  # None: unchanged, or failed before parsing
        self.results: list[tuple[Planned, SourceRecord, Counts]] = []
        self.unchanged_sources: list[SourceRecord] = []  # recorded in one statement when the batch commits
        # A shared transaction writes its sources without savepoints until one fails in it; then the batch is
        # written again, a source to a transaction, and savepoints keep the sources of later batches apart.
        self.savepoints = False

    def unchanged(self, planned: Planned) -> None:
        if planned.seen.status != "unchanged":
            planned = replace(planned, seen=replace(planned.seen, status="unchanged"))
        self._add(planned, None)

    def failed(self, planned: Planned) -> None:
        self._add(planned, None)

    def write(self, planned: Planned, outcome: Outcome) -> None:
        if isinstance(outcome, Document) and not isinstance(outcome.entries, list):
            self.close()  # a large source: a transaction of its own
            store.extend_lease(self.engine, self.heartbeat, planned.seen.size_bytes)  # which may outlast the lease
            self._alone(planned, outcome)
        else:
            self._add(planned, outcome)

    def close(self) -> None:
        """Commit what is written; call once after the last source."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        unchanged, self.unchanged_sources = self.unchanged_sources, []
        try:
            store.record_unchanged(conn, self.run_id, unchanged, _now())
            self.heartbeat.beat_if_due(conn, _now())
            interrupts.check()  # no commit begins once a signal has come
            with interrupts.held():
                conn.commit()
                self._report()
            return
        except SQLAlchemyError as error:  # e.g. a serialization failure, which PostgreSQL may report only now
            if is_fault(error):
                raise
        finally:
            _discard(conn)
        self._redo_one_by_one()

    def abandon(self) -> None:
        """The run stops (a signal, the database failed): what is not committed is rolled back, and not reported."""
        conn, self.conn = self.conn, None
        self.batch, self.results, self.unchanged_sources = [], [], []
        if conn is not None:
            drop(conn)

    # -- several sources to a transaction ----------------------------------------------------------------------

    def _add(self, planned: Planned, outcome: Outcome | None) -> None:
        if self.conn is None:
            self.conn = self.engine.connect()
            self.conn.begin()
            self.started = time.monotonic()
        self.batch.append((planned, outcome))
        try:
            if outcome is None and planned.seen.status == "unchanged":
                self.unchanged_sources.append(planned.seen)
                self.results.append((planned, planned.seen, NOTHING))
            else:
                self.results.append(self._in_savepoint(self.conn, planned, outcome, self.savepoints))
        except (SQLAlchemyError, SourceError) as error:  # the transaction is lost with the source that failed in it
            if isinstance(error, SQLAlchemyError) and is_fault(error):
                self.abandon()
                raise
            if not (isinstance(error, SQLAlchemyError) and is_contention(error)):
                self.savepoints = True  # sources fail here: from now on each is kept apart from the others
            self.unchanged_sources = []
            _discard(self.conn)
            self.conn = None
            self._redo_one_by_one()
            return
        if time.monotonic() - self.started >= self.batch_seconds or len(self.batch) >= BATCH_SOURCES:
            self.close()

    def _in_savepoint(
        self, conn: Connection, planned: Planned, outcome: Outcome | None, savepoint: bool = True
    ) -> tuple[Planned, SourceRecord, Counts]:
        """Write one source. In a savepoint, a source that fails is rolled back alone and recorded as failed;
        without one (two round trips fewer per source), its error is raised and the transaction is lost."""
        seen = planned.seen
        if outcome is None:
            if seen.status == "unchanged":
                store.record_unchanged(conn, self.run_id, [seen], _now())
            else:
                store.record_source(conn, self.run_id, seen, _now())
            return planned, seen, NOTHING
        if isinstance(outcome, SourceError):
            return self._failed(conn, planned, str(outcome))
        if not savepoint:
            return (planned, *store.save_source(conn, self.run_id, seen, outcome, self.blog))
        nested = conn.begin_nested()
        try:
            record, counts = store.save_source(conn, self.run_id, seen, outcome, self.blog)
        except SourceError as error:
            nested.rollback()
            return self._failed(conn, planned, str(error))
        except SQLAlchemyError as error:
            if is_contention(error) or is_fault(error):
                raise
            nested.rollback()
            return self._failed(conn, planned, self._refused(planned, error))
        nested.commit()
        return planned, record, counts

    def _redo_one_by_one(self) -> None:
        """The shared transaction is gone (another import was in the way): each of its sources on its own."""
        batch, self.batch, self.results = self.batch, [], []
        for planned, outcome in batch:
            if isinstance(outcome, Document):
                self._alone(planned, outcome)
            else:
                self._retry(planned, partial(self._in_savepoint, planned=planned, outcome=outcome))

    def _report(self) -> None:
        for planned, record, counts in self.results:
            self.written(planned, record, counts)
        self.batch, self.results = [], []

    # -- one source to a transaction -----------------------------------------------------------------------------

    def _alone(self, planned: Planned, document: Document) -> None:
        first = [document]  # entries read as they are written can be read once: a retry parses again

        def attempt(conn: Connection) -> tuple[Planned, SourceRecord, Counts]:
            if first:
                return self._in_savepoint(conn, planned, first.pop())
            with planned.source.open() as stream:
                return self._in_savepoint(conn, planned, _parse(planned, stream, self.parse_options))

        self._retry(planned, attempt)

    def _retry(self, planned: Planned, attempt: Attempt) -> None:
        for number in range(1, ATTEMPTS + 1):
            try:
                self._committed(attempt)
                return
            except SQLAlchemyError as error:
                if is_fault(error):
                    raise
                if number == ATTEMPTS or not is_contention(error):
                    self._committed(partial(self._failed, planned=planned, reason=self._refused(planned, error)))
                    return
            interrupts.sleep(random.uniform(0.05, 0.25) * number)  # let the other writer finish first

    def _committed(self, attempt: Attempt) -> None:
        """Write one source in a transaction of its own; once committed, report it."""
        with connected(self.engine) as conn:
            transaction = conn.begin()  # rolled back as the connection closes, unless committed
            result = attempt(conn)
            self.heartbeat.beat_if_due(conn, _now())
            interrupts.check()
            with interrupts.held():
                transaction.commit()
                self.written(*result)

    def _failed(self, conn: Connection, planned: Planned, reason: str) -> tuple[Planned, SourceRecord, Counts]:
        failed = replace(planned.seen, status="failed", error=reason, import_fingerprint=None, waiting=0)
        store.record_source(conn, self.run_id, failed, _now())
        return planned, failed, NOTHING

    def _refused(self, planned: Planned, error: SQLAlchemyError) -> str:
        return f"{planned.seen.locator}: the database refused it: {self.url.describe(error)}"


def _parse(planned: Planned, stream: BinaryIO, options: ParseOptions) -> Outcome:
    try:
        return formats.parse(planned.seen.format or "", stream, planned.seen.locator, options)
    except SourceError as error:
        return error


def _discard(conn: Connection) -> None:
    """Let go of a connection, rolling back what it has not committed; one the database dropped is let go too."""
    with suppress(SQLAlchemyError):
        conn.close()


def _now() -> datetime:
    return datetime.now(UTC)
