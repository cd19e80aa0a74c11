"""Comments: reply trees written level by level, comments that wait for their post, and who answered whom.

Text and HTML sources nest replies inside their comment. An export names each comment's post and parent by
Blogger id, in any order, so its comments are parked in `pending_comments` first and placed once the source is
read: a comment whose post or parent is still missing waits there, for a later source or a later run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import RowMapping, bindparam, delete, select, update

from blogimport import identity
from blogimport.formats.mentions import clock_of, find_mentions
from blogimport.models import Author, Comment, CommentReference, PendingComment, Post, Source
from blogimport.records import RICHNESS, AuthorRecord, CommentRecord, LooseComment
from blogimport.store import runs, sql
from blogimport.store.rows import Field, Writer, author_id, author_rows

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


def save_comments(
    writer: Writer,
    post_id: int,
    groups: Sequence[Siblings],
    authors: Mapping[str, int],
    existing: list[dict[str, Any]] | None = None,
) -> None:
    """Write comment trees, one level at a time so each reply can point at its stored parent. A post this source
    has just written has no comments stored yet: nothing to look up. `existing`: the post's comments, when the
    caller has read them."""
    table, scope = Comment.__table__, {"post_id": post_id}
    new_post = post_id in writer.new_posts
    writer.new_posts.discard(post_id)
    if new_post and (ids := sql.allocate_ids(writer.conn, table, sum(map(_tree_size, groups)))) is not None:
        written = _save_new_trees(writer, post_id, groups, authors, ids)
    else:
        written = _save_levels(
            writer,
            post_id,
            groups,
            authors,
            []
            if new_post
            else existing
            if existing is not None
            else list(sql.rows_by_key(writer.conn, table, scope).values()),
        )
    _save_mentions(writer, written)
    if any(before for _, _, before in written) or any(r.published_at or r.display_time for r, _, _ in written):
        resolve_mentions(writer, post_id)  # without a time anywhere, no mention can point anywhere


def _save_levels(
    writer: Writer, post_id: int, groups: Sequence[Siblings], authors: Mapping[str, int], existing: list[dict[str, Any]]
) -> list[tuple[CommentRecord, int, bool]]:
    """Each level written, then read back for the ids its replies point at. Returns (record, its row id, stored
    before) of every comment."""
    table, scope = Comment.__table__, {"post_id": post_id}
    stored_before = {row["key"] for row in existing}
    written: list[tuple[CommentRecord, int, bool]] = []
    level = list(groups)
    while level:
        planned = _planned(writer, level, authors)
        keys = writer.write(table, scope, [row for _, row in planned], COMMENT_FIELDS, existing)
        if any(row["parent_id"] is None for _, row in planned):
            _own_threads(writer, post_id)
        stored = sql.rows_by_key(writer.conn, table, scope, keys, ("id", "path", "thread_id", "depth"))
        written += [
            (record, stored[key]["id"], key in stored_before) for (record, _), key in zip(planned, keys, strict=True)
        ]
        level = [
            (stored[key], record.replies) for (record, _), key in zip(planned, keys, strict=True) if record.replies
        ]
    return written


def _save_new_trees(
    writer: Writer, post_id: int, groups: Sequence[Siblings], authors: Mapping[str, int], ids: Iterator[int]
) -> list[tuple[CommentRecord, int, bool]]:
    """Comments of a post that had none, with ids handed out beforehand: every row knows its parent's and its
    thread's id before anything is written, so the whole tree goes in one bulk insert, read back never."""
    table, scope = Comment.__table__, {"post_id": post_id}
    written: list[tuple[CommentRecord, int, bool]] = []
    rows: list[dict[str, Any]] = []
    level = list(groups)
    while level:
        planned = _planned(writer, level, authors)
        keys, inserts, _ = writer.merge_rows(table, scope, [row for _, row in planned], COMMENT_FIELDS, [])
        for row in inserts:
            row["id"] = next(ids)
            row["thread_id"] = row["thread_id"] or row["id"]  # a top-level comment is its own thread
        stored = {row["key"]: row for row in inserts}
        rows += inserts
        written += [(record, stored[key]["id"], False) for (record, _), key in zip(planned, keys, strict=True)]
        level = [
            (stored[key], record.replies) for (record, _), key in zip(planned, keys, strict=True) if record.replies
        ]
    sql.insert_rows(writer.conn, table, rows)  # parents before their replies, as the foreign keys want
    return written


