"""The reporting views (issue 6, point 1): their rows on the seeds, reading order, chains, and one answer on every
engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, inspect, select

from blogimport.models.views import (
    VIEWS,
    author_activity,
    comment_threads,
    monthly_activity,
    post_summary,
    reply_chains,
)
from tests.conftest import FIXTURES, SEED_FILES, SEEDS, run
from tests.dbdump import connect, plain, query
from tests.test_exports import small_export

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

# (title, published_on, labels, comments, replies, threads, declared): the foundation issue's figures.
SEED_POSTS = [
    ("Sex Offenders", "2010-09-20", "groupwork", 0, 0, 0, None),
    ("The Leaving", "2011-04-14", "groupwork", 0, 0, 0, None),
    ("Guest Blog 24", "2015-02-07", None, 23, 4, 19, None),
    ("Probation Masterclass", "2016-02-14", None, 32, 18, 14, None),
    ("Guest Blog 68", "2018-01-29", None, 19, 11, 8, None),
    ("TR - 'Read All About It!'", "2019-01-28", None, 22, 10, 12, 22),
    ("The Reality", "2019-05-21", "groupwork", 0, 0, 0, None),
]
ID_COLUMNS = {
    "post_id": "posts",
    "comment_id": "comments",
    "thread_id": "comments",
    "parent_id": "comments",
    "root_comment_id": "comments",
    "author_id": "authors",
}


def rows(url: str, view: Table, *order: Any) -> list[dict[str, Any]]:
    engine = connect(url)
    with engine.connect() as conn:
        result = [
            {k: plain(v) for k, v in row.items()} for row in conn.execute(select(view).order_by(*order)).mappings()
        ]
    engine.dispose()
    return result


def test_post_summary_on_the_seeds(seeded: str) -> None:
    ids = {row["title"]: row["id"] for row in query(seeded, "SELECT id, title FROM posts")}
    author = {"Guest Blog 68": "Andy Green"}
    assert rows(seeded, post_summary, post_summary.c.published_on) == [
        {
            "post_id": ids[title],
            "blog": "default",
            "title": title,
            "published_on": day,
            "url": None,
            "kind": "post",
            "status": "live",
            "author": author.get(title),
            "labels": labels,
            "comments": comments,
            "replies": replies,
            "threads": threads,
            "removed": 0,
            "first_comment_at": None,
            "last_comment_at": None,
            "declared_comment_count": declared,
        }
        for title, day, labels, comments, replies, threads, declared in SEED_POSTS
    ]


def test_comment_threads_read_as_each_seed_does(seeded: str) -> None:
    """Sorted by (post, path), each post's comments come in the order its seed page shows them."""
    threads = rows(seeded, comment_threads, comment_threads.c.post_id, comment_threads.c.path)
    assert len(threads) == 96
    pages = {path: " ".join(path.read_text(encoding="utf-8").split()) for path in SEED_FILES}
    for title in {row["post_title"] for row in threads}:
        comments = [row for row in threads if row["post_title"] == title]
        (page,) = [text for text in pages.values() if title in text and comments[0]["body_text"][:40] in text]
        where = 0
        for comment in comments:
            beginning = " ".join(comment["body_text"].split())[:40]
            found = page.find(beginning, where)
            assert found >= where, f"{title} {comment['path']}: {beginning!r} not after the comment before it"
            where = found + len(beginning)
        assert [c["replies"] for c in comments if c["depth"] == 0] == [
            sum(1 for r in comments if r["parent_id"] == c["comment_id"]) for c in comments if c["depth"] == 0
        ]


def test_author_and_monthly_activity_on_the_seeds(seeded: str) -> None:
    (author_id,) = [row["id"] for row in query(seeded, "SELECT id FROM authors")]
    assert rows(seeded, author_activity) == [
        {
            "author_id": author_id,
            "blog": "default",
            "author": "Andy Green",
            "profile_url": None,
            "posts": 1,
            "comments": 0,
            "replies_written": 0,
            "replies_received": 0,
            "first_seen": None,
            "last_seen": None,
        }
    ]
    assert rows(seeded, monthly_activity, monthly_activity.c.month) == [
        {"blog": "default", "month": day[:7], "posts": 1, "comments": comments, "commenters": 0}
        for _, day, _, comments, *_ in SEED_POSTS
    ]


