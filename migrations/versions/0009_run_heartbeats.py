"""Runs give signs of life (import_runs.heartbeat_at, lease_until); the view run_summary shows abandoned ones.

A run killed, or cut off from its database, cannot record its end: its row said 'running' forever. Now a run renews
a lease as it commits, and run_summary's `state` is 'abandoned' for a run still 'running' past it, decided as the
view is read (with the database's clock), never written. Runs recorded before this revision had no heartbeat: their
last sign of life is taken to be their end, or their start, so one left 'running' is shown abandoned. (A later
revision that rebuilds import_runs on SQLite, in batch mode, drops run_summary first and makes it again.)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# UTC, without a zone; MySQL's DATETIME would drop fractional seconds unless asked to keep them (as in 0001).
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
HEARTBEAT = "When the run last gave a sign of life (UTC): as it began, then as it commits, every 10 s or so."
LEASE = (
    "Until when the run counts as alive without another heartbeat (UTC): 3 minutes after one, more before a "
    "large source's transaction. A run still 'running' past it stopped without saying so: run_summary shows it "
    "as 'abandoned'."
)

# The moment the view is read, in UTC, as each engine stores times (SQLite: text that sorts as time does).
NOW = {
    "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
    "postgresql": "(statement_timestamp() AT TIME ZONE 'UTC')",
    "mysql": "UTC_TIMESTAMP(6)",
}

RUN_SUMMARY = """
SELECT id AS run_id, started_at, finished_at, heartbeat_at, status,
       CASE WHEN status = 'running' AND lease_until < {now} THEN 'abandoned' ELSE status END AS state,
       sources_imported, sources_unchanged, sources_partial, sources_failed
FROM import_runs
"""


def upgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.add_column(sa.Column("heartbeat_at", TIMESTAMP, nullable=True, comment=HEARTBEAT))
        batch.add_column(sa.Column("lease_until", TIMESTAMP, nullable=True, comment=LEASE))
    op.execute(
        "UPDATE import_runs SET heartbeat_at = coalesce(finished_at, started_at), "
        "lease_until = coalesce(finished_at, started_at)"
    )
    with op.batch_alter_table("import_runs") as batch:
        # MySQL rewrites the whole column to change its nullability: its type and description are given.
        batch.alter_column("heartbeat_at", existing_type=TIMESTAMP, nullable=False, existing_comment=HEARTBEAT)
        batch.alter_column("lease_until", existing_type=TIMESTAMP, nullable=False, existing_comment=LEASE)
    op.execute(f"CREATE VIEW run_summary AS {RUN_SUMMARY.format(now=NOW[_dialect()]).strip()}")


def downgrade() -> None:
    op.execute("DROP VIEW run_summary")
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("heartbeat_at")


def _dialect() -> str:
    name = op.get_bind().dialect.name
    return "mysql" if name in ("mysql", "mariadb") else name
