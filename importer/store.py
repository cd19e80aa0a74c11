"""Records -> rows: everything one source holds, written with batched Core statements in the caller's transaction.

Each row is found by its natural key (importer.identity); a new row is inserted, an existing one is merged with
the incoming version (importer.merge) and written only if that changes something, so re-importing a source
changes nothing, `updated_at` included. Comments are written parents first, so replies can point at them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, update

from importer import identity, sql
from importer.merge import Field, changed, merge
from importer.records import AuthorRecord, CommentRecord, Document, PostRecord
from models import Author, Blog, Comment, CommentReference, Label, Post, PostLabel

POST_FIELDS: tuple[Field, ...] = (
    "author_id", "title", "published_on", "published_at", "url", "body_text", "declared_comment_count", "source_rank",
)
COMMENT_FIELDS: tuple[Field, ...] = (
    ("position", "path"), "author_id", "published_at", ("body_text", "is_removed"), "source_rank",
)
ENTITIES = ("blogs", "authors", "labels", "posts", "post_labels", "comments", "comment_references")


@dataclass
class Tally:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Tally) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class Counts:
    """What an import did, per table."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in ENTITIES})

    def __getitem__(self, entity: str) -> Tally:
        return self.tallies[entity]

    def add(self, other: Counts) -> None:
        for name, tally in other.tallies.items():
            self.tallies[name].add(tally)


def save_document(conn: Connection, document: Document, blog_key: str, now: datetime) -> Counts:
    """Write one parsed source; the caller owns the transaction, so the source lands whole or not at all."""
    writer = _Writer(conn, now, document.source_rank)
    key = identity.blog_key(blog_key)
    blog_id = writer.ensure(Blog.__table__, {}, {key: {"key": key}})[key]
    writer.save_posts(blog_id, document.posts)
    return writer.counts


class _Writer:
    def __init__(self, conn: Connection, now: datetime, rank: int) -> None:
        self.conn = conn
        self.now = now
        self.rank = rank
        self.counts = Counts()

    def save_posts(self, blog_id: int, posts: Sequence[PostRecord]) -> None:
        scope = {"blog_id": blog_id}
        authors = self.ensure(Author.__table__, scope, _author_rows(posts))
        labels = self.ensure(Label.__table__, scope, _label_rows(posts))
        rows = [_post_row(post, authors, self.rank) for post in posts]
        keys = [row["key"] for row in rows]
        self.write(Post.__table__, scope, rows, POST_FIELDS, sql.rows_by_key(self.conn, Post.__table__, scope, keys))
        ids = {key: row["id"] for key, row in sql.rows_by_key(self.conn, Post.__table__, scope, keys).items()}
        self.link_labels([(ids[row["key"]], labels[identity.label_key(name)])
                          for row, post in zip(rows, posts) for name in post.labels])
        for row, post in zip(rows, posts):
            self.save_comments(ids[row["key"]], post.comments, authors)

    def save_comments(self, post_id: int, records: Sequence[CommentRecord], authors: Mapping[str, int]) -> None:
        table, scope = Comment.__table__, {"post_id": post_id}
        existing = sql.rows_by_key(self.conn, table, scope)
        tops = _comment_rows(records, None, existing, authors, self.rank)
        if self.write(table, scope, tops, COMMENT_FIELDS, existing).inserted:
            # A new top-level comment is its own thread; its id exists only now.
            self.conn.execute(
                update(table)
                .where(table.c.post_id == post_id, table.c.parent_id.is_(None), table.c.thread_id.is_(None))
                .values(thread_id=table.c.id)
            )
        parents = sql.rows_by_key(self.conn, table, scope, [row["key"] for row in tops], columns=("id", "path"))
        replies = [(record.replies, _comment_rows(record.replies, parents[row["key"]], existing, authors, self.rank))
                   for record, row in zip(records, tops)]
        self.write(table, scope, [row for _, rows in replies for row in rows], COMMENT_FIELDS, existing)
        ids = {key: row["id"] for key, row in sql.rows_by_key(self.conn, table, scope, columns=("id",)).items()}
        written = [(records, tops), *replies]
        self.save_references([(record, ids[row["key"]]) for recs, rows in written for record, row in zip(recs, rows)])

    def save_references(self, comments: Sequence[tuple[CommentRecord, int]]) -> None:
        rows = [
            {"comment_id": comment_id, "key": key, "mention": mention.text, "target_comment_id": None}
            for record, comment_id in comments
            for key, mention in zip(identity.reference_keys([m.text for m in record.mentions]), record.mentions)
        ]
        self.insert_new(CommentReference.__table__, rows, ("comment_id", "key"), timestamps=True)

    def link_labels(self, pairs: Sequence[tuple[int, int]]) -> None:
        rows = [{"post_id": post_id, "label_id": label_id} for post_id, label_id in dict.fromkeys(pairs)]
        self.insert_new(PostLabel.__table__, rows, ("post_id", "label_id"), timestamps=False)

    def ensure(self, table: Table, scope: Mapping[str, Any], rows: Mapping[str, dict[str, Any]]) -> dict[str, int]:
        """Get or create rows by natural key (blogs, authors, labels): existing ones are never changed."""
        existing = sql.rows_by_key(self.conn, table, scope, rows.keys())
        missing = [{**scope, **row, "created_at": self.now, "updated_at": self.now}
                   for key, row in rows.items() if key not in existing]
        sql.insert_missing(self.conn, table, missing, [*scope, "key"])
        self.counts[table.name].add(Tally(inserted=len(missing), unchanged=len(existing)))
        if missing:
            existing.update(sql.rows_by_key(self.conn, table, scope, [row["key"] for row in missing]))
        return {key: row["id"] for key, row in existing.items()}

    def insert_new(self, table: Table, rows: Sequence[dict[str, Any]], unique: Sequence[str], timestamps: bool) -> None:
        """Insert the rows whose unique columns are not stored yet (link rows: nothing to merge)."""
        stored = sql.existing_pairs(self.conn, table, [tuple(row[c] for c in unique) for row in rows], unique)
        missing = [row for row in rows if tuple(row[c] for c in unique) not in stored]
        if timestamps:
            missing = [{**row, "created_at": self.now, "updated_at": self.now} for row in missing]
        sql.insert_missing(self.conn, table, missing, unique)
        self.counts[table.name].add(Tally(inserted=len(missing), unchanged=len(rows) - len(missing)))

    def write(
        self, table: Table, scope: Mapping[str, Any], rows: Sequence[dict[str, Any]], fields: Sequence[Field],
        existing: Mapping[str, Mapping[str, Any]],
    ) -> Tally:
        """Insert new rows; merge existing ones and write those the merge changes. Returns what it did."""
        tally = Tally()
        out = []
        for row in _merge_duplicates(rows, fields):
            full = {**scope, **row, "created_at": self.now, "updated_at": self.now}
            old = existing.get(row["key"])
            if old is None:
                tally.inserted += 1
                out.append(full)
                continue
            merged = merge(old, full, fields)
            if changed(old, merged, fields):
                tally.updated += 1
                out.append({**{c: merged[c] for c in full}, "updated_at": self.now})
            else:
                tally.unchanged += 1
        sql.upsert(self.conn, table, out, [*scope, "key"])
        self.counts[table.name].add(tally)
        return tally


