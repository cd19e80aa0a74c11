"""Natural keys are a stored contract: identity_rules records the version of the identity rules that made them.

Every database made so far holds keys of version 1, the rules as they have been since 0001: it is set, and nothing
is re-keyed. A later change to the rules bumps blogimport.identity.IDENTITY_VERSION in a revision of its own, whose
upgrade calls blogimport.store.rekeying.rekey() (see that module).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Typed for create_table(**kw): a dict of str would match its if_not_exists: bool too.
MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
# The version these keys follow, written here as a number and not read from blogimport.identity: a revision says
# what the rules were when it was written, whatever they are when it runs.
KEYS_MADE_BY = 1


def upgrade() -> None:
    table = op.create_table(
        "identity_rules",
        sa.Column(
            "version",
            sa.Integer(),
            autoincrement=False,
            nullable=False,
            comment="importer.identity.IDENTITY_VERSION of the rules the keys follow; a revision that re-keys sets it.",
        ),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_identity_rules")),
        comment="One row: which version of blogimport's identity rules made every natural key here. An import by "
        "another version is refused until `blogimport db upgrade` has re-keyed the rows.",
        **MYSQL,
    )
    op.bulk_insert(table, [{"version": KEYS_MADE_BY}])


def downgrade() -> None:
    op.drop_table("identity_rules")
