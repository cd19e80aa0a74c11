"""Identity rules 2: a host many blogs share (www.blogger.com) is never a blog's key; partial sources say why.

Under rules 1 a blog was keyed by the host of its links, and the 2008 classic export links every entry to
www.blogger.com: its blog was keyed 'www.blogger.com', and the next export of another blog with such links was
taken for the same blog. Under rules 2 such a blog is keyed by its Blogger id ('blogger-<id>'), and a source whose
blog id is not that of the blog its key names is refused. The keys are made again (rekey; only blogs keyed by a
shared host change). The descriptions of the columns that say so change with them: a source may also be partial
because it holds fewer comments than it declares, and an imported source may carry a remark. (SQLite keeps no
descriptions.)

Downgrading keeps the keys and the version (the older rules are not there to make the older keys): the older
blogimport refuses the database, as blogimport.store.rekeying says.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

from blogimport.store.rekeying import rekey

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The version these keys follow, written as a number: a revision says what the rules were when it was written.
KEYS_MADE_BY = 2
# MySQL rewrites a whole column to change its description: type (collation too), nullability and default are given.
KEY = sa.String(length=255).with_variant(mysql.VARCHAR(255, collation="utf8mb4_bin"), "mysql", "mariadb")
# (table, column, type, nullable, server default, old description, new description)
DESCRIPTIONS = (
    (
        "blogs",
        "key",
        KEY,
        False,
        None,
        "Natural key: --blog if given, else the blog's host, else 'blogger-' and its Blogger id, else 'default'.",
        "Natural key: --blog if given, else the blog's own host (never one many blogs share, such as "
        "www.blogger.com), else 'blogger-' and its Blogger id, else 'default'.",
    ),
    (
        "sources",
        "status",
        sa.String(length=16),
        False,
        None,
        "imported, unchanged, partial (comments waiting for their post) or failed, as of the last run.",
        "imported, unchanged, partial (comments waiting for their post, or fewer comments than the source "
        "declares) or failed, as of the last run.",
    ),
    (
        "sources",
        "error",
        sa.Text(),
        True,
        None,
        "Why it failed (one line); NULL otherwise.",
        "Why it failed or is partial (one line); on an imported source, a remark ('comments not on the page'); "
        "NULL otherwise.",
    ),
    (
        "import_runs",
        "sources_partial",
        sa.Integer(),
        False,
        "0",
        "Sources imported but for comments waiting for their post or parent.",
        "Sources imported but for comments waiting for their post or parent, or for comments they declare and do "
        "not hold.",
    ),
)


def upgrade() -> None:
    rekey(op.get_bind(), version=KEYS_MADE_BY)
    _describe(new=True)


def downgrade() -> None:
    _describe(new=False)


def _describe(new: bool) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column, type_, nullable, default, old, described in DESCRIPTIONS:
        op.alter_column(
            table,
            column,
            existing_type=type_,
            existing_nullable=nullable,
            existing_server_default=default,
            existing_comment=described if not new else old,
            comment=described if new else old,
        )
