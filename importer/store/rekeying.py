"""Re-keying: every stored natural key made again, from its row's values, by the identity rules of this code.

Keys are a stored contract (blogimport.identity.IDENTITY_VERSION, recorded in `identity_rules`). A change to the
rules that alters any key bumps that version and comes with an Alembic revision whose upgrade is one call:

    def upgrade() -> None:
        rekey(op.get_bind(), version=2)  # the new IDENTITY_VERSION, written as a number

It runs in the migration's transaction, so a database is re-keyed whole or not at all, and an import refuses the
database until it has run (blogimport.store.schema). Each key is made as the importer makes it, from what the row
stores:

    blogs                the stored key normalised anew: it is the name it was made from (--blog, host, 'blogger-ID');
                         a host shared by many blogs gives way to 'blogger-ID' (identity.rekeyed_blog_name)
    sources              the locator
    authors, labels      the name (and the author's profile URL), in their blog
    posts                date, title (untitled: body); of posts of a blog that share that key, the one without a
                         Blogger id, else the smallest id, keeps it and the others get '~' and their id
                         (blogimport.store.posts._claim_post_key)
    comments             the parent's new key, the body's fingerprint and the occurrence among identical siblings
                         in reading order (path); a key that ended in '~' and the comment's Blogger id (a Blogger
                         comment whose key another held) is its first occurrence with that ending again
    comment_references   the mention and its occurrence in its comment, in the order they were stored

Rows a new rule would make one (two authors whose names it no longer tells apart) cannot both keep their key:
rekey stops with RekeyConflict naming them, the migration's transaction takes back what it had changed, and
that revision must merge them first.

The rules applied are those of the code that runs: when several re-keying revisions run in a row, each makes the
newest keys, and the last one's version is what is recorded. Downgrading past a re-keying revision keeps the keys
and the version (the older rules are no longer there to make the older keys): the older blogimport then refuses
the database instead of duplicating its rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, RowMapping

from blogimport import identity
from blogimport.store.sql import chunks

Row = RowMapping  # as the database gives it
MakeKeys = Callable[[Sequence[Row]], list[str]]  # rows of one scope -> their new keys, in the same order
_PARKED = "\x1frekey "  # prefix of the key a row holds for a moment while another row takes its key
_TYPES = {"published_on": sa.Date()}  # read as a date on every engine (SQLite stores text)


class RekeyConflict(RuntimeError):
    """The rules now give two rows of one scope the same key."""


def rekey(conn: Connection, version: int) -> None:
    """Make every natural key again with the current rules, and record `version` as the rules the keys follow."""
    _rekey(
        conn,
        "blogs",
        None,
        ["key", "blogger_id"],
        lambda rows: [identity.blog_key(identity.rekeyed_blog_name(r["key"], r["blogger_id"])) for r in rows],
    )
    _rekey(conn, "sources", None, ["locator"], lambda rows: [identity.source_key(r["locator"]) for r in rows])
    _rekey(
        conn,
        "authors",
        "blog_id",
        ["name", "profile_url"],
        lambda rows: [identity.author_key(r["name"], r["profile_url"]) for r in rows],
    )
    _rekey(conn, "labels", "blog_id", ["name"], lambda rows: [identity.label_key(r["name"]) for r in rows])
    _rekey(conn, "posts", "blog_id", ["published_on", "title", "body_text", "blogger_id"], _post_keys)
    _rekey(conn, "comments", "post_id", ["parent_id", "depth", "path", "body_text", "blogger_id"], _comment_keys)
    _rekey(
        conn,
        "comment_references",
        "comment_id",
        ["mention"],
        lambda rows: identity.reference_keys([r["mention"] for r in rows]),
    )
    rules = sa.table("identity_rules", sa.column("version"))
    conn.execute(sa.delete(rules))
    conn.execute(sa.insert(rules).values(version=version))


def _post_keys(rows: Sequence[Row]) -> list[str]:
    plain = [identity.post_key(r["published_on"], r["title"], r["body_text"]) for r in rows]
    sharing: dict[str, list[Row]] = defaultdict(list)
    for row, key in zip(rows, plain, strict=True):
        sharing[key].append(row)
    holders = {key: min(group, key=_blogger_order)["id"] for key, group in sharing.items()}
    # Two posts without a Blogger id that now share a key are one post: a conflict, which the caller finds.
    return [
        key if holders[key] == row["id"] or not row["blogger_id"] else identity.suffixed(key, row["blogger_id"])
        for row, key in zip(rows, plain, strict=True)
    ]


def _blogger_order(row: Row) -> tuple[bool, int]:
    """Who keeps a shared post key: a post without Blogger id (it was there first), else the smallest id."""
    return row["blogger_id"] is not None, int(row["blogger_id"] or 0)


def _comment_keys(rows: Sequence[Row]) -> list[str]:
    """Level by level, so each reply is keyed under its parent's new key; siblings in reading order."""
    new: dict[int, str] = {}
    siblings: dict[tuple[int, Any], list[Row]] = defaultdict(list)
    for row in rows:
        siblings[(row["depth"], row["parent_id"])].append(row)
    for (_, parent), group in sorted(siblings.items(), key=lambda item: item[0][0]):
        parent_key = None if parent is None else new[parent]
        plain = sorted((r for r in group if not _suffixed(r)), key=lambda r: (r["path"], r["id"]))
        new.update(
            zip(
                (r["id"] for r in plain),
                identity.comment_keys(parent_key, [r["body_text"] for r in plain]),
                strict=True,
            )
        )
        for row in group:
            if _suffixed(row):  # its Blogger id makes it unique, and finds it: never a text's key to match
                own = identity.comment_keys(parent_key, [row["body_text"]])[0]
                new[row["id"]] = identity.suffixed(own, row["blogger_id"])
    return [new[row["id"]] for row in rows]


