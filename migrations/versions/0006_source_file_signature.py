"""Sources keep a signature read without opening them (size and modification time), to skip unchanged files.

Existing rows get NULL: their next import reads and hashes them once, as before, and stores the signature.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = (
    "Size, modification time and inode of the file (size and CRC-32 of a zip member) when last read, "
    "known without reading it: unchanged, with the same import fingerprint, means skip without reading; "
    "NULL when not known or written too recently to trust."
)


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("file_signature", sa.String(length=64), nullable=True, comment=SIGNATURE))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("file_signature")
