"""Records -> rows: one source's entries, written with Core statements in the caller's transaction.

Entries are taken in batches, so a large export is written as it is read. Blogs, posts and labels are here;
comments and their threads are in comments.py, the comments that wait for their post in waiting.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Select, bindparam, func, insert, select, update

from blogimport import identity
from blogimport.errors import SourceError
from blogimport.models import Author, Blog, Label, PendingComment, Post
from blogimport.records import (
    NOT_CONTENT,
    SOURCE_RANK,
    BlogRecord,
    CommentRecord,
    Counts,
    Document,
    Entry,
    LooseComment,
    PostRecord,
    SkippedEntry,
    SourceRecord,
)
from blogimport.store import comments, labels, runs, sql, waiting
from blogimport.store.rows import Writer, author_id, author_rows, changed, merge

POST_FIELDS: tuple[str, ...] = (
    "author_id",
    "title",
    "published_on",
    "published_at",
    "utc_offset_minutes",
    "edited_at",
    "url",
    "body_text",
    "declared_comment_count",
    "source_rank",
    "blogger_id",
    "kind",
    "status",
)
WRITTEN_POST_FIELDS = (*POST_FIELDS, "key", "labels_as_of")
BATCH = 100  # entries written per round: bounds memory on a large export
LOOSE_BATCH = 1000  # an export's comments parked at once: a few statements for each thousand
BODY_MISSING = "post body missing"  # what a post from a short feed is counted as skipping
_INSERT_POST = insert(Post.__table__)
_WAITING = select(func.count()).select_from(PendingComment).where(PendingComment.source_id == bindparam("source"))


class BlogConflict(Exception):
    """The source's blog id is not that of the blog row its key names: two blogs, which must not become one."""


def save_source(
    conn: Connection, run_id: int, seen: SourceRecord, document: Document, blog_key: str | None
) -> tuple[SourceRecord, Counts]:
    """One parsed source, in the caller's transaction: its row in `sources`, its document's rows, and its row again
    as partial when some of its comments wait for their post or parent comment, or it holds less than it says it
    does; a remark on a complete source (document.note) is kept with it. A source of another blog than the one its
    key names is refused (SourceError), nothing of it written."""
    source_id = runs.record_source(conn, run_id, seen, _now())
    try:
        counts, waited = save_document(conn, document, blog_key, _now(), source_id)
    except BlogConflict as conflict:
        raise SourceError(seen.locator, str(conflict)) from None
    if reason := _nothing_imported(counts):
        raise SourceError(seen.locator, reason)  # the caller rolls the source back and records it as failed
    waiting = _waiting(conn, source_id) if waited else 0  # none of the blog's: none of this source's
    if document.shortfall or waiting:
        # What the source lacks is said before what waits: it outlasts the waiting (runs.waiting_note).
        seen = replace(seen, status="partial", waiting=waiting, error=document.shortfall or runs.waiting_note(waiting))
    elif document.note:
        seen = replace(seen, error=document.note)
    if seen.error:
        runs.record_source(conn, run_id, seen, _now())
    return seen, counts


def save_document(
    conn: Connection, document: Document, blog_key: str | None, now: datetime, source_id: int
) -> tuple[Counts, bool]:
    """Write one parsed source; the caller owns the transaction, so the source lands whole or not at all. Returns
    what it did, and whether comments of its blog waited."""
    writer = Writer(conn, now, document.source_rank, source_id)
    blog_id = save_blog(writer, document.blog, blog_key)
    loose: list[LooseComment] = []
    for batch in _batches(document.entries):
        for entry in batch:
            if isinstance(entry, SkippedEntry):
                writer.counts[entry.kind].skipped += 1
            elif isinstance(entry, PostRecord) and entry.body_missing:
                writer.counts[BODY_MISSING].skipped += 1  # the post is kept; what it lacks is said
        save_posts(writer, blog_id, [e for e in batch if isinstance(e, PostRecord)])
        loose += [e for e in batch if isinstance(e, LooseComment)]
        if len(loose) >= LOOSE_BATCH:
            waiting.park(writer, blog_id, loose)
            loose = []
    waiting.park(writer, blog_id, loose)
    waited = waiting.place_waiting(writer, blog_id)
    return writer.counts, waited


def _nothing_imported(counts: Counts) -> str | None:
    """Why a source that held a blog's entries but yielded no post or comment failed (DESIGN.md: nothing is skipped
    silently); None when it yielded some, or held nothing but settings (an empty blog is no failure)."""
    if counts.parked or any(sum(vars(counts[name]).values()) for name in ("posts", "comments")):
        return None
    skipped = {
        name: tally.skipped for name, tally in counts.tallies.items() if tally.skipped and name not in NOT_CONTENT
    }
    if not skipped:
        return None
    listed = ", ".join(f"{name} {number}" for name, number in sorted(skipped.items()))
    entries = sum(skipped.values())
    return f"{entries} {'entry' if entries == 1 else 'entries'} of a blog, none a post or a comment: skipped {listed}"