def _suffixed(comment: Row) -> bool:
    """Keyed '~' and its Blogger id: a Blogger comment whose key another Blogger comment held
    (blogimport.store.rows)."""
    return bool(comment["blogger_id"]) and comment["key"].endswith(f"~{comment['blogger_id']}")


def _rekey(conn: Connection, name: str, scope: str | None, columns: list[str], make: MakeKeys) -> None:
    """Re-key one table, a few scopes (the rows that share a parent, and a UNIQUE constraint) at a time; `make`
    sees the rows of one scope in the order they were written (by id)."""
    names = dict.fromkeys(["id", "key", *([scope] if scope else []), *columns])
    table = sa.table(name, *(sa.column(c, _TYPES.get(c)) for c in names))
    for where in _scope_chunks(conn, table, scope):
        rows = conn.execute(sa.select(table).where(*where).order_by(table.c.id)).mappings().all()
        by_scope: dict[Any, list[Row]] = defaultdict(list)
        for row in rows:
            by_scope[row[scope] if scope else None].append(row)
        moves = [move for group in by_scope.values() for move in _moves(name, scope, group, make(group))]
        _write(conn, table, moves)


def _scope_chunks(conn: Connection, table: sa.TableClause, scope: str | None) -> Iterator[list[Any]]:
    """WHERE clauses that take the rows of a few hundred scopes each (all rows when the table has one scope)."""
    if scope is None:
        yield []
        return
    ids = sorted(conn.execute(sa.select(table.c[scope]).distinct()).scalars())
    for chunk in chunks(ids):
        yield [table.c[scope].in_(chunk)]


def _moves(name: str, scope: str | None, rows: Sequence[Row], keys: list[str]) -> list[tuple[int, str, str]]:
    """(id, old key, new key) of the rows whose key changes; a key given to two rows stops everything."""
    shared = [key for key, count in Counter(keys).items() if count > 1]
    if shared:
        ids = [row["id"] for row, key in zip(rows, keys, strict=True) if key == shared[0]]
        where = f" of {scope} {rows[0][scope]}" if scope else ""
        raise RekeyConflict(
            f"the identity rules now give {name} {ids}{where} the same key {shared[0]!r}: "
            "a revision must merge them before re-keying"
        )
    return [(row["id"], row["key"], key) for row, key in zip(rows, keys, strict=True) if row["key"] != key]


def _write(conn: Connection, table: sa.TableClause, moves: list[tuple[int, str, str]]) -> None:
    """UNIQUE holds after every statement: a row whose present key another row is to take moves aside first."""
    wanted = {new for _, _, new in moves}
    update = sa.update(table).where(table.c.id == sa.bindparam("b_id")).values(key=sa.bindparam("b_key"))
    aside = [{"b_id": row_id, "b_key": f"{_PARKED}{row_id}"} for row_id, old, _ in moves if old in wanted]
    for step in (aside, [{"b_id": row_id, "b_key": new} for row_id, _, new in moves]):
        for chunk in chunks(step):
            conn.execute(update, list(chunk))
