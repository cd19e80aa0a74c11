"""Comments keep the time as the page showed it (saved pages and text renderings), to match mentions against.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(
            sa.Column(
                "display_time",
                sa.Text(),
                nullable=True,
                comment="The time as the page showed it ('6. Juni 2015 um 10:23'); mentions are matched against it.",
            )
        )
    with op.batch_alter_table("pending_comments") as batch:
        batch.add_column(
            sa.Column("display_time", sa.Text(), nullable=True, comment="The time as the source showed it.")
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_comments") as batch:
        batch.drop_column("display_time")
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("display_time")
