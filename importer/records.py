"""The plain data every parser yields and the store consumes.

Parsers build these from bytes and know nothing of databases; the store turns them into rows and knows nothing
of formats. A comment's replies sit inside it, because Blogger nests exactly one level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# How much a format knows, for the merge rule "the richer source wins a field" (DESIGN.md, Identity).
SOURCE_RANK = {"text": 1, "html": 2, "atom": 3}


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What the user told us that the source itself does not say."""

    blog_author: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorRecord:
    name: str
    profile_url: str | None = None


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """A reader pointing at another comment by its time stamp ("re 20:15")."""

    text: str  # as written in the comment
    hour: int
    minute: int


@dataclass(frozen=True, slots=True)
class CommentRecord:
    body_text: str
    position: int | None = None  # the number as displayed; gaps mean deleted comments
    author: AuthorRecord | None = None
    published_at: datetime | None = None
    is_removed: bool = False
    mentions: tuple[MentionRecord, ...] = ()
    replies: tuple[CommentRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class PostRecord:
    title: str
    published_on: date
    body_text: str
    published_at: datetime | None = None
    url: str | None = None
    author: AuthorRecord | None = None
    labels: tuple[str, ...] = ()
    declared_comment_count: int | None = None  # the "22 comments:" figure
    comments: tuple[CommentRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """Everything one source holds."""

    format: str
    posts: tuple[PostRecord, ...]

    @property
    def source_rank(self) -> int:
        return SOURCE_RANK[self.format]
