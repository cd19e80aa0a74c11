"""Two views of a database for comparisons: every stored byte, and the content without surrogate ids."""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from typing import Any

from sqlalchemy import create_engine, select

import models

CONTENT_TABLES = ("blogs", "authors", "labels", "posts", "post_labels", "comments", "comment_references")
SURROGATE = {"id", "created_at", "updated_at"}


def raw_dump(sqlite_url: str) -> dict[str, list[str]]:
    """The SQLite file as SQL text, per table: equal dumps mean byte-identical values, ids and times included."""
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        lines = list(conn.iterdump())
    tables: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if m := re.match(r'INSERT INTO "?(\w+)"? ', line):
            tables[m[1]].append(line)
    return dict(tables)


def natural_dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every content row, with ids and timestamps left out and foreign keys replaced by what they point at
    (by natural key), sorted: two databases with the same content give the same dump, whatever the engine."""
    engine = create_engine(url)
    tables = models.Base.metadata.tables
    with engine.connect() as conn:
        rows = {name: [dict(r) for r in conn.execute(select(tables[name])).mappings()] for name in CONTENT_TABLES}
    engine.dispose()
    by_id = {name: {r["id"]: r for r in table_rows} for name, table_rows in rows.items() if "id" in tables[name].c}

    def identity(table: str, row_id: int | None) -> tuple[Any, ...] | None:
        if row_id is None:
            return None
        row = by_id[table][row_id]
        scope = [fk for fk in tables[table].foreign_keys if fk.parent.name == _scope_column(table)]
        parent = identity(scope[0].column.table.name, row[scope[0].parent.name]) if scope else ()
        return (*parent, row["key"])

    def natural(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for column in tables[table].c:
            if column.name in SURROGATE:
                continue
            fk = next(iter(column.foreign_keys), None)
            value = row[column.name]
            out.append((column.name, identity(fk.column.table.name, value) if fk else value))
        return tuple(out)

    return {name: sorted((natural(name, r) for r in rows[name]), key=repr) for name in CONTENT_TABLES}


def _scope_column(table: str) -> str | None:
    """The parent column of a table's natural key: UNIQUE (blog_id, key) -> blog_id."""
    for constraint in models.Base.metadata.tables[table].constraints:
        names = [c.name for c in getattr(constraint, "columns", [])]
        if "key" in names and len(names) == 2 and constraint.__class__.__name__ == "UniqueConstraint":
            return next(n for n in names if n != "key")
    return None
