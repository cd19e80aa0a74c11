"""SQLAlchemy models. Importing this package registers every table on Base.metadata (Alembic relies on it)."""

from blogimport.models.base import Base, UTCDateTime
from blogimport.models.blog import Author, Blog, Label
from blogimport.models.comment import Comment, CommentReference, PendingComment
from blogimport.models.post import Post, PostLabel
from blogimport.models.provenance import IdentityRules, ImportRun, ImportRunCount, Source

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
