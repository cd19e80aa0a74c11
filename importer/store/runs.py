"""The importer's own records: one import_runs row per run, one sources row per input.

A run that is killed, or whose database goes away, cannot record its end: its row would say `running` forever. So
a run gives signs of life (a heartbeat: `heartbeat_at`, and `lease_until`, a lease renewed with it) as it commits,
and a run still `running` once its lease has passed is shown as abandoned (the view run_summary, `blogimport
runs`). That is decided when the row is read, never written by another run: concurrent imports leave each other's
rows alone.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from blogimport import identity
from blogimport.errors import ImporterError
from blogimport.models import ImportRun, ImportRunCount, PendingComment, Source
from blogimport.models.provenance import SOURCE_STATUSES
from blogimport.models.views import run_summary
from blogimport.records import Counts, SourceRecord, Tally
from blogimport.store import sql
from blogimport.store.db import connected, is_fault

# A run not heard from for this long is taken for dead. Longer than any ordinary wait between two commits: SQLite's
# wait for another writer's lock (blogimport.store.db.SQLITE_BUSY_SECONDS, 120 s) plus a heartbeat's interval.
LEASE_SECONDS = 180.0
LEASE_ENV_VAR = "BLOGIMPORT_RUN_LEASE_SECONDS"  # another lease, in seconds (tests shorten it)
BEATS_PER_LEASE = 18  # a heartbeat at most every 10 s with the default lease: one UPDATE in a commit made anyway
# A large source is written in one transaction, and nothing written inside it is seen before it ends: the lease is
# extended before it begins, by the time the source takes at this rate, slower than any measured (about 1 MB/s for
# a Takeout export into PostgreSQL on a 2-core machine).
SLOWEST_BYTES_PER_SECOND = 256 << 10


@dataclass
class Heartbeat:
    """A run's signs of life: each renews its lease (import_runs.lease_until) in the transaction the run commits."""

    run_id: int
    lease: timedelta
    last: float = field(default_factory=time.monotonic)  # when the last one was written

    def beat(self, conn: Connection, now: datetime, longer: timedelta = timedelta()) -> None:
        conn.execute(
            update(ImportRun)
            .where(ImportRun.id == self.run_id)
            .values(heartbeat_at=now, lease_until=now + self.lease + longer)
        )
        self.last = time.monotonic()

    def beat_if_due(self, conn: Connection, now: datetime) -> None:
        if time.monotonic() - self.last >= self.lease.total_seconds() / BEATS_PER_LEASE:
            self.beat(conn, now)


def start_run(conn: Connection, now: datetime) -> Heartbeat:
    lease = configured_lease()
    values = {
        "started_at": now,
        "status": "running",
        "sources_imported": 0,
        "sources_unchanged": 0,
        "sources_partial": 0,
        "sources_failed": 0,
        "heartbeat_at": now,
        "lease_until": now + lease,
    }
    return Heartbeat(sql.inserted_id(conn.execute(insert(ImportRun).values(values))), lease)


def configured_lease() -> timedelta:
    """LEASE_SECONDS, or the seconds $BLOGIMPORT_RUN_LEASE_SECONDS gives."""
    value = os.environ.get(LEASE_ENV_VAR, "").strip()
    if not value:
        return timedelta(seconds=LEASE_SECONDS)
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 10**9:
        raise ImporterError(f"{LEASE_ENV_VAR} must be a number of seconds above 0, not {value!r}")
    return timedelta(seconds=seconds)


def extend_lease(engine: Engine, heartbeat: Heartbeat, size_bytes: int | None) -> None:
    """Before a transaction that may outlast the lease (a large source, written whole): a heartbeat, committed on
    its own, whose lease covers the time the source may take."""
    longer = timedelta(seconds=(size_bytes or 0) / SLOWEST_BYTES_PER_SECOND)
    try:
        with connected(engine) as conn, conn.begin():
            heartbeat.beat(conn, datetime.now(UTC), longer)
    except SQLAlchemyError as error:
        if is_fault(error):
            raise
        # Another writer held SQLite past its wait: the source's own commit will say the run is alive.


def finish_run(
    conn: Connection, run_id: int, status: str, statuses: Mapping[str, int], counts: Counts, now: datetime
) -> None:
    conn.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id)
        .values(
            finished_at=now,
            status=status,
            sources_imported=statuses.get("imported", 0),
            sources_unchanged=statuses.get("unchanged", 0),
            sources_partial=statuses.get("partial", 0),
            sources_failed=statuses.get("failed", 0),
        )
    )
    rows = [{"run_id": run_id, "entity": name, **vars(tally)} for name, tally in counts.tallies.items()]
    conn.execute(insert(ImportRunCount), rows)


class LastImport(NamedTuple):
    """What a source's last complete import left: its fingerprint, and what tells it unchanged without reading."""

    import_fingerprint: str
    sha256: str
    format: str
    file_signature: str | None


