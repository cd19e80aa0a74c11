"""A blog and the things that belong to it directly: its authors and labels."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamps

KEY = String(255)  # natural keys are bounded by importer.identity.bounded()


class Blog(Timestamps, Base):
    __tablename__ = "blogs"
    __table_args__ = {"comment": "One row per blog; every post, author and label belongs to one."}

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(
        KEY, unique=True, comment="Natural key: the blog's host, or the --blog name for sources without a URL."
    )


class Author(Timestamps, Base):
    __tablename__ = "authors"
    __table_args__ = (
        UniqueConstraint("blog_id", "key"),
        {"comment": "Whoever wrote a post or comment, as the source names them."},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id"), index=True)
    key: Mapped[str] = mapped_column(KEY, comment="Natural key: normalised name and profile URL.")
    name: Mapped[str] = mapped_column(Text, comment="Display name as the source shows it.")
    profile_url: Mapped[str | None] = mapped_column(Text, comment="Blogger profile URL, when the source has one.")


class Label(Timestamps, Base):
    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("blog_id", "key"), {"comment": "A Blogger label (tag)."})

    id: Mapped[int] = mapped_column(primary_key=True)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id"), index=True)
    key: Mapped[str] = mapped_column(KEY, comment="Natural key: the normalised label name.")
    name: Mapped[str] = mapped_column(Text, comment="The label as shown.")
