"""Blogger exports: Blogger ids and URLs, post kind and status, time offsets, waiting comments.

Existing rows keep their meaning: posts become kind 'post', status 'live'; a mention's time is read from its text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# MySQL/MariaDB tables hold every character (utf8mb4); text compares as people expect there (case-insensitively).
# Typed for create_table(**kw): a dict of str would match its if_not_exists: bool too.
MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
# Natural keys compare byte by byte on MySQL too; MySQL rewrites a whole column to change its description, so the
# key type (collation included) is given whenever a key column is altered.
KEY = sa.String(length=255).with_variant(mysql.VARCHAR(255, collation="utf8mb4_bin"), "mysql", "mariadb")
# UTC, without a zone; MySQL's DATETIME would drop fractional seconds unless asked to keep them.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

BLOGGER_ID = sa.String(length=32)
RANK = "How rich the winning source was: 1 text, 2 saved HTML, 3 Takeout, 4 classic export."
OLD_STATUSES = "status IN ('imported', 'unchanged', 'failed')"
NEW_STATUSES = "status IN ('imported', 'unchanged', 'partial', 'failed')"


def upgrade() -> None:
    _create_pending_comments()
    with op.batch_alter_table("blogs") as batch:
        batch.add_column(sa.Column("blogger_id", BLOGGER_ID, nullable=True, comment="Blogger's id of the blog."))
        batch.add_column(
            sa.Column("url", sa.Text(), nullable=True, comment="The blog's home page, when a source names it.")
        )
        batch.add_column(
            sa.Column("title", sa.Text(), nullable=True, comment="The blog's title, when a source names it.")
        )
        batch.create_unique_constraint(op.f("uq_blogs_blogger_id"), ["blogger_id"])
    with op.batch_alter_table("authors") as batch:
        batch.add_column(
            sa.Column("blogger_profile_id", BLOGGER_ID, nullable=True, comment="The id in a Blogger profile URL.")
        )
        batch.create_index(op.f("ix_authors_blogger_profile_id"), ["blogger_profile_id"])
    _alter_posts()
    _alter_comments()
    _add_mentioned_time()
    with op.batch_alter_table("sources") as batch:
        batch.drop_constraint(op.f("ck_sources_status"), type_="check")
        batch.create_check_constraint("status", NEW_STATUSES)
    for table, column, type_, nullable, comment in NEW_COMMENTS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=type_, existing_nullable=nullable, comment=comment)
    with op.batch_alter_table("import_runs") as batch:
        batch.add_column(
            sa.Column(
                "sources_partial",
                sa.Integer(),
                server_default="0",
                nullable=False,
                comment="Sources imported but for comments waiting for their post or parent.",
            )
        )
    with op.batch_alter_table("import_run_counts") as batch:
        batch.add_column(
            sa.Column(
                "deleted",
                sa.Integer(),
                server_default="0",
                nullable=False,
                comment="Rows this run removed (labels a post lost).",
            )
        )
        batch.add_column(
            sa.Column(
                "skipped",
                sa.Integer(),
                server_default="0",
                nullable=False,
                comment="Entries of this kind not imported (an export's settings and template).",
            )
        )


# Columns whose meaning widened with exports: their descriptions (which PostgreSQL and MySQL store) say so.
NEW_COMMENTS = [
    (
        "blogs",
        "key",
        KEY,
        False,
        "Natural key: --blog if given, else the blog's host, else 'blogger-' and its Blogger id, else 'default'.",
    ),
    ("authors", "key", KEY, False, "Natural key: the Blogger profile id, else the normalised name and the URL given."),
    (
        "authors",
        "profile_url",
        sa.Text(),
        True,
        "Blogger profile URL, or the commenter's own site, when the source has one.",
    ),
    (
        "posts",
        "url",
        sa.Text(),
        True,
        "Permalink, when a source has it; only its path (/2019/03/x.html) when Takeout is the only one.",
    ),
    ("sources", "locator", sa.Text(), False, "Absolute path of the file ('archive.zip!member' inside a zip)."),
    ("sources", "format", sa.String(length=16), True, "text or atom; NULL when it could not be told."),
    (
        "sources",
        "status",
        sa.String(length=16),
        False,
        "imported, unchanged, partial (comments waiting for their post) or failed, as of the last run.",
    ),
]


def _create_pending_comments() -> None:
    op.create_table(
        "pending_comments",
        sa.Column(
            "id", sa.Integer(), nullable=False, comment="Row id: a surrogate key, stable once the row is written."
        ),
        sa.Column("blog_id", sa.Integer(), nullable=False, comment="The blog it belongs to."),
        sa.Column("source_id", sa.Integer(), nullable=False, comment="The source it came from."),
        sa.Column("blogger_id", BLOGGER_ID, nullable=False, comment="Blogger's id of the comment."),
        sa.Column("post_blogger_id", BLOGGER_ID, nullable=False, comment="The post it belongs to."),
        sa.Column("parent_blogger_id", BLOGGER_ID, nullable=True, comment="The comment it answers."),
        sa.Column("body_text", sa.Text(), nullable=False, comment="The comment as plain text."),
        sa.Column("author_name", sa.Text(), nullable=True, comment="Its author's name, when the source names one."),
        sa.Column("author_profile_url", sa.Text(), nullable=True, comment="Its author's profile URL, if any."),
        sa.Column("published_at", TIMESTAMP, nullable=True, comment="When it was posted (UTC)."),
        sa.Column("utc_offset_minutes", sa.SmallInteger(), nullable=True, comment="The blog's UTC offset then."),
        sa.Column("url", sa.Text(), nullable=True, comment="The comment's permalink."),
        sa.Column(
            "is_removed", sa.Boolean(), nullable=False, comment="Blogger shows 'This comment has been removed' instead."
        ),
        sa.Column(
            "source_rank",
            sa.SmallInteger(),
            nullable=False,
            comment="How rich the source was (as comments.source_rank).",
        ),
        sa.Column("created_at", TIMESTAMP, nullable=False, comment="When the comment was parked here (UTC)."),
        sa.ForeignKeyConstraint(["blog_id"], ["blogs.id"], name=op.f("fk_pending_comments_blog_id_blogs")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_pending_comments_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_comments")),
        sa.UniqueConstraint("source_id", "blogger_id", name=op.f("uq_pending_comments_source_id_blogger_id")),
        comment="Comments from an export whose post or parent comment is not stored yet; placed when it is.",
        **MYSQL,
    )
    op.create_index(
        op.f("ix_pending_comments_blog_id_post_blogger_id"), "pending_comments", ["blog_id", "post_blogger_id"]
    )
    op.create_index(op.f("ix_pending_comments_source_id"), "pending_comments", ["source_id"])


def _alter_posts() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(
            sa.Column("blogger_id", BLOGGER_ID, nullable=True, comment="Blogger's id of the post, from an export.")
        )
        batch.add_column(
            sa.Column("kind", sa.String(length=8), server_default="post", nullable=False, comment="post or page.")
        )
        batch.add_column(
            sa.Column(
                "status",
                sa.String(length=16),
                server_default="live",
                nullable=False,
                comment="live, draft, trashed or scheduled (from an export).",
            )
        )
        batch.add_column(
            sa.Column(
                "utc_offset_minutes",
                sa.SmallInteger(),
                nullable=True,
                comment="The blog's offset from UTC at publication, when a source says (local = UTC + this).",
            )
        )
        batch.add_column(
            sa.Column(
                "edited_at", TIMESTAMP, nullable=True, comment="When the post was last edited (UTC), from an export."
            )
        )
        batch.add_column(
            sa.Column(
                "labels_as_of",
                TIMESTAMP,
                nullable=True,
                comment="Edit time of the export that last gave the post's complete label set; "
                "NULL: labels from pages.",
            )
        )
        batch.alter_column(
            "key",
            existing_type=KEY,
            existing_nullable=False,
            comment="Natural key: published date and normalised title (untitled: a body "
            "fingerprint); '~' and the Blogger id when two posts share them.",
        )
        batch.alter_column("source_rank", existing_type=sa.SmallInteger(), existing_nullable=False, comment=RANK)
        batch.create_index(op.f("ix_posts_url"), ["url"], mysql_length=255)
        batch.create_unique_constraint(op.f("uq_posts_blog_id_blogger_id"), ["blog_id", "blogger_id"])


def _alter_comments() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("blogger_id", BLOGGER_ID, nullable=True, comment="Blogger's id of the comment."))
        batch.add_column(
            sa.Column("url", sa.Text(), nullable=True, comment="The comment's permalink (…?showComment=…#c<id>).")
        )
        batch.add_column(
            sa.Column(
                "utc_offset_minutes",
                sa.SmallInteger(),
                nullable=True,
                comment="The blog's offset from UTC then, when a source says: the time readers saw.",
            )
        )
        batch.alter_column("source_rank", existing_type=sa.SmallInteger(), existing_nullable=False, comment=RANK)
        batch.create_index(op.f("ix_comments_url"), ["url"], mysql_length=255)
        batch.create_unique_constraint(op.f("uq_comments_post_id_blogger_id"), ["post_id", "blogger_id"])


# Frozen here on purpose: a migration must not change meaning when the importer's own parser does.
_TIME_AT_END = re.compile(r"(\d{1,2})[:. ]?(\d{2})\D*$")


def _add_mentioned_time() -> None:
    with op.batch_alter_table("comment_references") as batch:
        batch.add_column(
            sa.Column("mentioned_time", sa.String(length=5), nullable=True, comment="The time it names, as HH:MM.")
        )
    conn = op.get_bind()
    references = sa.table("comment_references", sa.column("id"), sa.column("mention"), sa.column("mentioned_time"))
    rows = conn.execute(sa.select(references.c.id, references.c.mention)).all()
    values = [{"ref_id": row.id, "time": _hh_mm(row.mention)} for row in rows]
    if values:
        conn.execute(
            references.update()
            .where(references.c.id == sa.bindparam("ref_id"))
            .values(mentioned_time=sa.bindparam("time")),
            values,
        )
    with op.batch_alter_table("comment_references") as batch:
        # MySQL rewrites the whole column here, so the description is given again.
        batch.alter_column(
            "mentioned_time", existing_type=sa.String(length=5), nullable=False, comment="The time it names, as HH:MM."
        )
        batch.alter_column(
            "target_comment_id",
            existing_type=sa.Integer(),
            existing_nullable=True,
            comment="The comment of the same post shown at that time; NULL when none, several, or times unknown.",
        )


def _hh_mm(mention: str) -> str:
    match = _TIME_AT_END.search(mention)
    return f"{int(match[1]):02d}:{match[2]}" if match else "00:00"


def downgrade() -> None:
    op.execute("UPDATE sources SET status = 'imported' WHERE status = 'partial'")
    with op.batch_alter_table("sources") as batch:
        batch.drop_constraint(op.f("ck_sources_status"), type_="check")
        batch.create_check_constraint("status", OLD_STATUSES)
    with op.batch_alter_table("import_run_counts") as batch:
        batch.drop_column("skipped")
        batch.drop_column("deleted")
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("sources_partial")
    with op.batch_alter_table("comment_references") as batch:
        batch.drop_column("mentioned_time")
    with op.batch_alter_table("comments") as batch:
        batch.drop_constraint(op.f("uq_comments_post_id_blogger_id"), type_="unique")
        batch.drop_index(op.f("ix_comments_url"))
        batch.drop_column("utc_offset_minutes")
        batch.drop_column("url")
        batch.drop_column("blogger_id")
    with op.batch_alter_table("posts") as batch:
        batch.drop_constraint(op.f("uq_posts_blog_id_blogger_id"), type_="unique")
        batch.drop_index(op.f("ix_posts_url"))
        for column in ("labels_as_of", "edited_at", "utc_offset_minutes", "status", "kind", "blogger_id"):
            batch.drop_column(column)
    with op.batch_alter_table("authors") as batch:
        batch.drop_index(op.f("ix_authors_blogger_profile_id"))
        batch.drop_column("blogger_profile_id")
    with op.batch_alter_table("blogs") as batch:
        batch.drop_constraint(op.f("uq_blogs_blogger_id"), type_="unique")
        for column in ("title", "url", "blogger_id"):
            batch.drop_column(column)
    op.drop_table("pending_comments")
