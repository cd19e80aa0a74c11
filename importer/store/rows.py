"""Rows: the machinery posts.py and comments.py share. Find a record's row, merge the two versions, write what
changed, count.

A row is found by its Blogger id when both sides have one, else by its natural key (blogimport.identity): that is
how an export adopts the row a text rendering made. A found row is merged with the incoming version and written
only if that changes something, so importing a source again changes nothing, `updated_at` included.

How two versions of the same post or comment become one row (DESIGN.md, Identity: order independence): the richer
source wins each field (export > API v3 > public feed > HTML > text > no body at all: records.RICHNESS); within one
rank the longer body wins, and then the greater body fingerprint. A field the winner lacks (NULL) is taken from the
other version, so enrichment is never lost. When neither version ranks higher, each field takes the greater value.
Every rule depends on the values only, never on which version arrived first, so importing A then B leaves the same
row as B then A.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table

from blogimport import identity
from blogimport.identity import fingerprint
from blogimport.records import RICHNESS, AuthorRecord, Counts, Tally
from blogimport.store import sql

# -- merging two versions of a row --------------------------------------------------------------------------------


def precedence(new: Mapping[str, Any], old: Mapping[str, Any]) -> int:
    """1 when `new` goes first, -1 when `old` does, 0 on a tie: the richer source, then the longer body, then the
    larger fingerprint. Fingerprints (a normalisation and a hash of each body) are made only when the rest ties."""
    ours: tuple[int | str, ...] = (RICHNESS[new["source_rank"]], len(new["body_text"]))
    theirs: tuple[int | str, ...] = (RICHNESS[old["source_rank"]], len(old["body_text"]))
    if ours == theirs:
        if new["body_text"] == old["body_text"]:
            return 0
        ours, theirs = (fingerprint(new["body_text"]),), (fingerprint(old["body_text"]),)
    return (ours > theirs) - (ours < theirs)


Field = str | tuple[str, ...]  # a tuple moves together, decided by its first field (position and its path)


def merge(old: Mapping[str, Any], new: Mapping[str, Any], fields: Sequence[Field]) -> dict[str, Any]:
    """The merged row: `old` with each of `fields` decided by the rules above."""
    order = precedence(new, old)
    first, second = (new, old) if order > 0 else (old, new)
    tie = order == 0
    merged = dict(old)
    for group in fields:
        names = (group,) if isinstance(group, str) else group
        a, b = first[names[0]], second[names[0]]
        pick = second if a is None or (tie and b is not None and b > a) else first
        merged.update({name: pick[name] for name in names})
    return merged


def changed(old: Mapping[str, Any], new: Mapping[str, Any], fields: Sequence[Field]) -> bool:
    names = [name for group in fields for name in ((group,) if isinstance(group, str) else group)]
    return any(old[name] != new[name] for name in names)


# -- writing ------------------------------------------------------------------------------------------------------


class Writer:
    """Writes the rows of one source, in its transaction, and counts what it did."""

    def __init__(self, conn: Connection, now: datetime, rank: int, source_id: int) -> None:
        self.conn = conn
        self.now = now
        self.rank = rank
        self.source_id = source_id
        self.counts = Counts()
        self.new_posts: set[int] = set()  # posts this source inserted, while they have no comments yet
        self.ids: dict[tuple[str, tuple[Any, ...], str], int] = {}  # authors and labels found or made, by key
        self.placing: dict[str, int] = {}  # waiting comments being placed: their own source's rank, by Blogger id
        self.steps: dict[int, dict[str, int]] = {}  # and their number among their siblings: by post, by Blogger id
        # Comments not parked, being stored exactly as this source has them: their Blogger ids, by their post's.
        self.placed_before: dict[str, array[int]] = {}
        self.parked_before: bool | None = None  # whether comments of this source waited from an earlier run
        self.exported_comments: bool | None = None  # whether the blog had comments with Blogger ids as it began

    def one(self, table: Table, **where: Any) -> dict[str, Any] | None:
        return sql.find_one(self.conn, table, **where)

    def ensure(self, table: Table, scope: Mapping[str, Any], rows: Mapping[str, dict[str, Any]]) -> dict[str, int]:
        """Get or create rows by natural key (authors, labels): existing ones are never changed. Ids found once are
        kept for the rest of the source (its transaction), so a long export asks for each author once."""
        where = (table.name, tuple(scope.items()))
        known = {key: self.ids[(*where, key)] for key in rows if (*where, key) in self.ids}
        asked = [key for key in rows if key not in known]
        existing = sql.rows_by_key(self.conn, table, scope, asked, columns=("id",)) if asked else {}
        missing = [
            {**scope, **rows[key], "created_at": self.now, "updated_at": self.now}
            for key in asked
            if key not in existing
        ]
        sql.insert_missing(self.conn, table, missing, [*scope, "key"])
        self.counts[table.name].add(Tally(inserted=len(missing), unchanged=len(existing) + len(known)))
        if missing:
            existing.update(sql.rows_by_key(self.conn, table, scope, [row["key"] for row in missing], ("id",)))
        ids = {**known, **{key: row["id"] for key, row in existing.items()}}
        self.ids.update({(*where, key): value for key, value in ids.items()})
        return ids

    def insert_new(self, table: Table, rows: Sequence[dict[str, Any]], unique: Sequence[str], timestamps: bool) -> None:
        """Insert the rows whose unique columns are not stored yet (link rows: nothing to merge)."""
        stored = sql.existing_pairs(self.conn, table, [tuple(row[c] for c in unique) for row in rows], unique)
        missing = [row for row in rows if tuple(row[c] for c in unique) not in stored]
        if timestamps:
            missing = [{**row, "created_at": self.now, "updated_at": self.now} for row in missing]
        sql.insert_missing(self.conn, table, missing, unique)
        self.counts[table.name].add(Tally(inserted=len(missing), unchanged=len(rows) - len(missing)))

    def insert_fresh(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows that cannot be stored yet (they belong to rows inserted just now)."""
        sql.insert_rows(self.conn, table, [{**row, "created_at": self.now, "updated_at": self.now} for row in rows])
        self.counts[table.name].inserted += len(rows)

    def write(
        self,
        table: Table,
        scope: Mapping[str, Any],
        rows: Sequence[dict[str, Any]],
        fields: Sequence[Field],
        existing: Iterable[Mapping[str, Any]],
    ) -> list[str]:
        """Insert new rows, merge found ones and write those the merge changes. Returns the key each row is
        stored under: a row found by its Blogger id keeps the key it has."""
        keys, inserts, updates = self.merge_rows(table, scope, rows, fields, existing)
        sql.insert_rows(self.conn, table, inserts)
        sql.update_by_id(self.conn, table, updates, field_names(fields))
        return keys

    def merge_rows(
        self,
        table: Table,
        scope: Mapping[str, Any],
        rows: Sequence[dict[str, Any]],
        fields: Sequence[Field],
        existing: Iterable[Mapping[str, Any]],
    ) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
        """What `write` would write, without writing it: (the key of each row, rows to insert, rows to update)."""
        index = _Index(existing)
        tally = self.counts[table.name]
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for row in rows:
            old = index.match(row)
            if old is None:
                if index.by_key.get(row["key"]):  # the same text as another Blogger comment
                    row = {**row, "key": identity.suffixed(row["key"], row["blogger_id"])}
                new = {**scope, **row, "created_at": self.now, "updated_at": self.now}
                inserts.append(new)
                index.add(new)
                tally.inserted += 1
                continue
            merged = merge(old, {**scope, **row}, fields)
            if not changed(old, merged, fields):
                tally.unchanged += "id" in old  # a repeat of a row inserted just now is not a second row
            elif "id" in old:
                updates.append({**merged, "updated_at": self.now})
                tally.updated += 1
            old.update(merged)  # a later repeat in the same source merges with this version
        keys = [index.match(row)["key"] for row in rows]  # type: ignore[index]  # each row was matched or added above
        return keys, inserts, updates