def last_imports(conn: Connection) -> dict[str, LastImport]:
    """Each source's last import, by source key, where that import was complete (partial and failed ones are tried
    again)."""
    query = select(Source.key, Source.import_fingerprint, Source.sha256, Source.format, Source.file_signature).where(
        Source.status.in_(("imported", "unchanged"))
    )
    found = {}
    for key, fingerprint, sha256, fmt, signature in conn.execute(query):
        if fingerprint and sha256 and fmt:  # a complete import has all three; without them, a source is read again
            found[key] = LastImport(fingerprint, sha256, fmt, signature)
    return found


# The error column is left as it is: a source found unchanged was imported whole last time, so it holds nothing
# or the remark made then ("comments not on the page"), which is still true.
_UNCHANGED = (
    update(Source)
    .where(Source.key == bindparam("b_key"))
    .values(
        status="unchanged",
        locator=bindparam("b_locator"),
        file_signature=bindparam("b_signature"),
        last_run_id=bindparam("b_run"),
        updated_at=bindparam("b_now"),
    )
)


def record_unchanged(conn: Connection, run_id: int, sources: list[SourceRecord], now: datetime) -> None:
    """Sources skipped because their content was imported before: only their status, signature (a file touched
    but not changed has a new one) and last run change."""
    for chunk in sql.chunks(sources):
        conn.execute(
            _UNCHANGED,
            [
                {
                    "b_key": identity.source_key(source.locator),
                    "b_locator": source.locator,
                    "b_signature": source.signature,
                    "b_run": run_id,
                    "b_now": now,
                }
                for source in chunk
            ],
        )


def record_source(conn: Connection, run_id: int, source: SourceRecord, now: datetime) -> int:
    """Insert or update the source's row in one statement (another process may record it at the same moment);
    returns its id. A file that could not be read keeps what was known of it."""
    key = identity.source_key(source.locator)
    table = Source.__table__
    complete = source.sha256 and source.import_fingerprint  # nothing to keep from before: no need to look
    old = None if complete else sql.find_one(conn, table, key=key)
    known = (
        old
        if old
        else {"sha256": None, "format": None, "size_bytes": None, "file_signature": None, "import_fingerprint": None}
    )
    values: dict[str, Any] = {
        "key": key,
        "locator": source.locator,
        "status": source.status,
        "error": source.error,
        "sha256": source.sha256 or known["sha256"],
        "format": source.format if source.sha256 else known["format"],
        "size_bytes": source.size_bytes if source.sha256 else known["size_bytes"],
        "file_signature": source.signature if source.sha256 else known["file_signature"],
        "import_fingerprint": source.import_fingerprint or known["import_fingerprint"],
        "first_run_id": run_id,
        "last_run_id": run_id,
        "created_at": now,
        "updated_at": now,
    }
    return sql.upsert_one(conn, table, values, ["key"], keep=["first_run_id"])


def refreshed(conn: Connection, source: SourceRecord) -> SourceRecord:
    """The source as it stands now: a later source of the run may have placed its waiting comments."""
    row = conn.execute(
        select(Source.id, Source.status, Source.error).where(Source.key == identity.source_key(source.locator))
    ).one()
    waiting = conn.execute(select(func.count()).where(PendingComment.source_id == row.id)).scalar_one()
    return replace(source, status=row.status, error=row.error, waiting=int(waiting))


WAITING_END = "post or parent comment"  # how every waiting note ends: what tells it from other reasons


def waiting_note(count: int) -> str:
    if count == 1:
        return f"1 comment waits for its {WAITING_END}"
    return f"{count} comments wait for their {WAITING_END}"


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A run as `blogimport runs` shows it: the view run_summary's row, and what it did per table."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    heartbeat_at: datetime
    status: str  # as recorded
    state: str  # the status, or 'abandoned'
    sources: dict[str, int]  # imported, unchanged, partial, failed
    counts: Counts


def recent_runs(engine: Engine, limit: int) -> list[RunSummary]:
    """The `limit` most recent runs, newest first."""
    table = ImportRunCount.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(run_summary).order_by(run_summary.c.run_id.desc()).limit(limit)).mappings().all()
        counts = {row["run_id"]: Counts() for row in rows}
        for tally in conn.execute(select(table).where(table.c.run_id.in_(list(counts)))).mappings():
            counts[tally["run_id"]].tallies[tally["entity"]] = Tally(**{name: tally[name] for name in vars(Tally())})
    return [
        RunSummary(
            row["run_id"],
            row["started_at"],
            row["finished_at"],
            row["heartbeat_at"],
            row["status"],
            row["state"],
            {name: row[f"sources_{name}"] for name in SOURCE_STATUSES},
            counts[row["run_id"]],
        )
        for row in rows
    ]