def _waiting(conn: Connection, source_id: int) -> int:
    """How many of a source's comments still wait for their post or parent comment."""
    return int(conn.execute(_WAITING, {"source": source_id}).scalar_one())


def _batches(entries: Iterable[Entry]) -> Iterator[list[Entry]]:
    iterator = iter(entries)
    while batch := list(islice(iterator, BATCH)):
        yield batch


# -- blogs ------------------------------------------------------------------------------------------------------


def save_blog(writer: Writer, blog: BlogRecord | None, explicit_key: str | None) -> int:
    """The blog's row: --blog names it; else its Blogger id finds it; else its own host (identity.blog_name), or
    'default'. A row found by its key that has another Blogger id is another blog: BlogConflict."""
    blog = blog or BlogRecord()
    table = Blog.__table__
    key = identity.blog_key(explicit_key or identity.blog_name(_host(blog.url), blog.blogger_id))
    row = None
    if not explicit_key and blog.blogger_id:
        row = writer.one(table, blogger_id=blog.blogger_id)
    row = row or writer.one(table, key=key)
    if row is not None and blog.blogger_id and row["blogger_id"] and row["blogger_id"] != blog.blogger_id:
        named = "--blog" if explicit_key else "its address"
        raise BlogConflict(
            f"refused: its blog id {blog.blogger_id} is not that of the blog {row['key']!r} that "
            f"{named} names (blog id {row['blogger_id']}); a blog id never changes"
        )
    if row is None:
        values = {
            "key": key,
            "blogger_id": blog.blogger_id,
            "url": blog.url,
            "title": blog.title,
            "created_at": writer.now,
            "updated_at": writer.now,
        }
        writer.counts["blogs"].inserted += 1
        return sql.inserted_id(writer.conn.execute(insert(table).values(values)))
    _enrich_blog(writer, row, blog, None if explicit_key else key)
    return int(row["id"])


def _enrich_blog(writer: Writer, row: Mapping[str, Any], blog: BlogRecord, derived_key: str | None) -> None:
    values = {name: _greater(row[name], getattr(blog, name)) for name in ("url", "title")}
    values["blogger_id"] = row["blogger_id"] or blog.blogger_id  # given once, never changed (save_blog refuses)
    if (
        derived_key
        and row["key"].startswith("blogger-")
        and not derived_key.startswith("blogger-")
        and writer.one(Blog.__table__, key=derived_key) is None
    ):
        values["key"] = derived_key  # once a source names the host, it is the better key
    if all(row[name] == value for name, value in values.items()):
        writer.counts["blogs"].unchanged += 1
        return
    writer.conn.execute(update(Blog).where(Blog.id == row["id"]).values(**values, updated_at=writer.now))
    writer.counts["blogs"].updated += 1


# -- posts ------------------------------------------------------------------------------------------------------


def save_posts(writer: Writer, blog_id: int, posts: Sequence[PostRecord]) -> None:
    if not posts:
        return
    scope = {"blog_id": blog_id}
    in_posts = [c for post in posts for top in post.comments for c in _thread(top)]
    authors = writer.ensure(
        Author.__table__, scope, author_rows([p.author for p in posts] + [c.author for c in in_posts])
    )
    label_ids = writer.ensure(Label.__table__, scope, labels.label_rows(posts))
    lookup = PostLookup(writer, blog_id, [_post_row(post, authors, writer.rank) for post in posts])
    trees: list[comments.PostComments] = []  # the batch's comments, written together
    for post in posts:
        post_id, old_labels_as_of, inserted = save_post(writer, blog_id, post, authors, lookup)
        labels.save_labels(writer, post_id, post, None if inserted else old_labels_as_of, label_ids, new=inserted)
        if any(post_id == written for written, _ in trees):  # the same post twice: its first comments go first
            comments.save_comments(writer, trees, authors)
            trees = []
        if post.comments:
            trees.append((post_id, [(None, post.comments)]))
    comments.save_comments(writer, trees, authors)