class _Index:
    """Rows of one scope, findable by Blogger id and by natural key."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.by_key: dict[str, dict[str, Any]] = {}
        self.by_blogger: dict[str, dict[str, Any]] = {}
        for row in rows:
            self.add(dict(row))

    def add(self, row: dict[str, Any]) -> None:
        self.by_key[row["key"]] = row
        if row.get("blogger_id"):
            self.by_blogger[row["blogger_id"]] = row

    def match(self, row: Mapping[str, Any]) -> dict[str, Any] | None:
        own = row.get("blogger_id")
        if own and own in self.by_blogger:
            return self.by_blogger[own]
        found = self.by_key.get(row["key"])
        if found and own and found.get("blogger_id") and found["blogger_id"] != own:
            found = self.by_key.get(identity.suffixed(row["key"], own))
        return found


def field_names(fields: Sequence[Field]) -> list[str]:
    return [name for group in fields for name in ((group,) if isinstance(group, str) else group)]


def author_rows(authors: Iterable[AuthorRecord | None]) -> dict[str, dict[str, Any]]:
    """Author rows by natural key, for Writer.ensure."""
    rows = {}
    for a in dict.fromkeys(authors):  # each commenter once, however many comments: in the order first seen
        if a is not None:
            key = identity.author_key(a.name, a.profile_url)
            rows[key] = {
                "key": key,
                "name": identity.normalise(a.name),
                "profile_url": a.profile_url,
                "blogger_profile_id": identity.profile_id(a.profile_url),
            }
    return rows


def author_id(author: AuthorRecord | None, authors: Mapping[str, int]) -> int | None:
    return authors[identity.author_key(author.name, author.profile_url)] if author else None
