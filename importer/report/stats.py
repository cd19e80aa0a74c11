"""What a database holds, in numbers (the `stats` command)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from blogimport.models import (
    Author,
    Blog,
    Comment,
    CommentReference,
    ImportRun,
    Label,
    PendingComment,
    Post,
    PostLabel,
    Source,
)


def collect_stats(engine: Engine) -> dict[str, Any]:
    counts = {
        "blogs": select(func.count()).select_from(Blog),
        "posts": select(func.count()).where(Post.kind == "post"),
        "pages": select(func.count()).where(Post.kind == "page"),
        "drafts": select(func.count()).where(Post.status == "draft"),
        "comments": select(func.count()).select_from(Comment),
        "top_level_comments": select(func.count()).where(Comment.parent_id.is_(None)),
        "replies": select(func.count()).where(Comment.parent_id.is_not(None)),
        "removed_comments": select(func.count()).where(Comment.is_removed),
        "authors": select(func.count()).select_from(Author),
        "labels": select(func.count()).select_from(Label),
        "post_labels": select(func.count()).select_from(PostLabel),
        "mentions": select(func.count()).select_from(CommentReference),
        "resolved_mentions": select(func.count()).where(CommentReference.target_comment_id.is_not(None)),
        "waiting_comments": select(func.count()).select_from(PendingComment),
        "sources": select(func.count()).select_from(Source),
        "failed_sources": select(func.count()).where(Source.status == "failed"),
        "import_runs": select(func.count()).select_from(ImportRun),
    }
    with engine.connect() as conn:
        return {name: conn.execute(query).scalar_one() for name, query in counts.items()}
