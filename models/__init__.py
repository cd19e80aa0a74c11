"""SQLAlchemy models. Importing this package registers every table on Base.metadata (Alembic relies on it)."""

from models.base import Base, UTCDateTime
from models.blog import Author, Blog, Label
from models.comment import Comment, CommentReference, PendingComment
from models.post import Post, PostLabel
from models.provenance import IdentityRules, ImportRun, ImportRunCount, Source

__all__ = [
    "Author",
    "Base",
    "Blog",
    "Comment",
    "CommentReference",
    "IdentityRules",
    "ImportRun",
    "ImportRunCount",
    "Label",
    "PendingComment",
    "Post",
    "PostLabel",
    "Source",
    "UTCDateTime",
]
