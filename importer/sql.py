"""Dialect-aware statements: the only place that knows SQLite, PostgreSQL and MySQL write upserts differently."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, tuple_, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.sql.dml import Insert

CHUNK = 500  # rows per IN list or statement: far below every engine's parameter limit


def _insert(conn: Connection, table: Table) -> Insert:
    name = conn.dialect.name
    if name == "sqlite":
        return sqlite.insert(table)
    if name == "postgresql":
        return postgresql.insert(table)
    if name in ("mysql", "mariadb"):
        return mysql.insert(table)
    raise NotImplementedError(f"blogimport does not write to {name} databases")


def insert_missing(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], unique: Sequence[str]) -> None:
    """Insert rows whose unique columns are new; rows that already exist are left exactly as they are."""
    if not rows:
        return
    stmt = _insert(conn, table)
    if isinstance(stmt, mysql.Insert):
        # A no-op update, not INSERT IGNORE: IGNORE would also swallow real errors such as truncation.
        first = unique[0]
        stmt = stmt.on_duplicate_key_update({first: stmt.inserted[first]})
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(unique))
    for chunk in chunks(rows):
        conn.execute(stmt, chunk)


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Plain batched inserts: a row another writer added meanwhile fails the transaction, which is then retried
    and merges with it, where an upsert would overwrite it unmerged."""
    for chunk in chunks(rows):
        conn.execute(table.insert(), chunk)


def upsert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], unique: Sequence[str],
           keep: Sequence[str] = ()) -> None:
    """Insert rows, or overwrite the row with the same unique columns (all columns but id, created_at, `keep`)."""
    if not rows:
        return
    stmt = _insert(conn, table)
    keep = {"id", "created_at", *unique, *keep}
    columns = [c for c in rows[0] if c not in keep]
    if isinstance(stmt, mysql.Insert):
        stmt = stmt.on_duplicate_key_update({c: stmt.inserted[c] for c in columns})
    else:
        stmt = stmt.on_conflict_do_update(index_elements=list(unique), set_={c: stmt.excluded[c] for c in columns})
    for chunk in chunks(rows):
        conn.execute(stmt, chunk)


def update_by_id(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """Set `columns` and updated_at of rows found by id, as one batched statement."""
    if not rows:
        return
    names = [*columns, "updated_at"]
    # Bind names must differ from column names in an UPDATE's SET clause.
    stmt = update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(f"b_{c}") for c in names})
    params = [{"b_id": row["id"], **{f"b_{c}": row[c] for c in names}} for row in rows]
    for chunk in chunks(params):
        conn.execute(stmt, chunk)


def rows_by_key(
    conn: Connection, table: Table, scope: Mapping[str, Any], keys: Iterable[str] | None = None,
    columns: Sequence[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Existing rows of one scope (e.g. one post's comments) by natural key: only `keys` and `columns` if given."""
    where = [table.c[name] == value for name, value in scope.items()]
    query = select(*(table.c[c] for c in ("key", *columns))) if columns else select(table)
    if keys is None:
        return {row["key"]: dict(row) for row in conn.execute(query.where(*where)).mappings()}
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunks(sorted(set(keys))):
        result = conn.execute(query.where(*where, table.c.key.in_(chunk)))
        found.update({row["key"]: dict(row) for row in result.mappings()})
    return found


def existing_pairs(conn: Connection, table: Table, pairs: Sequence[tuple[Any, Any]], columns: Sequence[str]) -> set:
    """Which (a, b) pairs of a two-column unique key are already stored."""
    found: set = set()
    cols = [table.c[name] for name in columns]
    for chunk in chunks(sorted(set(pairs))):
        found.update(tuple(row) for row in conn.execute(select(*cols).where(tuple_(*cols).in_(chunk))))
    return found


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
