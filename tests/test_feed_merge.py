"""A saved page and its post's comments feed (issue 15, point 2): in either order, one post and one set of comments;
where the page shows more comments than the older feed, the union; the feed's exact times and Blogger ids enrich
the page's rows, matched by Blogger id, or by natural key where the page has no ids (DESIGN.md, Identity)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run
from tests.dbdump import assert_database_sound, natural_dump, query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

FORMATS = FIXTURES / "formats"
BLACKPOWDER_PAGE = FORMATS / "html_blackpowderwildflower.com_2020.html"
BLACKPOWDER_FEED = FORMATS / "publicfeed-comments_blackpowderwildflower.com_2020.xml"
# page, its post's comments feed, and what the two give: comments, replies, comments the feed also has. The
# persomag and jorgeelconstructor pages yield no comments to the html parser yet (their templates' comment
# markup), so for them this checks that the feed's comments find the page's post, whichever comes first.
PAIRS = {
    "blackpowderwildflower": (BLACKPOWDER_PAGE, BLACKPOWDER_FEED, 19, 9, 17),
    "persomag": (
        FORMATS / "html_persomag-theme1.blogspot.com_2015.html",
        FORMATS / "publicfeed-comments_persomag-theme1.blogspot.com_2016.xml",
        2,
        1,
        2,
    ),
    "jorgeelconstructor": (
        FORMATS / "html_jorgeelconstructor.blogspot.com_2010.html",
        FORMATS / "publicfeed-comments_jorgeelconstructor.blogspot.com_2014.xml",
        3,
        0,
        3,
    ),
}
COUNTS = """SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM comments) AS comments,
                   (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL) AS replies,
                   (SELECT count(*) FROM comments WHERE source_rank = 5) AS from_feed,
                   (SELECT count(*) FROM pending_comments) AS waiting, (SELECT count(*) FROM blogs) AS blogs"""
ROW = """SELECT c.blogger_id, p.blogger_id AS parent, c.depth, c.path, a.name, a.profile_url, c.published_at,
                c.utc_offset_minutes, c.display_time, c.url, c.source_rank, c.body_text
         FROM comments c LEFT JOIN comments p ON p.id = c.parent_id JOIN authors a ON a.id = c.author_id
         WHERE c.body_text = ? ORDER BY c.blogger_id"""
POST_URL = "https://www.blackpowderwildflower.com/2020/09/shooting-gap-grit-and-femininity.html"


def import_all(db_url: str, *paths: Path) -> None:
    for path in paths:
        result = run("import", path, "--db", db_url)
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("pair", PAIRS)
def test_page_and_feed_in_either_order_give_one_post_and_one_set_of_comments(
    pair: str, db_url: str, new_db: Callable[[], str]
) -> None:
    page, feed, comments, replies, from_feed = PAIRS[pair]
    import_all(db_url, page, feed)
    other = new_db()
    import_all(other, feed, page)
    expected = {"posts": 1, "comments": comments, "replies": replies, "from_feed": from_feed, "waiting": 0, "blogs": 1}
    assert query(db_url, COUNTS) == query(other, COUNTS) == [expected]
    assert natural_dump(db_url) == natural_dump(other)
    assert query(other, "SELECT status FROM sources ORDER BY id") == [{"status": "imported"}] * 2
    assert_database_sound(db_url)


def test_the_union_of_page_and_feed_and_the_feed_wins_its_comments(db_url: str) -> None:
    import_all(db_url, BLACKPOWDER_FEED, BLACKPOWDER_PAGE)
    # Two comments came after the feed was saved (November): the page's rows, as the page gave them.
    newer = query(
        db_url, "SELECT blogger_id, source_rank, display_time FROM comments WHERE source_rank = 2 ORDER BY blogger_id"
    )
    assert newer == [
        {"blogger_id": "122972643655188322", "source_rank": 2, "display_time": "November 17, 2020 at 4:23 PM"},
        {"blogger_id": "7532301032578300696", "source_rank": 2, "display_time": "November 17, 2020 at 4:14 PM"},
    ]
    # Both sources have this reply (twice: the reader posted it twice); the feed's version wins.
    rows = query(db_url, ROW, "With how good they are, they deserve support!")
    shared = {
        "parent": "5646308486465993515",
        "depth": 1,
        "name": "Miles",
        "profile_url": "https://www.blogger.com/profile/04707585797893441954",
        "utc_offset_minutes": -420,
        "display_time": "October 3, 2020 at 6:21 PM",
        "source_rank": 5,
        "body_text": "With how good they are, they deserve support!",
    }
    assert rows == [
        {
            "blogger_id": "6861486116227716943",
            "path": rows[0]["path"],
            "published_at": "2020-10-04 01:21:00.875000",
            "url": f"{POST_URL}?showComment=1601774460875#c6861486116227716943",
            **shared,
        },
        {
            "blogger_id": "7003476997552421164",
            "path": rows[1]["path"],
            "published_at": "2020-10-04 01:21:49.350000",
            "url": f"{POST_URL}?showComment=1601774509350#c7003476997552421164",
            **shared,
        },
    ]
    assert {rows[0]["path"][:5], rows[1]["path"][:5]} == {rows[0]["path"][:5]}  # one thread


def page_without_ids_or_times(tmp_path: Path) -> Path:
    """The blackpowderwildflower page as a tool that kept no comment ids or exact times would leave it: every
    `showComment=<ms>` and `c<id>` gone (a variant made here; the sample itself is never edited)."""
    data = BLACKPOWDER_PAGE.read_bytes()
    data = re.sub(rb"showComment=\d+", b"", data)
    data = re.sub(rb"#c(\d+)", rb"#x\1", data)
    data = re.sub(rb"""id=(["'])c(\d+)""", rb"id=\1x\2", data)
    path = tmp_path / "page-without-ids.html"
    path.write_bytes(data)
    return path


def test_the_feed_enriches_a_page_without_ids_by_natural_key_in_either_order(
    db_url: str, new_db: Callable[[], str], tmp_path: Path
) -> None:
    page = page_without_ids_or_times(tmp_path)
    import_all(db_url, page)
    assert query(
        db_url, "SELECT count(*) AS n, count(blogger_id) AS ids, count(published_at) AS times FROM comments"
    ) == [{"n": 19, "ids": 0, "times": 0}]
    import_all(db_url, BLACKPOWDER_FEED)
    other = new_db()
    import_all(other, BLACKPOWDER_FEED, page)
    enriched = "SELECT count(*) AS n, count(blogger_id) AS ids, count(published_at) AS times FROM comments"
    assert query(db_url, enriched) == query(other, enriched) == [{"n": 19, "ids": 17, "times": 17}]
    assert natural_dump(db_url) == natural_dump(other)
    (row,) = query(db_url, ROW, "Thank you very much!")
    assert row == {
        "blogger_id": "2326992271263615813",
        "parent": "9197918519562296433",
        "depth": 1,
        "path": row["path"],
        "name": "Katie Payne",
        "profile_url": "https://www.blogger.com/profile/06785297846443749437",
        "published_at": "2020-09-28 22:37:59.622000",
        "utc_offset_minutes": -420,
        "display_time": "September 28, 2020 at 3:37 PM",
        "url": f"{POST_URL}?showComment=1601332679622#c2326992271263615813",
        "source_rank": 5,
        "body_text": "Thank you very much!",
    }
