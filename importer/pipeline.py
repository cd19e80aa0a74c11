"""One import run: sources -> format -> records -> rows, one transaction per source.

A source that cannot be read or parsed is recorded as failed and the run goes on; a source whose content was
already imported with the same parser and options is skipped without parsing. A source is read as a stream and
written as it is read, so its size does not matter.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from importer import formats, runs, sources, store
from importer.db import describe, is_contention
from importer.errors import SourceError
from importer.records import ParseOptions
from importer.runs import SourceRecord
from importer.sources import Source
from importer.writer import Counts

ATTEMPTS = 6  # tries of one source's transaction when concurrent imports collide


@dataclass(frozen=True, slots=True)
class ImportOptions:
    blog: str | None = None  # the blog's key; without it, the source's blog (or "default")
    blog_author: str | None = None
    timezone: str | None = None
    format: str = "auto"
    force: bool = False  # parse even sources whose content was already imported

    @property
    def parse_options(self) -> ParseOptions:
        return ParseOptions(blog_author=self.blog_author, timezone=self.timezone)


@dataclass
class RunResult:
    run_id: int
    sources: list[SourceRecord] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)

    @property
    def statuses(self) -> Counter[str]:
        return Counter(source.status for source in self.sources)

    @property
    def failed(self) -> list[SourceRecord]:
        return [source for source in self.sources if source.status == "failed"]

    @property
    def waiting(self) -> int:
        return sum(source.waiting for source in self.sources)


def run_import(
    engine: Engine,
    inputs: Sequence[Source],
    options: ImportOptions,
    on_source: Callable[[SourceRecord], None] = lambda source: None,
) -> RunResult:
    """Import every source (see sources.discover) and record the run; `on_source` hears of each as it ends."""
    with engine.begin() as conn:
        result = RunResult(run_id=runs.start_run(conn, _now()))
    for source in inputs:
        record, counts = _import_source(engine, source, options, result.run_id)
        result.sources.append(record)
        result.counts.add(counts)
        on_source(record)
    with engine.begin() as conn:
        # A later source may have brought what an earlier one's comments waited for.
        result.sources = [runs.refreshed(conn, s) if s.status == "partial" else s for s in result.sources]
        runs.finish_run(conn, result.run_id, result.statuses, result.counts, _now())
    return result


def _import_source(engine: Engine, source: Source, options: ImportOptions, run_id: int) -> tuple[SourceRecord,
                                                                                                 Counts]:
    locator = source.locator
    try:
        sha256, size = source.sha256_and_size()
        head = source.head()
    except OSError as error:
        return _failed(engine, run_id, SourceRecord(locator, "failed"), f"{locator}: cannot read: {error.strerror}")
    seen = SourceRecord(locator, "failed", sha256=sha256, size_bytes=size)
    try:
        fmt = sources.sniff(head, locator, None if options.format == "auto" else options.format)
    except SourceError as error:
        return _failed(engine, run_id, seen, str(error))
    seen = replace(seen, format=fmt, import_fingerprint=_fingerprint(sha256, fmt, options))
    if not options.force and _already_imported(engine, seen):
        return _record(engine, run_id, replace(seen, status="unchanged")), Counts()
    return _store(engine, run_id, source, replace(seen, status="imported"), options)


def _store(engine: Engine, run_id: int, source: Source, seen: SourceRecord,
           options: ImportOptions) -> tuple[SourceRecord, Counts]:
    """Parse and write in one transaction, with the source's own record: all of it lands, or none of it. When
    another import gets in the way (the same rows written at the same moment), the whole source is tried again."""
    attempt = 1
    while True:
        try:
            return _store_once(engine, run_id, source, seen, options)
        except SourceError as error:
            return _failed(engine, run_id, seen, str(error))
        except OSError as error:
            return _failed(engine, run_id, seen, f"{seen.locator}: cannot read: {error.strerror}")
        except SQLAlchemyError as error:
            if attempt == ATTEMPTS or not is_contention(error):
                reason = describe(error, engine.url.render_as_string(hide_password=False))
                return _failed(engine, run_id, seen, f"{seen.locator}: the database refused it: {reason}")
        time.sleep(random.uniform(0.05, 0.25) * attempt)  # let the other writer finish first
        attempt += 1


def _store_once(engine: Engine, run_id: int, source: Source, seen: SourceRecord,
                options: ImportOptions) -> tuple[SourceRecord, Counts]:
    with source.open() as stream, engine.begin() as conn:
        source_id = runs.record_source(conn, run_id, seen, _now())
        document = formats.parse(seen.format or "", stream, seen.locator, options.parse_options)
        counts = store.save_document(conn, document, options.blog, _now(), source_id)
        if waiting := store.waiting(conn, source_id):
            seen = replace(seen, status="partial", waiting=waiting, error=runs.waiting_note(waiting))
            runs.record_source(conn, run_id, seen, _now())
    return seen, counts


def _already_imported(engine: Engine, source: SourceRecord) -> bool:
    with engine.connect() as conn:
        return runs.last_import_fingerprint(conn, source.locator) == source.import_fingerprint


def _record(engine: Engine, run_id: int, source: SourceRecord) -> SourceRecord:
    with engine.begin() as conn:
        runs.record_source(conn, run_id, source, _now())
    return source


def _failed(engine: Engine, run_id: int, seen: SourceRecord, reason: str) -> tuple[SourceRecord, Counts]:
    failed = replace(seen, status="failed", error=reason, import_fingerprint=None, waiting=0)
    return _record(engine, run_id, failed), Counts()


def _fingerprint(sha256: str, fmt: str, options: ImportOptions) -> str:
    """Everything that decides what a source imports as: its bytes, the parser, and the options."""
    parts = [sha256, fmt, str(formats.version(fmt)), options.blog or "", options.blog_author or "",
             options.timezone or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)
