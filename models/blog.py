"""A blog and the things that belong to it directly: its authors and labels."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from blogimport.models.base import MYSQL_TABLE, ROW_ID, Base, Timestamps

# Natural keys are bounded by blogimport.identity.bounded(), and compare byte by byte on every engine: two keys that
# differ only in case or accents are two rows, as on SQLite and PostgreSQL.
KEY = String(255).with_variant(mysql.VARCHAR(255, collation="utf8mb4_bin"), "mysql", "mariadb")
BLOGGER_ID = String(32)  # Blogger's ids are up to 19 digits; kept as text, never as numbers


class Blog(Timestamps, Base):
    __tablename__ = "blogs"
    __table_args__ = {**MYSQL_TABLE, "comment": "One row per blog; every post, author and label belongs to one."}

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    key: Mapped[str] = mapped_column(
        KEY,
        unique=True,
        comment="Natural key: --blog if given, else the blog's own host (never one many blogs share, such as "
        "www.blogger.com), else 'blogger-' and its Blogger id, else 'default'.",
    )
    blogger_id: Mapped[str | None] = mapped_column(BLOGGER_ID, unique=True, comment="Blogger's id of the blog.")
    url: Mapped[str | None] = mapped_column(Text, comment="The blog's home page, when a source names it.")
    title: Mapped[str | None] = mapped_column(Text, comment="The blog's title, when a source names it.")


class Author(Timestamps, Base):
    __tablename__ = "authors"
    __table_args__ = (
        UniqueConstraint("blog_id", "key"),
        {**MYSQL_TABLE, "comment": "Whoever wrote a post or comment, as the source names them."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id"), index=True, comment="The blog it belongs to.")
    key: Mapped[str] = mapped_column(
        KEY, comment="Natural key: the Blogger profile id, else the normalised name and the URL given."
    )
    name: Mapped[str] = mapped_column(Text, comment="Display name as the source shows it.")
    profile_url: Mapped[str | None] = mapped_column(
        Text, comment="Blogger profile URL, or the commenter's own site, when the source has one."
    )
    blogger_profile_id: Mapped[str | None] = mapped_column(
        BLOGGER_ID, index=True, comment="The id in a Blogger profile URL."
    )


class Label(Timestamps, Base):
    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("blog_id", "key"), {**MYSQL_TABLE, "comment": "A Blogger label (tag)."})

    id: Mapped[int] = mapped_column(primary_key=True, comment=ROW_ID)
    blog_id: Mapped[int] = mapped_column(ForeignKey("blogs.id"), index=True, comment="The blog it belongs to.")
    key: Mapped[str] = mapped_column(KEY, comment="Natural key: the normalised label name.")
    name: Mapped[str] = mapped_column(Text, comment="The label as shown.")