def _planned(
    writer: Writer, level: Sequence[Siblings], authors: Mapping[str, int]
) -> list[tuple[CommentRecord, dict[str, Any]]]:
    return [
        (record, row)
        for parent, siblings in level
        for record, row in zip(
            siblings, _rows(siblings, parent, authors, writer.rank, writer.placing, writer.steps), strict=True
        )
    ]


def _tree_size(group: Siblings) -> int:
    stack, count = list(group[1]), 0
    while stack:
        count += 1
        stack.extend(stack.pop().replies)
    return count


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
    comments being placed have theirs worked out among every sibling stored (`steps`, see _place_for_post)."""
    if siblings and all(record.blogger_id in steps for record in siblings):
        return [steps[record.blogger_id or ""] for record in siblings]
    shown = [record.position for record in siblings if record.position is not None]
    if len(shown) == len(siblings) and all(a < b for a, b in pairwise(shown)):
        return shown
    return list(range(1, len(siblings) + 1))


def _own_threads(writer: Writer, post_id: int) -> None:
    """A new top-level comment is its own thread; its id exists only once it is written."""
    table = Comment.__table__
    stmt = sql.cached(
        ("own_threads",),
        lambda: (
            update(table)
            .where(table.c.post_id == bindparam("b_post"), table.c.parent_id.is_(None), table.c.thread_id.is_(None))
            .values(thread_id=table.c.id)
        ),
    )
    writer.conn.execute(stmt, {"b_post": post_id})


# -- mentions ---------------------------------------------------------------------------------------------------


def _save_mentions(writer: Writer, comments: Sequence[tuple[CommentRecord, int, bool]]) -> None:
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


_POST_COMMENTS = select(
    Comment.id, Comment.thread_id, Comment.path, Comment.published_at, Comment.utc_offset_minutes, Comment.display_time
).where(Comment.post_id == bindparam("post"))
_POST_REFERENCES = (
    select(
        CommentReference.id,
        CommentReference.comment_id,
        CommentReference.mentioned_time,
        CommentReference.target_comment_id,
    )
    .join(Comment, Comment.id == CommentReference.comment_id)
    .where(Comment.post_id == bindparam("post"))
)


def resolve_mentions(writer: Writer, post_id: int) -> None:
    """Point each mention at the comment of the same post shown at that time, preferring earlier comments and then
    the same thread; no candidate, or several, leaves it unresolved. Runs whenever a post's comments change."""
    comments = {row.id: row for row in writer.conn.execute(_POST_COMMENTS, {"post": post_id})}
    shown = {cid: _shown_clock(row) for cid, row in comments.items()}
    if not any(shown.values()):
        return  # no times to resolve against: every target stays as it is (NULL)
    references = writer.conn.execute(_POST_REFERENCES, {"post": post_id}).all()
    at: dict[tuple[int, int], list[int]] = defaultdict(list)  # the comments shown at each clock time
    for cid, clock in shown.items():
        if clock is not None:
            at[clock].append(cid)
    changes = []
    for ref in references:
        target = _target(comments[ref.comment_id], ref.mentioned_time, comments, at)
        if target != ref.target_comment_id:
            changes.append({"id": ref.id, "target_comment_id": target, "updated_at": writer.now})
    sql.update_by_id(writer.conn, CommentReference.__table__, changes, ["target_comment_id"])
    writer.counts["comment_references"].updated += len(changes)


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


# -- comments that wait for their post -----------------------------------------------------------------------


