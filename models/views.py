"""The reporting views, described for people and for SQLAlchemy: what each one answers and what its columns mean.

Migrations create the views (0004 those of the blog, 0009 run_summary); these Table objects describe them on a
MetaData of their own, so Alembic never tries to create them as tables. The README's schema section and the
Datasette metadata are generated from them, and a test checks on every engine that each view has exactly these
columns, in this order.

They can be queried like tables: `select(post_summary).order_by(post_summary.c.published_on)`.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, SmallInteger, String, Table, Text

from blogimport.models.base import UTCDateTime

VIEWS = MetaData()

ANSWERS = (
    "the earlier comment its first resolved mention points at (a time stamp like 're 20:15'), else the comment "
    "it replies to"
)

post_summary = Table(
    "post_summary",
    VIEWS,
    Column("post_id", Integer, comment="→ `posts.id`."),
    Column("blog", String, comment="The blog's key (`blogs.key`)."),
    Column("title", Text, comment="The post's title as the page shows it."),
    Column("published_on", Date, comment="The day the post was published."),
    Column("url", Text, comment="The post's address."),
    Column("kind", String, comment="'post' or 'page'."),
    Column("status", String, comment="'live', 'draft', 'trashed' or 'scheduled' (from an export)."),
    Column("author", Text, comment="Name of the post's author; NULL when no source names one."),
    Column("labels", Text, comment="The post's labels, comma-separated in alphabetical (byte) order; NULL when none."),
    Column("comments", Integer, comment="Every comment on the post, replies included."),
    Column("replies", Integer, comment="Comments that reply to another comment."),
    Column("threads", Integer, comment="Top-level comments: the threads of the post."),
    Column("removed", Integer, comment="Comments Blogger shows as removed."),
    Column("first_comment_at", UTCDateTime, comment="Time of the earliest comment (UTC), where sources give times."),
    Column("last_comment_at", UTCDateTime, comment="Time of the latest comment (UTC), where sources give times."),
    Column("declared_comment_count", Integer, comment="The comment count the page itself showed, where it did."),
    comment="One row per post: who wrote it, its labels, and how much discussion it drew.",
)

comment_threads = Table(
    "comment_threads",
    VIEWS,
    Column("comment_id", Integer, comment="→ `comments.id`."),
    Column("post_id", Integer, comment="→ `posts.id`."),
    Column("post_title", Text, comment="The title of the comment's post."),
    Column("thread_id", Integer, comment="The thread's top-level comment (the comment itself at top level)."),
    Column("parent_id", Integer, comment="The comment this replies to; NULL at top level."),
    Column("depth", SmallInteger, comment="0 top level, 1 reply."),
    Column("path", String, comment="Place in the thread: ORDER BY post_id, path is reading order."),
    Column("position", Integer, comment="The comment's number as displayed."),
    Column("author", Text, comment="The commenter's name; NULL when the source names none."),
    Column("published_at", UTCDateTime, comment="When it was posted (UTC), where the source says."),
    Column("display_time", Text, comment="The time as the page showed it."),
    Column("is_removed", Boolean, comment="Blogger shows 'This comment has been removed' instead."),
    Column("replies", Integer, comment="How many comments reply to this one."),
    Column("body_text", Text, comment="The comment as plain text."),
    comment="Every comment with its post, thread, depth, author and number of replies; sorted by (post_id, path) "
    "the rows read as the blog shows them.",
)

reply_chains = Table(
    "reply_chains",
    VIEWS,
    Column("comment_id", Integer, comment="→ `comments.id`."),
    Column("post_id", Integer, comment="→ `posts.id`."),
    Column("root_comment_id", Integer, comment="The comment the chain starts from: one that answers no other."),
    Column("chain_length", Integer, comment="Comments in the chain from its root to this one, both counted."),
    Column("chain", Text, comment="The ids of the comments along the chain, root first, comma-separated."),
    comment=f"Who answered whom, followed back to where it started. Each comment answers {ANSWERS}; following "
    "those links back (WITH RECURSIVE) gives each comment's chain.",
)

author_activity = Table(
    "author_activity",
    VIEWS,
    Column("author_id", Integer, comment="→ `authors.id`."),
    Column("blog", String, comment="The blog's key (`blogs.key`)."),
    Column("author", Text, comment="The author's name as shown."),
    Column("profile_url", Text, comment="The author's profile address, where a source gave one."),
    Column("posts", Integer, comment="Posts written."),
    Column("comments", Integer, comment="Comments written, replies included."),
    Column("replies_written", Integer, comment="Comments written as replies to another comment."),
    Column("replies_received", Integer, comment="Replies to this author's comments."),
    Column("first_seen", UTCDateTime, comment="The earliest time of a post or comment by the author (UTC)."),
    Column("last_seen", UTCDateTime, comment="The latest time of a post or comment by the author (UTC)."),
    comment="One row per author: what they wrote, and how many replies it drew.",
)

monthly_activity = Table(
    "monthly_activity",
    VIEWS,
    Column("blog", String, comment="The blog's key (`blogs.key`)."),
    Column("month", String, comment="'YYYY-MM', the month the posts were published in."),
    Column("posts", Integer, comment="Posts published that month."),
    Column(
        "comments",
        Integer,
        comment="Comments on those posts (counted in their post's month: not every source gives comment times).",
    ),
    Column("commenters", Integer, comment="Distinct named authors of those comments."),
    comment="One row per blog and month with posts: posts, comments and commenters.",
)

run_summary = Table(
    "run_summary",
    VIEWS,
    Column("run_id", Integer, comment="→ `import_runs.id`."),
    Column("started_at", UTCDateTime, comment="When the run began (UTC)."),
    Column("finished_at", UTCDateTime, comment="When it ended (UTC); NULL while it runs, and for a run abandoned."),
    Column("heartbeat_at", UTCDateTime, comment="When it last gave a sign of life (UTC)."),
    Column("status", String, comment="As the run recorded it: running, succeeded, failed or interrupted."),
    Column(
        "state",
        String,
        comment="The status, but 'abandoned' for a run still 'running' past its lease "
        "(`import_runs.lease_until`, 3 minutes after its last heartbeat): it was killed, "
        "or lost its database, before it could record its end.",
    ),
    Column("sources_imported", Integer, comment="Sources parsed and stored by the run (recorded as it ends)."),
    Column("sources_unchanged", Integer, comment="Sources skipped: same content already imported."),
    Column(
        "sources_partial",
        Integer,
        comment="Sources imported but for comments waiting for their post or parent, "
        "or for comments they declare and do not hold.",
    ),
    Column("sources_failed", Integer, comment="Sources that could not be imported."),
    comment="One row per import run, with its state: whether a run still recorded as running is alive. "
    "`blogimport runs` lists them.",
)
