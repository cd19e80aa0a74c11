"""Comment trees: the comments of many posts written level by level, so each reply can point at its stored parent.

Text and HTML sources nest replies inside their comment; the comments an export names by Blogger id are put in
trees by blogger.store.waiting first. Either way they are written here, for a set of posts at once: each level of
every post's trees is one batch of inserts, one of updates and one look-up of the ids it got, so a source's
statements grow with its batches, not with its posts. Where the ids can be handed out beforehand (PostgreSQL's
sequences, or SQLite inside its write lock) a post that had no comments gets its whole tree in one insert.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import pairwise
from typing import Any

from sqlalchemy import bindparam, select, update

from blogimport import identity
from blogimport.models import Comment
from blogimport.records import CommentRecord
from blogimport.store import references, sql
from blogimport.store.rows import Field, Writer, author_id

COMMENT_FIELDS: tuple[Field, ...] = (
    ("position", "path"),
    "author_id",
    "published_at",
    "utc_offset_minutes",
    "display_time",
    ("body_text", "is_removed"),
    "source_rank",
    "blogger_id",
    "url",
)
Siblings = tuple[Mapping[str, Any] | None, Sequence[CommentRecord]]  # (parent row or None, comments under it)
PostComments = tuple[int, Sequence[Siblings]]  # a post's id and its comments, grouped under their parents
Written = tuple[CommentRecord, int, bool]  # a comment, its row's id, and whether it was stored before
_LOOKED_UP = ("id", "post_id", "path", "thread_id", "depth")


def save_comments(
    writer: Writer,
    posts: Sequence[PostComments],
    authors: Mapping[str, int],
    existing: Mapping[int, list[dict[str, Any]]] | None = None,
) -> None:
    """Write the comment trees of these posts (each post once). A post this source has just written has no
    comments stored yet: nothing to look up for it. `existing`: the stored comments of the others, by post, when
    the caller has read them (stored_comments)."""
    if not posts:
        return
    new = {post_id for post_id, _ in posts if post_id in writer.new_posts}
    writer.new_posts -= new
    fresh = [(post_id, groups) for post_id, groups in posts if post_id in new]
    size = sum(_tree_size(group) for _, groups in fresh for group in groups)
    ids = sql.allocate_ids(writer.conn, Comment.__table__, size) if size else None
    by_post: dict[int, list[Written]] = {}
    if ids is not None:
        by_post.update(_save_new_trees(writer, fresh, authors, ids))
        posts = [(post_id, groups) for post_id, groups in posts if post_id not in new]
    by_post.update(_save_levels(writer, posts, authors, new, existing))
    written = [item for items in by_post.values() for item in items]
    references.save_mentions(writer, written)
    # Without a time anywhere, no mention can point anywhere.
    timed = [
        post_id
        for post_id, items in by_post.items()
        if any(before or record.published_at or record.display_time for record, _, before in items)
    ]
    references.resolve_mentions(writer, timed)


def _save_levels(
    writer: Writer,
    posts: Sequence[PostComments],
    authors: Mapping[str, int],
    new: set[int],
    existing: Mapping[int, list[dict[str, Any]]] | None,
) -> dict[int, list[Written]]:
    """Each level of every post written, then read back for the ids its replies point at."""
    table = Comment.__table__
    if existing is None:
        existing = stored_comments(writer, [post_id for post_id, _ in posts if post_id not in new])
    written: dict[int, list[Written]] = {post_id: [] for post_id, _ in posts}
    level = [(post_id, groups) for post_id, groups in posts]
    while level:
        planned: list[tuple[int, CommentRecord, str, bool]] = []  # post, record, key it is stored under, stored before
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for post_id, groups in level:
            rows = _planned(writer, groups, authors, writer.steps.get(post_id, {}))
            stored_before = existing.get(post_id, [])
            keys, post_inserts, post_updates = writer.merge_rows(
                table, {"post_id": post_id}, [row for _, row in rows], COMMENT_FIELDS, stored_before
            )
            known = {row["key"] for row in stored_before}
            planned += [(post_id, record, key, key in known) for (record, _), key in zip(rows, keys, strict=True)]
            inserts += post_inserts
            updates += post_updates
        sql.insert_rows(writer.conn, table, inserts)
        sql.update_by_id(writer.conn, table, updates, [n for f in COMMENT_FIELDS for n in _names(f)])
        if any(row["parent_id"] is None for row in inserts):
            _own_threads(writer, sorted({row["post_id"] for row in inserts if row["parent_id"] is None}))
        stored = _looked_up(writer, [(post_id, key) for post_id, _, key, _ in planned])
        replies: dict[int, list[Siblings]] = {}
        for post_id, record, key, before in planned:
            row = stored[(post_id, key)]
            written[post_id].append((record, row["id"], before))
            if record.replies:
                replies.setdefault(post_id, []).append((row, record.replies))
        level = list(replies.items())
    return written


def _save_new_trees(
    writer: Writer, posts: Sequence[PostComments], authors: Mapping[str, int], ids: Iterator[int]
) -> dict[int, list[Written]]:
    """Comments of posts that had none, with ids handed out beforehand: every row knows its parent's and its
    thread's id before anything is written, so every tree goes in one bulk insert, read back never."""
    table = Comment.__table__
    written: dict[int, list[Written]] = {}
    rows: list[dict[str, Any]] = []
    for post_id, groups in posts:
        items = written.setdefault(post_id, [])
        level = list(groups)
        while level:
            planned = _planned(writer, level, authors, {})  # a post without comments: nothing numbered among them
            keys, inserts, _ = writer.merge_rows(
                table, {"post_id": post_id}, [row for _, row in planned], COMMENT_FIELDS, []
            )
            for row in inserts:
                row["id"] = next(ids)
                row["thread_id"] = row["thread_id"] or row["id"]  # a top-level comment is its own thread
            stored = {row["key"]: row for row in inserts}
            rows += inserts
            items += [(record, stored[key]["id"], False) for (record, _), key in zip(planned, keys, strict=True)]
            level = [
                (stored[key], record.replies) for (record, _), key in zip(planned, keys, strict=True) if record.replies
            ]
    sql.insert_rows(writer.conn, table, rows)  # parents before their replies, as the foreign keys want
    return written