class PostLookup:
    """Finds a batch's posts by Blogger id or natural key. Which of those no stored post has is asked in two look-ups
    for the whole batch, so a new post costs no look-up of its own; anything the batch has written since is asked
    for again."""

    def __init__(self, writer: Writer, blog_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
        self.writer, self.blog_id = writer, blog_id
        self.absent: set[tuple[str, Any]] = set()
        for name in ("blogger_id", "key"):
            values = sorted({row[name] for row in rows if row[name]})
            query = sql.cached(("posts_present", name), partial(_present, name))
            present = set(writer.conn.execute(query, {"blog": blog_id, "values": values}).scalars()) if values else ()
            self.absent.update((name, value) for value in values if value not in present)

    def one(self, **where: Any) -> dict[str, Any] | None:
        if len(where) == 1 and next(iter(where.items())) in self.absent:
            return None
        return self.writer.one(Post.__table__, blog_id=self.blog_id, **where)

    def written(self, *pairs: tuple[str, Any]) -> None:
        self.absent.difference_update(pairs)


def _present(name: str) -> Select[Any]:
    column = Post.__table__.c[name]
    return select(column).where(Post.blog_id == bindparam("blog"), column.in_(bindparam("values", expanding=True)))


def save_post(
    writer: Writer, blog_id: int, post: PostRecord, authors: Mapping[str, int], lookup: PostLookup
) -> tuple[int, datetime | None, bool]:
    """Insert or merge one post; returns its id, its label time from before and whether it is new."""
    table = Post.__table__
    row = {"blog_id": blog_id, **_post_row(post, authors, writer.rank)}
    old = _find_post(lookup, row)
    merged = merge(old, row, POST_FIELDS) if old else {**row, "created_at": writer.now, "updated_at": writer.now}
    old_as_of = old["labels_as_of"] if old else None
    merged["labels_as_of"] = post.edited_at if labels.replaces(post, old_as_of) else old_as_of
    merged["key"] = _claim_post_key(writer, lookup, merged, old["id"] if old else None)
    lookup.written(("key", merged["key"]), ("blogger_id", merged["blogger_id"]))
    if old is None:
        writer.counts["posts"].inserted += 1
        post_id = sql.inserted_id(writer.conn.execute(_INSERT_POST, merged))
        writer.new_posts.add(post_id)
        return post_id, None, True
    if changed(old, merged, WRITTEN_POST_FIELDS):
        writer.counts["posts"].updated += 1
        sql.update_by_id(
            writer.conn, table, [{**merged, "id": old["id"], "updated_at": writer.now}], WRITTEN_POST_FIELDS
        )
    else:
        writer.counts["posts"].unchanged += 1
    return int(old["id"]), old_as_of, False


def _find_post(lookup: PostLookup, row: Mapping[str, Any]) -> dict[str, Any] | None:
    """By Blogger id, else by natural key unless that row is another export post."""
    if row["blogger_id"] and (found := lookup.one(blogger_id=row["blogger_id"])):
        return found
    found = lookup.one(key=row["key"])
    if found and found["blogger_id"] and row["blogger_id"] and found["blogger_id"] != row["blogger_id"]:
        return None
    return found


def _claim_post_key(writer: Writer, lookup: PostLookup, post: Mapping[str, Any], own_id: int | None) -> str:
    """The post's natural key. When another export post has the same date and title, the one with the smaller
    Blogger id holds the plain key and the other gets '~<its id>': the same outcome whichever came first."""
    plain = identity.post_key(post["published_on"], post["title"], post["body_text"])
    if not post["blogger_id"]:
        return plain
    holder = lookup.one(key=plain)
    if holder is None or holder["id"] == own_id:
        return plain
    if holder["blogger_id"] and int(holder["blogger_id"]) > int(post["blogger_id"]):
        moved = identity.suffixed(plain, holder["blogger_id"])
        lookup.written(("key", moved))
        writer.conn.execute(update(Post).where(Post.id == holder["id"]).values(key=moved, updated_at=writer.now))
        writer.counts["posts"].updated += holder["created_at"] != writer.now  # not if this source just made it
        return plain
    return identity.suffixed(plain, post["blogger_id"])


# -- rows from records ------------------------------------------------------------------------------------------


def _post_row(post: PostRecord, authors: Mapping[str, int], rank: int) -> dict[str, Any]:
    rank = SOURCE_RANK["bodiless"] if post.body_missing else rank  # an empty body never wins over a real one
    return {
        "key": identity.post_key(post.published_on, post.title, post.body_text),
        "author_id": author_id(post.author, authors),
        "title": identity.normalise(post.title),
        "published_on": post.published_on,
        "published_at": post.published_at,
        "utc_offset_minutes": post.utc_offset_minutes,
        "edited_at": post.edited_at,
        "url": post.url,
        "body_text": post.body_text,
        "declared_comment_count": post.declared_comment_count,
        "source_rank": rank,
        "blogger_id": post.blogger_id,
        "kind": post.kind,
        "status": post.status,
    }


def _thread(comment: CommentRecord) -> Iterator[CommentRecord]:
    stack = [comment]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.replies)


def _greater(a: Any, b: Any) -> Any:
    """Either value when the other is missing; the greater when both are there, so order cannot matter."""
    return b if a is None else a if b is None else max(a, b)


def _host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def _now() -> datetime:
    return datetime.now(UTC)
