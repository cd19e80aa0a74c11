"""Issue 16, point 8: a real saved page and a text rendering of it made apart from the parser
(tests/render_html_as_text.py walks the page with lxml; it never sees blogimport's records) are one post and one
set of comments, in either order, and leave the same database both ways.

The third source of the issue, the comments feed Blogger serves for each of these posts (in ../shared/formats),
joins these tests once the public-feed parser is in (branch feed-files)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run
from tests.dbdump import natural_dump, query
from tests.render_html_as_text import render

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

# Page: (its blog's host, for --blog on the text; top-level comments, replies). The figures are SOURCES.md's.
POSTS = {
    "html_blackpowderwildflower.com_2020.html": ("www.blackpowderwildflower.com", 10, 9),
    "html_persomag-theme1.blogspot.com_2015.html": ("persomag-theme1.blogspot.com", 1, 1),
    "html_jorgeelconstructor.blogspot.com_2010.html": ("jorgeelconstructor.blogspot.com", 3, 0),
}
COUNTS = """SELECT (SELECT count(*) FROM blogs) AS blogs, (SELECT count(*) FROM posts) AS posts,
                   (SELECT count(*) FROM comments WHERE parent_id IS NULL) AS tops,
                   (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL) AS replies,
                   (SELECT count(*) FROM comments WHERE blogger_id IS NOT NULL AND published_at IS NOT NULL
                      AND position IS NOT NULL) AS from_both,
                   (SELECT source_rank FROM posts) AS rank"""


@pytest.mark.parametrize("name", sorted(POSTS))
def test_a_page_and_an_independent_text_rendering_merge_in_either_order(
    name: str, tmp_path: Path, new_db: Callable[[], str]
) -> None:
    host, tops, replies = POSTS[name]
    page = FIXTURES / "formats" / name
    rendering = tmp_path / f"{name}.txt"
    rendering.write_text(render(page.read_bytes()), encoding="utf-8")
    dumps = []
    for order in ((page, rendering), (rendering, page)):
        db_url = new_db()
        for path in order:
            result = run("import", path, "--db", db_url, *(("--blog", host) if path == rendering else ()))
            assert (result.exit_code, result.stderr) == (0, ""), result.output
        # Every comment is the page's (its Blogger id and time) and the rendering's (its number) at once.
        assert query(db_url, COUNTS) == [
            {"blogs": 1, "posts": 1, "tops": tops, "replies": replies, "from_both": tops + replies, "rank": 2}
        ]
        dumps.append(natural_dump(db_url))
    assert dumps[0] == dumps[1]


# Page: its post's comments feed (Blogger's too: made apart from the page and from the rendering).
FEEDS = {
    "html_blackpowderwildflower.com_2020.html": "publicfeed-comments_blackpowderwildflower.com_2020.xml",
    "html_jorgeelconstructor.blogspot.com_2010.html": "publicfeed-comments_jorgeelconstructor.blogspot.com_2014.xml",
}


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_a_page_its_comments_feed_and_a_text_rendering_merge_in_every_order(
    name: str, tmp_path: Path, new_db: Callable[[], str]
) -> None:
    host, tops, replies = POSTS[name]
    page, feed = FIXTURES / "formats" / name, FIXTURES / "formats" / FEEDS[name]
    rendering = tmp_path / f"{name}.txt"
    rendering.write_text(render(page.read_bytes()), encoding="utf-8")
    dumps = []
    for order in itertools.permutations((page, feed, rendering)):
        db_url = new_db()
        for path in order:
            result = run("import", path, "--db", db_url, *(("--blog", host) if path == rendering else ()))
            assert result.exit_code == 0 and "Traceback" not in result.stderr, result.output
        counts = query(db_url, COUNTS)[0]
        assert {key: counts[key] for key in ("blogs", "posts", "tops", "replies", "from_both")} == {
            "blogs": 1,
            "posts": 1,
            "tops": tops,
            "replies": replies,
            "from_both": tops + replies,
        }, order
        assert query(db_url, "SELECT count(*) AS n FROM pending_comments") == [{"n": 0}]
        dumps.append(natural_dump(db_url))
    assert all(dump == dumps[0] for dump in dumps[1:])