def park(writer: Writer, blog_id: int, loose: Sequence[LooseComment]) -> None:
    """Keep an export's comments in pending_comments until the source is read and they can be placed."""
    if not loose:
        return
    table = PendingComment.__table__
    rows = [_pending_row(writer, blog_id, item) for item in loose]
    writer.counts.parked += len(rows)
    stored = sql.existing_pairs(
        writer.conn, table, [(writer.source_id, r["blogger_id"]) for r in rows], ("source_id", "blogger_id")
    )
    writer.counts["pending_comments"].inserted += sum((writer.source_id, r["blogger_id"]) not in stored for r in rows)
    sql.upsert(writer.conn, table, rows, ["source_id", "blogger_id"])


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


_ANY_PENDING = select(PendingComment.id).where(PendingComment.blog_id == bindparam("blog")).limit(1)
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


def place_waiting(writer: Writer, blog_id: int) -> None:
    """Place every waiting comment of this blog whose post is stored now; mark the sources all of whose
    comments are placed as imported."""
    if writer.conn.execute(_ANY_PENDING, {"blog": blog_id}).first() is None:
        return  # nothing waits: the usual case, asked in one look-up
    pending = PendingComment.__table__
    posts = writer.conn.execute(
        select(Post.id, Post.blogger_id)
        .distinct()
        .join(pending, (pending.c.blog_id == Post.blog_id) & (pending.c.post_blogger_id == Post.blogger_id))
        .where(Post.blog_id == blog_id)
    ).all()
    for post in posts:
        _place_for_post(writer, blog_id, post.id, post.blogger_id)
    writer.conn.execute(_SOURCES_DONE, {"now": writer.now})


_PENDING_FOR_POST = select(PendingComment.__table__).where(
    PendingComment.blog_id == bindparam("blog"), PendingComment.post_blogger_id == bindparam("post")
)
_PLACED = delete(PendingComment).where(PendingComment.id.in_(bindparam("ids", expanding=True)))


def _place_for_post(writer: Writer, blog_id: int, post_id: int, post_blogger_id: str) -> None:
    rows = writer.conn.execute(_PENDING_FOR_POST, {"blog": blog_id, "post": post_blogger_id}).mappings().all()
    best = _one_per_comment(rows)
    # The post's comments, read once: for where the waiting ones hang, their numbers, and the merge.
    stored_rows = (
        []
        if post_id in writer.new_posts
        else list(sql.rows_by_key(writer.conn, Comment.__table__, {"post_id": post_id}).values())
    )
    stored = {row["blogger_id"]: row for row in stored_rows if row["blogger_id"]}
    groups, placed = _forest(best, post_blogger_id, stored)
    if not groups:
        return
    authors = writer.ensure(Author.__table__, {"blog_id": blog_id}, author_rows(_author(best[bid]) for bid in placed))
    # Placed by whichever source brought the post, a comment still ranks as the source it came from: else the
    # order of the sources would decide which version of it wins.
    writer.placing = {bid: best[bid]["source_rank"] for bid in placed}
    writer.steps = _steps(stored_rows, best, post_blogger_id) if stored_rows else {}
    # Stored comments that an older sibling arriving now moves down: numbered again once it is written.
    moved = any(
        row["blogger_id"] in writer.steps and f"{writer.steps[row['blogger_id']]:04d}" != row["path"].rsplit(".")[-1]
        for row in stored_rows
        if row["blogger_id"] not in placed
    )
    try:
        save_comments(writer, post_id, groups, authors, stored_rows)
    finally:
        writer.placing, writer.steps = {}, {}
    if moved:
        _renumber(writer, post_id)
    done = [row["id"] for row in rows if row["blogger_id"] in placed]  # by primary key: no scan of the table
    for chunk in sql.chunks(done):
        writer.conn.execute(_PLACED, {"ids": list(chunk)})
    writer.counts["pending_comments"].deleted += len(done)


