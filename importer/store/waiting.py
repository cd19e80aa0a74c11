"""Comments that wait for their post: an export's comments name their post and parent by Blogger id, in any order,
so they are parked in `pending_comments` as the source is read and placed once it is read, all of them at once.

Placing works on sets: the waiting comments of many posts are read in one look-up (joined to their posts), put in
trees in memory, and written by blogimport.store.comments a level at a time for all those posts together. A
comment whose post or parent is still missing waits on, for a later source or a later run.

A comment already stored exactly as this source has it (a forced re-read of an unchanged export) is not parked at
all: only its Blogger id is kept, so that if a sibling of it did change, the post's comments are placed together
again, as if every one had been parked.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import aliased

from blogimport import identity
from blogimport.formats.mentions import find_mentions
from blogimport.models import Author, Comment, PendingComment, Post, Source
from blogimport.records import RICHNESS, AuthorRecord, CommentRecord, LooseComment
from blogimport.store import comments, numbering, runs, sql
from blogimport.store.rows import Writer, author_rows

POSTS_AT_ONCE = 200  # posts whose waiting comments are placed together: bounds memory on a large export
_PARENT = aliased(Comment)
# What a waiting comment would be, of the comments already stored with the Blogger ids asked for.
_STORED = (
    select(
        Comment.blogger_id,
        Post.blogger_id.label("post_blogger_id"),
        _PARENT.blogger_id.label("parent_blogger_id"),
        Comment.body_text,
        Author.key.label("author_key"),
        Author.name.label("author_name"),
        Author.profile_url.label("author_profile_url"),
        Comment.published_at,
        Comment.utc_offset_minutes,
        Comment.display_time,
        Comment.url,
        Comment.is_removed,
        Comment.source_rank,
    )
    .join(Post, Post.id == Comment.post_id)
    .outerjoin(_PARENT, _PARENT.id == Comment.parent_id)
    .outerjoin(Author, Author.id == Comment.author_id)
    .where(
        Post.blog_id == bindparam("blog"),
        Post.blogger_id.in_(bindparam("posts", expanding=True)),
        Comment.blogger_id.in_(bindparam("comments", expanding=True)),
    )
)
_ANY_EXPORTED = (
    select(Comment.id)
    .join(Post, Post.id == Comment.post_id)
    .where(Post.blog_id == bindparam("blog"), Comment.blogger_id.is_not(None))
    .limit(1)
)
_COMPARED = ("body_text", "display_time", "url", "is_removed", "utc_offset_minutes")


def park(writer: Writer, blog_id: int, loose: Sequence[LooseComment]) -> None:
    """Keep an export's comments in pending_comments until the source is read and they can be placed; those
    stored already exactly so are only noted (writer.placed_before)."""
    if not loose:
        return
    writer.counts.parked += len(loose)
    stored = _stored_as(writer, blog_id, loose)
    rows = []
    for item in loose:
        comment = item.comment
        if _same(stored.get(comment.blogger_id or ""), item, writer.rank):
            writer.placed_before.setdefault(item.post_blogger_id, array("q")).append(int(comment.blogger_id or 0))
            writer.counts["comments"].unchanged += 1
        else:
            rows.append(_pending_row(writer, blog_id, item))
    table = PendingComment.__table__
    if writer.parked_before is None:
        writer.parked_before = writer.conn.execute(_ANY_OF_SOURCE, {"source": writer.source_id}).first() is not None
    pairs = (
        sql.existing_pairs(
            writer.conn, table, [(writer.source_id, r["blogger_id"]) for r in rows], ("source_id", "blogger_id")
        )
        if writer.parked_before
        else set()  # a source with nothing parked from an earlier run: every row is new, no need to ask
    )
    writer.counts["pending_comments"].inserted += sum((writer.source_id, r["blogger_id"]) not in pairs for r in rows)
    if rows:
        writer.conn.info.pop(("nothing waits", blog_id), None)
    sql.upsert(writer.conn, table, rows, ["source_id", "blogger_id"])


def _stored_as(writer: Writer, blog_id: int, loose: Sequence[LooseComment]) -> dict[str, Any]:
    """The stored comments with these comments' Blogger ids, on the posts they name, by Blogger id. A blog without
    a comment from an export before this source has none (its own are placed after it is read): asked once."""
    if writer.exported_comments is None:
        writer.exported_comments = writer.conn.execute(_ANY_EXPORTED, {"blog": blog_id}).first() is not None
    if not writer.exported_comments:
        return {}
    ids = sorted({item.comment.blogger_id for item in loose if item.comment.blogger_id})
    posts = sorted({item.post_blogger_id for item in loose})
    found: dict[str, Any] = {}
    for chunk in sql.chunks(ids):
        params = {"blog": blog_id, "posts": posts, "comments": list(chunk)}
        found.update((row.blogger_id, row) for row in writer.conn.execute(_STORED, params))
    return found


def _same(stored: Any, item: LooseComment, rank: int) -> bool:
    """Is the comment stored exactly as this source has it, under the same post and parent?"""
    comment = item.comment
    if stored is None or stored.post_blogger_id != item.post_blogger_id or stored.source_rank != rank:
        return False
    parent = None if item.parent_blogger_id in (None, "", item.post_blogger_id) else item.parent_blogger_id
    author = identity.author_key(comment.author.name, comment.author.profile_url) if comment.author else None
    return (
        stored.parent_blogger_id == parent
        and stored.author_key == author
        and _utc(stored.published_at) == _utc(comment.published_at)
        and all(getattr(stored, name) == getattr(comment, name) for name in _COMPARED)
    )


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None and moment.tzinfo else moment


def _pending_row(writer: Writer, blog_id: int, item: LooseComment) -> dict[str, Any]:
    comment = item.comment
    return {
        "blog_id": blog_id,
        "source_id": writer.source_id,
        "blogger_id": comment.blogger_id,
        "post_blogger_id": item.post_blogger_id,
        "parent_blogger_id": item.parent_blogger_id,
        "body_text": comment.body_text,
        "author_name": comment.author.name if comment.author else None,
        "author_profile_url": comment.author.profile_url if comment.author else None,
        "published_at": comment.published_at,
        "utc_offset_minutes": comment.utc_offset_minutes,
        "display_time": comment.display_time,
        "url": comment.url,
        "is_removed": comment.is_removed,
        "source_rank": writer.rank,
        "created_at": writer.now,
    }


_ANY_OF_SOURCE = select(PendingComment.id).where(PendingComment.source_id == bindparam("source")).limit(1)
_ANY_PENDING = select(PendingComment.id).where(PendingComment.blog_id == bindparam("blog")).limit(1)
_POSTS_WAITED_FOR = (
    select(Post.id, Post.blogger_id)
    .distinct()
    .join(
        PendingComment,
        (PendingComment.blog_id == Post.blog_id) & (PendingComment.post_blogger_id == Post.blogger_id),
    )
    .where(Post.blog_id == bindparam("blog"))
    .order_by(Post.id)
)
# By the index on (blog_id, post_blogger_id): joined to posts, SQLite would read every waiting row for each set.
_WAITING_FOR_POSTS = select(PendingComment.__table__).where(
    PendingComment.blog_id == bindparam("blog"),
    PendingComment.post_blogger_id.in_(bindparam("posts", expanding=True)),
)
_PLACED = delete(PendingComment).where(PendingComment.id.in_(bindparam("ids", expanding=True)))
# Partial only for comments that waited: a source partial for what it lacks (a page that declares more comments
# than it shows) stays so, whatever comes later.
_SOURCES_DONE = (
    update(Source)
    .where(
        Source.status == "partial",
        Source.error.like(f"%{runs.WAITING_END}"),
        ~select(PendingComment.id).where(PendingComment.source_id == Source.id).exists(),
    )
    .values(status="imported", error=None, updated_at=bindparam("now"))
)


def place_waiting(writer: Writer, blog_id: int) -> bool:
    """Place every waiting comment of this blog whose post is stored now; mark the sources all of whose
    comments are placed as imported. False when nothing of the blog waited."""
    if nothing_waits(writer, blog_id):
        return False
    posts = writer.conn.execute(_POSTS_WAITED_FOR, {"blog": blog_id}).all()
    for start in range(0, len(posts), POSTS_AT_ONCE):
        _place_for_posts(writer, blog_id, {post.id: post.blogger_id for post in posts[start : start + POSTS_AT_ONCE]})
    writer.conn.execute(_SOURCES_DONE, {"now": writer.now})
    return True


def nothing_waits(writer: Writer, blog_id: int) -> bool:
    """Whether no comment of the blog waits: the usual case, asked in one look-up per transaction (a source of
    the transaction that parks comments forgets the answer)."""
    key, transaction = ("nothing waits", blog_id), writer.conn.get_transaction()
    if writer.conn.info.get(key) is transaction:
        return True
    if writer.conn.execute(_ANY_PENDING, {"blog": blog_id}).first() is not None:
        return False
    writer.conn.info[key] = transaction
    return True


def _place_for_posts(writer: Writer, blog_id: int, posts: Mapping[int, str]) -> None:
    ids = {post_bid: post_id for post_id, post_bid in posts.items()}
    params = {"blog": blog_id, "posts": sorted(ids)}
    waiting: dict[int, list[Mapping[Any, Any]]] = defaultdict(list)
    for row in writer.conn.execute(_WAITING_FOR_POSTS, params).mappings():
        waiting[ids[row["post_blogger_id"]]].append(row)
    stand_ins = _stand_ins(writer, blog_id, ids)
    for post_id, stood in stand_ins.items():
        waiting[post_id] += stood
    # The posts' comments, read once: where the waiting ones hang, their numbers, and the merge.
    stored = comments.stored_comments(writer, [post_id for post_id in posts if post_id not in writer.new_posts])
    trees: list[comments.PostComments] = []
    placed: dict[str, Mapping[str, Any]] = {}
    done: list[int] = []  # the waiting rows placed, by primary key: no scan of the table
    steps: dict[int, dict[str, int]] = {}
    moved: list[int] = []  # posts with stored comments that an older sibling arriving now moves down
    for post_id, post_blogger_id in posts.items():
        best, rows = _one_per_comment(waiting[post_id]), stored.get(post_id, [])
        groups, reached = _forest(best, post_blogger_id, {row["blogger_id"]: row for row in rows if row["blogger_id"]})
        if not groups:
            continue
        trees.append((post_id, groups))
        placed.update((bid, best[bid]) for bid in reached)
        done += [row["id"] for row in waiting[post_id] if row["id"] is not None and row["blogger_id"] in reached]
        if rows:
            steps[post_id] = numbering.steps(rows, best, post_blogger_id)
            moved += [post_id] if numbering.moved(rows, steps[post_id], reached) else []
    if not trees:
        return
    authors = writer.ensure(Author.__table__, {"blog_id": blog_id}, author_rows(_author(r) for r in placed.values()))
    # Placed by whichever source brought the post, a comment still ranks as the source it came from: else the
    # order of the sources would decide which version of it wins.
    writer.placing, writer.steps = {bid: row["source_rank"] for bid, row in placed.items()}, steps
    writer.counts["comments"].unchanged -= sum(len(stood) for stood in stand_ins.values())  # counted as they came
    try:
        comments.save_comments(writer, trees, authors, stored)
    finally:
        writer.placing, writer.steps = {}, {}
    if moved:
        numbering.renumber(writer, moved)
    for chunk in sql.chunks(done):
        writer.conn.execute(_PLACED, {"ids": list(chunk)})
    writer.counts["pending_comments"].deleted += len(done)


def _stand_ins(writer: Writer, blog_id: int, ids: Mapping[str, int]) -> dict[int, list[Mapping[str, Any]]]:
    """The comments of these posts (ids by Blogger id) that this source had exactly as stored (not parked), as
    waiting rows: placed with the others, they keep every comment of the post in its place."""
    asked = {bid: writer.placed_before.pop(bid) for bid in ids if bid in writer.placed_before}
    if not asked:
        return {}
    found: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for chunk in sql.chunks(sorted(str(bid) for numbers in asked.values() for bid in numbers)):
        params = {"blog": blog_id, "posts": sorted(asked), "comments": list(chunk)}
        for row in writer.conn.execute(_STORED, params).mappings():
            found[ids[row["post_blogger_id"]]].append({**row, "id": None})
    return found


def _one_per_comment(rows: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The same comment parked by two sources (Takeout's two feeds, or two exports): keep the richer copy."""
    best: dict[str, Mapping[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (RICHNESS[r["source_rank"]], len(r["body_text"]), r["body_text"])):
        best[row["blogger_id"]] = row
    return best


def _forest(
    rows: Mapping[str, Mapping[str, Any]], post_blogger_id: str, stored: Mapping[str, Mapping[str, Any]]
) -> tuple[list[comments.Siblings], set[str]]:
    """Comment trees hanging from the post or from stored comments, siblings in the order they were posted;
    and the ids placed. Comments whose parent is nowhere (or in a cycle) are left out: they keep waiting."""
    children: dict[str | None, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows.values():
        parent = row["parent_blogger_id"]
        children[None if parent in (None, "", post_blogger_id) else parent].append(row)
    for siblings in children.values():
        siblings.sort(key=lambda r: (r["published_at"] is None, r["published_at"] or 0, int(r["blogger_id"])))
    anchors: list[tuple[Mapping[str, Any] | None, str | None]] = [(None, None)]
    anchors += [(stored[bid], bid) for bid in children if bid is not None and bid in stored and bid not in rows]
    order: list[str] = []  # every reachable comment, parents before their replies
    frontier = [bid for _, anchor in anchors for bid in (r["blogger_id"] for r in children.get(anchor, []))]
    while frontier:
        order += frontier
        frontier = [r["blogger_id"] for bid in frontier for r in children.get(bid, [])]
    built: dict[str, CommentRecord] = {}
    for bid in reversed(order):  # replies are built before the comment that holds them
        built[bid] = _record(rows[bid], tuple(built[r["blogger_id"]] for r in children.get(bid, [])))
    groups = [(parent, [built[r["blogger_id"]] for r in children.get(anchor, [])]) for parent, anchor in anchors]
    return [g for g in groups if g[1]], set(order)


def _record(row: Mapping[str, Any], replies: tuple[CommentRecord, ...]) -> CommentRecord:
    return CommentRecord(
        body_text=row["body_text"],
        author=_author(row),
        published_at=row["published_at"],
        utc_offset_minutes=row["utc_offset_minutes"],
        display_time=row["display_time"],
        is_removed=row["is_removed"],
        mentions=find_mentions(row["body_text"]),
        replies=replies,
        blogger_id=row["blogger_id"],
        url=row["url"],
    )


def _author(row: Mapping[str, Any]) -> AuthorRecord | None:
    return AuthorRecord(row["author_name"], row["author_profile_url"]) if row["author_name"] else None
