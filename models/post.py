"""Posts and their labels."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, SmallInteger, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps
from models.blog import KEY


class Post(Timestamps, Base):
    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("blog_id", "key"), {"comment": "A blog post (or page)."})

    id: Mapped[int] = mapped_column(primary_key=True)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("authors.id"), index=True, comment="NULL when no source names the author."
    )
    key: Mapped[str] = mapped_column(KEY, comment="Natural key: published date and normalised title.")
    title: Mapped[str] = mapped_column(Text, comment="As the page shows it, whitespace collapsed.")
    published_on: Mapped[date] = mapped_column(index=True, comment="The date the blog shows for the post.")
    published_at: Mapped[datetime | None] = mapped_column(
        comment="Exact publication time (UTC) when a source has it; text renderings do not."
    )
    url: Mapped[str | None] = mapped_column(Text, comment="Permalink, when a source has it.")
    body_text: Mapped[str] = mapped_column(Text, comment="The post as plain text.")
    declared_comment_count: Mapped[int | None] = mapped_column(
        comment='The count the page shows ("22 comments:"); NULL when it shows none.'
    )
    source_rank: Mapped[int] = mapped_column(
        SmallInteger, comment="How rich the winning source was: 1 text, 2 saved HTML, 3 Blogger export."
    )


class PostLabel(Base):
    __tablename__ = "post_labels"
    __table_args__ = {"comment": "Which labels a post carries."}

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id"), primary_key=True, index=True)
