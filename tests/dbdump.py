"""Looking into a database from tests, the same way on every engine.

Values come back as SQLite's text would show them (booleans as 0/1, times as 'YYYY-MM-DD HH:MM:SS.ffffff', dates
as ISO strings, whole decimals as ints), so one expected row fits all three engines. On MySQL the session runs in
ANSI mode, so test SQL may write "key" (a reserved word there) and || as SQL means them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, MetaData, Table, create_engine, event, inspect, select, text
from sqlalchemy.pool import NullPool

from blogimport import models

CONTENT_TABLES = ("blogs", "authors", "labels", "posts", "post_labels", "comments", "comment_references")
SURROGATE = {"id", "created_at", "updated_at"}


def connect(url: str, ansi: bool = False) -> Engine:
    """An engine for tests; `ansi` for hand-written SQL (SQLAlchemy's own reflection wants MySQL's usual mode)."""
    engine = create_engine(url, poolclass=NullPool)
    if ansi and engine.dialect.name in ("mysql", "mariadb"):
        event.listen(engine, "connect", _ansi_mode)
    return engine


def _ansi_mode(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET SESSION sql_mode = 'ANSI'")


def plain(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def query(url: str, sql: str, *params: Any) -> list[dict[str, Any]]:
    """Rows of a query as dicts of plain values; ? marks positional parameters."""
    names = iter(range(len(params)))
    statement = text(re.sub(r"\?", lambda _: f":p{next(names)}", sql))
    engine = connect(url, ansi=True)
    with engine.connect() as conn:
        rows = conn.execute(statement, {f"p{i}": value for i, value in enumerate(params)}).mappings().all()
    engine.dispose()
    return [{key: plain(value) for key, value in row.items()} for row in rows]


@contextmanager
def counting(url: str) -> Iterator[Callable[[str], int]]:
    """`count(sql)` for polling while an import runs: one engine and one pooled connection for every poll. A new
    engine a poll (as `query` makes) costs a connection's start-up on both sides, up to 50 times a second, taken from
    the import being watched on a 2-core machine. Each poll is its own transaction, so no snapshot is held open."""
    engine = create_engine(url)
    if engine.dialect.name in ("mysql", "mariadb"):
        event.listen(engine, "connect", _ansi_mode)

    def count(sql: str) -> int:
        with engine.connect() as conn:  # back to the pool rolled back: no lock or snapshot outlives the poll
            return int(conn.execute(text(sql)).scalar_one())

    try:
        yield count
    finally:
        engine.dispose()


def tables(url: str) -> list[str]:
    """The database's tables, Alembic's own aside, sorted."""
    engine = connect(url)
    names = sorted(
        name
        for name in inspect(engine).get_table_names()
        if name != "alembic_version" and not name.startswith("search_")
    )  # SQLite's full-text tables
    engine.dispose()
    return names


def raw_dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, every column (ids and times included), in primary-key order: two equal dumps
    mean nothing was written in between."""
    engine = connect(url)
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            if name.startswith("search_"):
                continue  # SQLite's full-text index: derived from posts and comments, which are dumped
            table = Table(name, MetaData(), autoload_with=conn)
            order = list(table.primary_key.columns) or list(table.columns)
            dump[name] = [tuple(plain(v) for v in row) for row in conn.execute(select(table).order_by(*order))]
    engine.dispose()
    return dump


def natural_dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every content row, with ids and timestamps left out and foreign keys replaced by what they point at
    (by natural key), sorted: two databases with the same content give the same dump, whatever the engine."""
    engine = connect(url)
    tables_ = models.Base.metadata.tables
    with engine.connect() as conn:
        rows = {name: [dict(r) for r in conn.execute(select(tables_[name])).mappings()] for name in CONTENT_TABLES}
    engine.dispose()
    by_id = {name: {r["id"]: r for r in table_rows} for name, table_rows in rows.items() if "id" in tables_[name].c}
    scopes = {name: _scope_fk(name) for name in by_id}
    known: dict[tuple[str, int], tuple[Any, ...]] = {}  # a row's identity, made once: comments share posts

    def identity(table: str, row_id: int | None) -> tuple[Any, ...] | None:
        if row_id is None:
            return None
        if (found := known.get((table, row_id))) is None:
            row, scope = by_id[table][row_id], scopes[table]
            parent = identity(scope[1], row[scope[0]]) if scope else ()
            found = known[table, row_id] = (*(parent or ()), row["key"])
        return found

    def natural(plan: list[tuple[str, str | None]], row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple((name, identity(target, row[name]) if target else plain(row[name])) for name, target in plan)

    plans = {
        name: [
            (column.name, next((fk.column.table.name for fk in column.foreign_keys), None))
            for column in tables_[name].c
            if column.name not in SURROGATE
        ]
        for name in CONTENT_TABLES
    }
    return {name: sorted((natural(plans[name], r) for r in rows[name]), key=repr) for name in CONTENT_TABLES}


def _scope_fk(table: str) -> tuple[str, str] | None:
    """The column holding the parent of a table's natural key, and the parent's table: posts -> (blog_id, blogs)."""
    column = _scope_column(table)
    for fk in models.Base.metadata.tables[table].foreign_keys:
        if fk.parent.name == column:
            return column, fk.column.table.name
    return None


def _scope_column(table: str) -> str | None:
    """The parent column of a table's natural key: UNIQUE (blog_id, key) -> blog_id."""
    for constraint in models.Base.metadata.tables[table].constraints:
        names = [c.name for c in getattr(constraint, "columns", [])]
        if "key" in names and len(names) == 2 and constraint.__class__.__name__ == "UniqueConstraint":
            return next(n for n in names if n != "key")
    return None


def assert_database_sound(url: str) -> None:
    """Nothing half-written: no row points at a row that is not there (and on SQLite, the file is intact)."""
    engine = connect(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        for table in models.Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                child = fk.parent
                parents = fk.column.table.alias()  # an alias: a comment's parent is a comment
                parent = parents.c[fk.column.name]
                orphans = conn.execute(
                    select(child)
                    .select_from(table.outerjoin(parents, child == parent))
                    .where(child.is_not(None), parent.is_(None))
                ).all()
                assert orphans == [], f"{table.name}.{child.name} points at missing {fk.column.table.name} rows"
    engine.dispose()


def assert_whole_sources(
    url: str, reference: dict[str, list[tuple[Any, ...]]], statuses: frozenset[str] = frozenset({"imported"})
) -> None:
    """A run that stopped half way left whole sources only (of a corpus with one post to a source): every source
    imported (or `statuses`: a run after a stopped one finds sources unchanged), one post each, every row one that
    an uninterrupted import of the same files has (`reference`, its natural_dump), and every post with all of its
    comments."""
    assert {row["status"] for row in query(url, "SELECT DISTINCT status FROM sources")} <= statuses
    (counts,) = query(url, "SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM posts) AS posts")
    assert counts["sources"] == counts["posts"]
    dump = natural_dump(url)
    for table, rows in dump.items():
        assert set(rows) <= set(reference[table]), f"{table} holds rows an uninterrupted import does not"

    def comments_per_post(dumped: dict[str, list[tuple[Any, ...]]]) -> Counter[Any]:
        return Counter(dict(row)["post_id"] for row in dumped["comments"])

    posts = {(*dict(row)["blog_id"], dict(row)["key"]) for row in dump["posts"]}
    expected = {post: n for post, n in comments_per_post(reference).items() if post in posts}
    assert comments_per_post(dump) == expected
    assert_database_sound(url)
