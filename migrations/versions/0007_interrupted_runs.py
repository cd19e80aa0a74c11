"""Runs may end interrupted (Ctrl-C or SIGTERM): import_runs.status allows 'interrupted'.

Downgrading turns interrupted runs into failed ones, the nearest status the older schema knows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = "status IN ('running', 'succeeded', 'failed')"
NEW_STATUSES = "status IN ('running', 'succeeded', 'failed', 'interrupted')"
OLD_COMMENT = "running, succeeded (every source imported or unchanged), failed (some source failed)."
NEW_COMMENT = (
    "running, succeeded (every source imported or unchanged), failed (some source failed, or the "
    "database did), interrupted (by Ctrl-C or SIGTERM; the sources it committed stay)."
)


def upgrade() -> None:
    _set_statuses(NEW_STATUSES, NEW_COMMENT)


def downgrade() -> None:
    op.execute("UPDATE import_runs SET status = 'failed' WHERE status = 'interrupted'")
    _set_statuses(OLD_STATUSES, OLD_COMMENT)


def _set_statuses(check: str, comment: str) -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_constraint(op.f("ck_import_runs_status"), type_="check")
        batch.create_check_constraint("status", check)
        # MySQL rewrites the whole column to change its description: its type and nullability are given.
        batch.alter_column("status", existing_type=sa.String(length=16), existing_nullable=False, comment=comment)
