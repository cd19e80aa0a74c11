"""PostgreSQL's bulk paths (importer/store/sql.py): COPY for plain inserts, ids handed out before a comment tree is
written. They must store exactly what INSERTs store, fail as INSERTs fail, and stay off the other engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from blogimport.models import Blog, Comment, Post
from blogimport.store import DatabaseURL, is_contention, make_engine, sql
from tests.conftest import SEEDS, run

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
BERLIN = timezone(timedelta(hours=2))
TOTAL, REPLIES = 96, 43  # the seeds' comments, and how many of them are replies


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    engine = make_engine(DatabaseURL.parse(db_url))
    yield engine
    engine.dispose()


def _post(conn: Connection) -> int:
    stamps = {"created_at": NOW, "updated_at": NOW}
    blog_id = conn.execute(Blog.__table__.insert().values(key="b", **stamps)).inserted_primary_key[0]
    return int(
        conn.execute(
            Post.__table__.insert().values(
                blog_id=blog_id,
                key="p",
                title="t",
                published_on=NOW.date(),
                body_text="b",
                source_rank=1,
                kind="post",
                status="live",
                **stamps,
            )
        ).inserted_primary_key[0]
    )


def _comments(post_id: int, count: int, first: int = 0) -> list[dict[str, object]]:
    """Top-level comments: the odd ones with a time in UTC+2 (stored as UTC), quotes and tabs in the text."""
    return [
        {
            "post_id": post_id,
            "key": f"k{n:03d}",
            "depth": 0,
            "position": n,
            "path": f"{n:04d}",
            "published_at": datetime(2020, 6, 5, 23, 30, tzinfo=BERLIN) + timedelta(minutes=n) if n % 2 else None,
            "body_text": f"it's \"{n}\"\tthen\\n a new line\n'); DROP TABLE posts;--",
            "is_removed": n == 3,
            "source_rank": 1,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for n in range(first, first + count)
    ]


def _stored(conn: Connection, post_id: int) -> list[tuple[object, ...]]:
    table = Comment.__table__
    return [
        tuple(row)
        for row in conn.execute(
            select(table.c.key, table.c.position, table.c.published_at, table.c.body_text, table.c.is_removed)
            .where(table.c.post_id == post_id)
            .order_by(table.c.key)
        )
    ]


@pytest.mark.parametrize("count", [sql.COPY_FROM - 1, sql.COPY_FROM, 3 * sql.COPY_FROM])
def test_insert_rows_stores_exactly_the_values_given(engine: Engine, count: int) -> None:
    """Below COPY_FROM rows INSERTs, from it (on PostgreSQL) COPY: the same rows either way."""
    with engine.begin() as conn:
        post_id = _post(conn)
        sql.insert_rows(conn, Comment.__table__, _comments(post_id, count))
    with engine.connect() as conn:
        stored = _stored(conn, post_id)
    assert stored == [
        (
            f"k{n:03d}",
            n,
            (datetime(2020, 6, 5, 21, 30, tzinfo=UTC) + timedelta(minutes=n) if n % 2 else None),
            f"it's \"{n}\"\tthen\\n a new line\n'); DROP TABLE posts;--",
            n == 3,
        )
        for n in range(count)
    ]


def test_a_copy_that_meets_a_stored_row_fails_as_an_insert_would(engine: Engine) -> None:
    """The writer retries a source when another import stored the same row first: COPY must say so in
    SQLAlchemy's terms, and leave the transaction usable once its savepoint is rolled back."""
    with engine.begin() as conn:
        post_id = _post(conn)
        sql.insert_rows(conn, Comment.__table__, _comments(post_id, 3))
    with engine.begin() as conn:
        savepoint = conn.begin_nested()
        with pytest.raises(IntegrityError) as raised:
            sql.insert_rows(conn, Comment.__table__, _comments(post_id, 2 * sql.COPY_FROM))
        savepoint.rollback()
        assert is_contention(raised.value)
        sql.insert_rows(conn, Comment.__table__, _comments(post_id, 2 * sql.COPY_FROM, first=3))
    with engine.connect() as conn:
        assert [key for key, *_ in _stored(conn, post_id)] == [f"k{n:03d}" for n in range(3 + 2 * sql.COPY_FROM)]


def test_ids_are_handed_out_on_postgresql_and_sqlite(engine: Engine) -> None:
    with engine.begin() as conn:
        ids = sql.allocate_ids(conn, Comment.__table__, 5)
        if engine.dialect.name == "sqlite":  # those after the greatest stored, inside the write lock: none yet
            assert list(ids or []) == [1, 2, 3, 4, 5]
            return
        if engine.dialect.name != "postgresql":
            assert ids is None
            return
        assert ids is not None
        handed = list(ids)
        post_id = _post(conn)
        sql.insert_rows(conn, Comment.__table__, _comments(post_id, 1))
        after = conn.execute(select(Comment.id)).scalar_one()
    assert len(set(handed)) == 5 and handed == sorted(handed) and after > max(handed)


def test_a_whole_new_thread_points_at_its_parents_and_threads(engine: Engine, db_url: str) -> None:
    """The seeds' reply chains, written by the bulk path on PostgreSQL and level by level elsewhere: every reply's
    parent is on its post, one level up, and shares its thread; every top-level comment is its own thread."""
    assert run("import", SEEDS, "--db", db_url).exit_code == 0
    with engine.connect() as conn:
        rows = {
            row.id: row
            for row in conn.execute(
                select(Comment.id, Comment.post_id, Comment.parent_id, Comment.thread_id, Comment.depth, Comment.path)
            )
        }
    wrong = []
    for row in rows.values():
        parent = rows.get(row.parent_id)
        if parent is None:
            fits = row.parent_id is None and row.thread_id == row.id and row.depth == 0
        else:
            fits = (parent.post_id, parent.thread_id, parent.depth + 1) == (row.post_id, row.thread_id, row.depth)
            fits = fits and row.path.startswith(parent.path + ".")
        if not fits:
            wrong.append(row)
    assert (wrong, len(rows), sum(row.parent_id is not None for row in rows.values())) == ([], TOTAL, REPLIES)
