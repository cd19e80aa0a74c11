"""The floors an import is measured against, in the same run on the same machine (tests/perf/bench.py).

* parse-only: every source of one format parsed in one process, every entry read, nothing written;
* raw insert: the import's final rows (every table it fills) copied into a new, migrated database of the same
  engine in one transaction, with the driver itself: sqlite3 `executemany`, PostgreSQL COPY. Only the writes
  are timed; reading the rows from the imported database is not.

An import cannot beat parsing its sources and writing its rows, so 1 / (1/parse rate + 1/insert rate) is the
rate of a perfect importer on this machine, and the benchmark's ratio says how close the real one comes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

from blogimport import formats, sources
from blogimport.records import ParseOptions
from blogimport.store import DatabaseURL, ensure_schema, make_engine

# Parents before children, as the foreign keys want them.
TABLES = ("blogs", "authors", "labels", "posts", "post_labels", "comments", "comment_references")
CHUNK = 10_000  # rows read from the imported database at a time: the L corpus never sits in memory whole


def parse_only_seconds(path: Path) -> float:
    """Parse every source under `path` as the importer would, reading every entry."""
    started = time.perf_counter()
    for source in sources.discover([path]):
        with source.open() as stream:
            fmt = sources.sniff(stream.read(sources.SNIFF_BYTES), source.locator)
        with source.open() as stream:
            for _ in formats.parse(fmt, stream, source.locator, ParseOptions()).entries:
                pass
    return time.perf_counter() - started


def migrate(empty_url: str) -> None:
    """Bring a new, empty database to the head revision, as `blogimport db upgrade` would, in this process: the
    benchmark does it once a measured import, and a process of its own costs a second of start-up each."""
    url = DatabaseURL.parse(empty_url)
    engine = make_engine(url)
    try:
        ensure_schema(engine, url)
    finally:
        engine.dispose()


def raw_insert_seconds(imported_url: str, empty_url: str) -> float:
    """Copy the final rows of `imported_url` into `empty_url` (migrated, empty) with the bare driver."""
    reader = make_engine(DatabaseURL.parse(imported_url))
    writer = create_engine(empty_url)
    try:
        with reader.connect() as source, writer.connect() as target:
            raw = target.connection.dbapi_connection
            if writer.dialect.name == "sqlite":
                raw.execute("PRAGMA foreign_keys = ON")  # as the importer writes
            copy = _copy_postgresql if writer.dialect.name == "postgresql" else _executemany
            seconds = sum(copy(raw, table, columns, chunk) for table, columns, chunk in _rows(source))
            started = time.perf_counter()
            raw.commit()
            return seconds + time.perf_counter() - started
    finally:
        reader.dispose()
        writer.dispose()


def _rows(conn: Any) -> Iterator[tuple[str, list[str], list[tuple[Any, ...]]]]:
    for table in TABLES:
        result = conn.execution_options(stream_results=True).exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1")
        columns = list(result.keys())
        while chunk := result.fetchmany(CHUNK):
            yield table, columns, [tuple(row) for row in chunk]


def _executemany(raw: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> float:
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"
    started = time.perf_counter()
    raw.executemany(statement, rows)
    return time.perf_counter() - started


def _copy_postgresql(raw: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> float:
    names = ", ".join(f'"{c}"' for c in columns)
    started = time.perf_counter()
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return time.perf_counter() - started


def database_name(url: str) -> str:
    return make_url(url).database or ""


def execute_admin(admin_url: str, statement: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
