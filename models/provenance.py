"""Where rows came from: every input file seen, and every run of the importer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blogimport.models.base import MYSQL_TABLE, ROW_ID, Base, Timestamps
from blogimport.models.blog import KEY

SOURCE_STATUSES = ("imported", "unchanged", "partial", "failed")
RUN_STATUSES = ("running", "succeeded", "failed", "interrupted")
HEARTBEAT = "When the run last gave a sign of life (UTC): as it began, then as it commits, every 10 s or so."
LEASE = (
    "Until when the run counts as alive without another heartbeat (UTC): 3 minutes after one, more before a "
    "large source's transaction. A run still 'running' past it stopped without saying so: run_summary shows it "
    "as 'abandoned'."
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ImportRun(Base):
    __tablename__ = "import_runs"
    __table_args__ = (
        CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),
        {**MYSQL_TABLE, "comment": "One row per `blogimport import`; per-entity counts are in import_run_counts."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    started_at: Mapped[datetime] = mapped_column(comment="When the run began (UTC).")
    finished_at: Mapped[datetime | None] = mapped_column(comment="When it ended (UTC); NULL while it runs.")
    status: Mapped[str] = mapped_column(
        String(16),
        comment="running, succeeded (every source imported or unchanged), failed (some source failed, or the "
        "database did), interrupted (by Ctrl-C or SIGTERM; the sources it committed stay).",
    )
    sources_imported: Mapped[int] = mapped_column(comment="Sources parsed and stored by this run.")
    sources_unchanged: Mapped[int] = mapped_column(comment="Sources skipped: same content already imported.")
    sources_partial: Mapped[int] = mapped_column(
        server_default="0",
        comment="Sources imported but for comments waiting for their post or parent, or for "
        "comments they declare and do not hold.",
    )
    sources_failed: Mapped[int] = mapped_column(comment="Sources that could not be imported; see sources.error.")
    heartbeat_at: Mapped[datetime] = mapped_column(comment=HEARTBEAT)
    lease_until: Mapped[datetime] = mapped_column(comment=LEASE)


class ImportRunCount(Base):
    __tablename__ = "import_run_counts"
    __table_args__ = {**MYSQL_TABLE, "comment": "What one run did to one kind of row."}

    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"), primary_key=True, comment="The run.")
    entity: Mapped[str] = mapped_column(String(32), primary_key=True, comment="Table name: posts, comments, ...")
    inserted: Mapped[int] = mapped_column(comment="Rows this run added.")
    updated: Mapped[int] = mapped_column(comment="Existing rows this run changed.")
    unchanged: Mapped[int] = mapped_column(comment="Rows this run found already as its sources say.")
    deleted: Mapped[int] = mapped_column(server_default="0", comment="Rows this run removed (labels a post lost).")
    skipped: Mapped[int] = mapped_column(
        server_default="0", comment="Entries of this kind not imported (an export's settings and template)."
    )


class Source(Timestamps, Base):
    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(_one_of("status", SOURCE_STATUSES), name="status"),
        {**MYSQL_TABLE, "comment": "Every input file the importer has seen, and what happened to it the last time."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    key: Mapped[str] = mapped_column(KEY, unique=True, comment="Natural key: the locator (bounded).")
    locator: Mapped[str] = mapped_column(Text, comment="Absolute path of the file ('archive.zip!member' inside a zip).")
    sha256: Mapped[str | None] = mapped_column(
        String(64), comment="Of the file's bytes when last read; NULL when it could not be read."
    )
    format: Mapped[str | None] = mapped_column(String(16), comment="text or atom; NULL when it could not be told.")
    size_bytes: Mapped[int | None] = mapped_column(BigInteger, comment="Size of the file when last read.")
    file_signature: Mapped[str | None] = mapped_column(
        String(64),
        comment="Size, modification time and inode of the file (size and CRC-32 of a zip member) when last read, "
        "known without reading it: unchanged, with the same import fingerprint, means skip without reading; "
        "NULL when not known or written too recently to trust.",
    )
    status: Mapped[str] = mapped_column(
        String(16),
        comment="imported, unchanged, partial (comments waiting for their post, or fewer comments than the source "
        "declares) or failed, as of the last run.",
    )
    error: Mapped[str | None] = mapped_column(
        Text,
        comment="Why it failed or is partial (one line); on an imported source, a remark ('comments not on the "
        "page'); NULL otherwise.",
    )
    import_fingerprint: Mapped[str | None] = mapped_column(
        String(64),
        comment="Hash of content, parser version and options of the last successful import; equal means skip.",
    )
    first_run_id: Mapped[int] = mapped_column(
        ForeignKey("import_runs.id"), index=True, comment="The run that first saw it."
    )
    last_run_id: Mapped[int] = mapped_column(
        ForeignKey("import_runs.id"), index=True, comment="The last run that saw it."
    )


class IdentityRules(Base):
    __tablename__ = "identity_rules"
    __table_args__ = {
        **MYSQL_TABLE,
        "comment": "One row: which version of blogimport's identity rules made every natural key "
        "here. An import by another version is refused until `blogimport db upgrade` "
        "has re-keyed the rows.",
    }

    version: Mapped[int] = mapped_column(
        primary_key=True,
        autoincrement=False,
        comment="importer.identity.IDENTITY_VERSION of the rules the keys follow; a revision that re-keys sets it.",
    )
