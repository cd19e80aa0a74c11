"""Dialect-aware statements: the only place that knows SQLite, PostgreSQL and MySQL write upserts differently.

Statements are built once, with bound parameters, and kept: building a SQLAlchemy expression costs several times
what executing the finished statement does, and an import runs the same few statements thousands of times.
"""

from __future__ import annotations

import functools
import importlib
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Column, Connection, CursorResult, Executable, MetaData, Table, bindparam, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert

from blogimport import interrupts

if TYPE_CHECKING:  # for types only: an import loads its engine's dialect module alone (_insert)
    import psycopg
    from sqlalchemy.dialects.mysql import Insert as MySQLInsert
    from sqlalchemy.dialects.postgresql import Insert as PostgreSQLInsert
    from sqlalchemy.dialects.sqlite import Insert as SQLiteInsert

DIALECT_MODULES = {"sqlite": "sqlite", "postgresql": "postgresql", "mysql": "mysql", "mariadb": "mysql"}
CHUNK = 500  # rows per IN list or statement: far below every engine's parameter limit
IDS_AHEAD = 1000  # ids taken from a PostgreSQL sequence at once: a round trip per thousand rows, not per post
COPY_FROM = 20  # rows from which PostgreSQL is sent COPY rather than INSERTs: below it, COPY's set-up costs more

S = TypeVar("S", bound=Executable)
_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def cached(key: tuple[Any, ...], build: Callable[[], S]) -> S:
    """The statement built for `key`, built on first use."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


def inserted_id(result: CursorResult[Any]) -> int:
    """The id the row an INSERT of one row wrote was given."""
    key = result.inserted_primary_key
    if key is None:  # only for a statement that inserted no row: a bug here, never the data's
        raise ValueError("the INSERT reported no primary key")
    return int(key[0])


def find_one(conn: Connection, table: Table, **where: Any) -> dict[str, Any] | None:
    """The row whose columns have these values, or None."""
    names = tuple(sorted(where))
    query = cached(
        ("one", table.name, names),
        lambda: select(table).where(*(table.c[name] == bindparam(f"w_{name}") for name in names)),
    )
    row = conn.execute(query, {f"w_{name}": value for name, value in where.items()}).mappings().first()
    return dict(row) if row else None


def _insert(conn: Connection, table: Table) -> Any:
    """The engine's own INSERT, which knows its upsert. Its dialect module is loaded already, by the engine."""
    module = DIALECT_MODULES.get(conn.dialect.name)
    if module is None:
        raise NotImplementedError(f"blogimport does not write to {conn.dialect.name} databases")
    return importlib.import_module(f"sqlalchemy.dialects.{module}").insert(table)


def insert_missing(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], unique: Sequence[str]) -> None:
    """Insert rows whose unique columns are new; rows that already exist are left exactly as they are."""
    if not rows:
        return
    stmt = cached(
        ("insert_missing", conn.dialect.name, table.name, tuple(unique)), lambda: _insert_missing(conn, table, unique)
    )
    for chunk in chunks(rows):
        conn.execute(stmt, chunk)


def _insert_missing(conn: Connection, table: Table, unique: Sequence[str]) -> Insert:
    if conn.dialect.name in ("mysql", "mariadb"):
        # A no-op update, not INSERT IGNORE: IGNORE would also swallow real errors such as truncation.
        first = unique[0]
        mysql_insert: MySQLInsert = _insert(conn, table)
        return mysql_insert.on_duplicate_key_update({first: mysql_insert.inserted[first]})
    stmt: PostgreSQLInsert | SQLiteInsert = _insert(conn, table)
    return stmt.on_conflict_do_nothing(index_elements=list(unique))


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Plain batched inserts, every row with the same columns: a row another writer added meanwhile fails the
    transaction, which is then retried and merges with it, where an upsert would overwrite it unmerged."""
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        _copy(conn, table, rows)
        return
    if conn.dialect.name == "sqlite":
        _insert_sqlite(conn, table, rows)
        return
    for chunk in chunks(rows):
        conn.execute(table.insert(), chunk)


def _insert_sqlite(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], conflict: str = "") -> None:
    """Multi-row INSERTs sent to the driver with the values converted as the columns would (aware times to naive
    UTC): SQLAlchemy's own handling of each row's parameters costs more than SQLite's insert (DESIGN.md: Core with
    dicts runs at 0.43 times a raw executemany). One statement per chunk, not per row: see store/db.py."""
    if not rows:
        return
    names = tuple(rows[0])
    # The engine's own form of each type (a time as SQLite's DATETIME writes it), as SQLAlchemy would send it.
    converters = [table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for name in names]
    quote = conn.dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) VALUES "
    one = f"({', '.join('?' * len(names))})"
    for chunk in chunks(rows):
        values = [
            value if convert is None or value is None else convert(value)
            for row in chunk
            for convert, value in zip(converters, (row[name] for name in names), strict=True)
        ]
        conn.exec_driver_sql(head + ", ".join([one] * len(chunk)) + conflict, tuple(values))


def _copy(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """COPY ... FROM STDIN: PostgreSQL's bulk path, several times faster than one INSERT per row. It runs on the
    driver's connection, inside the transaction; its errors are raised as SQLAlchemy's, as an INSERT's would be."""
    names = tuple(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    statement = (
        f"COPY {conn.dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(name) for name in names)}) FROM STDIN"
    )
    # The columns' own conversions (aware times to naive UTC), which an INSERT would apply.
    converters = [table.c[name].type.bind_processor(conn.dialect) for name in names]
    values_of = itemgetter(*names)
    dbapi = conn.dialect.loaded_dbapi
    # COPY is psycopg's own, beyond DB-API: its connection, as the driver made it (a PostgreSQL engine's is one).
    driver = cast("psycopg.Connection[Any]", conn.connection.driver_connection)
    interrupts.check()  # the engine's check before a statement does not see this one, sent past it
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        value if convert is None or value is None else convert(value)
                        for convert, value in zip(converters, values_of(row), strict=True)
                    ]
                )
    except dbapi.Error as error:
        if interrupted := interrupts.hidden_in(error):  # as the engine does (blogimport.store.db)
            raise interrupted from None
        raise DBAPIError.instance(statement, None, error, dbapi.Error, dialect=conn.dialect) from error


