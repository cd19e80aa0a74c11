"""Labels: the blog's labels, and each post's set of them, which an export replaces and a label page adds to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select

from blogimport import identity
from blogimport.models import PostLabel
from blogimport.records import PostRecord
from blogimport.store import sql
from blogimport.store.rows import Writer

_POST_LABELS = select(PostLabel.label_id).where(PostLabel.post_id == bindparam("post"))


def save_labels(
    writer: Writer,
    post_id: int,
    post: PostRecord,
    old_as_of: datetime | None,
    labels: Mapping[str, int],
    new: bool = False,
) -> None:
    """An export's complete label set, if not older than the last one, replaces the post's labels; a label page
    only adds, and only while no export has spoken. Any order of the same sources ends with the same labels. A
    post inserted just now (`new`) has none yet: nothing to ask."""
    wanted = {labels[identity.label_key(name)] for name in post.labels}
    table = PostLabel.__table__
    if new:
        sql.insert_rows(writer.conn, table, [{"post_id": post_id, "label_id": label} for label in sorted(wanted)])
        writer.counts["post_labels"].inserted += len(wanted)
        return
    if replaces(post, old_as_of):
        current = set(writer.conn.execute(_POST_LABELS, {"post": post_id}).scalars())
        if gone := current - wanted:
            writer.conn.execute(delete(table).where(table.c.post_id == post_id, table.c.label_id.in_(gone)))
            writer.counts["post_labels"].deleted += len(gone)
    elif old_as_of is not None:
        return
    writer.insert_new(
        table,
        [{"post_id": post_id, "label_id": label} for label in sorted(wanted)],
        ("post_id", "label_id"),
        timestamps=False,
    )


def replaces(post: PostRecord, old_as_of: datetime | None) -> bool:
    if not post.labels_complete or post.edited_at is None:
        return False
    return old_as_of is None or post.edited_at >= _aware(old_as_of)


def label_rows(posts: Sequence[PostRecord]) -> dict[str, dict[str, Any]]:
    names = [name for post in posts for name in post.labels]
    return {identity.label_key(n): {"key": identity.label_key(n), "name": identity.normalise(n)} for n in names}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
