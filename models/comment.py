"""Comments, their reply chains, and the time-stamp mentions readers use to answer each other."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blogimport.models.base import MYSQL_TABLE, ROW_ID, Base, Timestamps
from blogimport.models.blog import BLOGGER_ID, KEY


class Comment(Timestamps, Base):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("post_id", "key"),
        UniqueConstraint("post_id", "blogger_id"),
        Index("ix_comments_url", "url", mysql_length=255),
        {**MYSQL_TABLE, "comment": "A reader's comment; replies point at their top-level comment."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True, comment="The post it is on.")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id"), index=True, comment="The comment this replies to; NULL at top level."
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id"), index=True, comment="The top-level comment of this thread (itself at top level)."
    )
    key: Mapped[str] = mapped_column(
        KEY, comment="Natural key: parent, fingerprint of the normalised body, occurrence among identical siblings."
    )
    blogger_id: Mapped[str | None] = mapped_column(BLOGGER_ID, comment="Blogger's id of the comment.")
    url: Mapped[str | None] = mapped_column(Text, comment="The comment's permalink (…?showComment=…#c<id>).")
    depth: Mapped[int] = mapped_column(SmallInteger, comment="0 top level, 1 reply.")
    position: Mapped[int | None] = mapped_column(
        comment="The comment's number as displayed; gaps are deleted comments."
    )
    path: Mapped[str] = mapped_column(
        String(64), comment="Sortable position in the thread ('0005.0001'): ORDER BY path is reading order."
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id"), index=True, comment="NULL when the source does not name the author."
    )
    published_at: Mapped[datetime | None] = mapped_column(
        index=True, comment="When it was posted (UTC), when the source has it; text renderings do not."
    )
    utc_offset_minutes: Mapped[int | None] = mapped_column(
        SmallInteger, comment="The blog's offset from UTC then, when a source says: the time readers saw."
    )
    display_time: Mapped[str | None] = mapped_column(
        Text, comment="The time as the page showed it ('6. Juni 2015 um 10:23'); mentions are matched against it."
    )
    body_text: Mapped[str] = mapped_column(Text, comment="The comment as plain text.")
    is_removed: Mapped[bool] = mapped_column(comment="Blogger shows 'This comment has been removed' instead.")
    source_rank: Mapped[int] = mapped_column(
        SmallInteger, comment="How rich the winning source was: 1 text, 2 saved HTML, 3 Takeout, 4 classic export."
    )

    parent: Mapped[Comment | None] = relationship(remote_side=[id], foreign_keys=[parent_id], back_populates="replies")
    replies: Mapped[list[Comment]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Comment.path"
    )


class CommentReference(Timestamps, Base):
    __tablename__ = "comment_references"
    __table_args__ = (
        UniqueConstraint("comment_id", "key"),
        {
            **MYSQL_TABLE,
            "comment": 'A time-stamp mention in a comment ("re 20:15") and, when resolvable, the comment it means.',
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True, comment="The comment it is in.")
    key: Mapped[str] = mapped_column(KEY, comment="Natural key: the mention and its occurrence in the comment.")
    mention: Mapped[str] = mapped_column(Text, comment="The mention as written.")
    mentioned_time: Mapped[str] = mapped_column(String(5), comment="The time it names, as HH:MM.")
    target_comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id"),
        index=True,
        comment="The comment of the same post shown at that time; NULL when none, several, or times unknown.",
    )


class PendingComment(Base):
    __tablename__ = "pending_comments"
    __table_args__ = (
        UniqueConstraint("source_id", "blogger_id"),
        Index("ix_pending_comments_blog_id_post_blogger_id", "blog_id", "post_blogger_id"),
        {
            **MYSQL_TABLE,
            "comment": "Comments from an export whose post or parent comment is not stored yet; placed when it is.",
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id"), comment="The blog it belongs to.")
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True, comment="The source it came from.")
    blogger_id: Mapped[str] = mapped_column(BLOGGER_ID, comment="Blogger's id of the comment.")
    post_blogger_id: Mapped[str] = mapped_column(BLOGGER_ID, comment="The post it belongs to.")
    parent_blogger_id: Mapped[str | None] = mapped_column(BLOGGER_ID, comment="The comment it answers.")
    body_text: Mapped[str] = mapped_column(Text, comment="The comment as plain text.")
    author_name: Mapped[str | None] = mapped_column(Text, comment="Its author's name, when the source names one.")
    author_profile_url: Mapped[str | None] = mapped_column(Text, comment="Its author's profile URL, if any.")
    published_at: Mapped[datetime | None] = mapped_column(comment="When it was posted (UTC).")
    utc_offset_minutes: Mapped[int | None] = mapped_column(SmallInteger, comment="The blog's UTC offset then.")
    display_time: Mapped[str | None] = mapped_column(Text, comment="The time as the source showed it.")
    url: Mapped[str | None] = mapped_column(Text, comment="The comment's permalink.")
    is_removed: Mapped[bool] = mapped_column(comment="Blogger shows 'This comment has been removed' instead.")
    source_rank: Mapped[int] = mapped_column(SmallInteger, comment="How rich the source was (as comments.source_rank).")
    created_at: Mapped[datetime] = mapped_column(comment="When the comment was parked here (UTC).")