def upsert(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], unique: Sequence[str], keep: Sequence[str] = ()
) -> None:
    """Insert rows, or overwrite the row with the same unique columns (all columns but id, created_at, `keep`)."""
    if not rows:
        return
    kept = {"id", "created_at", *unique, *keep}
    columns = tuple(c for c in rows[0] if c not in kept)
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        _upsert_copied(conn, table, rows, unique, columns)
        return
    if conn.dialect.name == "sqlite":  # rows of one statement are written in turn: a repeat updates the first
        quote = conn.dialect.identifier_preparer.quote
        updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns)
        conflict = f" ON CONFLICT ({', '.join(quote(name) for name in unique)}) DO UPDATE SET {updates}"
        _insert_sqlite(conn, table, rows, conflict)
        return
    stmt = cached(
        ("upsert", conn.dialect.name, table.name, tuple(unique), columns), lambda: _upsert(conn, table, unique, columns)
    )
    for chunk in chunks(rows):
        conn.execute(stmt, chunk)


def _upsert_copied(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], unique: Sequence[str], columns: Sequence[str]
) -> None:
    """`upsert` on PostgreSQL: COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT DO UPDATE
    (DESIGN.md: 0.7 times the speed of a plain COPY, where rows sent one by one reach 0.2-0.3). Of two rows with
    the same unique columns the last wins, as with one upsert after the other."""
    latest = list({tuple(row[name] for name in unique): row for row in rows}.values())
    names = tuple(rows[0])
    staging = _staging(table, names)
    quote = conn.dialect.identifier_preparer.quote
    listed = ", ".join(quote(name) for name in names)
    target, staged = quote(table.name), quote(staging.name)
    # Dropped as the transaction ends; made again, at the cost of one statement, if a rollback took it.
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {staged} ON COMMIT DROP AS SELECT {listed} FROM {target} WITH NO DATA"
    )
    _copy(conn, staging, latest)
    conn.exec_driver_sql(
        f"INSERT INTO {target} ({listed}) SELECT {listed} FROM {staged} "
        f"ON CONFLICT ({', '.join(quote(name) for name in unique)}) "
        f"DO UPDATE SET {', '.join(f'{quote(c)} = EXCLUDED.{quote(c)}' for c in columns)}"
    )
    conn.exec_driver_sql(f"TRUNCATE {staged}")


def upsert_one(
    conn: Connection, table: Table, row: Mapping[str, Any], unique: Sequence[str], keep: Sequence[str] = ()
) -> int:
    """`upsert` of one row; returns its id, in the same round trip where the engine can (not MySQL)."""
    if conn.dialect.name in ("mysql", "mariadb"):
        upsert(conn, table, [row], unique, keep)
        found = find_one(conn, table, **{name: row[name] for name in unique})
        return int(found["id"])  # type: ignore[index]  # the row the upsert above wrote
    kept = {"id", "created_at", *unique, *keep}
    columns = tuple(c for c in row if c not in kept)
    stmt = cached(
        ("upsert_one", conn.dialect.name, table.name, tuple(unique), columns),
        lambda: _upsert(conn, table, unique, columns).returning(table.c.id),
    )
    return int(conn.execute(stmt, row).scalar_one())