def _merge_duplicates(rows: Sequence[dict[str, Any]], fields: Sequence[Field]) -> list[dict[str, Any]]:
    """One row per key: a source that shows the same post twice (a label page and its post) merges them."""
    by_key: dict[str, dict[str, Any]] = {}
    for row in rows:
        by_key[row["key"]] = merge(by_key[row["key"]], row, fields) if row["key"] in by_key else row
    return list(by_key.values())


def _post_row(post: PostRecord, authors: Mapping[str, int], rank: int) -> dict[str, Any]:
    return {
        "key": identity.post_key(post.published_on, post.title, post.body_text),
        "author_id": _author_id(post.author, authors),
        "title": identity.normalise(post.title),
        "published_on": post.published_on,
        "published_at": post.published_at,
        "url": post.url,
        "body_text": post.body_text,
        "declared_comment_count": post.declared_comment_count,
        "source_rank": rank,
    }


def _comment_rows(
    records: Sequence[CommentRecord], parent: Mapping[str, Any] | None, existing: Mapping[str, Mapping[str, Any]],
    authors: Mapping[str, int], rank: int,
) -> list[dict[str, Any]]:
    keys = identity.comment_keys(parent["key"] if parent else None, [r.body_text for r in records])
    rows = []
    for ordinal, (key, record) in enumerate(zip(keys, records), 1):
        own = existing[key]["id"] if key in existing else None
        part = _path_part(record.position if record.position is not None else ordinal)
        rows.append({
            "key": key,
            "parent_id": parent["id"] if parent else None,
            "thread_id": parent["id"] if parent else own,
            "depth": 1 if parent else 0,
            "position": record.position,
            "path": f"{parent['path']}.{part}" if parent else part,
            "author_id": _author_id(record.author, authors),
            "published_at": record.published_at,
            "body_text": record.body_text,
            "is_removed": record.is_removed,
            "source_rank": rank,
        })
    return rows


def _path_part(number: int) -> str:
    return f"{number:04d}"


def _author_rows(posts: Sequence[PostRecord]) -> dict[str, dict[str, Any]]:
    authors = [post.author for post in posts] + [c.author for post in posts for c in _all_comments(post)]
    return {
        identity.author_key(a.name, a.profile_url): {
            "key": identity.author_key(a.name, a.profile_url), "name": identity.normalise(a.name),
            "profile_url": a.profile_url,
        }
        for a in authors if a is not None
    }


def _label_rows(posts: Sequence[PostRecord]) -> dict[str, dict[str, Any]]:
    names = [name for post in posts for name in post.labels]
    return {identity.label_key(n): {"key": identity.label_key(n), "name": identity.normalise(n)} for n in names}


def _all_comments(post: PostRecord) -> list[CommentRecord]:
    return [c for top in post.comments for c in (top, *top.replies)]


def _author_id(author: AuthorRecord | None, authors: Mapping[str, int]) -> int | None:
    return authors[identity.author_key(author.name, author.profile_url)] if author else None
