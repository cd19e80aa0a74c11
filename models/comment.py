"""Comments, their reply chains, and the time-stamp mentions readers use to answer each other."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamps
from models.blog import KEY


class Comment(Timestamps, Base):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("post_id", "key"),
        {"comment": "A reader's comment; replies point at their top-level comment."},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id"), index=True, comment="The comment this replies to; NULL at top level."
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id"), index=True, comment="The top-level comment of this thread (itself at top level)."
    )
    key: Mapped[str] = mapped_column(
        KEY, comment="Natural key: parent, fingerprint of the normalised body, occurrence among identical siblings."
    )
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
        comment="When it was posted (UTC), when the source has it; text renderings do not."
    )
    body_text: Mapped[str] = mapped_column(Text, comment="The comment as plain text.")
    is_removed: Mapped[bool] = mapped_column(comment="Blogger shows 'This comment has been removed' instead.")
    source_rank: Mapped[int] = mapped_column(
        SmallInteger, comment="How rich the winning source was: 1 text, 2 saved HTML, 3 Blogger export."
    )

    parent: Mapped[Comment | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="replies"
    )
    replies: Mapped[list[Comment]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Comment.path"
    )


class CommentReference(Timestamps, Base):
    __tablename__ = "comment_references"
    __table_args__ = (
        UniqueConstraint("comment_id", "key"),
        {"comment": 'A time-stamp mention in a comment ("re 20:15") and, when resolvable, the comment it means.'},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    key: Mapped[str] = mapped_column(KEY, comment="Natural key: the mention and its occurrence in the comment.")
    mention: Mapped[str] = mapped_column(Text, comment="The mention as written.")
    target_comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id"), index=True, comment="The comment meant; NULL when the source has no times."
    )
