"""Posts and their labels."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from blogimport.models.base import MYSQL_TABLE, ROW_ID, Base, Timestamps
from blogimport.models.blog import BLOGGER_ID, KEY


class Post(Timestamps, Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("blog_id", "key"),
        UniqueConstraint("blog_id", "blogger_id"),
        Index("ix_posts_url", "url", mysql_length=255),
        {**MYSQL_TABLE, "comment": "A blog post (or page)."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id"), index=True, comment="The blog it belongs to.")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id"), index=True, comment="NULL when no source names the author."
    )
    key: Mapped[str] = mapped_column(
        KEY,
        comment="Natural key: published date and normalised title (untitled: a body fingerprint); "
        "'~' and the Blogger id when two posts share them.",
    )
    blogger_id: Mapped[str | None] = mapped_column(BLOGGER_ID, comment="Blogger's id of the post, from an export.")
    kind: Mapped[str] = mapped_column(String(8), server_default="post", comment="post or page.")
    status: Mapped[str] = mapped_column(
        String(16), server_default="live", comment="live, draft, trashed or scheduled (from an export)."
    )
    title: Mapped[str] = mapped_column(Text, comment="As the page shows it, whitespace collapsed.")
    published_on: Mapped[date] = mapped_column(index=True, comment="The date the blog shows for the post.")
    published_at: Mapped[datetime | None] = mapped_column(
        index=True, comment="Exact publication time (UTC) when a source has it; text renderings do not."
    )
    utc_offset_minutes: Mapped[int | None] = mapped_column(
        SmallInteger, comment="The blog's offset from UTC at publication, when a source says (local = UTC + this)."
    )
    edited_at: Mapped[datetime | None] = mapped_column(comment="When the post was last edited (UTC), from an export.")
    url: Mapped[str | None] = mapped_column(
        Text, comment="Permalink, when a source has it; only its path (/2019/03/x.html) when Takeout is the only one."
    )
    body_text: Mapped[str] = mapped_column(Text, comment="The post as plain text.")
    declared_comment_count: Mapped[int | None] = mapped_column(
        comment='The count the page shows ("22 comments:"); NULL when it shows none.'
    )
    source_rank: Mapped[int] = mapped_column(
        SmallInteger, comment="How rich the winning source was: 1 text, 2 saved HTML, 3 Takeout, 4 classic export."
    )
    labels_as_of: Mapped[datetime | None] = mapped_column(
        comment="Edit time of the export that last gave the post's complete label set; NULL: labels from pages."
    )


class PostLabel(Base):
    __tablename__ = "post_labels"
    __table_args__ = {**MYSQL_TABLE, "comment": "Which labels a post carries."}

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True, comment="The post.")
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id"), primary_key=True, index=True, comment="Its label.")