def _stored_comments(writer: Writer, post_id: int) -> list[dict[str, Any]]:
    table = Comment.__table__
    columns = (
        table.c.id,
        table.c.parent_id,
        table.c.path,
        table.c.position,
        table.c.published_at,
        table.c.blogger_id,
    )
    return [dict(row) for row in writer.conn.execute(select(*columns).where(table.c.post_id == post_id)).mappings()]


def _steps(
    stored: Sequence[Mapping[str, Any]], waiting: Mapping[str, Mapping[str, Any]], post_blogger_id: str
) -> dict[str, int]:
    """Comments placed by Blogger id (an export's, a feed's) are numbered among their siblings by the time they
    were posted, as the whole export numbers them: a feed read a page at a time brings a post's comments in several
    sources, and each is numbered among every sibling stored, not only those of its own page. Groups whose comments
    show their numbers (a page's) keep them. (Keys are not numbered so: identity.comment_keys counts identical
    siblings within one source, and a stored contract decides what a key is.)"""
    bid_of = {row["id"]: row["blogger_id"] for row in stored}
    every: dict[str, tuple[str | None, Any, bool]] = {
        row["blogger_id"]: (bid_of.get(row["parent_id"]), row["published_at"], row["position"] is not None)
        for row in stored
        if row["blogger_id"]
    }
    for bid, row in waiting.items():
        parent = row["parent_blogger_id"]
        every[bid] = (None if parent in (None, "", post_blogger_id) else parent, row["published_at"], False)
    shown = {row["parent_id"] for row in stored if not row["blogger_id"] or row["position"] is not None}
    groups: dict[str | None, list[tuple[Any, ...]]] = defaultdict(list)
    for bid, (parent, published, numbered) in every.items():
        groups[parent].append((published is None, published or 0, int(bid), bid, numbered))
    id_of = {row["blogger_id"]: row["id"] for row in stored if row["blogger_id"]}
    steps: dict[str, int] = {}
    for parent, siblings in groups.items():
        if any(sibling[4] for sibling in siblings) or (id_of.get(parent, -1) if parent else None) in shown:
            continue
        steps.update({sibling[3]: number for number, sibling in enumerate(sorted(siblings), 1)})
    return steps


def _renumber(writer: Writer, post_id: int) -> None:
    """Stored comments whose place among their siblings moved (an older one arrived since): their paths, and
    their replies', made again by the rule of _steps."""
    stored = _stored_comments(writer, post_id)
    steps = _steps(stored, {}, "")
    children: dict[int | None, list[Mapping[str, Any]]] = defaultdict(list)
    for stored_row in stored:
        children[stored_row["parent_id"]].append(stored_row)
    changed: list[dict[str, Any]] = []
    frontier: list[tuple[Mapping[str, Any], str]] = [(top, "") for top in children[None]]
    while frontier:
        comment, prefix = frontier.pop()
        own = comment["path"].rsplit(".", 1)[-1]
        step = f"{steps[comment['blogger_id']]:04d}" if comment["blogger_id"] in steps else own
        path = f"{prefix}.{step}" if prefix else step
        if path != comment["path"]:
            changed.append({"b_id": comment["id"], "b_path": path})
        frontier += [(child, path) for child in children[comment["id"]]]
    if changed:
        table = Comment.__table__
        stmt = (
            update(table).where(table.c.id == bindparam("b_id")).values(path=bindparam("b_path"), updated_at=writer.now)
        )
        writer.conn.execute(stmt, changed)
        writer.counts["comments"].updated += len(changed)


def _one_per_comment(rows: Sequence[RowMapping]) -> dict[str, Mapping[Any, Any]]:
    """The same comment parked by two sources (Takeout's two feeds, or two exports): keep the richer copy."""
    best: dict[str, Mapping[Any, Any]] = {}
    for row in sorted(rows, key=lambda r: (RICHNESS[r["source_rank"]], len(r["body_text"]), r["body_text"])):
        best[row["blogger_id"]] = row
    return best


def _forest(
    rows: Mapping[str, Mapping[str, Any]], post_blogger_id: str, stored: Mapping[str, Mapping[str, Any]]
) -> tuple[list[Siblings], set[str]]:
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
