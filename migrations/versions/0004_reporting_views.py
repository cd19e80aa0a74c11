"""Reporting views: post_summary, comment_threads, reply_chains, author_activity, monthly_activity.

One definition per view, with the few pieces SQL spells differently per engine filled in (a sorted list of labels,
a month as text, string concatenation), so every engine returns the same rows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The labels of post p, comma-separated in byte order (PostgreSQL's and MySQL's collations would sort differently).
LABELS = {
    "sqlite": "(SELECT group_concat(name, ', ') FROM (SELECT l.name FROM post_labels pl "
    "JOIN labels l ON l.id = pl.label_id WHERE pl.post_id = p.id ORDER BY l.name))",
    "postgresql": "(SELECT string_agg(l.name, ', ' ORDER BY l.name COLLATE \"C\") FROM post_labels pl "
    "JOIN labels l ON l.id = pl.label_id WHERE pl.post_id = p.id)",
    "mysql": "(SELECT GROUP_CONCAT(l.name ORDER BY l.name COLLATE utf8mb4_bin SEPARATOR ', ') FROM post_labels pl "
    "JOIN labels l ON l.id = pl.label_id WHERE pl.post_id = p.id)",
}
MONTH = {
    "sqlite": "strftime('%Y-%m', p.published_on)",
    "postgresql": "to_char(p.published_on, 'YYYY-MM')",
    "mysql": "DATE_FORMAT(p.published_on, '%Y-%m')",
}
QUOTED_KEY = {"sqlite": '"key"', "postgresql": '"key"', "mysql": "`key`"}
ID_TEXT = {"sqlite": "CAST(id AS TEXT)", "postgresql": "CAST(id AS TEXT)", "mysql": "CAST(id AS CHAR(4000))"}
CHAIN_STEP = {
    "sqlite": "ch.chain || ',' || l.id",
    "postgresql": "ch.chain || ',' || l.id",
    "mysql": "CONCAT(ch.chain, ',', l.id)",
}

POST_SUMMARY = """
SELECT p.id AS post_id, b.{key} AS blog, p.title, p.published_on, p.url, p.kind, p.status, a.name AS author,
       {labels} AS labels,
       coalesce(cs.comments, 0) AS comments, coalesce(cs.replies, 0) AS replies,
       coalesce(cs.threads, 0) AS threads, coalesce(cs.removed, 0) AS removed,
       cs.first_comment_at, cs.last_comment_at, p.declared_comment_count
FROM posts p
JOIN blogs b ON b.id = p.blog_id
LEFT JOIN authors a ON a.id = p.author_id
LEFT JOIN (SELECT post_id, count(*) AS comments,
                  sum(CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END) AS replies,
                  sum(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END) AS threads,
                  sum(CASE WHEN is_removed THEN 1 ELSE 0 END) AS removed,
                  min(published_at) AS first_comment_at, max(published_at) AS last_comment_at
           FROM comments GROUP BY post_id) cs ON cs.post_id = p.id
"""

COMMENT_THREADS = """
SELECT c.id AS comment_id, c.post_id, p.title AS post_title, c.thread_id, c.parent_id, c.depth, c.path, c.position,
       a.name AS author, c.published_at, c.display_time, c.is_removed,
       (SELECT count(*) FROM comments r WHERE r.parent_id = c.id) AS replies,
       c.body_text
FROM comments c
JOIN posts p ON p.id = c.post_id
LEFT JOIN authors a ON a.id = c.author_id
"""

# Who answered whom: each comment answers the earlier comment its first resolved mention points at, else the one
# it replies to. Following those links back gives a chain of any length; a chain only ever goes back in reading
# order, so it ends.
REPLY_CHAINS = """
WITH RECURSIVE links AS (
  SELECT c.id, c.post_id,
         coalesce((SELECT r.target_comment_id FROM comment_references r JOIN comments t ON t.id = r.target_comment_id
                   WHERE r.comment_id = c.id AND t.path < c.path ORDER BY r.id LIMIT 1), c.parent_id) AS answers_id
  FROM comments c
), chains AS (
  SELECT id AS comment_id, post_id, id AS root_comment_id, 1 AS chain_length, {id_text} AS chain
  FROM links WHERE answers_id IS NULL
  UNION ALL
  SELECT l.id, l.post_id, ch.root_comment_id, ch.chain_length + 1, {chain_step}
  FROM links l JOIN chains ch ON l.answers_id = ch.comment_id
)
SELECT comment_id, post_id, root_comment_id, chain_length, chain FROM chains
"""

AUTHOR_ACTIVITY = """
SELECT a.id AS author_id, b.{key} AS blog, a.name AS author, a.profile_url,
       coalesce(ps.posts, 0) AS posts, coalesce(cs.comments, 0) AS comments,
       coalesce(cs.replies_written, 0) AS replies_written, coalesce(rr.replies_received, 0) AS replies_received,
       CASE WHEN ps.first_at IS NULL THEN cs.first_at WHEN cs.first_at IS NULL THEN ps.first_at
            WHEN ps.first_at < cs.first_at THEN ps.first_at ELSE cs.first_at END AS first_seen,
       CASE WHEN ps.last_at IS NULL THEN cs.last_at WHEN cs.last_at IS NULL THEN ps.last_at
            WHEN ps.last_at > cs.last_at THEN ps.last_at ELSE cs.last_at END AS last_seen
FROM authors a
JOIN blogs b ON b.id = a.blog_id
LEFT JOIN (SELECT author_id, count(*) AS posts, min(published_at) AS first_at, max(published_at) AS last_at
           FROM posts GROUP BY author_id) ps ON ps.author_id = a.id
LEFT JOIN (SELECT author_id, count(*) AS comments,
                  sum(CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END) AS replies_written,
                  min(published_at) AS first_at, max(published_at) AS last_at
           FROM comments GROUP BY author_id) cs ON cs.author_id = a.id
LEFT JOIN (SELECT parent.author_id, count(*) AS replies_received FROM comments reply
           JOIN comments parent ON parent.id = reply.parent_id GROUP BY parent.author_id) rr ON rr.author_id = a.id
"""

# Comments count in the month of their post: every comment has one, while only some sources give comment times.
MONTHLY_ACTIVITY = """
SELECT b.{key} AS blog, {month} AS month, count(DISTINCT p.id) AS posts, count(c.id) AS comments,
       count(DISTINCT c.author_id) AS commenters
FROM posts p
JOIN blogs b ON b.id = p.blog_id
LEFT JOIN comments c ON c.post_id = p.id
GROUP BY b.{key}, {month}
"""

VIEWS = {
    "post_summary": POST_SUMMARY,
    "comment_threads": COMMENT_THREADS,
    "reply_chains": REPLY_CHAINS,
    "author_activity": AUTHOR_ACTIVITY,
    "monthly_activity": MONTHLY_ACTIVITY,
}


def _dialect() -> str:
    name = op.get_bind().dialect.name
    return "mysql" if name in ("mysql", "mariadb") else name


def upgrade() -> None:
    dialect = _dialect()
    parts = {
        "key": QUOTED_KEY[dialect],
        "labels": LABELS[dialect],
        "month": MONTH[dialect],
        "id_text": ID_TEXT[dialect],
        "chain_step": CHAIN_STEP[dialect],
    }
    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql.format(**parts).strip()}")
    # Reports group and filter comments and posts by time.
    op.create_index(op.f("ix_comments_published_at"), "comments", ["published_at"])
    op.create_index(op.f("ix_posts_published_at"), "posts", ["published_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_posts_published_at"), table_name="posts")
    op.drop_index(op.f("ix_comments_published_at"), table_name="comments")
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW {name}")
