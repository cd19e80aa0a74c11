"""One import run: sources -> format -> records -> rows.

A source whose signature (size and modification time, or a zip member's CRC) is what it was when its content was
last imported, with the same parser and options, is skipped unread: the quick check (not with --checksum). The
others are read once to hash them; one whose content was already imported so is skipped without parsing. The
rest are parsed (importer.parsing: in worker processes when there are several jobs) and written by
importer.writing, each whole or not at all. A source that cannot be read or parsed, or that the database
refuses, is recorded as failed and the run goes on.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Engine

from importer import formats, identity, parsing, runs, sources
from importer.errors import SourceError
from importer.parsing import ParseTask
from importer.records import ParseOptions
from importer.runs import LastImport, SourceRecord
from importer.sources import Source
from importer.writer import Counts
from importer.writing import Planned, SourceWriter


@dataclass(frozen=True, slots=True)
class ImportOptions:
    blog: str | None = None  # the blog's key; without it, the source's blog (or "default")
    blog_author: str | None = None
    timezone: str | None = None
    format: str = "auto"
    force: bool = False  # parse even sources whose content was already imported
    checksum: bool = False  # read and hash even sources whose signature is unchanged
    jobs: int = 1  # processes parsing at once, beside the one that writes

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


OnSource = Callable[[SourceRecord, Counts], None]


def run_import(engine: Engine, inputs: Sequence[Source], options: ImportOptions,
               on_source: OnSource = lambda source, counts: None) -> RunResult:
    """Import every source (see sources.discover) and record the run; `on_source` hears of each once written."""
    with engine.begin() as conn:
        result = RunResult(run_id=runs.start_run(conn, _now()))
        imported = runs.last_imports(conn)
    done: dict[str, tuple[int, SourceRecord]] = {}

    def written(planned: Planned, record: SourceRecord, counts: Counts) -> None:
        done[record.locator] = (planned.order, record)
        if record.status != "unchanged":  # an unchanged source did nothing to count
            result.counts.add(counts)
        on_source(record, counts)

    writer = SourceWriter(engine, result.run_id, options.blog, written, options.parse_options)
    to_parse = _plan(inputs, options, imported, writer)
    for planned, outcome in parsing.parse_all(to_parse, _task, options.parse_options, options.jobs, len(inputs)):
        writer.write(planned, outcome)
    writer.close()
    result.sources = [record for _, record in sorted(done.values(), key=lambda pair: pair[0])]
    with engine.begin() as conn:
        # A later source may have brought what an earlier one's comments waited for.
        result.sources = [runs.refreshed(conn, s) if s.status == "partial" else s for s in result.sources]
        runs.finish_run(conn, result.run_id, result.statuses, result.counts, _now())
    return result


def _plan(inputs: Iterable[Source], options: ImportOptions, imported: dict[str, LastImport],
          writer: SourceWriter) -> Iterator[Planned]:
    """The sources to parse. The others are told to the writer at once: unchanged, or failed before parsing."""
    quick = not (options.force or options.checksum)
    for order, source in enumerate(inputs):
        last = imported.get(identity.source_key(source.locator))
        if quick and last is not None and _still(source, last, options):
            writer.unchanged(Planned(order, source, SourceRecord(
                source.locator, "unchanged", sha256=last.sha256, format=last.format,
                import_fingerprint=last.import_fingerprint, signature=source.signature)))
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
        data, sha256, size = _content(source)
    except OSError as error:
        return Planned(order, source, _failed(SourceRecord(locator, "failed"), f"{locator}: cannot read: "
                                                                                f"{error.strerror}"))
    except SourceError as error:  # refused before reading (a zip bomb)
        return Planned(order, source, _failed(SourceRecord(locator, "failed"), str(error)))
    seen = SourceRecord(locator, "imported", sha256=sha256, size_bytes=size, signature=source.signature)
    try:
        head = data[: sources.SNIFF_BYTES] if data is not None else source.head()
        fmt = sources.sniff(head, locator, None if options.format == "auto" else options.format)
    except SourceError as error:
        return Planned(order, source, _failed(seen, str(error)))
    except OSError as error:
        return Planned(order, source, _failed(seen, f"{locator}: cannot read: {error.strerror}"))
    seen = replace(seen, format=fmt, import_fingerprint=_fingerprint(sha256, fmt, options))
    return Planned(order, source, seen, data)


def _content(source: Source) -> tuple[bytes | None, str, int]:
    """(the bytes if the source is small, else None; sha256; size), reading the source once when small."""
    digest, size, chunks = hashlib.sha256(), 0, []
    with source.open() as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            if size <= parsing.SMALL_BYTES:
                chunks.append(chunk)
    return (b"".join(chunks) if size <= parsing.SMALL_BYTES else None), digest.hexdigest(), size


def _task(planned: Planned) -> ParseTask:
    return ParseTask(planned.seen.format or "", planned.seen.locator, planned.data, planned.source.open)


def _failed(seen: SourceRecord, reason: str) -> SourceRecord:
    return replace(seen, status="failed", error=reason, import_fingerprint=None, waiting=0)


def _fingerprint(sha256: str, fmt: str, options: ImportOptions) -> str:
    """Everything that decides what a source imports as: its bytes, the parser, and the options."""
    parts = [sha256, fmt, str(formats.version(fmt)), options.blog or "", options.blog_author or "",
             options.timezone or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)
