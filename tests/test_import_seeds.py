"""`blogimport import seeds/` into an empty SQLite file (issue 2, point 1)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS, run
from tests.dbdump import query
from tests.test_text_parser import SEED_POSTS

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)


def post_id(db_url: str, title: str) -> int:
    (row,) = query(db_url, "SELECT id FROM posts WHERE title = ?", title)
    return row["id"]


def comment(db_url: str, title: str, path: str) -> dict[str, Any]:
    (row,) = query(db_url, "SELECT * FROM comments WHERE post_id = ? AND path = ?", post_id(db_url, title), path)
    return row


def test_totals(seeded: str) -> None:
    (totals,) = query(
        seeded,
        """
        SELECT (SELECT count(*) FROM posts) AS posts,
               (SELECT count(*) FROM comments) AS comments,
               (SELECT count(*) FROM comments WHERE parent_id IS NULL) AS top_level,
               (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL) AS replies,
               (SELECT count(*) FROM labels) AS labels,
               (SELECT count(*) FROM post_labels) AS labelled,
               (SELECT count(*) FROM comment_references) AS mentions,
               (SELECT count(*) FROM blogs) AS blogs""",
    )
    assert totals == {
        "posts": 7,
        "comments": 96,
        "top_level": 53,
        "replies": 43,
        "labels": 1,
        "labelled": 3,
        "mentions": 13,
        "blogs": 1,
    }


@pytest.mark.parametrize("prefix", sorted(SEED_POSTS))
def test_threads_per_post(seeded: str, prefix: str) -> None:
    published_on, title, positions, replies = SEED_POSTS[prefix]
    rows = query(
        seeded,
        """
        SELECT c.position, count(r.id) AS replies FROM comments c LEFT JOIN comments r ON r.parent_id = c.id
        WHERE c.post_id = ? AND c.parent_id IS NULL GROUP BY c.id ORDER BY c.path""",
        post_id(seeded, title),
    )
    assert [r["position"] for r in rows] == positions
    assert {r["position"]: r["replies"] for r in rows if r["replies"]} == replies
    (post,) = query(seeded, "SELECT published_on FROM posts WHERE title = ?", title)
    assert post["published_on"] == published_on.isoformat()


def test_every_reply_belongs_to_its_thread(seeded: str) -> None:
    rows = query(
        seeded,
        """SELECT c.depth, c.parent_id, c.thread_id, c.id, c.position, c.path, p.path AS parent_path
                            FROM comments c LEFT JOIN comments p ON p.id = c.parent_id""",
    )
    assert len(rows) == 96
    for r in rows:
        parent, own = r["parent_path"], f"{r['position']:04d}"
        assert (r["depth"], r["thread_id"], r["path"]) == (
            (0, r["id"], own) if parent is None else (1, r["parent_id"], f"{parent}.{own}")
        )


def test_whole_post_rows(seeded: str) -> None:
    (author,) = query(seeded, "SELECT * FROM authors")
    assert {k: author[k] for k in ("blog_id", "key", "name", "profile_url")} == {
        "blog_id": 1,
        "key": "Andy Green|",
        "name": "Andy Green",
        "profile_url": None,
    }
    rows = query(seeded, "SELECT * FROM posts ORDER BY published_on")
    assert [
        (
            r["published_on"],
            r["title"],
            r["author_id"],
            r["declared_comment_count"],
            r["url"],
            r["published_at"],
            r["source_rank"],
            r["blog_id"],
        )
        for r in rows
    ] == [
        ("2010-09-20", "Sex Offenders", None, None, None, None, 1, 1),
        ("2011-04-14", "The Leaving", None, None, None, None, 1, 1),
        ("2015-02-07", "Guest Blog 24", None, None, None, None, 1, 1),
        ("2016-02-14", "Probation Masterclass", None, None, None, None, 1, 1),
        ("2018-01-29", "Guest Blog 68", author["id"], None, None, None, 1, 1),
        ("2019-01-28", "TR - 'Read All About It!'", None, 22, None, None, 1, 1),
        ("2019-05-21", "The Reality", None, None, None, None, 1, 1),
    ]
    assert [r["key"] for r in rows][:2] == ["2010-09-20/Sex Offenders", "2011-04-14/The Leaving"]
    assert rows[4]["body_text"].endswith("I had applied to train for in 1999.\n\nAndy Green")


def test_labels(seeded: str) -> None:
    rows = query(
        seeded,
        """SELECT l.name, p.title FROM post_labels pl JOIN labels l ON l.id = pl.label_id
                            JOIN posts p ON p.id = pl.post_id ORDER BY p.published_on""",
    )
    assert rows == [{"name": "groupwork", "title": t} for t in ("Sex Offenders", "The Leaving", "The Reality")]


def test_whole_comment_rows(seeded: str) -> None:
    title = "Guest Blog 24"
    top, reply = comment(seeded, title, "0007"), comment(seeded, title, "0007.0002")
    top_key = "6ab46e4a976bbf7a05474f1ecaa1d4b5:0"  # the body's fingerprint; tests/test_key_contract.py
    for row in (top, reply):
        datetime.fromisoformat(row.pop("created_at"))
        assert row.pop("updated_at") is not None
    assert reply == {
        "id": reply["id"],
        "post_id": post_id(seeded, title),
        "parent_id": top["id"],
        "thread_id": top["id"],
        "key": f"{top_key}/24429ac2e8d19d0d112c43b3a6b41a71:0",
        "depth": 1,
        "position": 2,
        "path": "0007.0002",
        "author_id": None,
        "published_at": None,
        "body_text": "Dear OM, if I can signpost you to this previous posting by Mr Brown\n"
        "it would be fair for me to posit that you are fucked.",
        "is_removed": 0,
        "source_rank": 1,
        "blogger_id": None,
        "url": None,
        "utc_offset_minutes": None,
        "display_time": None,
    }
    assert top == {
        "id": top["id"],
        "post_id": post_id(seeded, title),
        "parent_id": None,
        "thread_id": top["id"],
        "key": top_key,
        "depth": 0,
        "position": 7,
        "path": "0007",
        "author_id": None,
        "published_at": None,
        "body_text": "Dear Purple Futures,\nI've been allocated a short custody case and I have to advise what the "
        "rehab elements will be for the post sentence supervision - the problem is that you haven't let "
        "us operational staff know who, what or how these will be delivered. Any information will be "
        "gratefully received.",
        "is_removed": 0,
        "source_rank": 1,
        "blogger_id": None,
        "url": None,
        "utc_offset_minutes": None,
        "display_time": None,
    }


def test_whole_row_of_a_comment_after_a_gap(seeded: str) -> None:
    row = comment(seeded, "Guest Blog 24", "0016")
    assert {k: v for k, v in row.items() if k not in ("id", "post_id", "created_at", "updated_at")} == {
        "parent_id": None,
        "thread_id": row["id"],
        "key": "45c61c691a503300183a4ff648535102:0",
        "depth": 0,
        "position": 16,
        "path": "0016",
        "author_id": None,
        "published_at": None,
        "body_text": "cant wait for Bleak Futures blog tomorrow - I just cant help feeling many people are now just "
        "putting their heads down and 'getting on with it' whilst this is admirable and a case of "
        "'needs must' we all need to remember to keep using this blog to highlight examples of daily "
        "office practices that are making a hard job even harder.",
        "is_removed": 0,
        "source_rank": 1,
        "blogger_id": None,
        "url": None,
        "utc_offset_minutes": None,
        "display_time": None,
    }


def test_post_bodies_are_not_searched_for_mentions(tmp_path: Path, db_url: str) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Monday, 7 February 2015\n\nMinutes\n\nWe met at 20:15, re 11 34 on the agenda.\n\n"
        "  1. re 20:15 - were you there?\n"
    )
    assert run("import", page, "--db", db_url).exit_code == 0
    assert query(db_url, "SELECT mention FROM comment_references") == [{"mention": "re 20:15"}]


def test_mentions_are_stored_unresolved(seeded: str) -> None:
    rows = query(
        seeded,
        """
        SELECT p.title, c.path, r.mention, r.key, r.target_comment_id FROM comment_references r
        JOIN comments c ON c.id = r.comment_id JOIN posts p ON p.id = c.post_id ORDER BY p.published_on, c.path""",
    )
    assert [(r["title"], r["path"], r["mention"], r["target_comment_id"]) for r in rows] == [
        ("Guest Blog 24", "0005", "Anon 9.11", None),
        ("Guest Blog 24", "0017", "re 20:15", None),
        ("Probation Masterclass", "0002", "8 24", None),
        ("Probation Masterclass", "0004.0002", "10:25", None),
        ("Probation Masterclass", "0004.0004", "15:21", None),
        ("Probation Masterclass", "0005.0002", "re 11 34", None),
        ("Probation Masterclass", "0005.0004", "1525", None),
        ("Probation Masterclass", "0005.0004", "1134", None),
        ("Probation Masterclass", "0008.0004", "Anonymous 15:41", None),
        ("Probation Masterclass", "0008.0007", "Anon 1549", None),
        ("Probation Masterclass", "0013.0001", "Anon at 23:33", None),
        ("Guest Blog 68", "0005.0001", "@8:41", None),
        ("TR - 'Read All About It!'", "0001", "Anon@00:25", None),
    ]


def test_no_stored_body_holds_a_control_word_line(seeded: str) -> None:
    rows = query(seeded, """SELECT body_text FROM comments UNION ALL SELECT body_text FROM posts""")
    control = {"ReplyDelete", "Replies", "Delete", "Reply"}
    assert [r for r in rows if control & {line.strip() for line in r["body_text"].split("\n")}] == []


def test_sources_and_run_are_recorded(seeded: str) -> None:
    sources = query(
        seeded,
        "SELECT locator, format, status, error, size_bytes, first_run_id, last_run_id FROM sources ORDER BY locator",
    )
    assert sources == [
        {
            "locator": str(path),
            "format": "text",
            "status": "imported",
            "error": None,
            "size_bytes": path.stat().st_size,
            "first_run_id": 1,
            "last_run_id": 1,
        }
        for path in sorted(SEEDS.glob("*.txt"))
    ]
    (import_run,) = query(seeded, "SELECT * FROM import_runs")
    assert {k: import_run[k] for k in ("id", "status", "sources_imported", "sources_unchanged", "sources_failed")} == {
        "id": 1,
        "status": "succeeded",
        "sources_imported": 5,
        "sources_unchanged": 0,
        "sources_failed": 0,
    }
    assert import_run["started_at"] <= import_run["finished_at"]


def tally(**counts: int) -> dict[str, int]:
    return {"inserted": 0, "updated": 0, "unchanged": 0, "deleted": 0, "skipped": 0, **counts}


# What an import of the seeds into an empty database did, per table (its --json, and `blogimport runs --json`).
SEED_ENTITIES = {
    "blogs": tally(inserted=1, unchanged=4),
    "authors": tally(inserted=1),
    "labels": tally(inserted=1),
    "posts": tally(inserted=7),
    "post_labels": tally(inserted=3),
    "comments": tally(inserted=96),
    "comment_references": tally(inserted=13),
    "pending_comments": tally(),
}


def test_json_summary(db_url: str) -> None:
    result = run("import", SEEDS, "--db", db_url, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "run_id": 1,
        "status": "succeeded",
        "sources": {"imported": 5, "unchanged": 0, "partial": 0, "failed": 0},
        "entities": SEED_ENTITIES,
        "waiting": 0,
        "failures": [],
        "partial": [],
        "notes": [],
    }
    assert result.stderr == ""


def test_summary_line(db_url: str) -> None:
    result = run("import", SEEDS, "--db", db_url)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "5 sources: 5 imported, 0 unchanged, 0 failed; new: blogs 1, authors 1, labels 1, posts 7, post_labels 3, "
        "comments 96, comment_references 13; updated: none\n"
    )