def stored_comments(writer: Writer, post_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The comments stored on these posts, by post."""
    table = Comment.__table__
    query = sql.cached(
        ("comments_of_posts",), lambda: select(table).where(table.c.post_id.in_(bindparam("posts", expanding=True)))
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for chunk in sql.chunks(sorted(post_ids)):
        for row in writer.conn.execute(query, {"posts": list(chunk)}).mappings():
            found.setdefault(row["post_id"], []).append(dict(row))
    return found


def _looked_up(writer: Writer, pairs: Sequence[tuple[int, str]]) -> dict[tuple[int, str], dict[str, Any]]:
    """The rows of these (post, key) pairs, with what their replies need of them."""
    table = Comment.__table__
    query = sql.cached(
        ("comments_by_post_and_key",),
        lambda: select(table.c.key, *(table.c[c] for c in _LOOKED_UP)).where(
            table.c.post_id.in_(bindparam("posts", expanding=True)), table.c.key.in_(bindparam("keys", expanding=True))
        ),
    )
    found: dict[tuple[int, str], dict[str, Any]] = {}
    for chunk in sql.chunks(sorted(set(pairs))):
        wanted = set(chunk)
        params = {"posts": sorted({p for p, _ in chunk}), "keys": sorted({k for _, k in chunk})}
        for row in writer.conn.execute(query, params).mappings():
            if (pair := (row["post_id"], row["key"])) in wanted:
                found[pair] = dict(row)
    return found


def _planned(
    writer: Writer, level: Sequence[Siblings], authors: Mapping[str, int], steps: Mapping[str, int]
) -> list[tuple[CommentRecord, dict[str, Any]]]:
    return [
        (record, row)
        for parent, siblings in level
        for record, row in zip(
            siblings, _rows(siblings, parent, authors, writer.rank, writer.placing, steps), strict=True
        )
    ]


def _tree_size(group: Siblings) -> int:
    stack, count = list(group[1]), 0
    while stack:
        count += 1
        stack.extend(stack.pop().replies)
    return count


def _names(field: Field) -> tuple[str, ...]:
    return (field,) if isinstance(field, str) else field


def _rows(
    siblings: Sequence[CommentRecord],
    parent: Mapping[str, Any] | None,
    authors: Mapping[str, int],
    rank: int,
    placing: Mapping[str, int],
    steps: Mapping[str, int],
) -> list[dict[str, Any]]:
    keys = identity.comment_keys(parent["key"] if parent else None, [c.body_text for c in siblings])
    numbers = _path_numbers(siblings, steps)
    rows = []
    for number, key, record in zip(numbers, keys, siblings, strict=True):
        part = f"{number:04d}"
        rows.append(
            {
                "key": key,
                "parent_id": parent["id"] if parent else None,
                "thread_id": parent["thread_id"] if parent else None,  # a new top-level comment: its own id, later
                "depth": parent["depth"] + 1 if parent else 0,
                "position": record.position,
                "path": f"{parent['path']}.{part}" if parent else part,
                "author_id": author_id(record.author, authors),
                "published_at": record.published_at,
                "utc_offset_minutes": record.utc_offset_minutes,
                "display_time": record.display_time,
                "body_text": record.body_text,
                "is_removed": record.is_removed,
                "source_rank": placing.get(record.blogger_id or "", rank),  # a waiting comment keeps its source's
                "blogger_id": record.blogger_id,
                "url": record.url,
            }
        )
    return rows


def _path_numbers(siblings: Sequence[CommentRecord], steps: Mapping[str, int]) -> list[int]:
    """Each comment's step in its path: the number the page shows (its gaps are deleted comments), unless the
    numbers go back or repeat; then the place on the page, so that ORDER BY path stays the reading order. Waiting
    comments being placed have theirs worked out among every sibling stored (`steps`, see store.numbering)."""
    if siblings and all(record.blogger_id in steps for record in siblings):
        return [steps[record.blogger_id or ""] for record in siblings]
    shown = [record.position for record in siblings if record.position is not None]
    if len(shown) == len(siblings) and all(a < b for a, b in pairwise(shown)):
        return shown
    return list(range(1, len(siblings) + 1))


def _own_threads(writer: Writer, post_ids: Sequence[int]) -> None:
    """A new top-level comment is its own thread; its id exists only once it is written: one statement sets it
    for every new one of these posts."""
    table = Comment.__table__
    stmt = sql.cached(
        ("own_threads",),
        lambda: (
            update(table)
            .where(
                table.c.post_id.in_(bindparam("b_posts", expanding=True)),
                table.c.parent_id.is_(None),
                table.c.thread_id.is_(None),
            )
            .values(thread_id=table.c.id)
        ),
    )
    for chunk in sql.chunks(post_ids):
        writer.conn.execute(stmt, {"b_posts": list(chunk)})
