"""Blogger API v3 responses (issue 15): no real ones are in ../shared/formats, so tests/fixtures holds hand-made
ones in the shape blogger-formats.md §8.2-8.3 documents (a postList with nextPageToken, a commentList whose reply
names its parent in inReplyTo, a post asked for without its body, as JSONP). They import exactly, whole rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from blogimport.formats import api_v3
from blogimport.records import AuthorRecord, CommentRecord, FeedPage, LooseComment, ParseOptions
from tests.conftest import FIXTURES, run
from tests.dbdump import natural_dump, query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

POSTS = FIXTURES / "api-v3-postlist.json"
COMMENTS = FIXTURES / "api-v3-commentlist.json"
WITHOUT_BODY = FIXTURES / "api-v3-post-without-body.js"
RIZKY = "https://www.blogger.com/profile/01883940573886924473"
NATURE = "How to Appreciate the Beauty and Diversity of Nature"
NATURE_URL = "http://rspux.blogspot.com/2023/08/how-to-appreciate-the-beauty-and-diversity-of-nature.html"
POST_ROWS = """SELECT p.blog_id, p."key", p.blogger_id, p.kind, p.status, p.title, p.published_on, p.published_at,
                      p.utc_offset_minutes, p.edited_at, p.url, p.body_text, p.declared_comment_count, p.source_rank,
                      p.labels_as_of, a.name AS author, a.profile_url, a.blogger_profile_id
               FROM posts p JOIN authors a ON a.id = p.author_id ORDER BY p.published_at"""
COMMENT_ROWS = """SELECT c.blogger_id, parent.blogger_id AS parent, thread.blogger_id AS thread, c.depth, c.position,
                         c.path, a.name AS author, a.profile_url, c.published_at, c.utc_offset_minutes,
                         c.display_time, c.body_text, c.is_removed, c.url, c.source_rank, p.blogger_id AS post
                  FROM comments c LEFT JOIN comments parent ON parent.id = c.parent_id
                  JOIN comments thread ON thread.id = c.thread_id JOIN authors a ON a.id = c.author_id
                  JOIN posts p ON p.id = c.post_id ORDER BY c.path"""
NATURE_ROW = {
    "blog_id": 1,
    "key": f"2023-08-01/{NATURE}",
    "blogger_id": "7305247229428072954",
    "kind": "post",
    "status": "live",
    "title": NATURE,
    "published_on": "2023-08-01",
    "published_at": "2023-08-01 14:07:00.000000",
    "utc_offset_minutes": -420,
    "edited_at": "2023-08-01 14:07:12.000000",
    "url": NATURE_URL,
    "body_text": "Walk slowly.\n\nLook closely at the leaves & the bark.",
    "declared_comment_count": 3,
    "source_rank": 6,
    "labels_as_of": "2023-08-01 14:07:12.000000",
    "author": "Rizky S.P",
    "profile_url": RIZKY,
    "blogger_profile_id": "01883940573886924473",
}
RAIN_ROW = {
    "blog_id": 1,
    "key": "2023-07-28/Rain",
    "blogger_id": "5924612361962436386",
    "kind": "post",
    "status": "live",
    "title": "Rain",
    "published_on": "2023-07-28",
    "published_at": "2023-07-29 04:30:00.000000",
    "utc_offset_minutes": -420,
    "edited_at": "2023-07-29 15:02:45.000000",
    "url": "http://rspux.blogspot.com/2023/07/rain.html",
    "body_text": "It rained all night.",
    "declared_comment_count": 0,
    "source_rank": 6,
    "labels_as_of": "2023-07-29 15:02:45.000000",
    "author": "Rizky S.P",
    "profile_url": RIZKY,
    "blogger_profile_id": "01883940573886924473",
}
COMMENT = {
    "position": None,
    "display_time": None,
    "url": None,
    "source_rank": 6,
    "post": "7305247229428072954",
    "utc_offset_minutes": None,
}  # API v3 comment times are UTC: the blog's offset is not known


def import_all(db_url: str, *paths: object) -> None:
    for path in paths:
        result = run("import", path, "--db", db_url)
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("posts_first", [True, False], ids=["posts-then-comments", "comments-then-posts"])
def test_a_post_list_and_a_comment_list_import_exactly(
    posts_first: bool, db_url: str, new_db: Callable[[], str]
) -> None:
    import_all(db_url, *((POSTS, COMMENTS) if posts_first else (COMMENTS, POSTS)))
    assert query(db_url, POST_ROWS) == [RAIN_ROW, NATURE_ROW]
    assert query(db_url, COMMENT_ROWS) == [
        {
            **COMMENT,
            "blogger_id": "9200761938824362519",
            "parent": None,
            "thread": "9200761938824362519",
            "depth": 0,
            "path": "0001",
            "author": "Mira",
            "profile_url": "https://www.blogger.com/profile/530579030283",
            "published_at": "2023-08-02 19:19:57.740000",
            "body_text": "Lovely. Which park was this?",
            "is_removed": 0,
        },
        {
            **COMMENT,
            "blogger_id": "1484019432133765611",
            "parent": "9200761938824362519",
            "thread": "9200761938824362519",
            "depth": 1,
            "path": "0001.0001",
            "author": "Rizky S.P",
            "profile_url": RIZKY,
            "published_at": "2023-08-02 21:29:42.015000",
            "body_text": "The one by the river.",
            "is_removed": 0,
        },
        {
            **COMMENT,
            "blogger_id": "3030303030303030303",
            "parent": None,
            "thread": "3030303030303030303",
            "depth": 0,
            "path": "0002",
            "author": "Anonymous",
            "profile_url": None,
            "published_at": "2023-08-03 06:00:00.000000",
            "body_text": "This comment has been removed by the author.",
            "is_removed": 1,
        },
    ]
    assert query(db_url, 'SELECT "key", blogger_id, url, title FROM blogs') == [
        {
            "key": "rspux.blogspot.com",
            "blogger_id": "4252532404171836550",
            "url": "http://rspux.blogspot.com/",
            "title": None,
        }
    ]
    assert query(db_url, "SELECT l.name FROM labels l ORDER BY l.name") == [{"name": "nature"}, {"name": "walks"}]
    assert query(db_url, "SELECT count(*) AS n FROM post_labels") == [{"n": 2}]
    assert (
        query(db_url, "SELECT status, format FROM sources ORDER BY id")
        == [{"status": "imported", "format": "api_v3"}] * 2
    )
    again = new_db()
    import_all(again, *((COMMENTS, POSTS) if posts_first else (POSTS, COMMENTS)))
    assert natural_dump(again) == natural_dump(db_url)


@pytest.mark.parametrize("with_body_first", [True, False], ids=["body-then-none", "none-then-body"])
def test_a_post_asked_for_without_its_body_never_replaces_one(with_body_first: bool, db_url: str) -> None:
    import_all(db_url, *((POSTS, WITHOUT_BODY) if with_body_first else (WITHOUT_BODY, POSTS)))
    assert query(db_url, POST_ROWS) == [RAIN_ROW, NATURE_ROW]


def test_a_post_without_its_body_alone(db_url: str) -> None:
    result = run("import", WITHOUT_BODY, "--db", db_url)
    assert result.stdout == (
        "1 sources: 1 imported, 0 unchanged, 0 failed; new: blogs 1, authors 1, labels 2, "
        "posts 1, post_labels 2; updated: none; skipped: post body missing 1\n"
    )
    assert query(db_url, POST_ROWS) == [{**NATURE_ROW, "body_text": "", "source_rank": 0}]


def test_the_paging_and_totals_a_fetcher_needs() -> None:
    with POSTS.open("rb") as stream:
        document = api_v3.parse(stream, str(POSTS))
    assert document.feed == FeedPage(
        kind="posts",
        entries=2,
        next_page_token="CgkIChikj86KmzEQhpmAlI32gYI7GAA",
        comment_totals=(("7305247229428072954", 3), ("5924612361962436386", 0)),
    )
    with WITHOUT_BODY.open("rb") as stream:
        assert api_v3.parse(stream, str(WITHOUT_BODY)).feed == FeedPage(
            kind="posts", entries=1, summary_only=True, comment_totals=(("7305247229428072954", 3),)
        )


def test_comment_times_take_the_blogs_zone_when_told() -> None:
    with COMMENTS.open("rb") as stream:
        document = api_v3.parse(stream, str(COMMENTS), ParseOptions(timezone="America/Los_Angeles"))
    pdt = timezone(timedelta(hours=-7))
    assert document.entries[1] == LooseComment(
        post_blogger_id="7305247229428072954",
        parent_blogger_id="9200761938824362519",
        comment=CommentRecord(
            body_text="The one by the river.",
            author=AuthorRecord("Rizky S.P", RIZKY),
            published_at=datetime(2023, 8, 2, 14, 29, 42, 15000, tzinfo=pdt),
            utc_offset_minutes=-420,
            blogger_id="1484019432133765611",
        ),
    )
    assert document.entries[1].comment.published_at == datetime(2023, 8, 2, 21, 29, 42, 15000, tzinfo=UTC)