def _upsert(conn: Connection, table: Table, unique: Sequence[str], columns: Sequence[str]) -> Insert:
    if conn.dialect.name in ("mysql", "mariadb"):
        mysql_insert: MySQLInsert = _insert(conn, table)
        return mysql_insert.on_duplicate_key_update({c: mysql_insert.inserted[c] for c in columns})
    stmt: PostgreSQLInsert | SQLiteInsert = _insert(conn, table)
    return stmt.on_conflict_do_update(index_elements=list(unique), set_={c: stmt.excluded[c] for c in columns})


@functools.cache
def _staging(table: Table, names: tuple[str, ...]) -> Table:
    """The temporary table that rows of `table` with these columns go through."""
    label = zlib.crc32(" ".join(names).encode())
    return Table(f"staged_{table.name}_{label:08x}", MetaData(), *(Column(n, table.c[n].type) for n in names))


def allocate_ids(conn: Connection, table: Table, count: int) -> Iterator[int] | None:
    """`count` ids for rows about to be inserted, so that they can point at each other before any is written: on
    PostgreSQL, whose sequences hand ids out safely to concurrent writers, and on SQLite, where the transaction
    holds the only write lock (the ids follow the greatest stored, asked each time). None elsewhere. Ids are taken
    IDS_AHEAD at a time and kept with the connection: a sequence never takes an id back, even on rollback."""
    if conn.dialect.name == "sqlite":
        # Every write takes SQLite's lock as its transaction begins (store.db): no other writer until it ends.
        top = conn.execute(cached(("max_id", table.name), lambda: select(func.max(table.c.id)))).scalar()
        return iter(range((top or 0) + 1, (top or 0) + 1 + count))
    if conn.dialect.name != "postgresql":
        return None
    pool: deque[int] = conn.info.setdefault(("ids", table.name), deque())
    if len(pool) < count:
        stmt = cached(
            ("allocate_ids", table.name),
            lambda: select(func.nextval(func.pg_get_serial_sequence(table.name, "id"))).select_from(
                func.generate_series(1, bindparam("count"))
            ),
        )
        pool.extend(conn.execute(stmt, {"count": max(count - len(pool), IDS_AHEAD)}).scalars())
    return iter([pool.popleft() for _ in range(count)])


def update_by_id(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """Set `columns` and updated_at of rows found by id, as one batched statement."""
    if not rows:
        return
    names = (*columns, "updated_at")
    # Bind names must differ from column names in an UPDATE's SET clause.
    stmt = cached(
        ("update_by_id", table.name, names),
        lambda: update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(f"b_{c}") for c in names}),
    )
    params = [{"b_id": row["id"], **{f"b_{c}": row[c] for c in names}} for row in rows]
    for chunk in chunks(params):
        conn.execute(stmt, chunk)


def rows_by_key(
    conn: Connection,
    table: Table,
    scope: Mapping[str, Any],
    keys: Iterable[str] | None = None,
    columns: Sequence[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Existing rows of one scope (e.g. one post's comments) by natural key: only `keys` and `columns` if given."""
    names = tuple(scope)
    by_keys = keys is not None
    query = cached(
        ("rows_by_key", table.name, names, tuple(columns or ()), by_keys),
        lambda: _rows_by_key(table, names, columns, by_keys),
    )
    params = {f"s_{name}": value for name, value in scope.items()}
    if keys is None:
        return {row["key"]: dict(row) for row in conn.execute(query, params).mappings()}
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunks(sorted(set(keys))):
        result = conn.execute(query, {**params, "keys": list(chunk)})
        found.update({row["key"]: dict(row) for row in result.mappings()})
    return found


def _rows_by_key(table: Table, scope: Sequence[str], columns: Sequence[str] | None, by_keys: bool) -> Executable:
    query = select(*(table.c[c] for c in ("key", *columns))) if columns else select(table)
    where = [table.c[name] == bindparam(f"s_{name}") for name in scope]
    if by_keys:
        where.append(table.c.key.in_(bindparam("keys", expanding=True)))
    return query.where(*where)


def existing_pairs(
    conn: Connection, table: Table, pairs: Sequence[tuple[Any, Any]], columns: Sequence[str]
) -> set[tuple[Any, ...]]:
    """Which (a, b) pairs of a two-column unique key are already stored."""
    found: set[tuple[Any, ...]] = set()
    names = tuple(columns)
    # Each column IN its own values, the pairs picked out here: SQLite seeks the unique index for those, where for
    # a pair IN a list it reads the table (or the index) through, once per query.
    query = cached(
        ("existing_pairs", table.name, names),
        lambda: select(*(table.c[n] for n in names)).where(
            *(table.c[n].in_(bindparam(f"in_{n}", expanding=True)) for n in names)
        ),
    )
    for chunk in chunks(sorted(set(pairs))):
        wanted = set(chunk)
        params = {f"in_{n}": sorted({pair[i] for pair in chunk}) for i, n in enumerate(names)}
        found.update(pair for row in conn.execute(query, params) if (pair := tuple(row)) in wanted)
    return found


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
