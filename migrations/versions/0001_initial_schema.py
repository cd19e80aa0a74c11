"""Initial schema: blogs, authors, labels, posts, comments, references, sources, import runs.

Written against plain SQLAlchemy types, not the models, so it keeps working however the models change.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# MySQL/MariaDB tables hold every character (utf8mb4); text compares as people expect there (case-insensitively).
# Typed for create_table(**kw): a dict of str would match its if_not_exists: bool too.
MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
# Natural keys compare byte by byte on MySQL too, as on SQLite and PostgreSQL.
KEY = sa.String(length=255).with_variant(mysql.VARCHAR(255, collation="utf8mb4_bin"), "mysql", "mariadb")
ROW_ID = "Row id: a surrogate key, stable once the row is written."
# UTC, without a zone; MySQL's DATETIME would drop fractional seconds unless asked to keep them.
TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

RANK = "How rich the winning source was: 1 text, 2 saved HTML, 3 Blogger export."


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False, comment=ROW_ID)


def _key(comment: str) -> sa.Column[str]:
    return sa.Column("key", KEY, nullable=False, comment=comment)


def _timestamps() -> list[sa.Column[datetime]]:
    return [
        sa.Column("created_at", TIMESTAMP, nullable=False, comment="When blogimport first wrote this row (UTC)."),
        sa.Column("updated_at", TIMESTAMP, nullable=False, comment="When an import last changed this row (UTC)."),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "blogs",
        _id(),
        _key("Natural key: the blog's host, or the --blog name for sources without a URL."),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blogs")),
        sa.UniqueConstraint("key", name=op.f("uq_blogs_key")),
        comment="One row per blog; every post, author and label belongs to one.",
        **MYSQL,
    )
    op.create_table(
        "import_runs",
        _id(),
        sa.Column("started_at", TIMESTAMP, nullable=False, comment="When the run began (UTC)."),
        sa.Column("finished_at", TIMESTAMP, nullable=True, comment="When it ended (UTC); NULL while it runs."),
        sa.Column(
            "status",
            sa.String(length=16),
            nullable=False,
            comment="running, succeeded (every source imported or unchanged), failed (some source failed).",
        ),
        sa.Column("sources_imported", sa.Integer(), nullable=False, comment="Sources parsed and stored by this run."),
        sa.Column(
            "sources_unchanged", sa.Integer(), nullable=False, comment="Sources skipped: same content already imported."
        ),
        sa.Column(
            "sources_failed",
            sa.Integer(),
            nullable=False,
            comment="Sources that could not be imported; see sources.error.",
        ),
        sa.CheckConstraint("status IN ('running', 'succeeded', 'failed')", name=op.f("ck_import_runs_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
        comment="One row per `blogimport import`; per-entity counts are in import_run_counts.",
        **MYSQL,
    )
    op.create_table(
        "import_run_counts",
        sa.Column("run_id", sa.Integer(), nullable=False, comment="The run."),
        sa.Column("entity", sa.String(length=32), nullable=False, comment="Table name: posts, comments, ..."),
        sa.Column("inserted", sa.Integer(), nullable=False, comment="Rows this run added."),
        sa.Column("updated", sa.Integer(), nullable=False, comment="Existing rows this run changed."),
        sa.Column("unchanged", sa.Integer(), nullable=False, comment="Rows this run found already as its sources say."),
        _fk("import_run_counts", "run_id", "import_runs"),
        sa.PrimaryKeyConstraint("run_id", "entity", name=op.f("pk_import_run_counts")),
        comment="What one run did to one kind of row.",
        **MYSQL,
    )
    op.create_table(
        "authors",
        _id(),
        sa.Column("blog_id", sa.Integer(), nullable=False, comment="The blog it belongs to."),
        _key("Natural key: normalised name and profile URL."),
        sa.Column("name", sa.Text(), nullable=False, comment="Display name as the source shows it."),
        sa.Column("profile_url", sa.Text(), nullable=True, comment="Blogger profile URL, when the source has one."),
        *_timestamps(),
        _fk("authors", "blog_id", "blogs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authors")),
        sa.UniqueConstraint("blog_id", "key", name=op.f("uq_authors_blog_id_key")),
        comment="Whoever wrote a post or comment, as the source names them.",
        **MYSQL,
    )
    op.create_table(
        "labels",
        _id(),
        sa.Column("blog_id", sa.Integer(), nullable=False, comment="The blog it belongs to."),
        _key("Natural key: the normalised label name."),
        sa.Column("name", sa.Text(), nullable=False, comment="The label as shown."),
        *_timestamps(),
        _fk("labels", "blog_id", "blogs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labels")),
        sa.UniqueConstraint("blog_id", "key", name=op.f("uq_labels_blog_id_key")),
        comment="A Blogger label (tag).",
        **MYSQL,
    )
    op.create_table(
        "sources",
        _id(),
        _key("Natural key: the locator (bounded)."),
        sa.Column("locator", sa.Text(), nullable=False, comment="Absolute path of the file."),
        sa.Column(
            "sha256",
            sa.String(length=64),
            nullable=True,
            comment="Of the file's bytes when last read; NULL when it could not be read.",
        ),
        sa.Column("format", sa.String(length=16), nullable=True, comment="text, ...; NULL when it could not be told."),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True, comment="Size of the file when last read."),
        sa.Column(
            "status", sa.String(length=16), nullable=False, comment="imported, unchanged or failed, as of the last run."
        ),
        sa.Column("error", sa.Text(), nullable=True, comment="Why it failed (one line); NULL otherwise."),
        sa.Column(
            "import_fingerprint",
            sa.String(length=64),
            nullable=True,
            comment="Hash of content, parser version and options of the last successful import; equal means skip.",
        ),
        sa.Column("first_run_id", sa.Integer(), nullable=False, comment="The run that first saw it."),
        sa.Column("last_run_id", sa.Integer(), nullable=False, comment="The last run that saw it."),
        *_timestamps(),
        sa.CheckConstraint("status IN ('imported', 'unchanged', 'failed')", name=op.f("ck_sources_status")),
        _fk("sources", "first_run_id", "import_runs"),
        _fk("sources", "last_run_id", "import_runs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("key", name=op.f("uq_sources_key")),
        comment="Every input file the importer has seen, and what happened to it the last time.",
        **MYSQL,
    )
    op.create_table(
        "posts",
        _id(),
        sa.Column("blog_id", sa.Integer(), nullable=False, comment="The blog it belongs to."),
        sa.Column("author_id", sa.Integer(), nullable=True, comment="NULL when no source names the author."),
        _key("Natural key: published date and normalised title."),
        sa.Column("title", sa.Text(), nullable=False, comment="As the page shows it, whitespace collapsed."),
        sa.Column("published_on", sa.Date(), nullable=False, comment="The date the blog shows for the post."),
        sa.Column(
            "published_at",
            TIMESTAMP,
            nullable=True,
            comment="Exact publication time (UTC) when a source has it; text renderings do not.",
        ),
        sa.Column("url", sa.Text(), nullable=True, comment="Permalink, when a source has it."),
        sa.Column("body_text", sa.Text(), nullable=False, comment="The post as plain text."),
        sa.Column(
            "declared_comment_count",
            sa.Integer(),
            nullable=True,
            comment='The count the page shows ("22 comments:"); NULL when it shows none.',
        ),
        sa.Column("source_rank", sa.SmallInteger(), nullable=False, comment=RANK),
        *_timestamps(),
        _fk("posts", "author_id", "authors"),
        _fk("posts", "blog_id", "blogs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("blog_id", "key", name=op.f("uq_posts_blog_id_key")),
        comment="A blog post (or page).",
        **MYSQL,
    )
    op.create_table(
        "comments",
        _id(),
        sa.Column("post_id", sa.Integer(), nullable=False, comment="The post it is on."),
        sa.Column("parent_id", sa.Integer(), nullable=True, comment="The comment this replies to; NULL at top level."),
        sa.Column(
            "thread_id",
            sa.Integer(),
            nullable=True,
            comment="The top-level comment of this thread (itself at top level).",
        ),
        _key("Natural key: parent, fingerprint of the normalised body, occurrence among identical siblings."),
        sa.Column("depth", sa.SmallInteger(), nullable=False, comment="0 top level, 1 reply."),
        sa.Column(
            "position",
            sa.Integer(),
            nullable=True,
            comment="The comment's number as displayed; gaps are deleted comments.",
        ),
        sa.Column(
            "path",
            sa.String(length=64),
            nullable=False,
            comment="Sortable position in the thread ('0005.0001'): ORDER BY path is reading order.",
        ),
        sa.Column("author_id", sa.Integer(), nullable=True, comment="NULL when the source does not name the author."),
        sa.Column(
            "published_at",
            TIMESTAMP,
            nullable=True,
            comment="When it was posted (UTC), when the source has it; text renderings do not.",
        ),
        sa.Column("body_text", sa.Text(), nullable=False, comment="The comment as plain text."),
        sa.Column(
            "is_removed", sa.Boolean(), nullable=False, comment="Blogger shows 'This comment has been removed' instead."
        ),
        sa.Column("source_rank", sa.SmallInteger(), nullable=False, comment=RANK),
        *_timestamps(),
        _fk("comments", "author_id", "authors"),
        _fk("comments", "parent_id", "comments"),
        _fk("comments", "post_id", "posts"),
        _fk("comments", "thread_id", "comments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
        sa.UniqueConstraint("post_id", "key", name=op.f("uq_comments_post_id_key")),
        comment="A reader's comment; replies point at their top-level comment.",
        **MYSQL,
    )
    op.create_table(
        "post_labels",
        sa.Column("post_id", sa.Integer(), nullable=False, comment="The post."),
        sa.Column("label_id", sa.Integer(), nullable=False, comment="Its label."),
        _fk("post_labels", "label_id", "labels"),
        _fk("post_labels", "post_id", "posts"),
        sa.PrimaryKeyConstraint("post_id", "label_id", name=op.f("pk_post_labels")),
        comment="Which labels a post carries.",
        **MYSQL,
    )
    op.create_table(
        "comment_references",
        _id(),
        sa.Column("comment_id", sa.Integer(), nullable=False, comment="The comment it is in."),
        _key("Natural key: the mention and its occurrence in the comment."),
        sa.Column("mention", sa.Text(), nullable=False, comment="The mention as written."),
        sa.Column(
            "target_comment_id",
            sa.Integer(),
            nullable=True,
            comment="The comment meant; NULL when the source has no times.",
        ),
        *_timestamps(),
        _fk("comment_references", "comment_id", "comments"),
        _fk("comment_references", "target_comment_id", "comments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_references")),
        sa.UniqueConstraint("comment_id", "key", name=op.f("uq_comment_references_comment_id_key")),
        comment='A time-stamp mention in a comment ("re 20:15") and, when resolvable, the comment it means.',
        **MYSQL,
    )
    for table, column in INDEXED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


# Every foreign key is indexed (reports join on them), and so is the date posts are filtered by.
INDEXED = [
    ("authors", "blog_id"),
    ("labels", "blog_id"),
    ("sources", "first_run_id"),
    ("sources", "last_run_id"),
    ("posts", "author_id"),
    ("posts", "blog_id"),
    ("posts", "published_on"),
    ("comments", "author_id"),
    ("comments", "parent_id"),
    ("comments", "post_id"),
    ("comments", "thread_id"),
    ("post_labels", "label_id"),
    ("comment_references", "comment_id"),
    ("comment_references", "target_comment_id"),
]

TABLES_IN_CREATION_ORDER = [
    "blogs",
    "import_runs",
    "import_run_counts",
    "authors",
    "labels",
    "sources",
    "posts",
    "comments",
    "post_labels",
    "comment_references",
]


def downgrade() -> None:
    # Dropping a table drops its indexes; MySQL refuses to drop an index a foreign key still needs.
    for table in reversed(TABLES_IN_CREATION_ORDER):
        op.drop_table(table)
