"""Who answered whom: the time-stamp mentions in comments ("re 20:15") as comment_references rows, each resolved to
the comment of the same post shown at that time, for a set of posts at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import bindparam, select

from blogimport import identity
from blogimport.formats.mentions import clock_of
from blogimport.models import Comment, CommentReference
from blogimport.records import CommentRecord
from blogimport.store import sql
from blogimport.store.rows import Writer


def save_mentions(writer: Writer, comments: Sequence[tuple[CommentRecord, int, bool]]) -> None:
    """A comment stored before may have its mentions stored too; a new one cannot."""
    table = CommentReference.__table__
    for stored_before in (True, False):
        rows = [
            {
                "comment_id": comment_id,
                "key": key,
                "mention": mention.text,
                "mentioned_time": f"{mention.hour:02d}:{mention.minute:02d}",
                "target_comment_id": None,
            }
            for record, comment_id, before in comments
            if before == stored_before
            for key, mention in zip(
                identity.reference_keys([m.text for m in record.mentions]), record.mentions, strict=True
            )
        ]
        if stored_before:
            writer.insert_new(table, rows, ("comment_id", "key"), timestamps=True)
        else:
            writer.insert_fresh(table, rows)


_POSTS_COMMENTS = select(
    Comment.id,
    Comment.post_id,
    Comment.thread_id,
    Comment.path,
    Comment.published_at,
    Comment.utc_offset_minutes,
    Comment.display_time,
).where(Comment.post_id.in_(bindparam("posts", expanding=True)))
_POSTS_REFERENCES = (
    select(
        CommentReference.id,
        CommentReference.comment_id,
        CommentReference.mentioned_time,
        CommentReference.target_comment_id,
    )
    .join(Comment, Comment.id == CommentReference.comment_id)
    .where(Comment.post_id.in_(bindparam("posts", expanding=True)))
)


def resolve_mentions(writer: Writer, post_ids: Sequence[int]) -> None:
    """Point each mention at the comment of the same post shown at that time, preferring earlier comments and then
    the same thread; no candidate, or several, leaves it unresolved. Runs whenever a post's comments change."""
    changes = []
    for chunk in sql.chunks(sorted(set(post_ids))):
        by_post: dict[int, dict[int, Any]] = {}
        for row in writer.conn.execute(_POSTS_COMMENTS, {"posts": list(chunk)}):
            by_post.setdefault(row.post_id, {})[row.id] = row
        at = {post: _clock_index(rows) for post, rows in by_post.items()}
        if not any(at.values()):
            continue  # no times to resolve against: every target stays as it is (NULL)
        comments = {cid: row for rows in by_post.values() for cid, row in rows.items()}
        for ref in writer.conn.execute(_POSTS_REFERENCES, {"posts": list(chunk)}):
            source = comments[ref.comment_id]
            if not at[source.post_id]:
                continue
            target = _target(source, ref.mentioned_time, by_post[source.post_id], at[source.post_id])
            if target != ref.target_comment_id:
                changes.append({"id": ref.id, "target_comment_id": target, "updated_at": writer.now})
    sql.update_by_id(writer.conn, CommentReference.__table__, changes, ["target_comment_id"])
    writer.counts["comment_references"].updated += len(changes)


def _clock_index(comments: Mapping[int, Any]) -> dict[tuple[int, int], list[int]]:
    """One post's comments by the clock time they were shown at: a mention finds its candidates without a scan."""
    at: dict[tuple[int, int], list[int]] = defaultdict(list)
    for cid, row in comments.items():
        if (clock := _shown_clock(row)) is not None:
            at[clock].append(cid)
    return at


def _target(source: Any, time: str, comments: Mapping[int, Any], at: Mapping[tuple[int, int], list[int]]) -> int | None:
    hour, minute = map(int, time.split(":"))
    # A 12-hour display shows 8:41 for 08:41 and 20:41 alike.
    wanted = {(h, minute) for h in ({hour % 12, hour % 12 + 12} if 1 <= hour <= 12 else {hour})}
    # Only a single candidate is ever chosen, so the order they are found in does not matter.
    candidates = [cid for clock in wanted for cid in at.get(clock, ()) if cid != source.id]
    earlier = [cid for cid in candidates if _before(comments[cid], source)]
    pool = earlier or candidates
    if len(pool) > 1:
        same_thread = [cid for cid in pool if comments[cid].thread_id == source.thread_id]
        pool = same_thread if len(same_thread) == 1 else pool
    return pool[0] if len(pool) == 1 else None


def _before(candidate: Any, source: Any) -> bool:
    """Posted earlier: by the times when both have one, else by reading order."""
    if candidate.published_at is not None and source.published_at is not None:
        return bool(candidate.published_at < source.published_at)
    return bool(candidate.path < source.path)


def _shown_clock(row: Any) -> tuple[int, int] | None:
    """The hour and minute readers saw: the exact time in the blog's zone, else the clock in the displayed time."""
    if row.published_at is not None and row.utc_offset_minutes is not None:
        local = row.published_at.astimezone(UTC) + timedelta(minutes=row.utc_offset_minutes)
        return local.hour, local.minute
    return clock_of(row.display_time) if row.display_time else None
