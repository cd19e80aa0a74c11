"""One import run: files -> bytes -> format -> records -> rows, one transaction per source.

A source that cannot be read or parsed is recorded as failed and the run goes on; a source whose content was
already imported with the same parser and options is skipped without parsing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from importer import formats, runs, sources, store
from importer.errors import SourceError
from importer.records import Document, ParseOptions
from importer.runs import SourceRecord
from importer.store import Counts


@dataclass(frozen=True, slots=True)
class ImportOptions:
    blog: str = "default"  # the blog key for sources that do not name their blog
    blog_author: str | None = None
    format: str = "auto"
    force: bool = False  # parse even sources whose content was already imported


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


def run_import(
    engine: Engine,
    files: Sequence[Path],
    options: ImportOptions,
    on_source: Callable[[SourceRecord], None] = lambda source: None,
) -> RunResult:
    """Import every file (see sources.discover) and record the run; `on_source` hears of each as it ends."""
    with engine.begin() as conn:
        result = RunResult(run_id=runs.start_run(conn, _now()))
    for path in files:
        source, counts = _import_source(engine, path, options, result.run_id)
        result.sources.append(source)
        result.counts.add(counts)
        on_source(source)
    with engine.begin() as conn:
        runs.finish_run(conn, result.run_id, result.statuses, result.counts, _now())
    return result


def _import_source(engine: Engine, path: Path, options: ImportOptions, run_id: int) -> tuple[SourceRecord, Counts]:
    locator = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return _failed(engine, run_id, SourceRecord(locator, "failed"), f"{locator}: cannot read: {error.strerror}")
    sha256 = hashlib.sha256(data).hexdigest()
    seen = SourceRecord(locator, "failed", sha256=sha256, size_bytes=len(data))
    try:
        fmt = sources.sniff(data, locator, None if options.format == "auto" else options.format)
        seen = replace(seen, format=fmt, import_fingerprint=_fingerprint(sha256, fmt, options))
        if not options.force and _already_imported(engine, seen):
            return _record(engine, run_id, replace(seen, status="unchanged")), Counts()
        document = _parse(fmt, data, locator, options)
    except SourceError as error:
        return _failed(engine, run_id, seen, str(error))
    return _store(engine, run_id, seen, document, options.blog)


def _parse(fmt: str, data: bytes, locator: str, options: ImportOptions) -> Document:
    try:
        return formats.parse(fmt, data, locator, ParseOptions(blog_author=options.blog_author))
    except SourceError:
        raise
    except Exception as error:  # noqa: BLE001 - a parser bug must not cost the user the rest of the run
        reason = f"parser failed ({type(error).__name__}: {error}); please report this file"
        raise SourceError(locator, reason) from error


def _store(engine: Engine, run_id: int, seen: SourceRecord, document: Document, blog: str) -> tuple[SourceRecord,
                                                                                                      Counts]:
    """The source's rows and its `imported` record in one transaction: both land, or neither does."""
    imported = replace(seen, status="imported")
    try:
        with engine.begin() as conn:
            counts = store.save_document(conn, document, blog, _now())
            runs.record_source(conn, run_id, imported, _now())
    except SQLAlchemyError as error:
        return _failed(engine, run_id, seen, f"{seen.locator}: the database refused it: {_first_line(error)}")
    return imported, counts


def _already_imported(engine: Engine, source: SourceRecord) -> bool:
    with engine.connect() as conn:
        return runs.last_import_fingerprint(conn, source.locator) == source.import_fingerprint


def _record(engine: Engine, run_id: int, source: SourceRecord) -> SourceRecord:
    with engine.begin() as conn:
        runs.record_source(conn, run_id, source, _now())
    return source


def _failed(engine: Engine, run_id: int, seen: SourceRecord, reason: str) -> tuple[SourceRecord, Counts]:
    return _record(engine, run_id, replace(seen, status="failed", error=reason, import_fingerprint=None)), Counts()


def _fingerprint(sha256: str, fmt: str, options: ImportOptions) -> str:
    """Everything that decides what a source imports as: its bytes, the parser, and the options."""
    parts = [sha256, fmt, str(formats.version(fmt)), options.blog, options.blog_author or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _first_line(error: SQLAlchemyError) -> str:
    orig = getattr(error, "orig", None) or error
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def _now() -> datetime:
    return datetime.now(timezone.utc)