def chain_export(folder: Path) -> Path:
    """Comment 102 answers 101 by its time, 103 answers 102 so, 104 replies to 103: a chain of four."""
    export = folder / "chain.xml"
    export.write_text(
        small_export(
            [
                ("101", None, "2020-05-01T20:15:00.000+01:00", "Who is running this?"),
                ("102", None, "2020-05-01T21:00:00.000+01:00", "re 20:15 - nobody knows."),
                ("103", None, "2020-05-01T21:30:00.000+01:00", "@21:00 someone must."),
                ("104", "103", "2020-05-01T21:40:00.000+01:00", "Agreed."),
                ("105", None, "2020-05-01T22:00:00.000+01:00", "A new subject."),
            ]
        ),
        encoding="utf-8",
    )
    return export


def test_a_reply_chain_through_mentions_and_replies(tmp_path: Path, db_url: str) -> None:
    assert run("import", chain_export(tmp_path), "--db", db_url).exit_code == 0
    ids = {row["blogger_id"]: str(row["id"]) for row in query(db_url, "SELECT id, blogger_id FROM comments")}
    chains = rows(db_url, reply_chains, reply_chains.c.comment_id)
    by_comment = {blogger_id: next(r for r in chains if str(r["comment_id"]) == i) for blogger_id, i in ids.items()}
    assert {b: (r["root_comment_id"], r["chain_length"], r["chain"]) for b, r in by_comment.items()} == {
        "101": (int(ids["101"]), 1, ids["101"]),
        "102": (int(ids["101"]), 2, f"{ids['101']},{ids['102']}"),
        "103": (int(ids["101"]), 3, f"{ids['101']},{ids['102']},{ids['103']}"),
        "104": (int(ids["101"]), 4, f"{ids['101']},{ids['102']},{ids['103']},{ids['104']}"),
        "105": (int(ids["105"]), 1, ids["105"]),
    }
    assert len(chains) == 5  # one chain per comment


def test_every_view_has_the_documented_columns(db_url: str) -> None:
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    engine = connect(db_url)
    inspector = inspect(engine)
    assert sorted(inspector.get_view_names()) == sorted(VIEWS.tables)
    for name, view in VIEWS.tables.items():
        assert [c["name"] for c in inspector.get_columns(name)] == [c.name for c in view.columns], name
    engine.dispose()


def natural_views(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every view's rows with row ids replaced by what they identify (natural keys), sorted: the same on every
    engine when the content is."""
    blogs = {r["id"]: r["key"] for r in query(url, 'SELECT id, "key" FROM blogs')}
    posts = {r["id"]: (blogs[r["blog_id"]], r["key"]) for r in query(url, 'SELECT id, blog_id, "key" FROM posts')}
    identities = {
        "posts": posts,
        "comments": {
            r["id"]: (*posts[r["post_id"]], r["path"]) for r in query(url, "SELECT id, post_id, path FROM comments")
        },
        "authors": {
            r["id"]: (blogs[r["blog_id"]], r["key"]) for r in query(url, 'SELECT id, blog_id, "key" FROM authors')
        },
    }

    def natural(column: str, value: Any) -> Any:
        if column == "chain":
            return tuple(identities["comments"][int(i)] for i in value.split(","))
        table = ID_COLUMNS.get(column)
        return identities[table][value] if table and value is not None else value

    return {
        name: sorted((tuple((c, natural(c, v)) for c, v in row.items()) for row in rows(url, view)), key=repr)
        for name, view in VIEWS.tables.items()
        if name != "run_summary"
    }  # its rows say when imports ran


def test_every_view_gives_the_same_rows_on_every_engine(server_db_url: str, tmp_path: Path) -> None:
    formats = FIXTURES / "formats"
    inputs = [
        SEEDS,
        formats / "classic-export_wgdd.de_2019.xml",
        formats / "takeout-2018ns_epistemic-forge_excerpt.atom",
        *sorted(formats.glob("html_*.html")),
        *sorted(FIXTURES.glob("text-*.txt")),
        chain_export(tmp_path),
    ]
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    for url in (reference, server_db_url):
        assert run("import", *inputs, "--db", url).exit_code == 0
    views = natural_views(reference)
    assert natural_views(server_db_url) == views
    # Enough in them to tell engines apart: times, labels, authors, resolved mentions and chains.
    assert len(views["post_summary"]) == 167
    assert sum(1 for row in views["reply_chains"] if dict(row)["chain_length"] >= 3) > 0
    assert sum(1 for row in views["post_summary"] if dict(row)["first_comment_at"]) > 0
    assert sum(1 for row in views["author_activity"] if dict(row)["replies_received"]) > 0
